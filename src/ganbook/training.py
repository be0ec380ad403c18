"""The GAN training loop: k discriminator steps, then one generator step.

This is the loop that chapter 5 ("The training loop in PyTorch") writes out line by line;
chapter 1 uses it before explaining it. Both losses are binary cross-entropy on logits
(``BCEWithLogitsLoss``): the discriminator returns a logit, and D(x) = sigmoid(logit).

Per logged step the history records the mean D(x) and D(G(z)) on the discriminator's batch
before and after its update, both losses, and the norm of the gradient reaching G.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import warnings
from typing import Callable

import torch
from torch import nn

from . import _checks
from .runtime import get_device

#: The generator losses the trainer knows. "non-saturating" minimises -log D(G(z)) (the
#: generator's target label is 1); "saturating" minimises log(1 - D(G(z))), the minimax form.
LOSSES = ("non-saturating", "saturating")

CHECKPOINT_FORMAT = "ganbook-checkpoint-1"


@dataclasses.dataclass
class History:
    """What a training run recorded, one entry per logged step.

    ``d_real`` and ``d_fake`` are the mean D(x) and D(G(z)) on the discriminator's batch before
    its update; ``d_real_after`` and ``d_fake_after`` on the same batch after it.
    ``stop_reason`` says why training stopped early (None when it ran to the end).
    """

    step: list = dataclasses.field(default_factory=list)
    d_real: list = dataclasses.field(default_factory=list)
    d_fake: list = dataclasses.field(default_factory=list)
    d_real_after: list = dataclasses.field(default_factory=list)
    d_fake_after: list = dataclasses.field(default_factory=list)
    loss_d: list = dataclasses.field(default_factory=list)
    loss_g: list = dataclasses.field(default_factory=list)
    grad_norm_g: list = dataclasses.field(default_factory=list)
    stop_reason: str | None = None

    FIELDS = (
        "step", "d_real", "d_fake", "d_real_after", "d_fake_after", "loss_d", "loss_g", "grad_norm_g",
    )

    def __len__(self) -> int:
        return len(self.step)

    def append(self, record: dict) -> None:
        missing = [name for name in self.FIELDS if name not in record]
        if missing:
            raise ValueError(f"a history record needs every field; missing {missing}")
        for name in self.FIELDS:
            getattr(self, name).append(record[name])

    def last(self, name: str, n: int = 1) -> float:
        """Mean of the last ``n`` recorded values of ``name`` (for example ``"d_real"``)."""
        _checks.choice("name", name, self.FIELDS[1:])
        n = _checks.integer("n", n, minimum=1)
        values = getattr(self, name)[-n:]
        if not values:
            raise ValueError(f"the history is empty: nothing recorded for {name!r}")
        return sum(values) / len(values)

    def as_dict(self) -> dict:
        out = {name: list(getattr(self, name)) for name in self.FIELDS}
        out["stop_reason"] = self.stop_reason
        return out

    @classmethod
    def from_dict(cls, data: dict) -> History:
        if not isinstance(data, dict) or any(name not in data for name in cls.FIELDS):
            raise ValueError(f"not a training history: expected the keys {cls.FIELDS}")
        lengths = {len(data[name]) for name in cls.FIELDS}
        if len(lengths) != 1:
            raise ValueError(f"history fields have different lengths: {sorted(lengths)}")
        return cls(**{name: list(data[name]) for name in cls.FIELDS}, stop_reason=data.get("stop_reason"))


def _grad_norm(module: nn.Module) -> float:
    norms = [p.grad.detach().norm() for p in module.parameters() if p.grad is not None]
    return float(torch.stack(norms).norm()) if norms else 0.0


class GANTrainer:
    """Trains a generator G against a discriminator D on samples of p_data.

    Parameters
    ----------
    generator, discriminator:
        ``nn.Module``s. G maps noise of shape (n, z_dim) to samples shaped like the data;
        D maps samples to one logit each, shape (n, 1) or (n,).
    sample_real:
        A callable ``n -> tensor`` of real samples, such as a ``ganbook.data`` distribution.
    z_dim:
        Size of the noise vector z ~ p_z = N(0, I).
    batch_size, lr_d, lr_g, betas, k:
        Minibatch size m, Adam learning rates for D and G, Adam's betas, and the number of
        discriminator steps per generator step (Algorithm 1's k).
    loss:
        The generator's loss, one of ``LOSSES``.
    real_label, fake_label, g_target:
        The targets in the cross-entropies (chapter 4): D is trained towards ``real_label`` on
        real samples and ``fake_label`` on generated ones; the non-saturating generator loss
        uses ``g_target`` on its fakes. The defaults 1, 0, 1 are the standard GAN;
        ``real_label=0.9`` is one-sided label smoothing. Each must lie in [0, 1].
    r1:
        The weight gamma of the R1 gradient penalty (Mescheder et al. 2018, chapter 8): D's loss
        gains ``gamma / 2 * mean ||grad_x logit(x)||^2`` on the real batch. 0 turns it off.
    criterion:
        ``criterion(logits, targets) -> scalar tensor``, the cross-entropy on logits. ``None``
        means ``nn.BCEWithLogitsLoss()``; chapter 3 plugs in hand-written ones.
    device:
        ``None`` picks CUDA when present, else the CPU.

    A discriminator with an integer attribute ``pack`` is *packed* (PacGAN, chapter 6): it
    judges ``pack`` samples at once and returns one logit per pack, so ``batch_size`` must be a
    multiple of ``pack``.
    """

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        sample_real: Callable[[int], torch.Tensor],
        *,
        z_dim: int,
        batch_size: int = 128,
        lr_d: float = 2e-4,
        lr_g: float = 2e-4,
        betas: tuple = (0.5, 0.999),
        k: int = 1,
        loss: str = "non-saturating",
        real_label: float = 1.0,
        fake_label: float = 0.0,
        g_target: float = 1.0,
        r1: float = 0.0,
        criterion: Callable | None = None,
        device: str | torch.device | None = None,
    ):
        if not isinstance(generator, nn.Module):
            raise ValueError(f"generator must be a torch.nn.Module, got {type(generator).__name__}")
        if not isinstance(discriminator, nn.Module):
            raise ValueError(f"discriminator must be a torch.nn.Module, got {type(discriminator).__name__}")
        if not callable(sample_real):
            raise ValueError(f"sample_real must be callable as sample_real(n), got {sample_real!r}")
        self.z_dim = _checks.integer("z_dim", z_dim, minimum=1)
        self.batch_size = _checks.integer("batch_size", batch_size, minimum=1)
        self.lr_d = _checks.positive_float("lr_d", lr_d)
        self.lr_g = _checks.positive_float("lr_g", lr_g)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            beta = _checks.finite_float(f"betas[{i}]", beta)
            if not 0 <= beta < 1:
                raise ValueError(f"betas[{i}] must be in [0, 1), got {beta!r}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.k = _checks.integer("k", k, minimum=1)
        self.loss = _checks.choice("loss", loss, LOSSES)
        self.real_label = _checks.probability("real_label", real_label)
        self.fake_label = _checks.probability("fake_label", fake_label)
        self.g_target = _checks.probability("g_target", g_target)
        self.r1 = _checks.finite_float("r1", r1)
        if self.r1 < 0:
            raise ValueError(f"r1 must be >= 0 (the penalty's weight gamma), got {r1!r}")
        if criterion is not None and not callable(criterion):
            raise ValueError(f"criterion must be callable as criterion(logits, targets), got {criterion!r}")
        self.device = get_device(device)

        # A packed discriminator (PacGAN, chapter 6) judges packs of `pack` samples at once.
        self.pack = _checks.integer("discriminator.pack", getattr(discriminator, "pack", 1), minimum=1)
        if self.batch_size % self.pack:
            raise ValueError(f"batch_size={self.batch_size} must be a multiple of the discriminator's pack={self.pack}")
        self.generator = generator.to(self.device)
        self.discriminator = discriminator.to(self.device)
        self.sample_real = sample_real
        self._check_shapes()

        self.opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=self.lr_d, betas=self.betas)
        self.opt_g = torch.optim.Adam(self.generator.parameters(), lr=self.lr_g, betas=self.betas)
        self.criterion = nn.BCEWithLogitsLoss() if criterion is None else criterion
        self.history = History()
        self.step = 0  # generator steps taken so far

    # -- batches -----------------------------------------------------------------------------

    def real_batch(self, n: int | None = None) -> torch.Tensor:
        """A batch of real samples on the trainer's device; raises if the sampler misbehaves."""
        n = self.batch_size if n is None else _checks.integer("n", n, minimum=1)
        x = self.sample_real(n)
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"sample_real({n}) must return a torch.Tensor, got {type(x).__name__}")
        if x.ndim < 2 or x.shape[0] != n:
            raise ValueError(f"sample_real({n}) must return shape ({n}, ...), got {tuple(x.shape)}")
        x = x.to(self.device, torch.float32)
        if not torch.isfinite(x).all():
            bad = x[~torch.isfinite(x)][0].item()
            raise ValueError(f"sample_real({n}) returned a non-finite value ({bad}); check the data")
        return x

    def noise(self, n: int | None = None) -> torch.Tensor:
        """A batch z ~ N(0, I) of shape (n, z_dim)."""
        n = self.batch_size if n is None else _checks.integer("n", n, minimum=1)
        return torch.randn(n, self.z_dim, device=self.device)

    def _check_shapes(self) -> None:
        """One tiny forward pass that turns a shape mistake into a clear ValueError.

        It runs in eval mode under a forked RNG, so it changes neither the models nor the
        random stream: a run is the same with or without this check.
        """
        devices = [self.device] if self.device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices), torch.no_grad():
            modes = self.generator.training, self.discriminator.training
            self.generator.eval()
            self.discriminator.eval()
            try:
                pack = self.pack
                x = self.real_batch(2 * pack)
                try:
                    fake = self.generator(self.noise(2 * pack))
                except RuntimeError as err:
                    raise ValueError(f"generator failed on noise of shape ({2 * pack}, {self.z_dim}); "
                                     f"is z_dim={self.z_dim} the size of its input? {err}") from err
                if tuple(fake.shape) != tuple(x.shape):
                    raise ValueError(
                        f"generator output shape {tuple(fake.shape)} does not match the data's "
                        f"shape {tuple(x.shape)}"
                    )
                try:
                    logits = self.discriminator(x)
                except RuntimeError as err:
                    raise ValueError(f"discriminator failed on data of shape {tuple(x.shape)}: {err}") from err
                if tuple(logits.shape) not in ((2,), (2, 1)):
                    what = "one logit per sample" if pack == 1 else f"one logit per pack of {pack} samples"
                    raise ValueError(
                        f"discriminator must return {what}, shape (n, 1) or (n,); got {tuple(logits.shape)} "
                        f"for {2 * pack} samples"
                    )
            finally:
                self.generator.train(modes[0])
                self.discriminator.train(modes[1])

    # -- one step of each player -------------------------------------------------------------

    def _d_logits(self, x: torch.Tensor) -> torch.Tensor:
        return self.discriminator(x).reshape(-1)

    def _loss(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        loss = self.criterion(logits, targets)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError(f"criterion must return a scalar tensor, got {loss!r}")
        return loss.reshape(())

    def d_step(self, measure: bool = True) -> dict:
        """One discriminator step: ascend log D(x) + log(1 - D(G(z))) on a fresh batch.

        (With other labels: descend the cross-entropy towards ``real_label`` and ``fake_label``.)

        Returns the batch's mean D(x) and D(G(z)) before and (if ``measure``) after the update,
        and loss_d (with ``r1``, the penalty included). If loss_d is not finite the update is
        skipped and ``loss_d`` is nan/inf.
        """
        x = self.real_batch()
        fake = self.generator(self.noise()).detach()  # D's step must not reach into G
        if self.r1:  # the penalty needs the gradient of D's logit with respect to the real batch
            x = x.detach().requires_grad_(True)
        logits_real, logits_fake = self._d_logits(x), self._d_logits(fake)
        real_targets = torch.full_like(logits_real, self.real_label)
        fake_targets = torch.full_like(logits_fake, self.fake_label)
        loss_d = self._loss(logits_real, real_targets) + self._loss(logits_fake, fake_targets)
        if self.r1:  # R1: penalise the slope of D's logit at the real data
            grad_x, = torch.autograd.grad(logits_real.sum(), x, create_graph=True)
            loss_d = loss_d + 0.5 * self.r1 * grad_x.pow(2).reshape(len(x), -1).sum(1).mean()
            x = x.detach()
        out = {"loss_d": loss_d.item()}
        if not math.isfinite(out["loss_d"]):
            return out
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        if measure:
            out["d_real"] = torch.sigmoid(logits_real).mean().item()
            out["d_fake"] = torch.sigmoid(logits_fake).mean().item()
            with torch.no_grad():
                out["d_real_after"] = torch.sigmoid(self._d_logits(x)).mean().item()
                out["d_fake_after"] = torch.sigmoid(self._d_logits(fake)).mean().item()
        return out

    def g_step(self, measure: bool = True) -> dict:
        """One generator step on fresh noise, with D frozen. Returns loss_g (and grad_norm_g)."""
        self.discriminator.requires_grad_(False)  # G's step must not change D
        try:
            logits_fake = self._d_logits(self.generator(self.noise()))
            if self.loss == "non-saturating":  # -log D(G(z)) with the default g_target = 1
                loss_g = self._loss(logits_fake, torch.full_like(logits_fake, self.g_target))
            else:  # minus D's loss on the fakes: log(1 - D(G(z))) with the default fake_label = 0
                loss_g = -self._loss(logits_fake, torch.full_like(logits_fake, self.fake_label))
            out = {"loss_g": loss_g.item()}
            if not math.isfinite(out["loss_g"]):
                return out
            self.opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            if measure:
                out["grad_norm_g"] = _grad_norm(self.generator)
            self.opt_g.step()
        finally:
            self.discriminator.requires_grad_(True)
        return out

    # -- the loop ----------------------------------------------------------------------------

    def train(self, steps: int, *, log_every: int = 1, callback=None, progress: bool = False) -> History:
        """Run ``steps`` iterations of (k D steps, 1 G step) and return the history.

        ``callback`` (a callable or a list of them) is called as ``callback(trainer)`` after
        each logged step; one that returns True stops training. A callback with an
        ``on_train_end(trainer)`` method is told when training ends, however it ends.
        Training stops, keeping the history, when a loss becomes nan or inf (with a warning
        that says so) and when interrupted (Kernel > Interrupt, Ctrl-C).
        """
        steps = _checks.integer("steps", steps, minimum=1)
        log_every = _checks.integer("log_every", log_every, minimum=1)
        callbacks = [] if callback is None else list(callback) if isinstance(callback, (list, tuple)) else [callback]
        for cb in callbacks:
            if not callable(cb):
                raise ValueError(f"callback must be callable as callback(trainer), got {cb!r}")
        self.history.stop_reason = None
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=steps, desc="training", unit="step")
        try:
            for _ in range(steps):
                log = (self.step + 1) % log_every == 0
                for j in range(self.k):
                    d = self.d_step(measure=log and j == self.k - 1)
                    if not math.isfinite(d["loss_d"]):
                        self._stop_nonfinite("loss_d", d["loss_d"])
                        return self.history
                g = self.g_step(measure=log)
                if not math.isfinite(g["loss_g"]):
                    self._stop_nonfinite("loss_g", g["loss_g"])
                    return self.history
                self.step += 1
                if bar is not None:
                    bar.update(1)
                if log:
                    self.history.append({"step": self.step, **d, **g})
                    if any(cb(self) is True for cb in callbacks):
                        self.history.stop_reason = f"stopped by a callback at step {self.step}"
                        return self.history
        except KeyboardInterrupt:
            self.history.stop_reason = f"interrupted at step {self.step}"
            warnings.warn(
                f"training interrupted at step {self.step}; the history so far is kept",
                RuntimeWarning,
                stacklevel=2,
            )
        finally:
            if bar is not None:
                bar.close()
            for cb in callbacks:
                if hasattr(cb, "on_train_end"):
                    cb.on_train_end(self)
        return self.history

    def _stop_nonfinite(self, name: str, value: float) -> None:
        self.history.stop_reason = (
            f"{name} became {value} at step {self.step + 1}; training stopped there, the models "
            f"keep their last finite weights and the history up to step {self.step} is kept"
        )
        warnings.warn(self.history.stop_reason, RuntimeWarning, stacklevel=3)

    # -- evaluation --------------------------------------------------------------------------

    @torch.no_grad()
    def evaluate(self, n: int = 10_000) -> dict:
        """Mean D(x) and D(G(z)) on ``n`` fresh samples each, and the generated samples.

        Uses a forked random stream, so evaluating does not change what training does next.
        """
        n = _checks.integer("n", n, minimum=1)
        n += -n % self.pack  # whole packs for a packed discriminator
        devices = [self.device] if self.device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices):
            x = self.real_batch(n)
            fake = self.generator(self.noise(n))
            return {
                "d_real": torch.sigmoid(self._d_logits(x)).mean().item(),
                "d_fake": torch.sigmoid(self._d_logits(fake)).mean().item(),
                "real": x.cpu(),
                "fake": fake.cpu(),
            }

    # -- checkpoints -------------------------------------------------------------------------

    def save(self, path) -> None:
        """Save models, optimisers, history, step and the random state to ``path``."""
        state = {
            "format": CHECKPOINT_FORMAT,
            "step": self.step,
            "z_dim": self.z_dim,
            "loss": self.loss,
            "labels": [self.real_label, self.fake_label, self.g_target],
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "history": self.history.as_dict(),
            "rng_cpu": torch.get_rng_state(),
        }
        if self.device.type == "cuda":
            state["rng_cuda"] = torch.cuda.get_rng_state(self.device)
        torch.save(state, path)

    def load(self, path) -> None:
        """Restore a checkpoint written by ``save``; training then continues where it stopped.

        Loads with ``weights_only=True`` (no arbitrary code runs). A checkpoint of other models
        raises a ValueError that says which part does not fit.
        """
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise ValueError(f"no checkpoint at {str(path)!r}") from None
        except Exception as err:  # not a torch file, or not loadable safely
            raise ValueError(f"{str(path)!r} is not a ganbook checkpoint: {err}") from err
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"{str(path)!r} is not a ganbook checkpoint (format {CHECKPOINT_FORMAT})")
        labels = [self.real_label, self.fake_label, self.g_target]
        if state.get("labels", labels) != labels:
            raise ValueError(
                f"checkpoint {str(path)!r} was trained with (real_label, fake_label, g_target) = "
                f"{tuple(state['labels'])}, this trainer uses {tuple(labels)}"
            )
        if state["z_dim"] != self.z_dim:
            raise ValueError(f"checkpoint {str(path)!r} has z_dim={state['z_dim']}, this trainer z_dim={self.z_dim}")
        for name, module in (("generator", self.generator), ("discriminator", self.discriminator)):
            try:
                module.load_state_dict(state[name])
            except RuntimeError as err:
                raise ValueError(f"checkpoint {str(path)!r} does not fit this {name}: {err}") from err
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.history = History.from_dict(state["history"])
        self.step = int(state["step"])
        torch.set_rng_state(state["rng_cpu"])
        if "rng_cuda" in state and self.device.type == "cuda":
            torch.cuda.set_rng_state(state["rng_cuda"], self.device)


