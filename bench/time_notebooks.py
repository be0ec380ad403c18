"""Time each chapter's execution, two chapters at a time as `make book` runs them, and the book's.

Usage: python bench/time_notebooks.py [--runs 3] [--jobs 2] [notebooks...]
Each run executes every chapter top to bottom in a fresh kernel (nbclient, kernel start
included), ``--jobs`` chapters at a time with one torch thread each, and measures each chapter
and the wall time of the whole book. Writes its section of bench/RESULTS.md (the medians over
the runs, the machine described) and prints the table. Targets, set to hold on every machine
this project has run on (2-core Intel Xeon and AMD EPYC; the EPYC runs the same chapters 1.3 to 1.5
times slower): every chapter at most 75 s (chapter 1, the first a learner runs, 40 s; chapter 11,
the capstone, 90 s), the whole book at most 5 minutes;
tests/book/test_bench_results.py fails when the latest table misses one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {  # seconds; every other chapter: DEFAULT_TARGET
    "book/01_adversarial_game.ipynb": 40.0,  # the first chapter a learner runs: the fastest
    "book/11_dcgan.ipynb": 90.0,  # the capstone: a convolutional GAN on 50,000 real images
}
DEFAULT_TARGET = 75.0  # 60 s on the Intel Xeon where the targets were first set
BOOK_TARGET = 300.0  # the whole book, two chapters at a time (180 s on the Xeon, before the capstone)
# the longest chapters start first, so that the two workers finish close together
LONGEST_FIRST = {"11_dcgan.ipynb": 10, "07_digits.ipynb": 9, "08_failures.ipynb": 8, "06_two_dimensions.ipynb": 7, "09_conditional.ipynb": 6,
                 "10_loss_family.ipynb": 5, "05_training_loop.ipynb": 4, "04_labels.ipynb": 3,
                 "03_cross_entropy.ipynb": 2}


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


def run_book(notebooks: list[Path], jobs: int) -> tuple[dict, float]:
    """Each chapter's time, and the wall time of them all, ``jobs`` chapters at a time (longest first)."""
    order = sorted(notebooks, key=lambda p: -LONGEST_FIRST.get(p.name, 0))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        times = dict(zip(order, pool.map(execute_once, order)))
    return times, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    if args.runs < 1 or args.jobs < 1:
        parser.error(f"--runs and --jobs must be >= 1, got {args.runs} and {args.jobs}")
    os.environ["OMP_NUM_THREADS"] = "1"  # two kernels on two cores must not each start a thread pool
    notebooks = [p.resolve() for p in args.notebooks] or chapters()
    runs, walls = [], []
    for i in range(args.runs):
        times, wall = run_book(notebooks, args.jobs)
        runs.append(times)
        walls.append(wall)
        print(f"run {i + 1}: {wall:.1f} s for the book; " + ", ".join(f"{p.name[:2]} {t:.1f}" for p, t in times.items()),
              flush=True)
    rows = []
    for path in notebooks:
        rel = str(path.relative_to(ROOT))
        times = [run[path] for run in runs]
        rows.append((rel, statistics.median(times), times, TARGETS.get(rel, DEFAULT_TARGET)))
    book = statistics.median(walls)
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/time_notebooks.py --runs {args.runs} "
        f"--jobs {args.jobs}` (`make bench`): every chapter executed top to bottom in a fresh kernel with nbclient, "
        f"kernel start included, {args.jobs} chapters at a time (as `make book` executes them), one torch thread "
        "each; medians over the runs, on:",
        "",
        f"{machine()}",
        "",
        "| chapter | median (s) | runs (s) | target (s) | met |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for rel, median, times, target in rows:
        runs_text = ", ".join(f"{t:.1f}" for t in times)
        lines.append(f"| `{rel}` | {median:.1f} | {runs_text} | {target:.0f} | {'yes' if median <= target else 'NO'} |")
    lines.append(f"| the whole book, {args.jobs} chapters at a time (wall time) | {book:.1f} | "
                 f"{', '.join(f'{t:.1f}' for t in walls)} | {BOOK_TARGET:.0f} | {'yes' if book <= BOOK_TARGET else 'NO'} |")
    write_section("Chapter execution time", lines)
    print("\n".join(lines[-len(rows) - 3:]))
    return 0 if all(m <= t for _, m, _, t in rows) and book <= BOOK_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
