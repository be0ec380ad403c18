"""Training callbacks that watch a run: ``GANTrainer.train(..., callback=...)`` calls each one
as ``callback(trainer)`` after every logged step, and ``callback.on_train_end(trainer)``, where
it exists, once when training ends (chapter 5 explains the protocol). The live dashboard of
``ganbook.dashboard`` is one too; the two here record without drawing.
"""

from __future__ import annotations

import copy
import time

import torch
from torch import nn

from . import _checks
from .training import GANTrainer

# the layers that keep running statistics, which WeightAverage.calibrate recomputes
_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm)


class SampleTracker:
    """A training callback that records the mean and standard deviation of generated samples.

    Every ``every`` generator steps it draws ``n`` samples with ``trainer.evaluate`` (a forked
    random stream, so watching does not change the run) and appends the step, the mean and the
    standard deviation to ``record`` (for multi-dimensional data, those of the first coordinate).
    Chapter 5 teaches it; chapter 8 uses it to see where p_g is while the D curves say little.
    """

    def __init__(self, every: int = 25, n: int = 4000):
        self.every = _checks.integer("every", every, minimum=1)
        self.n = _checks.integer("n", n, minimum=2)
        self.record = {"step": [], "mean": [], "std": []}

    def __call__(self, trainer: GANTrainer) -> None:
        if trainer.step % self.every == 0:
            fake = trainer.evaluate(self.n)["fake"][:, 0]
            self.record["step"].append(trainer.step)
            self.record["mean"].append(fake.mean().item())
            self.record["std"].append(fake.std().item())


class TimeBudget:
    """A training callback that stops training once ``seconds`` of wall-clock time have passed
    since the run began (chapter 10 compares losses at equal time, not equal steps).

    ``train(huge_number, callback=[TimeBudget(5), ...])`` then runs for about 5 s: the check
    comes after each logged step, so a run overshoots by at most one step. ``elapsed`` holds the
    run's time when it ended.
    """

    def __init__(self, seconds: float):
        self.seconds = _checks.positive_float("seconds", seconds)
        self.start = None
        self.elapsed = 0.0

    def on_train_begin(self, trainer: GANTrainer) -> None:
        self.start = time.perf_counter()

    def __call__(self, trainer: GANTrainer) -> bool:
        if self.start is None:
            self.start = time.perf_counter()
        self.elapsed = time.perf_counter() - self.start
        return self.elapsed >= self.seconds

    def on_train_end(self, trainer: GANTrainer) -> None:
        if self.start is not None:
            self.elapsed = time.perf_counter() - self.start


class WeightAverage:
    """A training callback that keeps an exponential moving average of G's weights (chapter 7).

    After each logged step: ``average <- decay * average + (1 - decay) * weights``, for every
    parameter of the generator. The average starts as a copy of G and lives in ``model``. With
    ``decay = 0.999`` it averages G over roughly its last 1,000 steps, which smooths out the
    step-to-step jitter of the game. With ``warmup`` (the default) the decay of update u is at
    most (1 + u) / (10 + u), so the first updates are not dominated by the initial weights.
    Train with ``log_every=1`` so that every step is averaged; after a gap of g steps the update
    uses ``decay ** g``.

    BatchNorm layers hold running statistics, not weights, and the running statistics of G do
    not belong to the averaged weights. ``generate(z)`` therefore first recomputes them for the
    average (``calibrate``: forward passes in train mode over fixed noise), then samples in eval
    mode, so the same z always gives the same image. Calibrating draws its noise from its own
    generator, on a forked random stream: the caller's stream is left as it was.

    For a conditional generator G(z, y) (chapter 9) pass ``classes``: ``generate(z, y)`` then
    takes the labels too, and calibrating asks for classes drawn uniformly.
    """

    def __init__(self, generator: nn.Module, decay: float = 0.999, *, warmup: bool = True,
                 classes: int | None = None):
        if not isinstance(generator, nn.Module):
            raise ValueError(f"generator must be a torch.nn.Module, got {type(generator).__name__}")
        self.decay = _checks.probability("decay", decay)
        if self.decay == 1.0:
            raise ValueError("decay must be below 1 (at 1 the average never leaves its starting weights), got 1.0")
        self.warmup = bool(warmup)
        self.classes = None if classes is None else _checks.integer("classes", classes, minimum=2)
        self.model = copy.deepcopy(generator).requires_grad_(False)
        self.updates = 0
        self._last_step = None
        self._calibrated = False

    @torch.no_grad()
    def update(self, generator: nn.Module, decay: float | None = None) -> None:
        """Move the average towards ``generator``'s current weights."""
        decay = self.decay if decay is None else _checks.probability("decay", decay)
        if self.warmup:  # early on, average over the steps so far rather than mostly the initial weights
            decay = min(decay, (1 + self.updates) / (10 + self.updates))
        params = list(generator.parameters())
        averaged = list(self.model.parameters())
        if len(params) != len(averaged) or any(a.shape != p.shape for a, p in zip(averaged, params)):
            raise ValueError("generator does not have the averaged model's parameters; "
                             "pass the generator this WeightAverage was made from")
        for a, p in zip(averaged, params):
            a.lerp_(p.detach().to(a.device), 1.0 - decay)
        self.updates += 1
        self._calibrated = False

    def __call__(self, trainer: GANTrainer) -> None:
        gap = 1 if self._last_step is None else max(1, trainer.step - self._last_step)
        self.update(trainer.generator, self.decay**gap)
        self._last_step = trainer.step

    @torch.no_grad()
    def calibrate(self, z_dim: int, n: int = 4096, batch_size: int = 512, seed: int = 0) -> None:
        """Recompute the BatchNorm statistics of the average on ``n`` fixed noise vectors."""
        z_dim = _checks.integer("z_dim", z_dim, minimum=1)
        n = _checks.integer("n", n, minimum=2)
        batch_size = _checks.integer("batch_size", batch_size, minimum=2)
        norms = [m for m in self.model.modules() if isinstance(m, _BATCH_NORMS)]
        seed = _checks.integer("seed", seed, minimum=0)
        if norms:
            device = next(self.model.parameters()).device
            gen = torch.Generator().manual_seed(seed)
            momenta = [m.momentum for m in norms]
            for m in norms:
                m.reset_running_stats()
                m.momentum = None  # a plain average over the calibration batches
            self.model.train()
            with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):  # e.g. dropout
                for i in range(0, n, batch_size):
                    size = min(batch_size, n - i)
                    if size < 2:  # batch normalisation needs two samples in a batch
                        break
                    z = torch.randn(size, z_dim, generator=gen).to(device)
                    if self.classes is None:
                        self.model(z)
                    else:
                        self.model(z, torch.randint(self.classes, (size,), generator=gen).to(device))
            for m, momentum in zip(norms, momenta):
                m.momentum = momentum
        self.model.eval()
        self._calibrated = True

    @torch.no_grad()
    def generate(self, z, y=None) -> torch.Tensor:
        """Samples of the averaged generator for the noise ``z`` (shape (n, z_dim)), on the CPU;
        with ``classes``, for the labels ``y`` too (shape (n,), chapter 9)."""
        if not isinstance(z, torch.Tensor) or z.ndim != 2:
            raise ValueError(f"z must be a tensor of shape (n, z_dim), got {getattr(z, 'shape', z)!r}")
        device = next(self.model.parameters()).device
        y = _checks.optional_labels("y", y, len(z), self.classes, device)
        if not self._calibrated:
            self.calibrate(z.shape[1])
        self.model.eval()
        z = z.to(device)
        return (self.model(z) if y is None else self.model(z, y)).cpu()
