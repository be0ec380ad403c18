"""What the replays cost: training time with and without them, and the weight of each chapter page.

Usage: python bench/replay_cost.py [--runs 3]   (after `make book`, for the pages' weight)

1. Time: a chapter-1 run (1,500 steps, a dashboard with a histogram panel redrawn every 150
   steps) and a chapter-6 run (the 2-D field and the mode counter, every 250 of 2,000 steps),
   each trained ``--runs`` times with the dashboard's replay on and off, alternating; the
   medians and the difference. The replay reuses the frames the dashboard drew, so what it adds
   is compressing them and writing the player.
2. Weight: each chapter page's own bytes in _build/html (the HTML, with its replays inline, and
   the images it shows; not the shared _static/ files), and its replays and their frames.

Writes its section of bench/RESULTS.md and prints the tables.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import IPython.display
import torch

import ganbook as gb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html" / "book"


def one_d(replay: bool) -> float:
    p_data = gb.Gaussian1D(4.0, 1.25)
    gb.seed_everything(0)
    trainer = gb.GANTrainer(gb.MLPGenerator(z_dim=8), gb.MLPDiscriminator(), p_data, z_dim=8, batch_size=128,
                            lr_d=5e-4, lr_g=5e-4, device="cpu")
    dash = gb.Dashboard(gb.histogram_panel(p_data, range=(-2, 10)), every=150, replay=replay)
    start = time.perf_counter()
    trainer.train(1500, callback=dash)
    return time.perf_counter() - start, len(dash.recorded)


def two_d(replay: bool) -> float:
    ring = gb.GaussianRing2D()
    gb.seed_everything(0)
    G, D = gb.MLPGenerator(z_dim=2, hidden=128, data_dim=2), gb.MLPDiscriminator(data_dim=2, hidden=128)
    trainer = gb.GANTrainer(G, D, ring, z_dim=2, batch_size=256, lr_d=1e-3, lr_g=1e-3, device="cpu")
    dash = gb.Dashboard([gb.field_panel(ring), gb.CoveragePanel(ring)], every=250, layout="grid", replay=replay)
    start = time.perf_counter()
    trainer.train(2000, callback=dash)
    return time.perf_counter() - start, len(dash.recorded)


def page_weights() -> list[str]:
    rows = ["| chapter page | own bytes (MB) | replays | frames |", "| --- | ---: | ---: | ---: |"]
    for page in sorted(HTML.glob("[0-9][0-9]_*.html")):  # every chapter page
        html = page.read_text()
        images = set(re.findall(r'src="(\.\./_images/[^"]+)"', html))
        size = len(html.encode()) + sum((HTML / src).stat().st_size for src in images)
        replays = html.count('class="gb-replay"')
        frames = len(re.findall(r"frames\[\d+\] = \"data:image/png", html))
        rows.append(f"| `{page.name}` | {size / 1e6:.2f} | {replays} | {frames} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    IPython.display.display = lambda *a, **k: type("Handle", (), {"update": lambda self, *a, **k: None})()
    rows = ["| run | with replay (s) | without (s) | difference |", "| --- | ---: | ---: | ---: |"]
    for name, run in (("chapter 1: 1-D, 1,500 steps", one_d), ("chapter 6: 2-D field, 2,000 steps", two_d)):
        with_, without = [], []
        for _ in range(args.runs):
            seconds, frames = run(True)
            with_.append(seconds)
            without.append(run(False)[0])
        a, b = statistics.median(with_), statistics.median(without)
        rows.append(f"| {name}, {frames} frames | {a:.2f} | {b:.2f} | {100 * (a - b) / b:+.1f}% |")
    weights = page_weights() if HTML.exists() else ["(build the book first: `make book`)"]
    lines = [f"Measured {date.today()} with `python bench/replay_cost.py --runs {args.runs}`: medians of "
             f"{args.runs} runs each, replay on and off alternating, torch with 1 thread, on:", "",
             machine(), "", *rows, "", "Each chapter page's own bytes in `_build/html` (target: at most 5 MB):", "",
             *weights]
    write_section("Replays: their cost, and the weight of the pages", lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
