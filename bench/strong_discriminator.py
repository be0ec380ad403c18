"""A discriminator too strong for its generator: the symptom, and the fixes that troubleshooting.md suggests.

Usage: python bench/strong_discriminator.py [--seeds 0 1 2] [--steps 1000]

The symptom of troubleshooting.md's entry "The discriminator's loss goes to 0 and the generator's
loss keeps growing", reproduced on chapter 7's digits (``gb.Digits("train")``) with the textbook
networks of bench/digits_gan.py (an MLP generator 64 -> 128 -> 256 -> 64 with a tanh, an MLP
discriminator 64 -> 256 -> 128 -> 1; batches of 64, Adam with beta1 0.5, the generator's learning
rate 2e-4). Each variant trains ``--steps`` generator steps from the same seed:

- the reference: D's learning rate equal to G's (2e-4), k = 1;
- the symptom: a strong D, learning rate 1e-3 (5x G's) and k = 5 D steps per G step, with the
  non-saturating generator loss -log D(G(z)) (the book's default);
- the same strong D with the saturating loss log(1 - D(G(z))), to show which loss grows;
- the fixes the entry suggests, each applied alone to the symptom's run: k = 1; D's learning
  rate back to G's (2e-4, k = 5); R1 with gamma = 1 (chapter 8).

Reported per seed: D(x), D(G(z)), L_D and L_G, the means of the last 200 steps, and the Frechet
distance of 1,257 generated digits to the 540 test digits in the features of chapter 7's
classifier (``gb.DigitClassifier``, seed 0), as a multiple of the floor (train against test
digits; one batch of noise, not chapter 7's mean over five). The table gives the medians over
the seeds. Writes its section of bench/RESULTS.md and prints the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402

import ganbook as gb  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import machine, write_section  # noqa: E402

LR_G, BATCH, Z_DIM = 2e-4, 64, 64
STRONG = dict(lr_d=1e-3, k=5)
VARIANTS = {  # name -> GANTrainer options
    "reference: D's rate = G's, k = 1": dict(lr_d=LR_G, k=1),
    "the symptom: strong D (rate 5x G's, k = 5)": dict(STRONG),
    "strong D, saturating loss": dict(STRONG, loss="saturating"),
    "fix: k = 1": dict(STRONG, k=1),
    "fix: D's rate = G's (k = 5)": dict(STRONG, lr_d=LR_G),
    "fix: R1, gamma = 1": dict(STRONG, r1=1.0),
}
LAST = 200  # the window of the curves' averages, in generator steps


def networks(seed: int) -> tuple[nn.Module, nn.Module]:
    """bench/digits_gan.py's textbook baseline networks, seeded."""
    gb.seed_everything(seed)
    G = nn.Sequential(nn.Linear(Z_DIM, 128), nn.LeakyReLU(0.2), nn.Linear(128, 256), nn.LeakyReLU(0.2),
                      nn.Linear(256, 64), nn.Tanh())
    D = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 128), nn.LeakyReLU(0.2),
                      nn.Linear(128, 1))
    return G, D


def run(options: dict, seed: int, steps: int, train, classifier, test_features, floor) -> dict:
    G, D = networks(seed)
    trainer = gb.GANTrainer(G, D, train, z_dim=Z_DIM, batch_size=BATCH, lr_g=LR_G, device="cpu", **options)
    start = time.perf_counter()
    trainer.train(steps)
    seconds = time.perf_counter() - start
    h = trainer.history
    z = torch.randn(len(train), Z_DIM, generator=torch.Generator().manual_seed(1000 + seed))
    with torch.no_grad():
        distance = gb.frechet_distance(classifier.features(trainer.generate(z)), test_features)
    return {"d_real": h.last("d_real", LAST), "d_fake": h.last("d_fake", LAST), "loss_d": h.last("loss_d", LAST),
            "loss_g": h.last("loss_g", LAST), "ratio": distance / floor, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    train, test = gb.Digits("train"), gb.Digits("test")
    classifier = gb.DigitClassifier().fit(train.images, train.labels, seed=0)
    test_features = classifier.features(test.images)
    floor = gb.frechet_distance(classifier.features(train.images), test_features)

    rows = []
    for name, options in VARIANTS.items():
        results = [run(options, seed, args.steps, train, classifier, test_features, floor) for seed in args.seeds]
        rows.append((name, results))
        print(f"{name}: " + "; ".join(
            f"D(x) {r['d_real']:.3f} D(G(z)) {r['d_fake']:.3f} L_D {r['loss_d']:.3f} L_G {r['loss_g']:.3f} "
            f"distance {r['ratio']:.1f}x ({r['seconds']:.0f} s)" for r in results), flush=True)

    def med(results, key):
        return statistics.median(r[key] for r in results)

    seeds = " ".join(map(str, args.seeds))
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/strong_discriminator.py --seeds {seeds} "
        f"--steps {args.steps}`: troubleshooting.md's \"The discriminator's loss goes to 0 and the generator's "
        "loss keeps growing\", on chapter 7's digits with bench/digits_gan.py's textbook networks (batches of "
        f"{BATCH}, Adam with beta1 0.5, G's learning rate {LR_G:g}), {args.steps} generator steps per run. "
        "The symptom's run gives D a learning rate 5x G's and k = 5 steps per G step; each fix changes one "
        f"thing in it. D(x), D(G(z)), L_D, L_G: means of the last {LAST} steps (at the equilibrium 0.5, 0.5, "
        "1.386, 0.693); distance: the Frechet distance of 1,257 generated digits to the test digits in the "
        "features of chapter 7's classifier, as a multiple of the floor (train against test digits), one "
        f"batch of noise. Medians over seeds {', '.join(map(str, args.seeds))}; the distance also per seed. On:",
        "",
        f"{machine()}",
        "",
        "| variant | D(x) | D(G(z)) | L_D | L_G | distance / floor | per seed | training (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for name, results in rows:
        per_seed = ", ".join(f"{r['ratio']:.1f}" for r in results)
        lines.append(
            f"| {name} | {med(results, 'd_real'):.3f} | {med(results, 'd_fake'):.3f} | {med(results, 'loss_d'):.3f} "
            f"| {med(results, 'loss_g'):.3f} | {med(results, 'ratio'):.1f} | "
            f"{per_seed} | {med(results, 'seconds'):.1f} |")
    write_section("Troubleshooting: a discriminator too strong for its generator", lines)
    print("\n".join(lines[-len(rows) - 2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