class SampleTracker:
    """A training callback that records the mean and standard deviation of generated samples.

    Every ``every`` generator steps it draws ``n`` samples with ``trainer.evaluate`` (a forked
    random stream, so watching does not change the run) and appends the step, the mean and the
    standard deviation to ``record`` (for multi-dimensional data, those of the first coordinate).
    Chapters 5 and 8 use it to see where p_g is while the D curves say little.
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
    """

    def __init__(self, generator: nn.Module, decay: float = 0.999, *, warmup: bool = True):
        if not isinstance(generator, nn.Module):
            raise ValueError(f"generator must be a torch.nn.Module, got {type(generator).__name__}")
        self.decay = _checks.probability("decay", decay)
        if self.decay == 1.0:
            raise ValueError("decay must be below 1 (at 1 the average never leaves its starting weights), got 1.0")
        self.warmup = bool(warmup)
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
        norms = [m for m in self.model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
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
                    self.model(torch.randn(size, z_dim, generator=gen).to(device))
            for m, momentum in zip(norms, momenta):
                m.momentum = momentum
        self.model.eval()
        self._calibrated = True

    @torch.no_grad()
    def generate(self, z) -> torch.Tensor:
        """Samples of the averaged generator for the noise ``z`` (shape (n, z_dim)), on the CPU."""
        if not isinstance(z, torch.Tensor) or z.ndim != 2:
            raise ValueError(f"z must be a tensor of shape (n, z_dim), got {getattr(z, 'shape', z)!r}")
        if not self._calibrated:
            self.calibrate(z.shape[1])
        device = next(self.model.parameters()).device
        self.model.eval()
        return self.model(z.to(device)).cpu()
