"""Plot helpers that draw onto a matplotlib axis: the D(x) / D(G(z)) curves and image grids.

They draw, and nothing else: no training, no display. The panels of ``ganbook.panels`` and the
chapters' own figures call them.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import torch

from . import _checks
from .losses import OUTPUTS
from .style import EQUILIBRIUM_COLOR, FAKE_COLOR, PAPER_COLOR, REAL_COLOR


def smooth(values, alpha: float = 0.05) -> np.ndarray:
    """Exponential moving average of ``values`` (chapter 1's thick curves), so the trend shows
    through the per-batch noise: ``out[i] = (1 - alpha) * out[i-1] + alpha * values[i]``."""
    alpha = _checks.finite_float("alpha", alpha)
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha!r}")
    out = np.empty(len(values))
    acc = values[0] if len(values) else 0.0
    for i, v in enumerate(values):
        acc = (1 - alpha) * acc + alpha * v
        out[i] = acc
    return out


D_NAMES = ("D(x)", "D(G(z))")
"""What the curves are called; a conditional GAN's D judges pairs: ("D(x, y)", "D(G(z, y), y)")."""
PAIR_NAMES = ("D(x, y)", "D(G(z, y), y)")


def plot_d_curves(ax, history, *, after: bool = False, title: str | None = None, names: tuple = D_NAMES,
                  output: str = "probability") -> None:
    """Mean D(x) and D(G(z)) against steps on ``ax``, with the 0.5 equilibrium line (chapter 1).

    Thin lines are per batch, thick ones their moving average. ``after=True`` adds dashed
    curves measured on the same batch after the discriminator's update (chapter 5). ``names``
    labels the two curves (chapter 9's dashboard passes ``PAIR_NAMES``). ``output`` is what D's
    output is (the loss's ``output``, one of ``OUTPUTS``, chapter 10): a probability in [0, 1];
    a least-squares score, pulled to 1 and 0 (its optimum is 0.5 too); the hinge's margin
    score, pushed past +1 on real samples and below -1 on fakes, drawn with dotted lines at
    those two targets (its optimum is bounded, and no value marks the equilibrium); or a
    critic's unbounded score, where the curves are the mean scores and their gap is drawn too,
    with no 0.5 line. The gap is in the critic's own units: at most K W1 for a K-Lipschitz
    critic, so an estimate of W1 only where the gradient penalty holds K near 1; a clipped
    critic's K is unknown, and its gap is in arbitrary units.
    """
    _checks.choice("output", output, OUTPUTS)
    if not (isinstance(names, (tuple, list)) and len(names) == 2 and all(isinstance(n, str) for n in names)):
        raise ValueError(f"names must be two strings (the real and the fake curve), got {names!r}")
    critic = output == "critic"
    if output in ("probability", "least squares"):
        ax.axhline(0.5, color=EQUILIBRIUM_COLOR, lw=1, ls=":", label="0.5 (equilibrium)")
    elif output == "margin":  # the hinge's targets: D stops pushing once a score is past them
        ax.axhline(1, color=EQUILIBRIUM_COLOR, lw=1, ls=":", label="margins +1 and -1")
        ax.axhline(-1, color=EQUILIBRIUM_COLOR, lw=1, ls=":")
    if len(history):
        steps = np.asarray(history.step)
        # D(x) is drawn wider, underneath, so both stay visible once the curves meet at 0.5.
        for name, color, label, width in (("d_real", REAL_COLOR, names[0], 3.2), ("d_fake", FAKE_COLOR, names[1], 1.6)):
            values = np.asarray(getattr(history, name))
            ax.plot(steps, values, color=color, lw=0.6, alpha=0.35)
            ax.plot(steps, smooth(values), color=color, lw=width, label=label)
            if after:
                ax.plot(steps, smooth(getattr(history, name + "_after")), color=color, lw=1.2, ls="--",
                        label=f"{label} after D step")
        if critic:  # the critic's gap, in its own units (at most K W1 for a K-Lipschitz critic)
            gap = np.asarray(history.d_real) - np.asarray(history.d_fake)
            ax.plot(steps, smooth(gap), color=EQUILIBRIUM_COLOR, lw=1.6, ls="-.", label="gap: real - fake")
        ax.set_xlim(0, max(steps[-1], 1))
    if output == "probability":
        ax.set_ylim(0, 1)
    ax.set_xlabel("generator step")
    ax.set_ylabel(Y_LABELS[output])
    default = f"{names[0]} and {names[1]}" + (": the critic's mean scores" if critic else "")
    ax.set_title(title or default)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)


#: The y axis of ``plot_d_curves`` for each kind of output: what the curves are.
Y_LABELS = {"probability": "mean discriminator output", "least squares": "mean D score (targets 1 and 0)",
            "margin": "mean D score (targets +1 real, -1 fake)", "critic": "critic's mean score (unbounded)"}


def grid_shape(shape) -> tuple:
    """``shape`` as a checked (height, width) pair of positive integers (chapter 7's 8 x 8 digits)."""
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise ValueError(f"shape must be (height, width), got {shape!r}")
    return _checks.integer("shape[0]", shape[0], minimum=1), _checks.integer("shape[1]", shape[1], minimum=1)


def plot_images(ax, images, *, columns: int = 12, shape: tuple = (8, 8), title: str | None = None) -> None:
    """Draw ``images`` (shape (n, h*w), values in [-1, 1]) as a grid, ink dark on white paper
    (chapter 7)."""
    images = torch.as_tensor(images).detach().cpu().float()
    columns = _checks.integer("columns", columns, minimum=1)
    h, w = grid_shape(shape)
    if images.ndim < 2 or len(images) == 0 or images[0].numel() != h * w:
        raise ValueError(f"images must have shape (n, {h * w}) for shape={shape!r}, got {tuple(images.shape)}")
    n = len(images)
    rows = -(-n // columns)
    canvas = torch.full((rows * (h + 1) + 1, min(n, columns) * (w + 1) + 1), float("nan"))
    for i, img in enumerate(images.reshape(n, h, w)):
        r, c = divmod(i, columns)
        canvas[1 + r * (h + 1):1 + r * (h + 1) + h, 1 + c * (w + 1):1 + c * (w + 1) + w] = img
    cmap = matplotlib.colormaps["gray_r"].with_extremes(bad=PAPER_COLOR)
    ax.imshow(canvas.numpy(), cmap=cmap, vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
