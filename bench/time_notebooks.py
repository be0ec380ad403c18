"""Time each chapter's execution: the median of several runs, each in a fresh kernel.

Usage: python bench/time_notebooks.py [--runs 3] [notebooks...]
Writes its section of bench/RESULTS.md (the table for the notebooks timed, the machine
described) and prints the table. A chapter's target is DESIGN's "well under a minute" (60 s); chapter 1's is 30 s and
chapter 7's (the digit GAN) 90 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {  # seconds; every other chapter: DEFAULT_TARGET
    "book/01_adversarial_game.ipynb": 30.0,  # the first chapter a learner runs: the fastest
    "book/07_digits.ipynb": 90.0,  # the image GAN: its issue allows 90 s for 9,000 steps and the measurements
}
DEFAULT_TARGET = 60.0


def chapters() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for entry in toc.get("chapters", [])]
    return [ROOT / (f + ".ipynb") for f in files if (ROOT / (f + ".ipynb")).exists()]


def execute_once(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be >= 1, got {args.runs}")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    notebooks = [p.resolve() for p in args.notebooks] or chapters()
    rows = []
    for path in notebooks:
        times = [execute_once(path) for _ in range(args.runs)]
        rel = str(path.relative_to(ROOT))
        target = TARGETS.get(rel, DEFAULT_TARGET)
        median = statistics.median(times)
        rows.append((rel, median, times, target))
        print(f"{rel}: median {median:.1f} s over {args.runs} runs {[round(t, 1) for t in times]}", flush=True)

    lines = [
        f"Measured {date.today().isoformat()} with `python bench/time_notebooks.py --runs {args.runs}` "
        "(`make bench`): each chapter executed top to bottom in a fresh kernel with nbclient, "
        "kernel start included, on:",
        "",
        f"{machine()}",
        "",
        "| chapter | median (s) | runs (s) | target (s) | met |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for rel, median, times, target in rows:
        runs = ", ".join(f"{t:.1f}" for t in times)
        lines.append(f"| `{rel}` | {median:.1f} | {runs} | {target:.0f} | {'yes' if median < target else 'NO'} |")
    totals = [sum(times[i] for _, _, times, _ in rows) for i in range(args.runs)]
    lines.append(f"| the whole book, one chapter after the other | {statistics.median(totals):.1f} | "
                 f"{', '.join(f'{t:.1f}' for t in totals)} | | |")
    write_section("Chapter execution time", lines)
    print("\n".join(lines[-len(rows) - 3:]))
    return 0 if all(median < target for _, median, _, target in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
