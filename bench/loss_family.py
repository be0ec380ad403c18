"""Chapter 10's comparison of the loss family at a full budget: the same networks, optimiser and
wall-clock time for every loss, on chapter 6's ring and chapter 7's digits.

Usage: python bench/loss_family.py [--seeds 0 1 2] [--ring 10] [--digits 20] [--threads 1]

Each run executes the chapter's own code: the cells of book/10_loss_family.ipynb tagged
`loss-family` (the networks, ``LOSS_FAMILY``, ``run``) are executed here and every run is given
this script's seconds of wall-clock time (``run(..., seconds=)``), so the bench measures exactly
what the chapter compares. The chapter gives each loss the steps its budget buys here: update its
``STEPS_PER_SECOND`` from this table's steps (a test checks that they agree). One process per
run, so that its time is its own. Scores, as in the chapter: on the ring, the modes hit and the
share of high-quality samples (within 3 standard deviations of a mode) and the modes hit within
10 standard deviations; on the digits, the distance to the test digits as a multiple of the
floor. A run fails when its losses become nan or inf.
Writes its section of bench/RESULTS.md (medians over the seeds) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

import nbformat
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "10_loss_family.ipynb"
TAG = "loss-family"
SECTION = "Chapter 10: the loss family at equal time"


def chapter_namespace() -> dict:
    """Execute the chapter's set-up cell and its cells tagged `loss-family`; return their names."""
    nb = nbformat.read(CHAPTER, as_version=4)
    setup = [c.source for c in nb.cells if "setup" in c.metadata.get("tags", [])]
    cells = [c.source for c in nb.cells if TAG in c.metadata.get("tags", [])]
    if len(setup) != 1 or not cells:
        raise ValueError(f"{CHAPTER.name} needs one setup cell and cells tagged {TAG!r}")
    namespace: dict = {}
    exec(compile(setup[0].replace("gb.book_style()", "pass"), str(CHAPTER), "exec"), namespace)
    for source in cells:
        exec(compile(source, str(CHAPTER), "exec"), namespace)
    return namespace


def run_one(task: str, name: str, seed: int, budget: dict, threads: int) -> dict:
    torch.set_num_threads(threads)
    namespace = chapter_namespace()
    out = namespace["run"](task, name, seed, seconds=budget[task])  # timed here, on this machine
    return {"task": task, "loss": name, "seed": seed, **{k: float(v) for k, v in out.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--ring", type=float, default=10.0, help="seconds of training per ring run")
    parser.add_argument("--digits", type=float, default=20.0, help="seconds of training per digits run")
    parser.add_argument("--threads", type=int, default=1, help="torch threads per run (as the chapter runs)")
    parser.add_argument("--one", nargs=3, metavar=("TASK", "LOSS", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    budget = {"ring": args.ring, "digits": args.digits}
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1], int(args.one[2]), budget, args.threads)))
        return 0

    names = list(chapter_namespace()["LOSS_FAMILY"])
    runs = []
    for task in ("ring", "digits"):
        for name in names:
            for seed in args.seeds:
                out = subprocess.run([sys.executable, __file__, "--ring", str(args.ring), "--digits",
                                      str(args.digits), "--threads", str(args.threads), "--one", task, name,
                                      str(seed)], check=True, capture_output=True, text=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(task, name, seed, {k: round(v, 3) for k, v in runs[-1].items() if isinstance(v, float)},
                      flush=True)

    def med(task, name, key):
        return statistics.median(r[key] for r in runs if r["task"] == task and r["loss"] == name)

    def per_seed(task, name, key, fmt):
        return ", ".join(format(r[key], fmt) for r in runs if r["task"] == task and r["loss"] == name)

    def failed(task, name):
        return sum(int(r["failed"]) for r in runs if r["task"] == task and r["loss"] == name)

    seeds = " ".join(map(str, args.seeds))
    n = len(args.seeds)
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/loss_family.py --seeds {seeds} --ring {args.ring:g} "
        f"--digits {args.digits:g} --threads {args.threads}`: every loss trains the chapter's networks with the "
        f"chapter's optimiser for the same wall-clock time ({args.ring:g} s per ring run, {args.digits:g} s per "
        f"digits run, {args.threads} torch thread(s), one process per run); medians over seeds {seeds}. Ring: "
        "modes hit (of 8) and high-quality share as in chapter 6 (within 3 standard deviations), and modes hit "
        "within 10 standard deviations. Digits: distance to the test digits / the floor (chapter 7). Failed: runs "
        "whose losses became nan or inf. On:",
        "",
        f"{machine()}",
        "",
        "| loss | ring: modes | per seed | high quality | modes within 10 std | steps | digits: distance / floor "
        "| per seed | steps | failed |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for name in names:
        lines.append(
            f"| {name} | {med('ring', name, 'modes'):.0f} | {per_seed('ring', name, 'modes', '.0f')} | "
            f"{med('ring', name, 'quality'):.1%} | "
            f"{med('ring', name, 'near'):.0f} | {med('ring', name, 'steps'):.0f} | "
            f"{med('digits', name, 'ratio'):.2f} | {per_seed('digits', name, 'ratio', '.2f')} | "
            f"{med('digits', name, 'steps'):.0f} | {failed('ring', name) + failed('digits', name)} of {2 * n} |"
        )
    write_section(SECTION, lines)
    print("\n".join(lines[-len(names) - 2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
