"""Tests of the distributions p_data and the digits (ganbook.data)."""

import math

import numpy as np
import pytest
import torch

import ganbook as gb
from ganbook.metrics import mode_coverage


@pytest.fixture(scope="module")
def digits():
    return gb.Digits("train"), gb.Digits("test")


def test_gaussian_samples_have_its_mean_and_std():
    gb.seed_everything(0)
    x = gb.Gaussian1D(mean=4.0, std=1.25).sample(100_000)
    assert x.shape == (100_000, 1) and x.dtype == torch.float32
    assert abs(x.mean().item() - 4.0) < 0.02 and abs(x.std().item() - 1.25) < 0.02


def test_gaussian_pdf_integrates_to_one_and_peaks_at_the_mean():
    p = gb.Gaussian1D(mean=-1.0, std=0.5)
    grid = np.linspace(-6, 4, 20001)
    dens = p.pdf(grid)
    assert abs(np.trapezoid(dens, grid) - 1) < 1e-6
    assert grid[dens.argmax()] == pytest.approx(-1.0, abs=1e-3)


def test_private_generator_leaves_the_global_stream_alone():
    p = gb.Gaussian1D()
    gb.seed_everything(5)
    expected = torch.rand(1)
    gb.seed_everything(5)
    p.sample(10, generator=torch.Generator().manual_seed(1))
    assert torch.equal(torch.rand(1), expected)


def test_mixture_moments_match_its_samples():
    p = gb.GaussianMixture1D(means=[-2.0, 3.0], stds=[0.5, 1.0], weights=[1, 3])
    gb.seed_everything(0)
    x = p.sample(200_000)
    assert x.shape == (200_000, 1)
    assert abs(x.mean().item() - p.mean) < 0.02 and abs(x.std().item() - p.std) < 0.02
    assert p.mean == pytest.approx(0.25 * -2 + 0.75 * 3)
    grid = np.linspace(-8, 10, 20001)
    assert abs(np.trapezoid(p.pdf(grid), grid) - 1) < 1e-6


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.Gaussian1D(std=0), "std"),
        (lambda: gb.Gaussian1D(std=-1), "std"),
        (lambda: gb.Gaussian1D(mean=float("nan")), "mean"),
        (lambda: gb.Gaussian1D(mean="4"), "mean"),
        (lambda: gb.Gaussian1D().sample(0), "n must be >= 1"),
        (lambda: gb.Gaussian1D().sample(2.5), "n must be an integer"),
        (lambda: gb.GaussianMixture1D(means=[], stds=[]), "means"),
        (lambda: gb.GaussianMixture1D(means=[0, 1], stds=[1]), "stds"),
        (lambda: gb.GaussianMixture1D(means=[0, 1], stds=[1, 1], weights=[1, -1]), r"weights\[1\]"),
        (lambda: gb.GaussianMixture1D(means=[0, 1], stds=[1, 0]), r"stds\[1\]"),
    ],
)
def test_distributions_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_ring_has_its_modes_on_the_circle_and_samples_near_them():
    ring = gb.GaussianRing2D()
    assert ring.centers.shape == (8, 2)
    assert torch.allclose(ring.centers.norm(dim=1), torch.full((8,), 2.0))
    x = ring.sample(4000, generator=torch.Generator().manual_seed(0))
    nearest = torch.cdist(x, ring.centers).min(dim=1).values
    assert x.shape == (4000, 2) and nearest.max() < 6 * 0.02
    counts = torch.cdist(x, ring.centers).argmin(dim=1).bincount(minlength=8)
    assert counts.min() > 400  # equal weights: 500 expected per mode


def test_ring_pdf_integrates_to_one():
    ring = gb.GaussianRing2D(modes=3, radius=1.0, std=0.2)
    axis = torch.linspace(-2.5, 2.5, 501)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    dens = ring.pdf(torch.stack([gx, gy], dim=-1).numpy())
    assert dens.sum() * (axis[1] - axis[0]).item() ** 2 == pytest.approx(1.0, abs=1e-3)


