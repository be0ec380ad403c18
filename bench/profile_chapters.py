"""Where a chapter's time goes: each chapter's code run under cProfile, its time split by kind of work.

Usage: python bench/profile_chapters.py [notebooks...]
Each chapter's code cells (the Colab install cell left out) run top to bottom in a fresh Python
process with matplotlib's Agg backend and one torch thread, under cProfile. The total is then
split into the parts that a speed-up could attack, by the cumulative time of the functions that
do each kind of work (a part counts only time not already counted by a part above it in the
table, so the parts add up):

- imports (torch, matplotlib, scikit-learn, ganbook);
- drawing: matplotlib rendering figures (the dashboards' frames, the static figures);
- images: PNG encoding and the replays' palette compression (Pillow);
- GAN arithmetic: forward and backward passes and the optimisers' steps;
- the rest: Python bookkeeping, data sampling, metrics, printing.

Writes its section of bench/RESULTS.md and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402
from time_notebooks import chapters  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# (part, predicate on a pstats key (file, line, function)); first match wins for nesting order
PARTS = [
    ("imports", lambda f, fn: fn == "_find_and_load"),
    ("drawing (matplotlib)", lambda f, fn: f.endswith("matplotlib/figure.py") and fn == "draw"),
    ("images (PNG, palette)", lambda f, fn: "/PIL/" in f and fn in ("save", "quantize")),
    ("backward passes", lambda f, fn: f.endswith("torch/autograd/__init__.py") and fn == "backward"),
    ("optimiser steps", lambda f, fn: f.endswith("torch/optim/optimizer.py") and fn == "wrapper"),
    ("forward passes", lambda f, fn: f.endswith("torch/nn/modules/module.py") and fn == "_call_impl"),
]

RUNNER = r"""
import cProfile, os, sys, matplotlib
matplotlib.use("Agg")
import torch
torch.set_num_threads(1)
source = open(sys.argv[1]).read()
profiler = cProfile.Profile()
profiler.enable()
exec(compile(source, "chapter", "exec"), {"__name__": "__main__"})
profiler.disable()
profiler.dump_stats(sys.argv[2])
"""


def chapter_source(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code" and "colab-install" not in c.metadata.get("tags", [])]
    # IPython's display works outside a kernel too: it prints the plain-text form
    return "from IPython.display import display\n" + "\n\n".join(code)


def exclusive_parts(stats_path: Path) -> dict[str, float]:
    stats = pstats.Stats(str(stats_path))
    total = max(ct for (_, _, _, ct, _) in stats.stats.values())
    parts = {name: 0.0 for name, _ in PARTS}
    # cumulative time of the outermost matching calls only: a call inside an already counted
    # call (a forward pass inside a backward, a draw inside an import) is not counted again
    for (filename, _, function), (_, _, _, cumulative, callers) in stats.stats.items():
        for name, matches in PARTS:
            if matches(filename, function):
                outer = [c for c in callers if any(m(c[0], c[2]) for _, m in PARTS)]
                if not outer:
                    parts[name] += cumulative
                break
    parts["the rest"] = max(total - sum(parts.values()), 0.0)
    return {"total": total, **parts}


def profile(path: Path) -> dict[str, float]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        script, stats = Path(tmp) / "chapter.py", Path(tmp) / "chapter.prof"
        script.write_text(chapter_source(path))
        runner = Path(tmp) / "runner.py"
        runner.write_text(RUNNER)
        subprocess.run([sys.executable, str(runner), str(script), str(stats)], cwd=tmp, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        return exclusive_parts(stats)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapters()
    rows = {}
    for path in paths:
        rows[path] = profile(path)
        print(path.name, json.dumps({k: round(v, 1) for k, v in rows[path].items()}), flush=True)
    names = [name for name, _ in PARTS] + ["the rest"]
    lines = [
        f"Measured {date.today()} with `python bench/profile_chapters.py`: each chapter's code under cProfile, "
        "in one process with one torch thread (profiling itself slows Python code down, so the totals "
        "are above the chapters' execution times; the shares are what to read), on:",
        "",
        machine(),
        "",
        "| chapter | total (s) | " + " | ".join(names) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in names) + " |",
    ]
    for path, parts in rows.items():
        cells = " | ".join(f"{parts[n]:.1f} ({parts[n] / parts['total']:.0%})" for n in names)
        lines.append(f"| `{path.relative_to(ROOT)}` | {parts['total']:.1f} | {cells} |")
    write_section("Where the time goes: a profile of each chapter", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
