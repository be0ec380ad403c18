"""The GAN training loop: k discriminator steps, then one generator step (chapter 5).

This is the loop that chapter 5 ("The training loop in PyTorch") writes out line by line;
chapter 1 uses it before explaining it. By default both losses are binary cross-entropy on
logits: the discriminator returns a logit, and D(x) = sigmoid(logit). Other losses are objects
of ``ganbook.losses`` (chapter 10), which the loop calls without knowing which one it has.

``GANTrainer`` owns its state: the step counter, the history and the optimisers change only
through its methods. Its public steps (``d_step``, ``g_step``, ``record_step``, ``measure_d``)
are what ``train`` runs and what the widgets of ``ganbook.controls`` call one at a time.

Per logged step the history records the mean D(x) and D(G(z)) on the discriminator's batch
before and after its update, both losses, and the norm of the gradient reaching G.

The same loop trains a conditional GAN (chapter 9): when the data comes as (x, y) pairs, G is
called as G(z, y) and D as D(x, y), and nothing else changes.
"""

from __future__ import annotations

import math
import warnings
from typing import Callable

import torch
from torch import nn
from tqdm.auto import tqdm

from . import _checks
from .checkpoints import load_checkpoint, save_checkpoint
from .history import History
from .losses import GANLoss, make_loss
from .runtime import get_device


def _grad_norm(module: nn.Module) -> float:
    norms = [p.grad.detach().norm() for p in module.parameters() if p.grad is not None]
    return float(torch.stack(norms).norm()) if norms else 0.0


def _optimizer(name: str, make, params, lr: float) -> torch.optim.Optimizer:
    opt = make(params, lr=lr)
    if not isinstance(opt, torch.optim.Optimizer):
        raise ValueError(f"{name} must return a torch.optim.Optimizer, got {type(opt).__name__}")
    return opt


