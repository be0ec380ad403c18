"""Toy data distributions p_data, as samplers with a density.

A sampler is called with a batch size and returns a float32 tensor of shape (n, dim); its
``pdf`` gives the density on a grid, for plots and (chapter 2) the closed-form D*.
Chapter 1 introduces p_data with the 1-D Gaussian.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from . import _checks


def _batch_size(n) -> int:
    return _checks.integer("n", n, minimum=1)


class Gaussian1D:
    """A 1-D Gaussian N(mean, std**2): chapter 1's p_data.

    >>> p_data = Gaussian1D(mean=4.0, std=1.25)
    >>> p_data(3).shape
    torch.Size([3, 1])
    """

    dim = 1

    def __init__(self, mean: float = 0.0, std: float = 1.0):
        self.mean = _checks.finite_float("mean", mean)
        self.std = _checks.positive_float("std", std)

    def __repr__(self) -> str:
        return f"Gaussian1D(mean={self.mean}, std={self.std})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` samples as a tensor of shape (n, 1); ``generator`` keeps the draw private."""
        n = _batch_size(n)
        return self.mean + self.std * torch.randn(n, 1, generator=generator)

    __call__ = sample

    def pdf(self, x) -> np.ndarray:
        """Density at the points ``x`` (any array-like of numbers)."""
        x = np.asarray(x, dtype=float)
        return np.exp(-0.5 * ((x - self.mean) / self.std) ** 2) / (self.std * math.sqrt(2 * math.pi))


class GaussianMixture1D:
    """A mixture of 1-D Gaussians: component i has weight ``weights[i]`` (chapter 1's exercise,
    chapter 8's mode collapse).

    >>> p_data = GaussianMixture1D(means=[-2, 2], stds=[0.5, 0.5])
    """

    dim = 1

    def __init__(self, means, stds, weights=None):
        means = [_checks.finite_float(f"means[{i}]", m) for i, m in enumerate(means)]
        stds = [_checks.positive_float(f"stds[{i}]", s) for i, s in enumerate(stds)]
        if not means:
            raise ValueError("means must hold at least one component, got []")
        if len(stds) != len(means):
            raise ValueError(f"stds must have one entry per mean ({len(means)}), got {len(stds)}")
        if weights is None:
            weights = [1.0] * len(means)
        weights = [_checks.positive_float(f"weights[{i}]", w) for i, w in enumerate(weights)]
        if len(weights) != len(means):
            raise ValueError(f"weights must have one entry per mean ({len(means)}), got {len(weights)}")
        total = sum(weights)
        self.means = torch.tensor(means)
        self.stds = torch.tensor(stds)
        self.weights = torch.tensor([w / total for w in weights])
        # Mixture moments, for the chapters' checks on the generator.
        w, m, s = self.weights.double(), self.means.double(), self.stds.double()
        self.mean = float((w * m).sum())
        self.std = float(((w * (s**2 + m**2)).sum() - self.mean**2).sqrt())

    def __repr__(self) -> str:
        return (
            f"GaussianMixture1D(means={self.means.tolist()}, stds={self.stds.tolist()}, "
            f"weights={[round(w, 4) for w in self.weights.tolist()]})"
        )

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` samples as a tensor of shape (n, 1)."""
        n = _batch_size(n)
        component = torch.multinomial(self.weights, n, replacement=True, generator=generator)
        noise = torch.randn(n, generator=generator)
        return (self.means[component] + self.stds[component] * noise).unsqueeze(1)

    __call__ = sample

    def pdf(self, x) -> np.ndarray:
        """Density at the points ``x``."""
        x = np.asarray(x, dtype=float)[..., None]
        m, s, w = self.means.numpy(), self.stds.numpy(), self.weights.numpy()
        dens = np.exp(-0.5 * ((x - m) / s) ** 2) / (s * math.sqrt(2 * math.pi))
        return (dens * w).sum(axis=-1)


class GaussianRing2D:
    """Gaussians with equal weights at the corners of a regular polygon: the "ring" of chapter 6.

    The default, 8 modes on a circle of radius 2 with standard deviation 0.02, is the 2-D
    benchmark of the mode-collapse literature. ``centers`` holds the modes, shape (modes, 2).

    >>> p_data = GaussianRing2D()
    >>> p_data(5).shape
    torch.Size([5, 2])
    """

    dim = 2

    def __init__(self, modes: int = 8, radius: float = 2.0, std: float = 0.02):
        self.modes = _checks.integer("modes", modes, minimum=1)
        self.radius = _checks.positive_float("radius", radius)
        self.std = _checks.positive_float("std", std)
        angles = torch.arange(self.modes, dtype=torch.float64) * (2 * math.pi / self.modes)
        self.centers = (self.radius * torch.stack([angles.cos(), angles.sin()], dim=1)).float()

    def __repr__(self) -> str:
        return f"GaussianRing2D(modes={self.modes}, radius={self.radius}, std={self.std})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` points as a tensor of shape (n, 2)."""
        n = _batch_size(n)
        mode = torch.randint(self.modes, (n,), generator=generator)
        return self.centers[mode] + self.std * torch.randn(n, 2, generator=generator)

    __call__ = sample

    def pdf(self, xy) -> np.ndarray:
        """Density at the points ``xy``, an array-like of shape (..., 2)."""
        xy = np.asarray(xy, dtype=float)
        if xy.shape[-1:] != (2,):
            raise ValueError(f"xy must have shape (..., 2), got {xy.shape}")
        d2 = ((xy[..., None, :] - self.centers.numpy()) ** 2).sum(-1)
        return np.exp(-0.5 * d2 / self.std**2).mean(-1) / (2 * math.pi * self.std**2)


class TwoMoons:
    """Two interleaving half circles with Gaussian noise (the "two moons" of chapter 6), centred at 0.

    The upper moon is the half circle of radius 1 around (-0.5, -0.25), the lower one its
    mirror image around (0.5, 0.25); ``noise`` is the standard deviation added to each point.
    """

    dim = 2

    def __init__(self, noise: float = 0.05):
        self.noise = _checks.positive_float("noise", noise)

    def __repr__(self) -> str:
        return f"TwoMoons(noise={self.noise})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` points as a tensor of shape (n, 2)."""
        n = _batch_size(n)
        lower = torch.randint(2, (n,), generator=generator).bool()
        t = math.pi * torch.rand(n, generator=generator)
        x = torch.where(lower, 1 - t.cos(), t.cos()) - 0.5
        y = torch.where(lower, 0.5 - t.sin(), t.sin()) - 0.25
        return torch.stack([x, y], dim=1) + self.noise * torch.randn(n, 2, generator=generator)

    __call__ = sample


