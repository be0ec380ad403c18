"""Chapter 7's digit GAN against a textbook baseline, for the same wall-clock time.

Usage: python bench/digits_gan.py [--seeds 0 1 2] [--budget 60] [--threads 2]

Trains each variant for ``--budget`` seconds of wall-clock time (training only; scoring is not
counted), once per seed, each run in its own process so that its peak memory is its own:

- the textbook baseline: an MLP generator (64 -> 128 -> 256 -> 64, LeakyReLU, tanh) and an MLP
  discriminator (64 -> 256 -> 128 -> 1, LeakyReLU), Adam with lr 2e-4 and beta1 0.5, batches of
  64, the plain (non-saturating) BCE losses, sampled from the generator itself;
- chapter 7's recipe, taken from the chapter: the cell of book/07_digits.ipynb tagged
  `digits-recipe`, which defines ``make_digits_gan``, is executed here, so this measures exactly
  what the chapter trains. It is
  scored three times: the averaged generator (what the chapter reports), the same with its pixels
  rounded to the data's 17 grey levels (the chapter's exercise 4), and the generator's last weights;
- the recipe without R1, and the recipe with an unpacked discriminator.

Scoring is the chapter's: the Frechet distance between the features (``gb.DigitClassifier``,
seed 0, trained on the train split) of 1,257 generated digits and of the 540 test digits, averaged
over 5 batches of noise, as a multiple of the floor (train against test), and the share of each
digit among the samples.
Writes its section of bench/RESULTS.md (medians over the seeds) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import torch
from torch import nn

import ganbook as gb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _notebook import tagged_cell  # noqa: E402
from _results import machine, median_scores, run_separately, write_section  # noqa: E402

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "07_digits.ipynb"
RECIPE_TAG = "digits-recipe"  # the chapter's cell that defines make_digits_gan
DRAWS = 5  # batches of noise per score, as in the chapter
VARIANTS = ("textbook baseline", "the recipe", "the recipe without R1", "the recipe without packing")


def chapter_recipe(train: gb.Digits) -> dict:
    """Execute the chapter's recipe cell and return its namespace (make_digits_gan, Z_DIM, ...)."""
    namespace = {"gb": gb, "nn": nn, "torch": torch, "train": train}
    exec(compile(tagged_cell(CHAPTER, RECIPE_TAG), str(CHAPTER), "exec"), namespace)
    return namespace


def baseline(seed: int, train: gb.Digits):
    z_dim = 64
    gb.seed_everything(seed)
    G = nn.Sequential(nn.Linear(z_dim, 128), nn.LeakyReLU(0.2), nn.Linear(128, 256), nn.LeakyReLU(0.2),
                      nn.Linear(256, 64), nn.Tanh())
    D = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 128), nn.LeakyReLU(0.2),
                      nn.Linear(128, 1))
    return gb.GANTrainer(G, D, train, z_dim=z_dim, batch_size=64, lr_d=2e-4, lr_g=2e-4, device="cpu")


