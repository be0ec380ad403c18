"""The adversarial losses, as small objects that ``GANTrainer(loss=...)`` takes (chapters 3, 4, 10).

A loss says what D's raw output means and how each player is scored on it:

- ``positive(scores)``: D's loss on the samples it should call real; ``negative(scores)``: on
  those it should call fake. D's loss is their sum (``d_loss``).
- ``g_loss(scores)``: G's loss on D's scores of its fakes.
- ``penalty(score, real, fake)``: a term of D's loss that needs the samples themselves (the
  gradient penalty of WGAN-GP); ``None`` for the others. ``after_d_step(discriminator)``: what
  happens to D's weights after its step (WGAN's clipping); nothing for the others.
- ``verdict(scores)``: what the dashboard plots; ``output`` says what it is (one of ``OUTPUTS``):
  ``"probability"`` (BCE: D(x) = sigmoid(logit)), ``"least squares"`` (the raw output, pulled
  towards 1 and 0), ``"margin"`` (the hinge's raw score, pushed past +1 on real samples and below
  -1 on fakes; its optimum is bounded) or ``"critic"`` (Wasserstein: an unbounded score, defined
  up to an added constant; the gap between real and fake is what matters).

``BCE`` is chapters 3 and 4's binary cross-entropy; chapter 10 writes out and measures the others.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import nn

from . import _checks

#: The generator losses of chapter 4, by name (``GANTrainer(loss="saturating")``): BCE both.
LOSSES = ("non-saturating", "saturating")

#: What D's output can be, a loss's ``output`` (chapter 10): the plots and panels draw each its way.
OUTPUTS = ("probability", "least squares", "margin", "critic")


class GANLoss:
    """What every loss has (chapter 10): D's loss is ``positive(real) + negative(fake)``; no
    penalty, no clipping."""

    output = "probability"

    def positive(self, scores: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def negative(self, scores: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def g_loss(self, scores: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def d_loss(self, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        """D's loss on its scores of a real and a fake batch (without any penalty)."""
        return self.positive(real) + self.negative(fake)

    def penalty(self, score: Callable, real: torch.Tensor, fake: torch.Tensor):
        """A term of D's loss computed from the samples (``score(x)`` gives D's scores); None here."""
        return None

    @property
    def has_penalty(self) -> bool:
        """Whether ``penalty`` may return a term, so that the trainer draws the fakes it needs
        (chapter 10): True for a loss that overrides ``penalty``."""
        return type(self).penalty is not GANLoss.penalty

    def after_d_step(self, discriminator: nn.Module) -> None:
        """Called after each step of D's optimiser; nothing here."""

    def verdict(self, scores: torch.Tensor) -> torch.Tensor:
        """What the dashboard plots for these scores: here the raw scores."""
        return scores


class BCE(GANLoss):
    """Binary cross-entropy on logits, D(x) = sigmoid(logit) (chapters 3 and 4).

    D is trained towards ``real_label`` on real samples and ``fake_label`` on fakes. G's loss is
    ``"non-saturating"``, -log D(G(z)) (towards ``g_target``), or ``"saturating"``,
    log(1 - D(G(z))). ``criterion(logits, targets)`` is the cross-entropy (chapter 3 plugs in
    hand-written ones); ``None`` means ``nn.BCEWithLogitsLoss()``.
    """

    output = "probability"

    def __init__(self, generator: str = "non-saturating", *, real_label: float = 1.0, fake_label: float = 0.0,
                 g_target: float = 1.0, criterion: Callable | None = None):
        self.generator = _checks.choice("loss", generator, LOSSES)
        self.real_label = _checks.probability("real_label", real_label)
        self.fake_label = _checks.probability("fake_label", fake_label)
        self.g_target = _checks.probability("g_target", g_target)
        self.criterion = nn.BCEWithLogitsLoss() if criterion is None else _checks.function(
            "criterion", criterion, "criterion(logits, targets)")

    def __repr__(self) -> str:
        return (f"BCE({self.generator!r}, real_label={self.real_label}, fake_label={self.fake_label}, "
                f"g_target={self.g_target})")

    def cross_entropy(self, logits: torch.Tensor, target: float) -> torch.Tensor:
        """The criterion of ``logits`` against the constant ``target``, as a scalar."""
        loss = self.criterion(logits, torch.full_like(logits, target))
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError(f"criterion must return a scalar tensor, got {loss!r}")
        return loss.reshape(())

    def positive(self, scores):
        return self.cross_entropy(scores, self.real_label)

    def negative(self, scores):
        return self.cross_entropy(scores, self.fake_label)

    def g_loss(self, scores):
        if self.generator == "non-saturating":
            return self.cross_entropy(scores, self.g_target)
        return -self.negative(scores)

    def verdict(self, scores):
        return torch.sigmoid(scores)


class LeastSquares(GANLoss):
    """LSGAN (Mao et al. 2017; chapter 10): D's raw output is pulled to 1 on real samples and to
    0 on fakes, ``(s - 1)^2 / 2`` and ``s^2 / 2``; G pulls its fakes' scores to 1."""

    output = "least squares"

    def __repr__(self) -> str:
        return "LeastSquares()"

    def positive(self, scores):
        return 0.5 * (scores - 1).pow(2).mean()

    def negative(self, scores):
        return 0.5 * scores.pow(2).mean()

    def g_loss(self, scores):
        return 0.5 * (scores - 1).pow(2).mean()


