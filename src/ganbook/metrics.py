"""Measures of what a generator produces.

``mode_coverage`` counts the modes of a mixture that a generator's samples reach (chapter 6,
the ring of Gaussians); chapter 8 uses it to measure mode collapse and its fixes.
Chapter 7 measures a digit generator: ``DigitClassifier`` (a small seeded classifier of the
8x8 digits) gives the feature space, ``frechet_distance`` compares two sets of features (the
idea of FID, on this data) and ``class_shares`` counts the classes the classifier sees.
Chapter 11 does the same for Fashion-MNIST's 28x28 images with ``FashionClassifier``.
"""

from __future__ import annotations

import torch
from torch import nn

from . import _checks


def mode_coverage(samples, centers, std: float, *, quality: float = 3.0, min_share: float = 0.01) -> dict:
    """How many modes the samples hit, and how many samples are of high quality (chapter 6).

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


def frechet_distance(a, b) -> float:
    """The Frechet distance between Gaussians fitted to two sets of features (Heusel et al. 2017;
    chapter 7 writes it out).

    ``a`` and ``b`` have shapes (n, d) and (m, d), n, m >= 2. With means mu and covariances C,
    ``||mu_a - mu_b||^2 + tr(C_a + C_b - 2 (C_a C_b)^(1/2))``, computed in float64. The trace of
    the matrix square root is taken as the sum of the square roots of the eigenvalues of
    C_a^(1/2) C_b C_a^(1/2), which has the same eigenvalues as C_a C_b and is symmetric.
    """
    a = _as_points("a", a).double()
    b = _as_points("b", b).double()
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"a has {a.shape[1]} features per row but b has {b.shape[1]}")
    for name, t in (("a", a), ("b", b)):
        if len(t) < 2:
            raise ValueError(f"{name} needs at least 2 rows to have a covariance, got {len(t)}")
    cov_a, cov_b = torch.cov(a.T).reshape(a.shape[1], -1), torch.cov(b.T).reshape(b.shape[1], -1)
    w, v = torch.linalg.eigh(cov_a)
    sqrt_a = v @ torch.diag(w.clamp(min=0).sqrt()) @ v.T
    root_trace = torch.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a).clamp(min=0).sqrt().sum()
    mean_term = (a.mean(0) - b.mean(0)).pow(2).sum()
    return float(mean_term + cov_a.trace() + cov_b.trace() - 2 * root_trace)


def class_shares(labels, classes: int = 10) -> list:
    """The share of ``labels`` (integers in [0, classes)) that falls in each class, as a list
    (chapter 7's class coverage)."""
    classes = _checks.integer("classes", classes, minimum=1)
    try:
        t = torch.as_tensor(labels)
    except (TypeError, ValueError, RuntimeError) as err:
        raise ValueError(f"labels must be a 1-D array of class indices: {err}") from err
    if t.ndim != 1 or len(t) == 0 or t.is_floating_point() or t.is_complex():
        raise ValueError(f"labels must be a non-empty 1-D array of integers, got shape {tuple(t.shape)} "
                         f"and dtype {t.dtype}")
    t = t.long().cpu()
    if t.min() < 0 or t.max() >= classes:
        bad = t[(t < 0) | (t >= classes)][0].item()
        raise ValueError(f"labels must lie in [0, {classes}), got {bad}")
    return (torch.bincount(t, minlength=classes).double() / len(t)).tolist()


class ImageClassifier(nn.Module):
    """What the book's feature networks share: ``features(x)`` (the activations that the Frechet
    distance compares), ``predict(x)`` (the class) and a seeded ``fit`` (chapters 7 and 11).

    A subclass sets ``shape`` (height, width) and builds ``body`` (images to features, ending in
    a ReLU layer of ``n_features`` units) and ``head`` (features to the 10 class logits). Images
    come as (n, h*w), (n, h, w) or (n, 1, h, w), in [-1, 1].
    """

    shape = (8, 8)

    def _images(self, x) -> torch.Tensor:
        h, w = self.shape
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"images must be a torch.Tensor, got {type(x).__name__}")
        if x.ndim < 2 or x[0].numel() != h * w:
            raise ValueError(f"images must have shape (n, {h * w}), (n, {h}, {w}) or (n, 1, {h}, {w}), "
                             f"got {tuple(x.shape)}")
        return x.reshape(-1, 1, h, w).float()

    def forward(self, x) -> torch.Tensor:
        """Class logits, shape (n, 10)."""
        return self.head(self.body(self._images(x)))

    @torch.no_grad()
    def features(self, x, batch_size: int = 4096) -> torch.Tensor:
        """The feature layer's activations, shape (n, features), on the CPU (computed
        ``batch_size`` images at a time)."""
        x = self._images(x)
        batch_size = _checks.integer("batch_size", batch_size, minimum=1)
        device = next(self.parameters()).device
        return torch.cat([self.body(x[i:i + batch_size].to(device)).cpu()
                          for i in range(0, len(x), batch_size)])

    @torch.no_grad()
    def predict(self, x, batch_size: int = 4096) -> torch.Tensor:
        """The predicted class of each image, shape (n,), on the CPU."""
        x = self._images(x)
        batch_size = _checks.integer("batch_size", batch_size, minimum=1)
        device = next(self.parameters()).device
        return torch.cat([self(x[i:i + batch_size].to(device)).argmax(1).cpu()
                          for i in range(0, len(x), batch_size)])

    def fit(self, images, labels, *, epochs: int = 10, batch_size: int = 64, lr: float = 1e-3,
            seed: int = 0):
        """Train with Adam on (images, labels) and return self, in eval mode.

        The initial weights and the order of the batches come from ``seed`` alone, on a forked
        random stream: the same seed gives the same classifier, and the caller's stream is
        left as it was.
        """
        x = self._images(images)
        labels = torch.as_tensor(labels)
        if labels.shape != (len(x),):
            raise ValueError(f"labels must have shape ({len(x)},), got {tuple(labels.shape)}")
        epochs = _checks.integer("epochs", epochs, minimum=1)
        batch_size = _checks.integer("batch_size", batch_size, minimum=1)
        lr = _checks.positive_float("lr", lr)
        seed = _checks.integer("seed", seed, minimum=0)
        device = next(self.parameters()).device
        x, labels = x.to(device), labels.long().to(device)
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            torch.manual_seed(seed)
            for module in self.modules():
                if module is not self and hasattr(module, "reset_parameters"):
                    module.reset_parameters()
            order = torch.Generator().manual_seed(seed)
            opt = torch.optim.Adam(self.parameters(), lr=lr, weight_decay=1e-4)
            self.train()
            for _ in range(epochs):
                perm = torch.randperm(len(x), generator=order).to(device)
                for i in range(0, len(x), batch_size):
                    idx = perm[i:i + batch_size]
                    loss = nn.functional.cross_entropy(self(x[idx]), labels[idx])
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
        return self.eval()


