"""Chapter 11's DCGAN recipe on Fashion-MNIST against the PyTorch DCGAN tutorial's, for the same wall-clock time.

Usage: python bench/fashion_gan.py [--seeds 0 1 2] [--budget 300] [--threads 2] [--variants ...]

Trains each variant for ``--budget`` seconds of wall-clock time (training only; scoring is not
counted), once per seed, each run in its own process so that its peak memory is its own:

- the DCGAN tutorial's recipe (the PyTorch tutorial "DCGAN Tutorial"), its networks scaled to
  28x28: the chapter's ``Generator(z_dim=100, width=64)`` and ``Discriminator(width=64)`` (the
  tutorial's layers with ngf = ndf = 64, two doublings instead of four), DCGAN's initialisation,
  Adam with lr 2e-4 and betas (0.5, 0.999), batches of 128, BCE with the non-saturating G loss,
  no average of G's weights; scored from G's last weights;
- chapter 11's recipe, taken from the chapter: the cells of book/11_dcgan.ipynb tagged
  ``dcgan-networks``, ``dcgan-recipe`` and ``dcgan-trainer`` are executed here, so this measures
  exactly what the chapter trains (width 16, batches of 64, lr 2e-3, the moving average of G).
  Scored twice: the averaged generator (what the chapter reports) and G's last weights;
- the recipe at the paper's learning rate, 2e-4 (the chapter departs from it);
- ablations, one DCGAN guideline removed: without batch norm in G; and (``--variants``) without
  the tanh at G's output.

Scoring is the chapter's: the features of ``gb.FashionClassifier`` (seed 0, 10 epochs on
training images 50,000 to 54,999), the Frechet distance between 5,000 generated images and the
10,000 test images; the floor (5,000 held-out training images, 55,000 to 59,999, against the
test images); the copying generator (5,000 of the GAN's training images 0 to 49,999 drawn at
random); the share of each class among the samples, as classified.
Writes its section of bench/RESULTS.md (medians over the seeds) and prints the table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
from datetime import date
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import ganbook as gb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _notebook import tagged_cell  # noqa: E402
from _results import machine, median_scores, run_separately, write_section  # noqa: E402

CHAPTER = Path(__file__).resolve().parents[1] / "book" / "11_dcgan.ipynb"
TAGS = ("dcgan-networks", "dcgan-recipe", "dcgan-trainer")  # the chapter's cells, run in this order
N_EVAL = 5000  # samples per score, as in the chapter
BASELINE = "DCGAN tutorial (width 64, batch 128, lr 2e-4, no average)"
RECIPE = "the recipe"
VARIANTS = {
    BASELINE: "baseline",
    RECIPE: "recipe",
    "the recipe at the paper's lr 2e-4": "paper-lr",
    "the recipe without batch norm in G": "no-bn-g",
    "the recipe without tanh at G's output": "no-tanh",
}
DEFAULT_VARIANTS = ("baseline", "recipe", "paper-lr", "no-bn-g")


def chapter_namespace(gan_set: TensorDataset) -> dict:
    """Execute the chapter's tagged cells and return their namespace (make_dcgan, Generator, ...)."""
    namespace = {"gb": gb, "nn": nn, "torch": torch, "DataLoader": DataLoader, "TensorDataset": TensorDataset,
                 "gan_set": gan_set}
    for tag in TAGS:
        exec(compile(tagged_cell(CHAPTER, tag), f"{CHAPTER}:{tag}", "exec"), namespace)
    return namespace


def without(layer_type: type, make_players):
    """make_players, with every layer of ``layer_type`` in G replaced by the identity (an ablation)."""
    def players(seed):
        G, D = make_players(seed)
        G.net = nn.Sequential(*[nn.Identity() if isinstance(m, layer_type) else m for m in G.net])
        return G, D

    return players


def baseline(ns: dict, seed: int):
    """The PyTorch DCGAN tutorial's recipe at 28x28, on the chapter's networks and data."""
    gb.seed_everything(seed)
    G, D = ns["Generator"](z_dim=100, width=64), ns["Discriminator"](width=64)
    G.apply(ns["init_weights"])
    D.apply(ns["init_weights"])
    loader = DataLoader(ns["gan_set"], batch_size=128, shuffle=True, drop_last=True,
                        generator=torch.Generator().manual_seed(seed))
    return gb.GANTrainer(G, D, ns["Batches"](loader), z_dim=100, batch_size=128, lr_d=2e-4, lr_g=2e-4,
                         betas=(0.5, 0.999), device="cpu")


