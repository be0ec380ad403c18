"""Tests of the distributions p_data, the digits and Fashion-MNIST (ganbook.data)."""

import gzip
import importlib.machinery
import math
import re
import sys
import types
from pathlib import Path

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


# -- Fashion-MNIST ---------------------------------------------------------------------------

DEBIAN = gb.data.FASHION_MNIST_DEBIAN
HAS_DEBIAN_FILES = all((Path(DEBIAN) / f"{name}.gz").is_file() for names in gb.data._FASHION_FILES.values()
                       for name in names)


def write_idx(path, array, gz=True):
    """Write ``array`` (unsigned bytes) as an IDX file: two zero bytes, type 0x08, the rank, the sizes."""
    array = np.asarray(array, dtype=np.uint8)
    data = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    data += array.tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(data)
    else:
        Path(path).write_bytes(data)


def fake_fashion_folder(folder, n=3, value=0, gz=True):
    """A folder holding the four files of a tiny Fashion-MNIST: n images of one pixel value per split."""
    folder.mkdir(parents=True, exist_ok=True)
    for split, (images, labels) in gb.data._FASHION_FILES.items():
        write_idx(folder / images, np.full((n, 28, 28), value), gz=gz)
        write_idx(folder / labels, np.arange(n) % 10, gz=gz)
    return folder


@pytest.fixture
def no_fashion_anywhere(monkeypatch, tmp_path):
    """No environment variable, no Debian files, no torchvision."""
    monkeypatch.delenv(gb.data.FASHION_MNIST_ENV, raising=False)
    monkeypatch.setattr(gb.data, "FASHION_MNIST_DEBIAN", str(tmp_path / "not-installed"))
    monkeypatch.setitem(sys.modules, "torchvision", None)  # import torchvision fails


@pytest.mark.skipif(not HAS_DEBIAN_FILES, reason=f"Debian's dataset-fashion-mnist is not installed ({DEBIAN} "
                    "lacks its files): sudo apt-get install dataset-fashion-mnist")