class DigitClassifier(ImageClassifier):
    """A small convolutional classifier of the 8x8 digits, whose features measure a generator.

    Two 3x3 convolutions (16 channels at 8x8, then 32 at 4x4 with stride 2), a layer of
    ``features`` ReLU units, and a linear layer to the 10 classes. ``features(x)`` returns the
    ReLU layer's activations: the space in which chapter 7 computes the Frechet distance.
    ``fit`` trains it; both take images of shape (n, 64) (or (n, 8, 8)) in [-1, 1].
    """

    shape = (8, 8)

    def __init__(self, features: int = 64):
        super().__init__()
        self.n_features = _checks.integer("features", features, minimum=1)
        self.body = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(32 * 4 * 4, self.n_features), nn.ReLU(),
        )
        self.head = nn.Linear(self.n_features, 10)


class FashionClassifier(ImageClassifier):
    """A small convolutional classifier of Fashion-MNIST's 28x28 images, whose features measure
    a generator (chapter 11).

    Two 3x3 convolutions with stride 2 (``channels`` at 14x14, then ``2 * channels`` at 7x7), a
    layer of ``features`` ReLU units, and a linear layer to the 10 classes. ``features(x)``
    returns the ReLU layer's activations: the space in which chapter 11 computes the Frechet
    distance. Images have shape (n, 1, 28, 28) (or (n, 784), (n, 28, 28)), in [-1, 1].
    """

    shape = (28, 28)

    def __init__(self, features: int = 64, channels: int = 16):
        super().__init__()
        self.n_features = _checks.integer("features", features, minimum=1)
        c = _checks.integer("channels", channels, minimum=1)
        self.body = nn.Sequential(
            nn.Conv2d(1, c, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(c, 2 * c, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(2 * c * 7 * 7, self.n_features), nn.ReLU(),
        )
        self.head = nn.Linear(self.n_features, 10)