class GANTrainer:
    """Trains a generator G against a discriminator D on samples of p_data (chapter 5's loop).

    Parameters
    ----------
    generator, discriminator:
        ``nn.Module``s. G maps noise of shape (n, z_dim) to samples shaped like the data;
        D maps samples to one logit each, shape (n, 1) or (n,).
    sample_real:
        A callable ``n -> tensor`` of real samples, such as a ``ganbook.data`` distribution;
        or ``n -> (x, y)``, samples and their class labels, such as ``Digits.pairs``
        (chapter 9), together with ``classes``.
    classes:
        ``None`` for unlabelled data. For labelled data, the number of classes: the labels y
        are integers in [0, classes); G is called as ``G(z, y)`` and D as ``D(x, y)``, the
        fakes are asked for labels drawn uniformly, and a fake pair (G(z, y), y) is a negative
        like any fake. A loss with a penalty (WGAN-GP) gets fakes G(z, y) of the real batch's
        labels y, so each point between a real and a fake sample is of one class, scored with y.
    mismatch:
        With ``classes``: the weight of a third kind of negative (chapter 9), a real sample
        with a wrong label (x, y'), scored by the loss as a fake is. 0 turns it off.
    z_dim:
        Size of the noise vector z ~ p_z = N(0, I).
    batch_size, lr_d, lr_g, betas, k:
        Minibatch size m, learning rates for D and G, Adam's betas, and the number of
        discriminator steps per generator step (Algorithm 1's k).
    optimizer_d, optimizer_g:
        ``make(params, lr=...) -> torch.optim.Optimizer`` for each player, for example
        ``torch.optim.SGD`` (chapter 8). ``None`` means Adam with ``betas``.
    loss:
        One of ``LOSSES``, the generator's BCE loss of chapter 4 ("non-saturating" minimises
        -log D(G(z)), "saturating" log(1 - D(G(z)))), or a loss object of ``ganbook.losses``
        (``gb.LeastSquares()``, ``gb.Hinge()``, ``gb.Wasserstein(gp=10)``, chapter 10).
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
        optimizer_d: Callable | None = None,
        optimizer_g: Callable | None = None,
        loss: str | GANLoss = "non-saturating",
        real_label: float = 1.0,
        fake_label: float = 0.0,
        g_target: float = 1.0,
        r1: float = 0.0,
        criterion: Callable | None = None,
        device: str | torch.device | None = None,
        classes: int | None = None,
        mismatch: float = 0.0,
    ):
        generator = _checks.module("generator", generator)
        discriminator = _checks.module("discriminator", discriminator)
        self.sample_real = _checks.function("sample_real", sample_real, "sample_real(n)")
        self.z_dim = _checks.integer("z_dim", z_dim, minimum=1)
        self.batch_size = _checks.integer("batch_size", batch_size, minimum=1)
        self.lr_d = _checks.positive_float("lr_d", lr_d)
        self.lr_g = _checks.positive_float("lr_g", lr_g)
        self.betas = _checks.betas("betas", betas)
        self.k = _checks.integer("k", k, minimum=1)
        self.loss = make_loss(loss, real_label=real_label, fake_label=fake_label, g_target=g_target,
                              criterion=criterion)
        self.r1 = _checks.finite_float("r1", r1)
        if self.r1 < 0:
            raise ValueError(f"r1 must be >= 0 (the penalty's weight gamma), got {r1!r}")
        self.classes = None if classes is None else _checks.integer("classes", classes, minimum=2)
        self.mismatch = _checks.finite_float("mismatch", mismatch)
        if self.mismatch < 0:
            raise ValueError(f"mismatch must be >= 0 (the weight of the wrong-label negatives), got {mismatch!r}")
        if self.mismatch and self.classes is None:
            raise ValueError(f"mismatch={mismatch!r} needs labelled data: pass classes= and (x, y) pairs")
        def adam(params, lr):
            return torch.optim.Adam(params, lr=lr, betas=self.betas)

        optimizer_d = adam if optimizer_d is None else _checks.function("optimizer_d", optimizer_d, "make(params, lr=)")
        optimizer_g = adam if optimizer_g is None else _checks.function("optimizer_g", optimizer_g, "make(params, lr=)")
        self.device = get_device(device)

        # A packed discriminator (PacGAN, chapter 6) judges packs of `pack` samples at once.
        self.pack = _checks.integer("discriminator.pack", getattr(discriminator, "pack", 1), minimum=1)
        if self.batch_size % self.pack:
            raise ValueError(f"batch_size={self.batch_size} must be a multiple of the discriminator's pack={self.pack}")
        if self.pack > 1 and self.classes is not None:
            raise ValueError(f"a packed discriminator (pack={self.pack}) cannot judge labelled pairs; use pack=1")
        self.generator = generator.to(self.device)
        self.discriminator = discriminator.to(self.device)
        self._check_shapes()

        self.opt_d = _optimizer("optimizer_d", optimizer_d, self.discriminator.parameters(), self.lr_d)
        self.opt_g = _optimizer("optimizer_g", optimizer_g, self.generator.parameters(), self.lr_g)
        self.history = History()
        self.step = 0  # generator steps taken so far; only record_step advances it

    def set_learning_rates(self, *, lr_d: float | None = None, lr_g: float | None = None) -> None:
        """Set D's and/or G's learning rate from now on (chapter 6's cool-down, chapter 8)."""
        if lr_d is not None:
            self.lr_d = _checks.positive_float("lr_d", lr_d)
            for group in self.opt_d.param_groups:
                group["lr"] = self.lr_d
        if lr_g is not None:
            self.lr_g = _checks.positive_float("lr_g", lr_g)
            for group in self.opt_g.param_groups:
                group["lr"] = self.lr_g

    # -- batches -----------------------------------------------------------------------------

    def real_batch(self, n: int | None = None) -> torch.Tensor:
        """A batch of real samples on the trainer's device; raises if the sampler misbehaves."""
        return self.real_pairs(n)[0]

    def real_pairs(self, n: int | None = None) -> tuple:
        """A real batch and its labels ``(x, y)`` on the trainer's device (chapter 9); y is None
        for unlabelled data. Raises if the sampler's pairs or labels do not fit ``classes``."""
        n = self.batch_size if n is None else _checks.integer("n", n, minimum=1)
        x, y = self.sample_real(n), None
        pair = isinstance(x, tuple)
        if pair and self.classes is None:
            raise ValueError(f"sample_real({n}) returned (x, y) pairs: pass classes= (the number of "
                             "classes) to train a conditional GAN")
        if self.classes is not None:
            if not pair or len(x) != 2:
                raise ValueError(f"with classes={self.classes}, sample_real({n}) must return (x, y) pairs, "
                                 f"got {type(x).__name__}")
            x, y = x
            y = _checks.labels(f"the labels y of sample_real({n})", y, n, self.classes).to(self.device)
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"sample_real({n}) must return a torch.Tensor, got {type(x).__name__}")
        if x.ndim < 2 or x.shape[0] != n:
            raise ValueError(f"sample_real({n}) must return shape ({n}, ...), got {tuple(x.shape)}")
        x = x.to(self.device, torch.float32)
        if not torch.isfinite(x).all():
            bad = x[~torch.isfinite(x)][0].item()
            raise ValueError(f"sample_real({n}) returned a non-finite value ({bad}); check the data")
        return x, y

    def fake_labels(self, n: int | None = None):
        """The labels G is asked for, drawn uniformly from [0, classes); None for unlabelled data."""
        if self.classes is None:
            return None
        n = self.batch_size if n is None else _checks.integer("n", n, minimum=1)
        return torch.randint(self.classes, (n,), device=self.device)

    def _g(self, z: torch.Tensor, y) -> torch.Tensor:
        return self.generator(z) if y is None else self.generator(z, y)

    def noise(self, n: int | None = None) -> torch.Tensor:
        """A batch z ~ N(0, I) of shape (n, z_dim)."""
        n = self.batch_size if n is None else _checks.integer("n", n, minimum=1)
        return torch.randn(n, self.z_dim, device=self.device)

    @torch.no_grad()
    def generate(self, z, y=None) -> torch.Tensor:
        """G's samples for the noise ``z`` (shape (n, z_dim)), on the CPU (chapters 1, 6 and 7);
        for a conditional GAN, G(z, y) for the labels ``y`` (shape (n,), chapter 9).

        G runs in eval mode (batch normalisation uses its running statistics, so the same z
        always gives the same samples) and is put back in the mode it was in.
        """
        if not isinstance(z, torch.Tensor) or z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"z must be a tensor of shape (n, {self.z_dim}), got {getattr(z, 'shape', z)!r}")
        y = _checks.optional_labels("y", y, len(z), self.classes, self.device)
        mode = self.generator.training
        self.generator.eval()
        try:
            return self._g(z.to(self.device), y).cpu()
        finally:
            self.generator.train(mode)

    def _forked_rng(self):
        return torch.random.fork_rng(devices=[self.device] if self.device.type == "cuda" else [])

    def _check_shapes(self) -> None:
        """One tiny forward pass that turns a shape mistake into a clear ValueError.

        It runs in eval mode under a forked RNG, so it changes neither the models nor the
        random stream: a run is the same with or without this check.
        """
        with self._forked_rng(), torch.no_grad():
            modes = self.generator.training, self.discriminator.training
            self.generator.eval()
            self.discriminator.eval()
            try:
                pack = self.pack
                x, y = self.real_pairs(2 * pack)
                try:
                    fake = self._g(self.noise(2 * pack), y)
                except (RuntimeError, TypeError) as err:
                    takes = "" if y is None else "(z, y)"
                    raise ValueError(f"generator{takes} failed on noise of shape ({2 * pack}, {self.z_dim}); "
                                     f"is z_dim={self.z_dim} the size of its input? {err}") from err
                if tuple(fake.shape) != tuple(x.shape):
                    raise ValueError(
                        f"generator output shape {tuple(fake.shape)} does not match the data's "
                        f"shape {tuple(x.shape)}"
                    )
                try:
                    logits = self.discriminator(x) if y is None else self.discriminator(x, y)
                except (RuntimeError, TypeError) as err:
                    takes = "" if y is None else "(x, y)"
                    raise ValueError(f"discriminator{takes} failed on data of shape {tuple(x.shape)}: {err}") from err
                if tuple(logits.shape) not in ((2,), (2, 1)):
                    what = "one logit per sample" if pack == 1 else f"one logit per pack of {pack} samples"
                    raise ValueError(
                        f"discriminator must return {what}, shape (n, 1) or (n,); got {tuple(logits.shape)} "
                        f"for {2 * pack} samples"
                    )
            finally:
                self.generator.train(modes[0])
                self.discriminator.train(modes[1])

    # -- the losses --------------------------------------------------------------------------

    def logits(self, x: torch.Tensor, y=None) -> torch.Tensor:
        """D's logits for the samples ``x``, flattened to shape (n,) (one per pack if packed);
        for a conditional GAN, D's logits for the pairs (x, y) (chapter 9)."""
        return (self.discriminator(x) if y is None else self.discriminator(x, y)).reshape(-1)

    def wrong_labels(self, y: torch.Tensor) -> torch.Tensor:
        """For each label, another class drawn uniformly from the rest: the y' of a mismatched
        pair (x, y') (chapter 9)."""
        if self.classes is None:
            raise ValueError("wrong_labels needs labelled data (classes=None here)")
        if not isinstance(y, torch.Tensor) or y.ndim != 1:
            raise ValueError(f"y must be a 1-D tensor of class indices, got {getattr(y, 'shape', y)!r}")
        y = _checks.labels("y", y, len(y), self.classes)
        shift = torch.randint(1, self.classes, y.shape, device=y.device)
        return (y + shift) % self.classes

    def discriminator_loss(self, logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
        """D's loss on its logits of a real and a fake batch: by default the cross-entropy towards
        ``real_label`` and ``fake_label`` (chapter 3; without R1 or a gradient penalty, which
        ``d_step`` adds)."""
        return self.loss.d_loss(logits_real, logits_fake)

    def generator_loss(self, logits_fake: torch.Tensor) -> torch.Tensor:
        """G's loss on D's logits for its fakes: by default the non-saturating -log D(G(z))
        (towards ``g_target``), or the saturating log(1 - D(G(z))) (chapter 4)."""
        return self.loss.g_loss(logits_fake)

    # -- one step of each player -------------------------------------------------------------

    def d_step(self, measure: bool = True) -> dict:
        """One discriminator step: ascend log D(x) + log(1 - D(G(z))) on a fresh batch (chapter 5).

        (With other labels: descend the cross-entropy towards ``real_label`` and ``fake_label``.)

        Returns ``loss_d`` (with ``r1``, the penalty included) and ``skipped``; if ``measure``,
        also the batch's mean D(x) and D(G(z)) before and after the update. If loss_d is not
        finite the update is not made: ``skipped`` is True and ``loss_d`` is nan or inf.
        """
        x, y = self.real_pairs()
        y_fake, z = self.fake_labels(), self.noise()
        fake = self._g(z, y_fake).detach()  # D's step must not reach into G
        between = fake  # the penalty's fakes: a conditional D scores the x_hat with the real y,
        if y is not None and self.loss.has_penalty:  # so each x_hat joins x and a fake of its class
            with torch.no_grad():
                between = self._g(z, y)
        if self.r1:  # the penalty needs the gradient of D's logit with respect to the real batch
            x = x.detach().requires_grad_(True)
        logits_real, logits_fake = self.logits(x, y), self.logits(fake, y_fake)
        loss_d = self.discriminator_loss(logits_real, logits_fake)
        if self.mismatch:  # a real sample with a wrong label is a negative too
            loss_d = loss_d + self.mismatch * self.loss.negative(self.logits(x.detach(), self.wrong_labels(y)))
        penalty = self.loss.penalty(lambda v: self.logits(v, y), x, between)  # WGAN-GP's
        if penalty is not None:
            loss_d = loss_d + penalty
        if self.r1:  # R1: penalise the slope of D's logit at the real data
            grad_x, = torch.autograd.grad(logits_real.sum(), x, create_graph=True)
            loss_d = loss_d + 0.5 * self.r1 * grad_x.pow(2).reshape(len(x), -1).sum(1).mean()
            x = x.detach()
        out = {"loss_d": loss_d.item()}
        out["skipped"] = not math.isfinite(out["loss_d"])
        if out["skipped"]:
            return out
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        self.loss.after_d_step(self.discriminator)  # WGAN's clipping
        if measure:
            verdict = self.loss.verdict  # D(x) = sigmoid(logit) for BCE, else the raw score
            out["d_real"] = verdict(logits_real).mean().item()
            out["d_fake"] = verdict(logits_fake).mean().item()
            with torch.no_grad():
                out["d_real_after"] = verdict(self.logits(x, y)).mean().item()
                out["d_fake_after"] = verdict(self.logits(fake, y_fake)).mean().item()
        return out

    def g_step(self, measure: bool = True) -> dict:
        """One generator step on fresh noise, with D frozen (chapter 5).

        Returns ``loss_g`` and ``skipped`` (True, with no update, when loss_g is not finite);
        if ``measure``, also ``grad_norm_g``, the norm of the gradient reaching G.
        """
        self.discriminator.requires_grad_(False)  # G's step must not change D
        try:
            y = self.fake_labels()
            loss_g = self.generator_loss(self.logits(self._g(self.noise(), y), y))
            out = {"loss_g": loss_g.item()}
            out["skipped"] = not math.isfinite(out["loss_g"])
            if out["skipped"]:
                return out
            self.opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            if measure:
                out["grad_norm_g"] = _grad_norm(self.generator)
            self.opt_g.step()
        finally:
            self.discriminator.requires_grad_(True)
        return out

    def restore_progress(self, history: History, step: int) -> None:
        """Set the history and the step counter of a loaded checkpoint (``load``)."""
        if not isinstance(history, History):
            raise ValueError(f"history must be a History, got {type(history).__name__}")
        self.history, self.step = history, _checks.integer("step", step, minimum=0)

    def record_step(self, d: dict, g: dict, *, log: bool = True) -> None:
        """Count one finished iteration (k D steps and a G step) and, if ``log``, record it.

        ``d`` is what the last ``d_step`` (or ``measure_d``) returned, ``g`` what ``g_step``
        returned, both measured when ``log``. The only place that advances ``step``.
        """
        for name, record in (("d", d), ("g", g)):
            if not isinstance(record, dict) or record.get("skipped", True):
                raise ValueError(f"{name} must be the record of a step that was taken, got {record!r}")
        self.step += 1
        if log:
            self.history.append({"step": self.step, **d, **g})

    @torch.no_grad()
    def measure_d(self) -> dict:
        """D(x), D(G(z)) and loss_d on a fresh batch, with no update (chapter 5's Step G button).

        Shaped like ``d_step``'s record: as nothing was updated, the values "after" equal those
        before. Uses a forked random stream, so measuring does not change what training does next.
        """
        with self._forked_rng():
            (x, y), y_fake = self.real_pairs(), self.fake_labels()
            fake = self._g(self.noise(), y_fake)
            logits_real, logits_fake = self.logits(x, y), self.logits(fake, y_fake)
            loss_d = self.discriminator_loss(logits_real, logits_fake).item()
            d_real, d_fake = self.loss.verdict(logits_real).mean().item(), self.loss.verdict(logits_fake).mean().item()
        return {"loss_d": loss_d, "skipped": False, "d_real": d_real, "d_fake": d_fake,
                "d_real_after": d_real, "d_fake_after": d_fake}

    # -- the loop ----------------------------------------------------------------------------

    def train(self, steps: int, *, log_every: int = 1, callback=None, progress: bool = False) -> History:
        """Run ``steps`` iterations of (k D steps, 1 G step) and return the history (chapter 5).

        ``callback`` (a callable or a list of them, see ``ganbook.callbacks``) is called as
        ``callback(trainer)`` after each logged step; one that returns True stops training. A
        callback with an ``on_train_begin(trainer)`` method is told before the first step, one
        with an ``on_train_end(trainer)`` method when training ends, however it ends. Training
        stops, keeping the history, when a loss becomes nan or inf (with a warning that says so)
        and when interrupted (Kernel > Interrupt, Ctrl-C).
        """
        steps = _checks.integer("steps", steps, minimum=1)
        log_every = _checks.integer("log_every", log_every, minimum=1)
        callbacks = [] if callback is None else list(callback) if isinstance(callback, (list, tuple)) else [callback]
        for cb in callbacks:
            _checks.function("callback", cb, "callback(trainer)")
        self.history.stop_reason = None
        for cb in callbacks:
            if hasattr(cb, "on_train_begin"):
                cb.on_train_begin(self)
        bar = None
        if progress:
            bar = tqdm(total=steps, desc="training", unit="step")
        try:
            for _ in range(steps):
                log = (self.step + 1) % log_every == 0
                for j in range(self.k):
                    d = self.d_step(measure=log and j == self.k - 1)
                    if d["skipped"]:
                        self._stop_nonfinite("loss_d", d["loss_d"])
                        return self.history
                g = self.g_step(measure=log)
                if g["skipped"]:
                    self._stop_nonfinite("loss_g", g["loss_g"])
                    return self.history
                self.record_step(d, g, log=log)
                if bar is not None:
                    bar.update(1)
                if log and any(cb(self) is True for cb in callbacks):
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

        For labelled data also ``real_labels`` and ``fake_labels`` (the classes G was asked
        for), and D's verdicts are on pairs. Uses a forked random stream, so evaluating does not
        change what training does next.
        """
        n = _checks.integer("n", n, minimum=1)
        n += -n % self.pack  # whole packs for a packed discriminator
        with self._forked_rng():
            x, y = self.real_pairs(n)
            y_fake = self.fake_labels(n)
            fake = self._g(self.noise(n), y_fake)
            out = {
                "d_real": self.loss.verdict(self.logits(x, y)).mean().item(),
                "d_fake": self.loss.verdict(self.logits(fake, y_fake)).mean().item(),
                "real": x.cpu(),
                "fake": fake.cpu(),
            }
            if self.classes is not None:
                out["real_labels"], out["fake_labels"] = y.cpu(), y_fake.cpu()
            return out

    # -- checkpoints (ganbook.checkpoints) -------------------------------------------------

    def save(self, path) -> None:
        """Save models, optimisers, history, step and the random state to ``path`` (chapter 5)."""
        save_checkpoint(self, path)

    def load(self, path) -> None:
        """Restore a checkpoint written by ``save`` (safely: ``weights_only``) and continue from it."""
        load_checkpoint(self, path)
