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
    """A 1-D Gaussian N(mean, std**2).

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
    """A mixture of 1-D Gaussians: component i has weight ``weights[i]``.

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