class Hinge(GANLoss):
    """The hinge loss (Lim and Ye 2017; chapter 10): D pays ``relu(1 - s)`` on real samples and
    ``relu(1 + s)`` on fakes, so it stops pushing once a score is past the margin; G maximises
    its fakes' mean score.

    D is a margin classifier, not a critic: its targets are +1 (real) and -1 (fake), and its
    optimum is bounded, D*(x) = sign(p_data(x) - p_g(x)) in [-1, 1] (any value in [-1, 1] where
    the densities are equal). The optimal gap E D*(x) - E D*(G(z)) is 2 TV(p_data, p_g), twice
    the total variation distance, not the Wasserstein distance. ``output`` is ``"margin"``.
    """

    output = "margin"

    def __repr__(self) -> str:
        return "Hinge()"

    def positive(self, scores):
        return torch.relu(1 - scores).mean()

    def negative(self, scores):
        return torch.relu(1 + scores).mean()

    def g_loss(self, scores):
        return -scores.mean()


class Wasserstein(GANLoss):
    """The Wasserstein loss (Arjovsky et al. 2017; chapter 10): a critic f maximises
    E f(x) - E f(G(z)), G maximises E f(G(z)).

    The best gap over the K-Lipschitz functions is K W1, K times the Wasserstein-1 distance
    (Arjovsky et al. 2017, section 3), so the constraint on f sets what the gap measures; a
    critic of limited capacity reaches at most that. ``clip`` clips every weight of the critic
    to [-clip, clip] after each of its steps (WGAN): that makes f K-Lipschitz for some K that
    the clip value and the architecture set and nobody knows, so the gap estimates K W1, a
    quantity in arbitrary units, and not W1 itself. ``gp`` adds the gradient penalty of WGAN-GP
    (Gulrajani et al. 2017), which aims at K = 1: ``gp * E (||grad f(x_hat)|| - 1)^2`` on points
    x_hat = eps x + (1 - eps) G(z) between a real and a fake sample, eps ~ U[0, 1] per sample,
    the norm taken per sample over all of its dimensions; the penalty is soft, so the slope it
    leaves is near 1, not exactly 1. Give one of the two.
    """

    output = "critic"

    def __init__(self, *, clip: float | None = None, gp: float | None = None):
        if (clip is None) == (gp is None):
            raise ValueError(f"Wasserstein needs exactly one of clip (WGAN) and gp (WGAN-GP), got clip={clip!r}, "
                             f"gp={gp!r}")
        self.clip = None if clip is None else _checks.positive_float("clip", clip)
        self.gp = None if gp is None else _checks.positive_float("gp", gp)

    def __repr__(self) -> str:
        return f"Wasserstein(clip={self.clip})" if self.clip is not None else f"Wasserstein(gp={self.gp})"

    def positive(self, scores):
        return -scores.mean()

    def negative(self, scores):
        return scores.mean()

    def g_loss(self, scores):
        return -scores.mean()

    def penalty(self, score, real, fake):
        if self.gp is None:
            return None
        return self.gp * gradient_penalty(score, real, fake)

    @property
    def has_penalty(self) -> bool:
        """True with ``gp`` (WGAN-GP), False with ``clip`` (chapter 10)."""
        return self.gp is not None

    @torch.no_grad()
    def after_d_step(self, discriminator):
        if self.clip is not None:
            for p in discriminator.parameters():
                p.clamp_(-self.clip, self.clip)


def gradient_penalty(score: Callable, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """WGAN-GP's E (||grad_x f(x_hat)||_2 - 1)^2, unweighted (chapter 10 writes it out).

    ``score(x)`` returns the critic's scores of the samples ``x``; ``real`` and ``fake`` have one
    shape (n, ...). Each x_hat lies on the segment between a real sample and a fake one, at a
    uniform random eps of its own; the gradient's norm is taken per sample, over every dimension
    but the batch, and the squared distances from 1 are averaged. The result keeps its graph, so
    backpropagating it reaches the critic's parameters.
    """
    if not isinstance(real, torch.Tensor) or not isinstance(fake, torch.Tensor) or real.shape != fake.shape:
        raise ValueError(f"real and fake must be tensors of one shape, got {getattr(real, 'shape', real)!r} "
                         f"and {getattr(fake, 'shape', fake)!r}")
    eps = torch.rand(len(real), *([1] * (real.ndim - 1)), device=real.device)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    grad, = torch.autograd.grad(score(x_hat).sum(), x_hat, create_graph=True)
    return (grad.reshape(len(grad), -1).norm(dim=1) - 1).pow(2).mean()


def make_loss(loss, **bce_options) -> GANLoss:
    """A loss object from ``loss``: a ``GANLoss`` as it is, or a name of ``LOSSES`` as ``BCE``
    with ``bce_options`` (its labels and criterion)."""
    if isinstance(loss, GANLoss):
        changed = {k: v for k, v in bce_options.items() if v != _BCE_DEFAULTS[k]}
        if changed:
            raise ValueError(f"{', '.join(changed)} belong to the BCE loss: pass them to gb.BCE(...), "
                             f"not next to loss={loss!r}")
        return loss
    if isinstance(loss, str):
        return BCE(loss, **bce_options)
    raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))} or a loss object such as "
                     f"gb.Hinge(), got {loss!r}")


_BCE_DEFAULTS = {"real_label": 1.0, "fake_label": 0.0, "g_target": 1.0, "criterion": None}