def run_one(variant: str, seed: int, budget: float, threads: int) -> dict:
    torch.set_num_threads(threads)
    train, test = gb.FashionMNIST("train"), gb.FashionMNIST("test")
    ns = chapter_namespace(TensorDataset(train.images[:50_000], train.labels[:50_000]))
    classifier = gb.FashionClassifier(features=64).fit(train.images[50_000:55_000], train.labels[50_000:55_000],
                                                       epochs=10, seed=0)
    test_features = classifier.features(test.images)
    floor = gb.frechet_distance(classifier.features(train.images[55_000:]), test_features)
    copier = train.images[:50_000][torch.randint(50_000, (N_EVAL,), generator=torch.Generator().manual_seed(seed))]
    copier_distance = gb.frechet_distance(classifier.features(copier), test_features)

    average = None
    if variant == "baseline":
        trainer = baseline(ns, seed)
    else:
        if variant == "paper-lr":
            ns["LR"] = 2e-4
        elif variant == "no-bn-g":
            ns["make_players"] = without(nn.BatchNorm2d, ns["make_players"])
        elif variant == "no-tanh":
            ns["make_players"] = without(nn.Tanh, ns["make_players"])
        trainer, average = ns["make_dcgan"](seed, "cpu")
    clock = gb.TimeBudget(budget)  # stops training after the step that passes the budget
    trainer.train(10**9, callback=[clock] if average is None else [average, clock])
    seconds = clock.elapsed

    z_eval = torch.randn(N_EVAL, trainer.z_dim, generator=torch.Generator().manual_seed(1000 + seed))

    def score(images):
        distance = gb.frechet_distance(classifier.features(images), test_features)
        shares = gb.class_shares(classifier.predict(images))
        return {"distance": distance, "ratio": distance / floor, "copier_ratio": distance / copier_distance,
                "min_share": min(shares), "max_share": max(shares)}

    scores = {"last weights": score(trainer.generate(z_eval))}
    if average is not None:
        average.calibrate(trainer.z_dim, n=1024)  # as the chapter does
        scores["averaged"] = score(average.generate(z_eval))
    return {
        "variant": variant, "seed": seed, "floor": floor, "copier": copier_distance, "steps": trainer.step,
        "seconds": seconds, "steps_per_s": trainer.step / seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "scores": scores,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds of training per run")
    parser.add_argument("--threads", type=int, default=2, help="torch threads per run (this machine has 2 cores)")
    parser.add_argument("--variants", nargs="+", default=list(DEFAULT_VARIANTS), choices=list(VARIANTS.values()),
                        help="which runs (default: %(default)s); the baseline and the recipe are always run")
    parser.add_argument("--one", nargs=2, metavar=("VARIANT", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.budget, args.threads)))
        return 0

    chosen = [v for v in VARIANTS.values() if v in set(args.variants) | {"baseline", "recipe"}]
    names = {key: name for name, key in VARIANTS.items()}
    runs = run_separately(Path(__file__), chosen, args.seeds,
                          ["--budget", str(args.budget), "--threads", str(args.threads)],
                          lambda r: f"{names[r['variant']]}: {r['steps']} steps, "
                                    + ", ".join(f"{k} {v['ratio']:.1f}x floor" for k, v in r["scores"].items()))

    rows = []  # (name, runs, which score)
    for variant in chosen:
        mine = [r for r in runs if r["variant"] == variant]
        if "averaged" in mine[0]["scores"]:
            rows.append((f"{names[variant]}: averaged G", mine, "averaged"))
            if variant == "recipe":
                rows.append((f"{names[variant]}: last weights of G (no average)", mine, "last weights"))
        else:
            rows.append((names[variant], mine, "last weights"))

    floor, copier = runs[0]["floor"], statistics.median(r["copier"] for r in runs)
    seeds = " ".join(map(str, args.seeds))
    lines = [
        f"Measured {date.today().isoformat()} with `python bench/fashion_gan.py --seeds {seeds} --budget "
        f"{args.budget:g} --threads {args.threads} --variants {' '.join(args.variants)}`: each run trains for "
        f"{args.budget:g} s of wall-clock time with {args.threads} torch thread{'s' * (args.threads != 1)}, in its own "
        "process; medians "
        f"over seeds {seeds}. Distance: the Frechet distance between the features (`gb.FashionClassifier`, trained "
        f"on training images 50,000 to 54,999) of {N_EVAL:,} generated images and the 10,000 test images. The "
        f"floor ({N_EVAL:,} held-out training images, 55,000 to 59,999, against the test images) is {floor:.3f}; "
        f"the copying generator ({N_EVAL:,} of the GAN's training images drawn at random) scores {copier:.3f} "
        "(median). Class shares: of the samples, as classified. On:",
        "",
        f"{machine()}",
        "",
        "| variant | distance | / floor | / copying G | / floor, per seed | class share min - max | steps | steps/s "
        "| peak MB |",
        "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |",
    ]
    medians = {}
    for name, mine, which in rows:
        med, s = median_scores(mine, which)
        medians[name] = med
        lines.append(
            f"| {name} | {med['distance']:.2f} | {med['ratio']:.1f} | {med['copier_ratio']:.1f} | "
            f"{', '.join(format(x['ratio'], '.1f') for x in s)} | {med['min_share']:.1%} - {med['max_share']:.1%} | "
            f"{statistics.median(r['steps'] for r in mine):.0f} | "
            f"{statistics.median(r['steps_per_s'] for r in mine):.1f} | "
            f"{statistics.median(r['peak_mb'] for r in mine):.0f} |"
        )
    recipe, base = medians[f"{RECIPE}: averaged G"], medians[BASELINE]
    ratio = recipe["distance"] / base["distance"]
    covered = recipe["min_share"] >= 0.05 and recipe["max_share"] <= 0.15
    lines += [
        "",
        f"Targets (the recipe, averaged G, medians): the recipe's median distance is {ratio:.2f} of the baseline's "
        f"distance ({'met' if ratio <= 0.5 else 'not met'}: at most half); {recipe['ratio']:.1f} times the floor and "
        f"{recipe['copier_ratio']:.1f} times the copying generator's distance; every class between 5% and 15%: "
        f"{recipe['min_share']:.1%} - {recipe['max_share']:.1%} ({'met' if covered else 'not met'}).",
    ]
    write_section("Chapter 11: Fashion-MNIST, the DCGAN recipe against the DCGAN tutorial's", lines)
    print("\n".join(lines[-len(rows) - 4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
