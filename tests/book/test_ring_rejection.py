"""Chapter 6's rejection step (the cell tagged ``ring-rejection``), as bench/ring_recipe.py runs it.

The chapter keeps a generated sample with probability r(x) / M, r(x) = exp(logit(x)) the judge's
estimate of p_data(x) / p_g(x). With an exact ratio the kept samples must follow p_data: checked
here on two Gaussians whose ratio is known in closed form.
"""

import math
import sys
from pathlib import Path

import torch

import ganbook as gb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import ring_recipe  # noqa: E402


def test_an_exact_ratio_turns_the_generators_samples_into_the_data():
    reject = ring_recipe.chapter_rejection(2)["reject"]
    # p_g = N(0, 2^2 I), p_data = N(0, I) in 2-D: log p_data / p_g = log 4 - 3 |x|^2 / 8
    samples = 2.0 * torch.randn(400_000, 2, generator=torch.Generator().manual_seed(0))

    def exact(x):
        return (math.log(4.0) - 3.0 * x.pow(2).sum(dim=1, keepdim=True) / 8.0)

    kept = reject(exact, samples, torch.Generator().manual_seed(1))
    # M is the largest ratio, at the origin: 4, so a quarter of the samples is kept
    assert abs(len(kept) / len(samples) - 0.25) < 0.01
    assert torch.allclose(kept.var(dim=0), torch.ones(2), atol=0.03)
    assert torch.allclose(kept.mean(dim=0), torch.zeros(2), atol=0.02)


def test_the_judge_learns_where_the_generator_is_wrong():
    # a "generator" that puts a quarter of its samples near the origin, far from every mode:
    # the judge must keep far fewer of those than of the samples on the ring
    torch.manual_seed(0)
    chapter = ring_recipe.chapter_rejection(2)
    ring = ring_recipe.RING

    class QuarterWrong:  # fit_judge only calls generate(z)
        @staticmethod
        def generate(z):
            on_ring = ring.centers[torch.randint(0, 8, (len(z),))] + ring.std * z
            return torch.where((torch.arange(len(z)) % 4 == 0)[:, None], z, on_ring)

    judge = chapter["fit_judge"](QuarterWrong(), steps=1000)
    samples = QuarterWrong.generate(torch.randn(4000, 2))
    kept_rows = chapter["reject"](judge, samples, torch.Generator().manual_seed(0))
    kept = torch.cdist(samples, kept_rows).min(dim=1).values == 0
    wrong = torch.arange(4000) % 4 == 0
    assert kept[wrong].float().mean() < 0.2 * kept[~wrong].float().mean()
