"""A new contributor's first wait: README's two commands, `make book` then `make test`, from a
fresh clone.

Usage: python bench/fresh_clone.py [--runs 3]   (takes about 15 minutes a run; commit first)

Each run clones the committed HEAD of this repository into a new folder (no .venv, no npm
packages, no build), then runs `make book` and `make test` there, one after the other, and
times each. pip's and npm's download caches are the machine's own (a first install on a new
machine also downloads the packages). Each line the two commands print is stamped with the
seconds since its command began, and the log is kept under _build/fresh-clone/, so that a slow
stage can be found; with `make -O` a stage's lines come out together when it ends, so a stamp
says when the stage ended.

Writes its section of bench/RESULTS.md (medians over the runs, the machine named) and prints it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "_build" / "fresh-clone"
TARGET_MINUTES = 15.0


def timed(command: list[str], cwd: Path, log: Path) -> float:
    """Run ``command`` in ``cwd``, writing each line it prints to ``log`` stamped with the seconds
    since it began; return those seconds. Raises if the command fails."""
    start = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace")
        for line in process.stdout:
            out.write(f"{time.perf_counter() - start:7.1f} {line}")
        code = process.wait()
    seconds = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {code}) after {seconds:.0f} s; see {log}")
    return seconds


def one_run(run: int) -> tuple[float, float]:
    folder = Path(tempfile.mkdtemp(prefix="gan-book-clone-"))
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder / "book")], check=True)
        clone = folder / "book"
        book = timed(["make", "book"], clone, LOGS / f"run{run}-book.log")
        test = timed(["make", "test"], clone, LOGS / f"run{run}-test.log")
        return book, test
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh clones to time (default 3)")
    args = parser.parse_args()
    if args.runs < 1:
        raise SystemExit(f"--runs must be at least 1, got {args.runs}")
    if subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=ROOT).returncode != 0:
        print("note: the clone gets the committed HEAD, not your uncommitted changes")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    LOGS.mkdir(parents=True, exist_ok=True)
    runs = []
    for run in range(1, args.runs + 1):
        book, test = one_run(run)
        runs.append((book, test))
        print(f"run {run}: make book {book:.0f} s, make test {test:.0f} s, "
              f"together {minutes(book + test)} min", flush=True)

    books, tests = [b for b, _ in runs], [t for _, t in runs]
    totals = [b + t for b, t in runs]
    total = statistics.median(totals)
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/fresh_clone.py --runs {args.runs}`: README's two "
        f"commands from a fresh clone of commit {head} (no .venv, npm packages or build; pip's and npm's download "
        "caches as this machine had them), `make book` then `make test`, each timed from start to end; medians "
        "over the runs, on:",
        "",
        # the commands' own processes run with the Makefile's OMP_NUM_THREADS=1, whatever this one has
        machine().split(", OMP_NUM_THREADS=")[0] + ", OMP_NUM_THREADS=1 (the Makefile's)",
        "",
        "| | median | runs |",
        "| --- | ---: | --- |",
        f"| `make book` (s) | {statistics.median(books):.0f} | {', '.join(f'{b:.0f}' for b in books)} |",
        f"| `make test` (s) | {statistics.median(tests):.0f} | {', '.join(f'{t:.0f}' for t in tests)} |",
        f"| the two (min) | {minutes(total)} | {', '.join(minutes(t) for t in totals)} |",
        "",
        f"Targets: `make book` + `make test` from a fresh clone within {TARGET_MINUTES:.0f} minutes: "
        f"**{minutes(total)}** minutes ({'met' if total <= TARGET_MINUTES * 60 else 'not met'}).",
    ]
    write_section("Fresh clone: make book and make test", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
