"""bench/RESULTS.md is shared by the benchmark scripts: each owns one "## " section of it.

``write_section(title, lines)`` replaces the section headed ``## title`` (or appends it), and
leaves every other section as it was, so running one benchmark does not erase another's results.
``run_separately`` and ``median_scores`` are the harness of the benchmarks that train each
variant and seed in a process of its own (bench/digits_gan.py, bench/fashion_gan.py).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Callable

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


def run_separately(script: Path, variants: list[str], seeds: list[int], options: list[str],
                   describe: Callable[[dict], str]) -> list[dict]:
    """Run ``script *options --one VARIANT SEED`` for every variant and seed, one process each (so
    that each run's peak memory and threads are its own), and return the JSON dictionary each
    printed on its last line, in order. Prints ``describe(run)`` as each one ends; a run that fails
    stops the benchmark with its error output."""
    runs = []
    for variant in variants:
        for seed in seeds:
            out = subprocess.run([sys.executable, str(script), *options, "--one", variant, str(seed)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                sys.exit(f"{script.name}: the run {variant!r}, seed {seed} failed:\n{out.stderr[-3000:]}")
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"{variant}, seed {seed}: {describe(runs[-1])}", flush=True)
    return runs


def median_scores(runs: list[dict], which: str) -> tuple[dict, list[dict]]:
    """The median over ``runs`` of each number in their ``scores[which]``, and those scores, run by run."""
    scores = [r["scores"][which] for r in runs]
    return {key: statistics.median(x[key] for x in scores) for key in scores[0]}, scores