def test_fashion_mnist_reads_the_debian_files(monkeypatch):
    monkeypatch.delenv(gb.data.FASHION_MNIST_ENV, raising=False)
    train, test = gb.FashionMNIST("train"), gb.FashionMNIST("test")
    assert train.source == test.source == DEBIAN
    assert (len(train), len(test)) == (60_000, 10_000)
    assert train.images.shape == (60_000, 1, 28, 28) and train.images.dtype == torch.float32
    assert train.images.min() == -1 and train.images.max() == 1
    assert len(train.images[:100].unique()) <= 256  # 8-bit pixels, v / 127.5 - 1
    assert torch.allclose(train.images[:100].unique() * 127.5 + 127.5,
                          (train.images[:100].unique() * 127.5 + 127.5).round(), atol=1e-4)
    assert train.labels.dtype == torch.int64
    for part in (train, test):  # Fashion-MNIST is balanced: every class a tenth of each split
        assert torch.bincount(part.labels, minlength=10).tolist() == [len(part) // 10] * 10
    assert train.CLASSES[0] == "T-shirt/top" and train.CLASSES[9] == "Ankle boot" and len(train.CLASSES) == 10
    image, label = train[0]
    assert image.shape == (1, 28, 28) and label.item() == train.labels[0].item()
    x = train.sample(5, generator=torch.Generator().manual_seed(0))
    assert x.shape == (5, 1, 28, 28) and torch.equal(x, train(5, generator=torch.Generator().manual_seed(0)))


def test_fashion_mnist_looks_in_the_environment_variable_before_debian(monkeypatch, tmp_path):
    folder = fake_fashion_folder(tmp_path / "mine", value=255)
    monkeypatch.setenv(gb.data.FASHION_MNIST_ENV, str(folder))
    data = gb.FashionMNIST("test")
    assert data.source == str(folder)
    assert data.images.shape == (3, 1, 28, 28) and (data.images == 1).all()
    assert data.labels.tolist() == [0, 1, 2] and data.labels.dtype == torch.int64


def test_fashion_mnist_root_comes_first_and_reads_unzipped_files(monkeypatch, tmp_path):
    monkeypatch.setenv(gb.data.FASHION_MNIST_ENV, str(fake_fashion_folder(tmp_path / "env", value=255)))
    root = fake_fashion_folder(tmp_path / "root", n=4, value=0, gz=False)
    data = gb.FashionMNIST("train", root=root)
    assert data.source == str(root) and len(data) == 4 and (data.images == -1).all()
    assert "4 images" in repr(data)


def test_fashion_mnist_uses_debian_when_no_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv(gb.data.FASHION_MNIST_ENV, raising=False)
    debian = fake_fashion_folder(tmp_path / "debian", value=51)
    monkeypatch.setattr(gb.data, "FASHION_MNIST_DEBIAN", str(debian))
    data = gb.FashionMNIST("train")
    assert data.source == str(debian)
    assert torch.allclose(data.images, torch.tensor(51 / 127.5 - 1))


def test_fashion_mnist_falls_back_to_torchvision(monkeypatch, no_fashion_anywhere):
    # a stand-in for torchvision.datasets.FashionMNIST (the real one downloads the data)
    calls = []

    class FakeTorchvisionFashionMNIST:
        def __init__(self, root, train, download):
            calls.append((root, train, download))
            self.data = torch.full((2, 28, 28), 255, dtype=torch.uint8)
            self.targets = torch.tensor([9, 3])

    torchvision = types.ModuleType("torchvision")
    torchvision.__spec__ = importlib.machinery.ModuleSpec("torchvision", None)
    datasets = types.ModuleType("torchvision.datasets")
    datasets.FashionMNIST = FakeTorchvisionFashionMNIST
    torchvision.datasets = datasets
    monkeypatch.setitem(sys.modules, "torchvision", torchvision)
    monkeypatch.setitem(sys.modules, "torchvision.datasets", datasets)
    data = gb.FashionMNIST("test")
    assert data.source == "torchvision"
    assert calls == [(str(Path.home() / ".cache" / "ganbook"), False, True)]
    assert data.images.shape == (2, 1, 28, 28) and (data.images == 1).all() and data.labels.tolist() == [9, 3]


def test_without_fashion_mnist_the_error_names_both_ways_to_get_it(no_fashion_anywhere):
    with pytest.raises(RuntimeError) as caught:
        gb.FashionMNIST("train")
    message = str(caught.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "FASHION_MNIST_DIR" in message and "train-images-idx3-ubyte.gz" in message


def test_a_named_folder_without_the_files_is_an_error_not_a_detour(monkeypatch, tmp_path):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv(gb.data.FASHION_MNIST_ENV, str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="FASHION_MNIST_DIR names .*empty.*lacks train-images-idx3-ubyte.gz"):
        gb.FashionMNIST("train")
    with pytest.raises(ValueError, match="root names .*lacks t10k-images-idx3-ubyte.gz"):
        gb.FashionMNIST("test", root=tmp_path / "empty")


@pytest.mark.parametrize("kwargs, message", [
    ({"split": "validation"}, "split must be one of 'train', 'test', got 'validation'"),
    ({"split": "train", "root": 3}, "root must be a folder"),
])
def test_fashion_mnist_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gb.FashionMNIST(**kwargs)


def test_read_idx_refuses_a_file_that_is_not_idx(tmp_path):
    (tmp_path / "text.gz").write_bytes(gzip.compress(b"hello, world"))
    with pytest.raises(ValueError, match="not an IDX file"):
        gb.data.read_idx(tmp_path / "text.gz")
    short = bytes([0, 0, 8, 1]) + (10).to_bytes(4, "big") + bytes(3)  # says 10 values, holds 3
    (tmp_path / "short").write_bytes(short)
    with pytest.raises(ValueError, match="holds 3 values, but its header says"):
        gb.data.read_idx(tmp_path / "short")
    with pytest.raises(ValueError, match="cannot read"):
        gb.data.read_idx(tmp_path / "missing.gz")


def test_fashion_images_draw_in_an_image_panel(tmp_path):
    # chapter 11's dashboard draws generated (n, 1, 28, 28) images in a grid of 28 x 28 cells
    from matplotlib.figure import Figure

    images = torch.linspace(-1, 1, 6 * 784).reshape(6, 1, 28, 28)
    panel = gb.image_panel(n=6, columns=3, shape=(28, 28), source=lambda z: images[:len(z)])
    ax = Figure().subplots()
    trainer = gb.GANTrainer(torch.nn.Sequential(torch.nn.Linear(4, 784), torch.nn.Unflatten(1, (1, 28, 28))),
                            torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 1)),
                            lambda n: torch.zeros(n, 1, 28, 28), z_dim=4, batch_size=8, device="cpu")
    panel(ax, trainer)
    drawn = ax.images[0].get_array()
    assert drawn.shape == (2 * 29 + 1, 3 * 29 + 1)  # 2 rows x 3 columns of 28 x 28, one pixel apart
    assert np.allclose(drawn[1:29, 1:29], images[0, 0].numpy())