def test_two_moons_are_two_half_circles():
    x = gb.TwoMoons(noise=0.01).sample(2000, generator=torch.Generator().manual_seed(1))
    upper = x[:, 1] > 0  # the upper moon rises above y = 0, the lower one dips below
    assert x.shape == (2000, 2)
    r_upper = (x - torch.tensor([-0.5, -0.25])).norm(dim=1)
    r_lower = (x - torch.tensor([0.5, 0.25])).norm(dim=1)
    assert ((r_upper - 1).abs() < 0.05).logical_or((r_lower - 1).abs() < 0.05).all()
    assert 0.3 < upper.float().mean() < 0.7


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.GaussianRing2D(modes=0), "modes must be >= 1"),
        (lambda: gb.GaussianRing2D(std=-0.1), "std must be a positive"),
        (lambda: gb.GaussianRing2D(radius=float("inf")), "radius"),
        (lambda: gb.GaussianRing2D().pdf([1.0, 2.0, 3.0]), r"shape \(\.\.\., 2\)"),
        (lambda: gb.TwoMoons(noise=0), "noise must be a positive"),
        (lambda: mode_coverage(torch.zeros(5, 3), gb.GaussianRing2D().centers, 0.02), "dimension 3"),
        (lambda: mode_coverage(torch.full((4, 2), math.nan), gb.GaussianRing2D().centers, 0.02), "non-finite"),
        (lambda: mode_coverage(torch.zeros(0, 2), gb.GaussianRing2D().centers, 0.02), "n >= 1"),
        (lambda: mode_coverage("points", gb.GaussianRing2D().centers, 0.02), "samples must be an array"),
        (lambda: mode_coverage(torch.zeros(4, 2), gb.GaussianRing2D().centers, 0.0), "std must be a positive"),
        (lambda: mode_coverage(torch.zeros(4, 2), gb.GaussianRing2D().centers, 0.02, min_share=2), "min_share"),
    ],
)
def test_two_d_helpers_reject_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_digits_are_split_70_30_scaled_to_minus_one_one_and_stratified(digits):
    train, test = digits
    assert (len(train), len(test)) == (1257, 540)
    assert train.images.shape == (1257, 64) and train.images.dtype == torch.float32
    assert train.images.min() == -1 and train.images.max() == 1
    levels = train.images.unique()
    assert len(levels) == 17 and torch.allclose(levels.diff(), torch.full((16,), 0.125))
    for part in (train, test):
        shares = torch.bincount(part.labels, minlength=10) / len(part)
        assert shares.min() > 0.09 and shares.max() < 0.11


def test_digits_split_is_disjoint_and_the_same_every_time(digits):
    train, test = digits
    again = gb.Digits("train")
    assert torch.equal(again.images, train.images) and torch.equal(again.labels, train.labels)
    other = gb.Digits("train", seed=1)
    assert not torch.equal(other.images, train.images)
    # every image of the full set is in exactly one part (the data has no exact duplicates across parts)
    both = torch.cat([train.images, test.images])
    assert len(torch.unique(both, dim=0)) >= len(both) - 5


def test_digits_sampling_draws_training_images_reproducibly(digits):
    train, _ = digits
    a = train.sample(50, generator=torch.Generator().manual_seed(3))
    b = train(50, generator=torch.Generator().manual_seed(3))
    assert a.shape == (50, 64) and torch.equal(a, b)
    assert (torch.cdist(a, train.images).min(dim=1).values == 0).all()  # each one is a training image


@pytest.mark.parametrize("kwargs, name", [
    ({"split": "validation"}, "split"),
    ({"test_size": 0.0}, "test_size"),
    ({"test_size": 1.5}, "test_size"),
    ({"test_size": float("nan")}, "test_size"),
    ({"seed": -1}, "seed"),
    ({"seed": 0.5}, "seed"),
])
def test_digits_reject_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        gb.Digits(**kwargs)


def test_digits_reject_a_bad_sample_size(digits):
    with pytest.raises(ValueError, match="n must be >= 1"):
        digits[0].sample(0)


def test_digits_pairs_keep_each_image_with_its_digit():
    train = gb.Digits("train")
    images, labels = train.pairs(300, generator=torch.Generator().manual_seed(0))
    assert images.shape == (300, 64) and labels.shape == (300,) and labels.dtype == torch.long
    rows = (images[:, None, :] == train.images[None]).all(-1)  # where each image sits in the set
    assert all(labels[i] in train.labels[rows[i]] for i in range(300))
    with pytest.raises(ValueError, match="n must be >= 1"):
        train.pairs(0)
