"""Dashboard panels: each draws one view of a training run onto an axis, as ``panel(ax, trainer)``.

A ``ganbook.dashboard.Dashboard`` calls its panels at every redraw. Each panel that shows
generated samples maps the same noise z through the current G in every frame (``FixedNoise``),
drawn from its own random generator: a run gives the same numbers with or without a dashboard,
at any redraw rate.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from matplotlib.colors import LinearSegmentedColormap

from . import _checks
from .metrics import mode_coverage
from .losses import OUTPUTS
from .plots import grid_shape, plot_images, smooth
from .style import ACCENT_COLOR, EQUILIBRIUM_COLOR, FAKE_COLOR, METRIC_COLOR, REAL_COLOR
from .history import History
from .training import GANTrainer


def generator_push(trainer: GANTrainer, fake) -> torch.Tensor:
    """Minus the gradient of the generator's loss with respect to each generated sample (chapter 6).

    For the non-saturating loss that is ``(1 - D(x)) * grad_x logit(x)``; for the saturating
    loss ``D(x) * grad_x logit(x)``: where each fake would move if it could move freely. It is
    ``trainer.generator_loss``, the loss of ``g_step``, differentiated with respect to the
    samples instead of G's weights. With a packed discriminator the fakes are judged in packs,
    in order, so pass whole packs.
    """
    if not isinstance(trainer, GANTrainer):
        raise ValueError(f"trainer must be a GANTrainer, got {type(trainer).__name__}")
    if trainer.classes is not None:
        raise ValueError("generator_push draws the push of an unconditional D; this trainer is "
                         f"conditional (classes={trainer.classes})")
    fake = torch.as_tensor(fake, dtype=torch.float32).detach().to(trainer.device).requires_grad_(True)
    if len(fake) % trainer.pack:
        raise ValueError(f"generator_push needs whole packs of {trainer.pack} samples, got {len(fake)}")
    loss = trainer.generator_loss(trainer.logits(fake))
    # autograd.grad returns the gradient for the samples only: D's .grad is left alone
    grad, = torch.autograd.grad(loss * len(fake), fake)  # per-sample gradients (undo the mean)
    return -grad.detach().cpu()


class FixedNoise:
    """The same batch of ``n`` noise vectors in every frame, drawn from a private generator
    (chapter 1's histograms, chapter 6's plane, chapter 7's digit grid).

    ``fixed(z_dim)`` returns it, drawing it the first time, and again only if ``z_dim`` changes
    (the controls of chapter 5 may rebuild the trainer). ``generator`` is shared with whatever
    else the panel draws once (its real samples), so a panel's draws follow one private stream.
    """

    def __init__(self, n: int, generator: torch.Generator):
        self.n = _checks.integer("n", n, minimum=1)
        if not isinstance(generator, torch.Generator):
            raise ValueError(f"generator must be a torch.Generator, got {generator!r}")
        self.generator = generator
        self.z = None

    def __call__(self, z_dim: int) -> torch.Tensor:
        if self.z is None or self.z.shape[1] != z_dim:
            self.z = torch.randn(self.n, _checks.integer("z_dim", z_dim, minimum=1), generator=self.generator)
        return self.z


def _private_generator(seed) -> torch.Generator:
    return torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))


def _fixed_samples(p_data, n: int, gen: torch.Generator):
    if not hasattr(p_data, "sample"):
        raise ValueError(f"p_data must be a ganbook.data distribution with .sample(n), got {p_data!r}")
    return p_data.sample(n, generator=gen)


def histogram_panel(p_data, *, n: int = 4000, bins: int = 60, range: tuple | None = None,
                    seed: int = 0) -> Callable:
    """A dashboard panel for 1-D data: histograms of real and generated samples (chapter 1).

    The real samples and the noise z are drawn once, from a private generator seeded with
    ``seed``, so every frame shows the same z mapped through the current G.
    """
    n = _checks.integer("n", n, minimum=2)
    bins = _checks.integer("bins", bins, minimum=1)
    gen = _private_generator(seed)
    real = _fixed_samples(p_data, n, gen).numpy().ravel()
    if range is None:
        lo, hi = np.percentile(real, [0.1, 99.9])
        pad = 0.5 * (hi - lo)
        range = (lo - pad, hi + pad)
    elif len(range) != 2 or not range[0] < range[1]:
        raise ValueError(f"range must be (low, high) with low < high, got {range!r}")
    grid = np.linspace(range[0], range[1], 400)
    pdf = np.asarray(p_data.pdf(grid), dtype=float) if hasattr(p_data, "pdf") else None
    noise = FixedNoise(n, gen)
    # one filled outline per histogram (not a bar per bin): a frame draws two artists, not 2 x bins
    real_density, edges = np.histogram(real, bins=bins, range=range, density=True)

    def panel(ax, trainer: GANTrainer) -> None:
        fake = trainer.generate(noise(trainer.z_dim)).numpy().ravel()
        fake_density, _ = np.histogram(fake, bins=edges, density=True)
        ax.stairs(real_density, edges, fill=True, color=REAL_COLOR, alpha=0.45, label="real x ~ p_data")
        ax.stairs(np.nan_to_num(fake_density), edges, fill=True, color=FAKE_COLOR, alpha=0.45,
                  label="generated G(z)")
        if pdf is not None:
            ax.plot(grid, pdf, color=REAL_COLOR, lw=1.5)
        ax.set_xlim(*range)
        # headroom above the tallest bar for the legend, which would otherwise hide a peak
        top = max(real_density.max(), np.nan_to_num(fake_density).max())
        if pdf is not None:
            top = max(top, float(pdf.max()))
        ax.set_ylim(0, 1.45 * top if top > 0 else 1)
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        ax.set_title("samples: real and generated")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)

    return panel


def history_panel(name: str, *, scale: float = 1.0, label: str | None = None, reference: float | None = None,
                  reference_label: str = "", log: bool = False, title: str | None = None) -> Callable:
    """A dashboard panel that plots one recorded quantity against steps (chapters 2 and 4).

    ``name`` is a ``History`` field such as ``"loss_d"`` or ``"grad_norm_g"``; the curve shows
    ``scale * value`` (``scale=-1`` turns L_D into the estimate of V, chapter 2). ``reference``
    draws a dotted horizontal line, ``log=True`` a logarithmic y axis.
    """
    _checks.choice("name", name, History.FIELDS[1:])
    scale = _checks.finite_float("scale", scale)
    if reference is not None:
        reference = _checks.finite_float("reference", reference)
    label = label or (name if scale == 1 else f"{scale:g} x {name}")

    def panel(ax, trainer: GANTrainer) -> None:
        h = trainer.history
        if reference is not None:
            ax.axhline(reference, color=EQUILIBRIUM_COLOR, lw=1, ls=":", label=reference_label or f"{reference:.4g}")
        if len(h):
            steps = np.asarray(h.step)
            values = scale * np.asarray(getattr(h, name), dtype=float)
            ax.plot(steps, values, color="#333333", lw=0.6, alpha=0.35)
            ax.plot(steps, smooth(values), color="#333333", lw=2, label=label)
            ax.set_xlim(0, max(steps[-1], 1))
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("generator step")
        ax.set_title(title or label)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best", fontsize=8, framealpha=0.9)

    return panel


def field_panel(p_data, *, lim: float = 3.0, grid: int = 80, n: int = 600, arrows: int = 100,
                arrow_length: float = 0.6, seed: int = 0) -> Callable:
    """A dashboard panel for 2-D data: D's output over the plane, the samples, and G's push
    (chapter 6 explains the picture; chapter 10 has the other losses).

    The heatmap is what the loss's ``verdict`` makes of D's output on a ``grid`` x ``grid``
    square of half-width ``lim``, drawn as the loss's ``output`` says, and the colour bar names it:

    - ``"probability"`` (BCE): D(x) = sigmoid(logit) in grey, on [0, 1] (dark: D says real),
      with its 0.5 contour, where an optimal D* = p_data / (p_data + p_g) has p_data = p_g;
    - ``"least squares"``: the raw score on the same grey scale from 0 to 1 (its targets on fakes
      and real samples; scores beyond them take the end colours), with the contour at 0.5,
      midway between the targets, where the optimal D* = p_data / (p_data + p_g) has p_data = p_g;
    - ``"margin"`` (the hinge): the raw score on a diverging scale from -1 to +1 (its targets on
      fakes and real samples; beyond them the end colours), with the contour at 0, where the
      optimal D* = sign(p_data - p_g) changes sign: the margin classifier's boundary;
    - ``"critic"`` (Wasserstein): the raw score f(x) on a diverging scale centred on its median
      over the square, with no contour: f is defined up to an added constant, so no level of
      it means anything on its own; only differences between places do.

    Blue dots are real samples, vermillion dots generated ones, and the arrows on ``arrows`` of
    the fakes are ``generator_push``: the direction, and relative size, in which this generator
    step pushes each (the longest arrow is ``arrow_length`` long). For a packed discriminator
    the heatmap is its verdict on a pack of copies of each point.
    """
    lim = _checks.positive_float("lim", lim)
    grid = _checks.integer("grid", grid, minimum=2)
    n = _checks.integer("n", n, minimum=1)
    arrows = _checks.integer("arrows", arrows, minimum=0, maximum=n)
    arrow_length = _checks.positive_float("arrow_length", arrow_length)
    gen = _private_generator(seed)
    real = _fixed_samples(p_data, n, gen)
    if real.ndim != 2 or real.shape[1] != 2:
        raise ValueError(f"field_panel needs 2-D data, but p_data gives samples of shape {tuple(real.shape)}")
    axis = torch.linspace(-lim, lim, grid)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    plane = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    noise = FixedNoise(n, gen)

    def panel(ax, trainer: GANTrainer) -> None:
        output = _checks.choice("the loss's output", trainer.loss.output, OUTPUTS)
        fake = trainer.generate(noise(trainer.z_dim))
        with torch.no_grad():  # a packed D judges a pack of copies of each point
            points = plane.repeat_interleave(trainer.pack, dim=0).to(trainer.device)
            heat = trainer.loss.verdict(trainer.logits(points)).reshape(grid, grid).cpu().numpy()
        look = field_look(output, heat)
        im = ax.imshow(heat, origin="lower", extent=(-lim, lim, -lim, lim), cmap=look["cmap"],
                       vmin=look["vmin"], vmax=look["vmax"], alpha=0.75, interpolation="bilinear")
        if look["level"] is not None and np.nanmin(heat) < look["level"] < np.nanmax(heat):
            ax.contour(gx.numpy(), gy.numpy(), heat, levels=[look["level"]], colors=EQUILIBRIUM_COLOR,
                       linewidths=0.8, linestyles="--")
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.02, label=look["label"], extend=look["extend"])
        ax.scatter(real[:, 0], real[:, 1], s=4, color=REAL_COLOR, alpha=0.6, label="real", linewidths=0)
        ax.scatter(fake[:, 0], fake[:, 1], s=4, color=FAKE_COLOR, alpha=0.6, label="generated", linewidths=0)
        if arrows:
            arrows_now = arrows - arrows % trainer.pack  # whole packs
            push = generator_push(trainer, fake[:arrows_now])
            longest = push.norm(dim=1).max().item()
            if longest > 0:
                scale = arrow_length / longest
                ax.quiver(fake[:arrows_now, 0], fake[:arrows_now, 1], scale * push[:, 0], scale * push[:, 1],
                          angles="xy", scale_units="xy", scale=1, color=FAKE_COLOR, width=0.004)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_title(f"{look['name']} over the plane; arrows: G's push")
        ax.legend(loc="upper right", fontsize=7, framealpha=0.9, markerscale=3)

    return panel


def field_look(output: str, heat) -> dict:
    """How ``field_panel`` draws a heatmap ``heat`` of D's verdicts for a loss whose ``output``
    is ``output`` (chapters 6 and 10): its colour map and range, the level of its contour
    (None: no contour), the colour bar's label and what the title calls the map."""
    output = _checks.choice("output", output, OUTPUTS)
    heat = np.asarray(heat, dtype=float)
    if heat.size == 0:
        raise ValueError(f"heat must be a non-empty array of D's verdicts, got {heat!r}")
    if output == "probability":
        return dict(cmap="Greys", vmin=0.0, vmax=1.0, level=0.5, extend="neither", name="D(x)", label="D(x)")
    if output == "least squares":
        return dict(cmap="Greys", vmin=0.0, vmax=1.0, level=0.5, extend="both", name="D's score",
                    label="D(x), raw score (targets: 1 real, 0 fake)")
    if output == "margin":
        return dict(cmap=FIELD_DIVERGING, vmin=-1.0, vmax=1.0, level=0.0, extend="both", name="D's score",
                    label="D(x), raw score (targets: +1 real, -1 fake)")
    finite = heat[np.isfinite(heat)]  # a diverged critic's inf or nan is drawn blank
    centre = float(np.median(finite)) if finite.size else 0.0
    spread = float(np.abs(finite - centre).max()) if finite.size else 0.0
    spread = spread or 1.0  # a flat critic: any range shows it flat
    return dict(cmap=FIELD_DIVERGING, vmin=centre - spread, vmax=centre + spread, level=None, extend="neither",
                name="f(x)", label="f(x), critic's score (centred on its median)")


#: The diverging colour map of a raw score's field (hinge, critic): dark grey where D says real,
#: as on the probability's grey scale, white at the centre, purple where it says fake.
FIELD_DIVERGING = LinearSegmentedColormap.from_list("field_diverging", ["#542788", "#f7f7f7", "#252525"])


def image_panel(*, n: int = 48, columns: int = 8, shape: tuple = (8, 8), seed: int = 0,
                source: Callable | None = None, title: str = "samples G(z), the same z in every frame") -> Callable:
    """A dashboard panel for image data: a grid of samples from a fixed batch of noise z (chapter 7).

    ``source(z) -> images`` draws them (for instance ``WeightAverage.generate``); by default
    ``trainer.generate``. z is drawn once from a private generator seeded with ``seed``, so the
    frames show how the same z's images change as training goes.
    """
    columns = _checks.integer("columns", columns, minimum=1)
    shape = grid_shape(shape)
    if source is not None:
        _checks.function("source", source, "source(z)")
    noise = FixedNoise(n, _private_generator(seed))

    def panel(ax, trainer: GANTrainer) -> None:
        z = noise(trainer.z_dim)
        images = trainer.generate(z) if source is None else source(z)
        plot_images(ax, images, columns=columns, shape=shape, title=title)

    return panel


class CoveragePanel:
    """A dashboard panel that counts the modes of a ring the generator reaches, over training
    (chapter 6).

    Each time the dashboard redraws, ``n`` samples from a fixed batch of z are scored with
    ``ganbook.metrics.mode_coverage`` against ``p_data.centers`` and ``p_data.std``; the panel
    plots the modes hit and the share of high-quality samples, and keeps them in ``log`` (with
    the high-quality samples per mode, ``log["counts"]``).
    """

    def __init__(self, p_data, *, n: int = 2000, seed: int = 0):
        if not (hasattr(p_data, "centers") and hasattr(p_data, "std")):
            raise ValueError(f"CoveragePanel needs a distribution with modes (centers, std), got {p_data!r}")
        self.p_data = p_data
        self.noise = FixedNoise(n, _private_generator(seed))
        self.log = {"step": [], "modes": [], "high_quality": [], "counts": []}

    def measure(self, trainer: GANTrainer) -> dict:
        """Score the current G on the fixed z; log it once per step."""
        result = mode_coverage(trainer.generate(self.noise(trainer.z_dim)), self.p_data.centers, self.p_data.std)
        if not self.log["step"] or self.log["step"][-1] != trainer.step:
            self.log["step"].append(trainer.step)
            self.log["modes"].append(result["modes"])
            self.log["high_quality"].append(result["high_quality"])
            self.log["counts"].append(result["counts"])
        return result

    def __call__(self, ax, trainer: GANTrainer) -> None:
        self.measure(trainer)
        modes = len(self.p_data.centers)
        ax.plot(self.log["step"], self.log["modes"], "o-", color=METRIC_COLOR, lw=2, ms=3, label="modes hit")
        ax.set_ylim(-0.3, modes + 0.5)
        ax.set_ylabel(f"modes hit (of {modes})")
        ax.set_xlabel("generator step")
        ax2 = ax.twinx()
        ax2.plot(self.log["step"], [100 * q for q in self.log["high_quality"]], "s--", color=ACCENT_COLOR,
                 lw=1.5, ms=3, label="high quality (%)")
        ax2.set_ylim(0, 105)
        ax2.set_ylabel("high-quality samples (%)")
        ax.set_xlim(0, max(self.log["step"][-1], 1))
        lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax.legend(lines, [ln.get_label() for ln in lines], loc="lower right", fontsize=8, framealpha=0.9)
        modes_hit, quality = self.log["modes"][-1], 100 * self.log["high_quality"][-1]
        ax.set_title(f"mode coverage: {modes_hit} modes, {quality:.0f}% high quality")