class Digits:
    """The 8x8 handwritten digits that ship inside scikit-learn, as p_data (chapter 7).

    ``load_digits`` holds 1,797 images of the digits 0-9, with pixel values 0..16. They are
    scaled to [-1, 1] (the range of a tanh output) and flattened to 64 numbers, and split into
    a train part and a held-out test part, stratified by digit, with a fixed ``seed``. The
    split is the same on every machine: it comes from the data and the seed alone.

    ``split`` picks the part this object samples from; ``images`` (shape (n, 64)) and
    ``labels`` (shape (n,)) hold it whole. Sampling draws images uniformly with replacement.

    >>> train = Digits("train")
    >>> train(4).shape
    torch.Size([4, 64])
    """

    dim = 64
    shape = (8, 8)
    classes = 10

    def __init__(self, split: str = "train", *, test_size: float = 0.3, seed: int = 0):
        self.split = _checks.choice("split", split, ("train", "test"))
        self.test_size = _checks.finite_float("test_size", test_size)
        if not 0.05 <= self.test_size <= 0.95:
            raise ValueError(f"test_size must be between 0.05 and 0.95, got {test_size!r}")
        self.seed = _checks.integer("seed", seed, minimum=0)
        from sklearn.datasets import load_digits  # here, not at the top: only chapter 7 pays for importing sklearn
        from sklearn.model_selection import train_test_split

        x, y = load_digits(return_X_y=True)
        parts = train_test_split(x, y, test_size=self.test_size, random_state=self.seed, stratify=y)
        x, y = (parts[0], parts[2]) if self.split == "train" else (parts[1], parts[3])
        self.images = torch.tensor(x / 8.0 - 1.0, dtype=torch.float32)
        self.labels = torch.tensor(y, dtype=torch.long)

    def __repr__(self) -> str:
        return f"Digits({self.split!r}, test_size={self.test_size}, seed={self.seed}): {len(self)} images"

    def __len__(self) -> int:
        return len(self.images)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw ``n`` images (with replacement) as a tensor of shape (n, 64)."""
        n = _batch_size(n)
        return self.images[torch.randint(len(self.images), (n,), generator=generator)]

    __call__ = sample

    def pairs(self, n: int, generator: torch.Generator | None = None) -> tuple:
        """Draw ``n`` images with their digits, ``(images, labels)`` of shapes (n, 64) and (n,):
        p_data as (x, y) pairs, for the conditional GAN of chapter 9."""
        n = _batch_size(n)
        index = torch.randint(len(self.images), (n,), generator=generator)
        return self.images[index], self.labels[index]
