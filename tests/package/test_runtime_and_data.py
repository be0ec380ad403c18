import numpy as np
import pytest
import torch

import ganbook as gb


def test_seed_everything_makes_draws_repeat():
    gb.seed_everything(123)
    a = (torch.rand(3), np.random.rand(3))
    gb.seed_everything(123)
    b = (torch.rand(3), np.random.rand(3))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])


@pytest.mark.parametrize("seed", [-1, 1.5, "0", 2**32, True])
def test_seed_everything_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        gb.seed_everything(seed)


def test_get_device_prefers_cuda_when_present():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert gb.get_device().type == expected
    assert gb.get_device("cpu") == torch.device("cpu")


def test_get_device_rejects_unknown_and_missing_devices(monkeypatch):
    with pytest.raises(ValueError, match="banana"):
        gb.get_device("banana")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="CUDA is not available"):
        gb.get_device("cuda")
    assert gb.get_device().type == "cpu"


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


def test_mlp_models_are_chapter_1s_networks():
    gb.seed_everything(0)
    G, D = gb.MLPGenerator(z_dim=8, hidden=32), gb.MLPDiscriminator(hidden=32)
    assert G(torch.randn(5, 8)).shape == (5, 1) and D(torch.randn(5, 1)).shape == (5, 1)
    # Linear, LeakyReLU, Linear, LeakyReLU, Linear: chapter 1's layers, in its order
    assert [type(m).__name__ for m in G.net] == ["Linear", "LeakyReLU"] * 2 + ["Linear"]
    assert gb.MLPGenerator(z_dim=2, data_dim=2, depth=3)(torch.randn(4, 2)).shape == (4, 2)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.MLPGenerator(z_dim=0), "z_dim must be >= 1"),
        (lambda: gb.MLPGenerator(hidden=2.5), "hidden must be an integer"),
        (lambda: gb.MLPDiscriminator(depth=0), "depth must be >= 1"),
        (lambda: gb.MLPDiscriminator(data_dim=-1), "data_dim must be >= 1"),
    ],
)
def test_mlp_models_reject_bad_sizes(make, match):
    with pytest.raises(ValueError, match=match):
        make()
