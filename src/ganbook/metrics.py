"""Measures of what a generator produces.

``mode_coverage`` counts the modes of a mixture that a generator's samples reach (chapter 6,
the ring of Gaussians); chapter 8 uses it to measure mode collapse and its fixes.
"""

from __future__ import annotations

import torch

from . import _checks


def mode_coverage(samples, centers, std: float, *, quality: float = 3.0, min_share: float = 0.01) -> dict:
    """How many modes the samples hit, and how many samples are of high quality.

    A sample is *high quality* when it lies within ``quality`` standard deviations ``std`` of
    its nearest mode centre (the convention of the mode-collapse literature: 3 std). A mode is
    *hit* when at least ``min_share`` of all samples are high-quality samples assigned to it.

    Returns a dict: ``modes`` (modes hit), ``high_quality`` (share of high-quality samples),
    ``counts`` (high-quality samples per mode, a list) and ``n``.
    """
    samples = _as_points("samples", samples)
    centers = _as_points("centers", centers)
    if samples.shape[1] != centers.shape[1]:
        raise ValueError(f"samples have dimension {samples.shape[1]} but centers {centers.shape[1]}")
    std = _checks.positive_float("std", std)
    quality = _checks.positive_float("quality", quality)
    min_share = _checks.probability("min_share", min_share)
    dist = torch.cdist(samples.double(), centers.double())
    nearest_dist, nearest = dist.min(dim=1)
    good = nearest_dist <= quality * std
    counts = torch.bincount(nearest[good], minlength=len(centers))
    n = len(samples)
    return {
        "modes": int((counts >= max(1, min_share * n)).sum()),
        "high_quality": float(good.double().mean()),
        "counts": counts.tolist(),
        "n": n,
    }


def _as_points(name: str, value) -> torch.Tensor:
    try:
        t = torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError) as err:
        raise ValueError(f"{name} must be an array of points, shape (n, dim): {err}") from err
    t = t.detach().cpu()
    if t.ndim != 2 or t.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, dim) with n >= 1, got {tuple(t.shape)}")
    if not t.is_floating_point():
        t = t.double()
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} holds a non-finite value (nan or inf)")
    return t
