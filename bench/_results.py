"""bench/RESULTS.md is shared by the benchmark scripts: each owns one "## " section of it.

``write_section(title, lines)`` replaces the section headed ``## title`` (or appends it), and
leaves every other section as it was, so running one benchmark does not erase another's results.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results"


def write_section(title: str, lines: list[str], path: Path = RESULTS) -> None:
    text = path.read_text() if path.exists() else HEADER + "\n"
    header, sections, current = [], [], None
    for line in text.splitlines():
        if line.startswith("## "):
            current = [line]
            sections.append(current)
        elif current is None:
            header.append(line)
        else:
            current.append(line)
    new = [f"## {title}", "", *lines]
    for i, section in enumerate(sections):
        if section[0] == f"## {title}":
            sections[i] = new
            break
    else:
        sections.append(new)
    out = [*(header or [HEADER]), ""] if header and header[-1] != "" else [*(header or [HEADER, ""])]
    for section in sections:
        while section and section[-1] == "":
            section = section[:-1]
        out += [*section, ""]
    path.write_text("\n".join(out).rstrip("\n") + "\n")


def machine() -> str:
    """The CPU, core count, Python, torch and thread setting: the machine a number was measured on."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import torch

    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}, "
            f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