def run_one(variant: str, seed: int, budget: float, threads: int) -> dict:
    torch.set_num_threads(threads)
    train, test = gb.Digits("train"), gb.Digits("test")
    classifier = gb.DigitClassifier().fit(train.images, train.labels, seed=0)
    test_features = classifier.features(test.images)
    floor = gb.frechet_distance(classifier.features(train.images), test_features)

    average = None
    if variant == "textbook baseline":
        trainer = baseline(seed, train)
    else:
        recipe = chapter_recipe(train)
        trainer, average = recipe["make_digits_gan"](seed, "cpu")
        if variant == "the recipe without R1":
            trainer.r1 = 0.0
        elif variant == "the recipe without packing":  # the same G, a one-sample D of the same size
            unpacked = gb.MLPDiscriminator(data_dim=64, hidden=256, depth=2)
            trainer = gb.GANTrainer(trainer.generator, unpacked, train, z_dim=trainer.z_dim,
                                    batch_size=trainer.batch_size, lr_d=trainer.lr_d, lr_g=trainer.lr_g,
                                    r1=trainer.r1, device="cpu")
    callback = [average] if average is not None else None
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        trainer.train(50, callback=callback)
    seconds = time.perf_counter() - start

    z_eval = torch.randn(DRAWS, len(train), trainer.z_dim, generator=torch.Generator().manual_seed(1000 + seed))

    def score(generate):  # as in the chapter: the mean over DRAWS batches of 1,257 samples
        distances, labels = [], []
        for z in z_eval:
            images = generate(z)
            distances.append(gb.frechet_distance(classifier.features(images), test_features))
            labels.append(classifier.predict(images))
        shares = gb.class_shares(torch.cat(labels))
        distance = statistics.mean(distances)
        return {"distance": distance, "ratio": distance / floor, "min_share": min(shares), "max_share": max(shares)}

    trainer.generator.eval()
    with torch.no_grad():
        result = {"last weights": score(trainer.generator)}
    if average is not None:
        result["averaged"] = score(average.generate)
        if variant == "the recipe":  # as in the chapter's exercise 4: in the data's 17 grey levels
            result["rounded"] = score(lambda z: (average.generate(z) * 8).round() / 8)
    return {
        "variant": variant, "seed": seed, "floor": floor, "steps": trainer.step, "seconds": seconds,
        "steps_per_s": trainer.step / seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "scores": result,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of training per run")
    parser.add_argument("--threads", type=int, default=2, help="torch threads per run (this machine has 2 cores)")
    parser.add_argument("--one", nargs=2, metavar=("VARIANT", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.budget, args.threads)))
        return 0

    runs = run_separately(Path(__file__), list(VARIANTS), args.seeds,
                          ["--budget", str(args.budget), "--threads", str(args.threads)],
                          lambda r: f"{r['steps']} steps, "
                                    + ", ".join(f"{k} {v['ratio']:.2f}x" for k, v in r["scores"].items()))

    rows = []  # (name, runs, which score)
    for variant in VARIANTS:
        mine = [r for r in runs if r["variant"] == variant]
        if "averaged" in mine[0]["scores"]:
            rows.append((f"{variant}: averaged G", mine, "averaged"))
            if variant == "the recipe":
                rows.append(("the recipe: averaged G, rounded to the 17 grey levels", mine, "rounded"))
                rows.append(("the recipe: last weights of G (no average)", mine, "last weights"))
        else:
            rows.append((variant, mine, "last weights"))

    floor = runs[0]["floor"]
    seeds = " ".join(map(str, args.seeds))
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/digits_gan.py --seeds {seeds} --budget "
        f"{args.budget:g} --threads {args.threads}`: each run trains for {args.budget:g} s of wall-clock time "
        f"with {args.threads} torch threads, in its own process; medians over seeds {seeds}. Distance: the Frechet "
        "distance between classifier features of 1,257 generated digits and the 540 test digits, the mean over "
        f"{DRAWS} batches of noise; the floor "
        f"(train against test digits) is {floor:.3f}. Class shares: of the samples, as classified. On:",
        "",
        f"{machine()}",
        "",
        "| variant | distance | / floor | / floor, per seed | class share min - max | steps | steps/s | peak MB |",
        "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    medians = {}
    for name, mine, which in rows:
        med, s = median_scores(mine, which)
        medians[name] = med
        lines.append(
            f"| {name} | {med['distance']:.2f} | {med['ratio']:.2f} | {', '.join(format(x['ratio'], '.2f') for x in s)} | "
            f"{med['min_share']:.1%} - {med['max_share']:.1%} | {statistics.median(r['steps'] for r in mine):.0f} | "
            f"{statistics.median(r['steps_per_s'] for r in mine):.0f} | "
            f"{statistics.median(r['peak_mb'] for r in mine):.0f} |"
        )
    recipe, base = medians["the recipe: averaged G"], medians["textbook baseline"]
    rounded = medians["the recipe: averaged G, rounded to the 17 grey levels"]
    recipe_runs = [r for r in runs if r["variant"] == "the recipe"]
    lines += [
        "",
        "Targets (the recipe, averaged G, medians): distance within 2x the floor: "
        f"{recipe['ratio']:.2f}x ({'met' if recipe['ratio'] <= 2 else 'not met'}); every class between 5% and 15%: "
        f"{recipe['min_share']:.1%} - {recipe['max_share']:.1%} "
        f"({'met' if recipe['min_share'] >= 0.05 and recipe['max_share'] <= 0.15 else 'not met'}); distance at most "
        f"a quarter of the baseline's: {recipe['distance'] / base['distance']:.3f} of it "
        f"({'met' if recipe['distance'] <= base['distance'] / 4 else 'not met'}). Rounded to the 17 grey levels, "
        f"the same generators score {rounded['ratio']:.2f}x, lower on "
        f"{sum(r['scores']['rounded']['ratio'] < r['scores']['averaged']['ratio'] for r in recipe_runs)} of "
        f"{len(recipe_runs)} seeds ({'within' if rounded['ratio'] <= 2 else 'not within'} 2x the floor).",
    ]
    write_section("Chapter 7: the digit GAN against a textbook baseline", lines)
    print("\n".join(lines[-len(rows) - 4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
