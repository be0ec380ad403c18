"""The browser trainer (vendor/js/gan-trainer.js): its speed in headless Chromium, and whether its
runs end as PyTorch's do, seed by seed.

Usage: python bench/browser_trainer.py [--runs 5] [--seeds 20]   (after `make setup`)

1. Speed: chapter 1's GAN (and chapter 6's playground) with the chapter's default settings,
   ``--runs`` times: 500 steps to warm up, then 2,000 timed steps (``Trainer.train``, no drawing),
   with the WebAssembly kernel and with the plain JavaScript one; the median steps per second.
2. Seed by seed: ``--seeds`` runs of chapter 1's default settings (1,500 steps) in the browser and
   in PyTorch (the chapter's own make_trainer), each evaluated on 20,000 samples: D(x), D(G(z)),
   and p_g's mean and spread against p_data's. The two use other random numbers, so no run
   matches another; what should match is how the runs spread.

3. With ``--tfjs DIR`` (a folder where `npm install @tensorflow/tfjs@4.22.0` was run; not part of
   the book): the same GAN step written with TensorFlow.js (what GAN Lab uses) on its CPU backend,
   timed the same way, and the size of its scripts: the prebuilt bundle that trains (tf.min.js),
   and tfjs-core with tfjs-backend-cpu alone, which cannot train on their own (their prebuilt
   files register no gradients). The book chose its own small trainer by these numbers.

Writes its section of bench/RESULTS.md and prints the tables.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from datetime import date
from pathlib import Path

import torch
from scipy.stats import mannwhitneyu

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "vendor" / "static"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "book"))
from _notebook import chapter_controls, chapter_definitions  # noqa: E402
from _results import machine, write_section  # noqa: E402
from browser import CHROMIUM, CHROMIUM_ARGS, serve_directory  # noqa: E402

TARGET = 1000  # chapter-1 steps per second in headless Chromium (issue: the browser trainer)
CH1 = ROOT / "book" / "01_adversarial_game.ipynb"

SPEED = """([config, kernel, runs]) => {
    const out = [];
    for (let r = 0; r < runs; r++) {
        const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS[config],
                                                       {lrD: 5e-4, lrG: 5e-4, k: 1, seed: r, kernel: kernel}));
        t.train(500);
        const start = performance.now();
        t.train(2000);
        out.push({kernel: t.memory.kernel, rate: 2000 / ((performance.now() - start) / 1000)});
    }
    return out;
}"""

SEEDS = """([steps, seeds, lr]) => {
    const out = [];
    for (let seed = 0; seed < seeds; seed++) {
        const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS.chapter1,
                                                       {lrD: lr, lrG: lr, k: 1, seed: seed}));
        t.train(steps);
        const e = t.evaluate(20000), f = Array.from(e.fake);
        const mean = f.reduce((a, b) => a + b, 0) / f.length;
        out.push({d_real: e.d_real, d_fake: e.d_fake, mean: mean,
                  std: Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / (f.length - 1))});
    }
    return out;
}"""


# chapter 1's GAN step in TensorFlow.js: the same layers, BCE with logits, Adam (betas 0.5, 0.999)
TFJS = """async ([runs]) => {
    await tf.setBackend("cpu");
    const layer = (i, o) => {
        const bound = 1 / Math.sqrt(i);
        return [tf.variable(tf.randomUniform([i, o], -bound, bound)), tf.variable(tf.randomUniform([o], -bound, bound))];
    };
    const mlp = (sizes) => sizes.slice(1).map((o, l) => layer(sizes[l], o));
    const forward = (net, x) => net.reduce((h, [w, b], l) => {
        const y = tf.add(tf.matMul(h, w), b);
        return l < net.length - 1 ? tf.leakyRelu(y, 0.2) : y;
    }, x);
    const bce = (logits, target) => tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, target), logits);
    const out = [];
    for (let r = 0; r < runs; r++) {
        const G = mlp([8, 32, 32, 1]), D = mlp([1, 32, 32, 1]);
        const optD = tf.train.adam(5e-4, 0.5, 0.999, 1e-8), optG = tf.train.adam(5e-4, 0.5, 0.999, 1e-8);
        const vars = (net) => net.flat();
        const step = () => tf.tidy(() => {
            const x = tf.add(tf.mul(tf.randomNormal([128, 1]), 1.25), 4), z = tf.randomNormal([128, 8]);
            const fake = forward(G, z);
            optD.minimize(() => tf.add(bce(forward(D, x), 1), bce(forward(D, fake), 0)), false, vars(D));
            optG.minimize(() => bce(forward(D, forward(G, tf.randomNormal([128, 8]))), 1), false, vars(G));
        });
        for (let s = 0; s < 100; s++) step();
        const start = performance.now();
        for (let s = 0; s < 500; s++) step();
        out.push(500 / ((performance.now() - start) / 1000));
    }
    return out;
}"""


def pytorch_runs(steps: int, seeds: int) -> list[dict]:
    _, make, controls = chapter_controls(CH1, "browser-trainer-chapter1", ("SEED", "Z_DIM", "p_data", "device"))
    lr = controls["lr_d"]
    out = []
    for seed in range(seeds):
        trainer = make(lr_d=lr, lr_g=lr, k=1, seed=seed)
        trainer.train(steps)
        end = trainer.evaluate(20_000)
        fake = end["fake"].ravel()
        out.append({"d_real": end["d_real"], "d_fake": end["d_fake"], "mean": fake.mean().item(),
                    "std": fake.std().item()})
        print(f"PyTorch seed {seed}: spread {out[-1]['std']:.3f}", flush=True)
    return out


def describe(runs: list[dict], mean: float, std: float) -> list[str]:
    spread = [abs(r["std"] - std) / std for r in runs]
    d = [max(abs(r["d_real"] - 0.5), abs(r["d_fake"] - 0.5)) for r in runs]
    shift = [abs(r["mean"] - mean) / mean for r in runs]
    return [f"{statistics.median(d):.3f} ({min(d):.3f} to {max(d):.3f})"] + [
        f"{statistics.median(x):.1%} ({min(x):.1%} to {max(x):.1%})" for x in (shift, spread)] + [
        f"{sum(s < 0.10 for s in spread)} of {len(runs)}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--tfjs", type=Path, default=None, help="a folder with TensorFlow.js installed by npm")
    args = parser.parse_args()
    if not (STATIC / "gan-kernels.js").exists():
        sys.exit("vendor/static has no gan-kernels.js: run `make setup` first")
    from playwright.sync_api import sync_playwright

    steps = 1500
    with serve_directory(STATIC) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{url}/gan-trainer.js")
        page.set_content("<!doctype html><body>" + "".join(
            f'<script src="{url}/{n}"></script>' for n in ("gan-kernels.js", "gan-trainer.js")) + "</body>")
        page.wait_for_function("window.GanTrainer && window.GanKernels")
        version = browser.version
        page.evaluate(SPEED, ["chapter1", None, 2])  # let the JIT settle before anything is timed
        speed = {}
        for config in ("chapter1", "moons"):
            for kernel in (None, False):
                runs = page.evaluate(SPEED, [config, kernel, args.runs])
                speed[config, runs[0]["kernel"]] = [r["rate"] for r in runs]
                print(config, runs[0]["kernel"], [round(r["rate"]) for r in runs], flush=True)
        browser_runs = page.evaluate(SEEDS, [steps, args.seeds, 5e-4])
        tfjs = None
        if args.tfjs:
            modules = args.tfjs / "node_modules" / "@tensorflow"
            bundle = modules / "tfjs" / "dist" / "tf.min.js"
            parts = [modules / "tfjs-core" / "dist" / "tf-core.min.js",
                     modules / "tfjs-backend-cpu" / "dist" / "tf-backend-cpu.min.js"]
            tfjs_version = json.loads((modules / "tfjs" / "package.json").read_text())["version"]
            page.set_content("<!doctype html><body></body>")
            page.add_script_tag(content=bundle.read_text())
            rates = page.evaluate(TFJS, [args.runs])
            tfjs = (statistics.median(rates), min(rates), max(rates), bundle.stat().st_size,
                    sum(p.stat().st_size for p in parts), tfjs_version)
            print("TensorFlow.js", [round(r) for r in rates], flush=True)
        browser.close()
    torch.set_num_threads(1)
    torch_runs = pytorch_runs(steps, args.seeds)

    p_data = chapter_definitions(CH1, ("p_data",))["p_data"]
    rate = statistics.median(speed["chapter1", "WebAssembly"])
    ours = sum((STATIC / n).stat().st_size for n in ("gan-kernels.js", "gan-trainer.js", "gan-playground.js"))
    lines = [
        f"Measured {date.today().isoformat()} on {machine()}; Chromium {version} (Debian's, headless), "
        f"`python bench/browser_trainer.py --runs {args.runs} --seeds {args.seeds}`.",
        "",
        f"Targets: at least {TARGET:,} chapter-1 steps per second in headless Chromium: "
        f"**{rate:,.0f}** ({'met' if rate >= TARGET else 'NOT met'}).",
        "",
        f"Speed: steps per second (k = 1, batch 128; 2,000 steps after 500 to warm up, no drawing), the median "
        f"of {args.runs} runs and their range. The page draws its dashboard between steps, so a run you "
        "watch trains several times slower; the page's status line gives the rate of each run.",
        "",
        "| GAN | WebAssembly kernel (SIMD) | plain JavaScript |",
        "| --- | --- | --- |",
    ]
    for config, name in (("chapter1", "chapter 1 (1 -> 32 -> 32 -> 1, z of 8)"),
                         ("moons", "chapter 6's playground (2 -> 32 -> 32 -> 2)")):
        cells = [f"{statistics.median(speed[config, k]):,.0f} ({min(speed[config, k]):,.0f} to "
                 f"{max(speed[config, k]):,.0f})" for k in ("WebAssembly", "JavaScript")]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    lines += ["", f"The book's scripts for the trainer and its drawing (gan-kernels.js, gan-trainer.js, gan-playground.js, "
              f"unminified, with their comments) weigh {ours / 1000:.0f} KB."]
    if tfjs:
        lines += ["", f"TensorFlow.js {tfjs[5]}, chapter 1's GAN step on its CPU backend (`--tfjs DIR`; 500 steps after 100): "
                  f"{tfjs[0]:,.0f} steps per second ({tfjs[1]:,.0f} to {tfjs[2]:,.0f}). Its prebuilt bundle that trains, tf.min.js, "
                  f"weighs {tfjs[3] / 1000:,.0f} KB minified; tfjs-core and tfjs-backend-cpu alone weigh {tfjs[4] / 1000:,.0f} KB "
                  "and register no gradients. Its WebGL backend needs a GPU, which headless Chromium here does not have."]
    lines += [
        "",
        f"Seed by seed: chapter 1's default settings ({steps:,} steps, learning rates 5e-4, k = 1), seeds 0 to "
        f"{args.seeds - 1}, each evaluated on 20,000 samples; the median over the seeds and the range. The browser "
        "and PyTorch draw other random numbers, so seed s is another run in each.",
        "",
        "| trainer | D(x) or D(G(z)), the further from 0.5: how far | p_g's mean, off p_data's | p_g's spread, "
        "off p_data's | spread within 10% |",
        "| --- | --- | --- | --- | --- |",
        "| the browser (gan-trainer.js) | " + " | ".join(describe(browser_runs, p_data.mean, p_data.std)) + " |",
        "| PyTorch (the chapter's make_trainer) | " + " | ".join(describe(torch_runs, p_data.mean, p_data.std)) + " |",
        "",
        "Do the two sets of runs differ more than chance would make them? A Mann-Whitney U test (two-sided) of "
        "each column's numbers, browser against PyTorch: p = " + ", ".join(
            f"{mannwhitneyu(b, t).pvalue:.2f} ({name})" for name, b, t in (
                ("D's verdicts", *[[max(abs(r['d_real'] - 0.5), abs(r['d_fake'] - 0.5)) for r in runs]
                                   for runs in (browser_runs, torch_runs)]),
                ("the mean", *[[abs(r["mean"] - p_data.mean) for r in runs] for runs in (browser_runs, torch_runs)]),
                ("the spread", *[[abs(r["std"] - p_data.std) for r in runs] for runs in (browser_runs, torch_runs)]),
            )) + f". A p above 0.05 with {args.seeds} seeds is no evidence that the two are the same, only that "
        "this many seeds show no difference. What checks that they compute the same steps is "
        "tests/book/test_browser_trainer.py: from the same weights, batches and noise, 50 steps end with the same "
        "weights; this table shows what a reader sees across seeds.",
    ]
    write_section("Browser trainer: chapter 1's GAN in the page", lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
