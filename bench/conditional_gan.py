"""Chapter 9's conditional digit GAN: class agreement, distance and training time, over seeds.

Usage: python bench/conditional_gan.py [--seeds 0 1 2] [--threads 1]

Trains chapter 9's recipe, taken from the chapter (the cell of book/09_conditional.ipynb tagged
`cgan-recipe`, which defines ``make_cgan``), for the chapter's ``STEPS``, once per seed and
variant, each run in its own process:

- the recipe: the label's one-hot code concatenated to each network's input;
- the recipe with a projection discriminator (Miyato and Koyama 2018) of the same widths in
  place of the one-hot one: logit = psi(phi(x)) + <embed(y), phi(x)>;
- the recipe with the mismatched real pair (x, y') as a third negative, weight 1.

Scoring is the chapter's: the averaged generator is asked for the training set's 1,257 labels
over 5 batches of noise; class agreement is the share of samples that chapter 7's classifier
(``gb.DigitClassifier``, seed 0) puts in the asked class; the distance is the Frechet distance
between its features of the samples and of the 540 test digits, as a multiple of the floor
(train against test). Training time counts training only.
Writes its section of bench/RESULTS.md (medians over the seeds) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import ganbook as gb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _notebook import tagged_cell  # noqa: E402
from _results import machine, write_section  # noqa: E402

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "09_conditional.ipynb"
RECIPE_TAG = "cgan-recipe"
DRAWS = 5
VARIANTS = ("the recipe (one-hot D)", "projection D", "with mismatched pairs (w = 1)")
SECTION = "Chapter 9: the conditional digit GAN"


def chapter_recipe(train: gb.Digits) -> dict:
    """Execute the chapter's recipe cell and return its namespace (make_cgan, STEPS, ...)."""
    namespace = {"gb": gb, "nn": nn, "torch": torch, "F": F, "train": train}
    exec(compile(tagged_cell(CHAPTER, RECIPE_TAG), str(CHAPTER), "exec"), namespace)
    return namespace


class ProjectionDiscriminator(nn.Module):
    """phi(x): the one-hot D's hidden layers; logit = psi(phi(x)) + <embed(y), phi(x)>."""

    def __init__(self, classes: int = 10, hidden: int = 256):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(64, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                 nn.LeakyReLU(0.2))
        self.psi = nn.Linear(hidden, 1)
        self.embed = nn.Embedding(classes, hidden)

    def forward(self, x, y):
        h = self.phi(x)
        return self.psi(h) + (self.embed(y) * h).sum(dim=1, keepdim=True)


def run_one(variant: str, seed: int, threads: int) -> dict:
    torch.set_num_threads(threads)
    train, test = gb.Digits("train"), gb.Digits("test")
    classifier = gb.DigitClassifier().fit(train.images, train.labels, seed=0)
    test_features = classifier.features(test.images)
    floor = gb.frechet_distance(classifier.features(train.images), test_features)
    recipe = chapter_recipe(train)
    trainer, average = recipe["make_cgan"](seed, "cpu", mismatch=1.0 if "mismatch" in variant else 0.0)
    if variant == "projection D":  # the same G and settings, another D
        gb.seed_everything(seed)
        trainer = gb.GANTrainer(trainer.generator, ProjectionDiscriminator(), train.pairs, classes=10,
                                z_dim=trainer.z_dim, batch_size=trainer.batch_size, lr_d=trainer.lr_d,
                                lr_g=trainer.lr_g, r1=trainer.r1, device="cpu")
    start = time.perf_counter()
    trainer.train(recipe["STEPS"], callback=average)
    seconds = time.perf_counter() - start

    z_eval = torch.randn(DRAWS, len(train), trainer.z_dim, generator=torch.Generator().manual_seed(1000 + seed))
    ratios, agreements, worst = [], [], []
    for z in z_eval:
        images = average.generate(z, train.labels)
        ratios.append(gb.frechet_distance(classifier.features(images), test_features) / floor)
        right = classifier.predict(images) == train.labels
        agreements.append(right.float().mean().item())
        worst.append(min(right[train.labels == c].float().mean().item() for c in range(10)))
    return {"variant": variant, "seed": seed, "steps": trainer.step, "seconds": seconds, "floor": floor,
            "ratio": statistics.mean(ratios), "agreement": statistics.mean(agreements),
            "worst_class": statistics.mean(worst)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=1, help="torch threads per run (as the chapter runs)")
    parser.add_argument("--one", nargs=2, metavar=("VARIANT", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.threads)))
        return 0

    runs = []
    for variant in VARIANTS:
        for seed in args.seeds:
            out = subprocess.run([sys.executable, __file__, "--threads", str(args.threads), "--one", variant,
                                  str(seed)], check=True, capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            r = runs[-1]
            print(f"{variant}, seed {seed}: {r['seconds']:.1f} s, agreement {r['agreement']:.1%}, "
                  f"{r['ratio']:.2f}x the floor", flush=True)

    seeds = " ".join(map(str, args.seeds))
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/conditional_gan.py --seeds {seeds} --threads "
        f"{args.threads}`: each run trains the chapter's recipe for its {runs[0]['steps']} steps with "
        f"{args.threads} torch thread(s), in its own process; medians over seeds {seeds}. Agreement: the share of "
        f"the averaged generator's samples (asked for the training set's 1,257 labels, {DRAWS} batches of noise) "
        "that chapter 7's classifier puts in the asked class; worst class: the lowest per-class agreement. "
        f"Distance: the Frechet distance to the 540 test digits as a multiple of the floor ({runs[0]['floor']:.3f}). "
        "On:",
        "",
        f"{machine()}",
        "",
        "| variant | agreement | worst class | distance / floor | / floor, per seed | training s |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    medians = {}
    for variant in VARIANTS:
        mine = [r for r in runs if r["variant"] == variant]
        med = {k: statistics.median(r[k] for r in mine) for k in ("agreement", "worst_class", "ratio", "seconds")}
        medians[variant] = med
        lines.append(f"| {variant} | {med['agreement']:.1%} | {med['worst_class']:.1%} | {med['ratio']:.2f} | "
                     f"{', '.join(format(r['ratio'], '.2f') for r in mine)} | {med['seconds']:.1f} |")
    recipe = medians[VARIANTS[0]]
    met = {True: "met", False: "not met"}
    lines += [
        "",
        f"Targets (the recipe, medians): training in at most 60 s: {recipe['seconds']:.1f} s "
        f"({met[recipe['seconds'] <= 60]}); class agreement at least 95%: {recipe['agreement']:.1%} "
        f"({met[recipe['agreement'] >= 0.95]}); distance within 2.5x the floor: {recipe['ratio']:.2f} "
        f"({met[recipe['ratio'] <= 2.5]}).",
    ]
    write_section(SECTION, lines)
    print("\n".join(lines[-len(VARIANTS) - 4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
