"""Live plots: the D(x) / D(G(z)) dashboard and the training controls.

The dashboard is a training callback. Every few steps it draws a matplotlib figure to PNG
and updates one display in place (an IPython display handle), so it works the same in
JupyterLab, Notebook 7, Colab and a headless execution, and the last frame stays in the
notebook as a plain image: that is what the rendered book shows. Chapter 1 introduces it.

Nothing here draws from the global random stream: a panel uses its own generator, so a run
gives the same numbers with or without a dashboard, at any redraw rate.
"""

from __future__ import annotations

import io
import math
from typing import Callable

import matplotlib
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _checks
from .training import GANTrainer

# Okabe-Ito colours, readable with the common colour-vision deficiencies.
REAL_COLOR = "#0072B2"  # blue: D(x), real data
FAKE_COLOR = "#D55E00"  # vermillion: D(G(z)), generated data
EQUILIBRIUM_COLOR = "#555555"
PAPER_COLOR = "#dddddd"  # the gaps between images in a grid
# The Okabe-Ito palette, in the order the book's figures use it: the default colour cycle of
# every figure after book_style().
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
LR_RANGE = (1e-5, 1e-1)  # the learning-rate sliders of TrainingControls


def book_style() -> None:
    """Make the Okabe-Ito palette matplotlib's colour cycle, so every line, bar and marker that a
    chapter draws without naming a colour stays distinguishable with colour-vision deficiencies
    (no red against green). Each chapter calls it once, next to its seed."""
    from cycler import cycler

    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(OKABE_ITO))


def _smooth(values, alpha: float = 0.05) -> np.ndarray:
    """Exponential moving average, so the trend shows through the per-batch noise."""
    out = np.empty(len(values))
    acc = values[0] if len(values) else 0.0
    for i, v in enumerate(values):
        acc = (1 - alpha) * acc + alpha * v
        out[i] = acc
    return out


def plot_d_curves(ax, history, *, after: bool = False, title: str | None = None) -> None:
    """Mean D(x) and D(G(z)) against steps on ``ax``, with the 0.5 equilibrium line.

    Thin lines are per batch, thick ones their moving average. ``after=True`` adds dashed
    curves measured on the same batch after the discriminator's update.
    """
    ax.axhline(0.5, color=EQUILIBRIUM_COLOR, lw=1, ls=":", label="0.5 (equilibrium)")
    if len(history):
        steps = np.asarray(history.step)
        # D(x) is drawn wider, underneath, so both stay visible once the curves meet at 0.5.
        for name, color, label, width in (("d_real", REAL_COLOR, "D(x)", 3.2), ("d_fake", FAKE_COLOR, "D(G(z))", 1.6)):
            values = np.asarray(getattr(history, name))
            ax.plot(steps, values, color=color, lw=0.6, alpha=0.35)
            ax.plot(steps, _smooth(values), color=color, lw=width, label=label)
            if after:
                ax.plot(steps, _smooth(getattr(history, name + "_after")), color=color, lw=1.2, ls="--",
                        label=f"{label} after D step")
        ax.set_xlim(0, max(steps[-1], 1))
    ax.set_ylim(0, 1)
    ax.set_xlabel("generator step")
    ax.set_ylabel("mean discriminator output")
    ax.set_title(title or "D(x) and D(G(z))")
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)


def _fixed_samples(p_data, n: int, gen: torch.Generator):
    if not hasattr(p_data, "sample"):
        raise ValueError(f"p_data must be a ganbook.data distribution with .sample(n), got {p_data!r}")
    return p_data.sample(n, generator=gen)


def _generate(trainer: GANTrainer, z: torch.Tensor) -> torch.Tensor:
    G = trainer.generator
    mode = G.training
    G.eval()
    with torch.no_grad():
        fake = G(z.to(trainer.device)).cpu()
    G.train(mode)
    return fake


def histogram_panel(p_data, *, n: int = 4000, bins: int = 60, range: tuple | None = None,
                    seed: int = 0) -> Callable:
    """A dashboard panel for 1-D data: histograms of real and generated samples.

    The real samples and the noise z are drawn once, from a private generator seeded with
    ``seed``, so every frame shows the same z mapped through the current G.
    """
    n = _checks.integer("n", n, minimum=2)
    bins = _checks.integer("bins", bins, minimum=1)
    gen = torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))
    real = _fixed_samples(p_data, n, gen).numpy().ravel()
    if range is None:
        lo, hi = np.percentile(real, [0.1, 99.9])
        pad = 0.5 * (hi - lo)
        range = (lo - pad, hi + pad)
    elif len(range) != 2 or not range[0] < range[1]:
        raise ValueError(f"range must be (low, high) with low < high, got {range!r}")
    grid = np.linspace(range[0], range[1], 400)
    state = {"z": None}

    def panel(ax, trainer: GANTrainer) -> None:
        if state["z"] is None or state["z"].shape[1] != trainer.z_dim:
            state["z"] = torch.randn(n, trainer.z_dim, generator=gen)
        fake = _generate(trainer, state["z"]).numpy().ravel()
        ax.hist(real, bins=bins, range=range, density=True, color=REAL_COLOR, alpha=0.45, label="real x ~ p_data")
        ax.hist(fake, bins=bins, range=range, density=True, color=FAKE_COLOR, alpha=0.45, label="generated G(z)")
        if hasattr(p_data, "pdf"):
            ax.plot(grid, p_data.pdf(grid), color=REAL_COLOR, lw=1.5)
        ax.set_xlim(*range)
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        ax.set_title("samples: real and generated")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)

    return panel


def history_panel(name: str, *, scale: float = 1.0, label: str | None = None, reference: float | None = None,
                  reference_label: str = "", log: bool = False, title: str | None = None) -> Callable:
    """A dashboard panel that plots one recorded quantity against steps.

    ``name`` is a ``History`` field such as ``"loss_d"`` or ``"grad_norm_g"``; the curve shows
    ``scale * value`` (``scale=-1`` turns L_D into the estimate of V, chapter 2). ``reference``
    draws a dotted horizontal line, ``log=True`` a logarithmic y axis.
    """
    from .training import History

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
            ax.plot(steps, _smooth(values), color="#333333", lw=2, label=label)
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
    """A dashboard panel for 2-D data: D's output over the plane, the samples, and G's push.

    The grey heatmap is D(x) on a ``grid`` x ``grid`` square of half-width ``lim`` (dark: D says
    real), with its 0.5 contour. Blue dots are real samples, vermillion dots generated ones, and
    the arrows on ``arrows`` of the fakes are minus the gradient of the generator's loss with
    respect to each fake sample: the direction, and relative size, in which this generator step
    pushes it (the longest arrow is ``arrow_length`` long). For a packed discriminator the
    heatmap is its verdict on a pack of copies of each point. Chapter 6 explains the picture.
    """
    lim = _checks.positive_float("lim", lim)
    grid = _checks.integer("grid", grid, minimum=2)
    n = _checks.integer("n", n, minimum=1)
    arrows = _checks.integer("arrows", arrows, minimum=0, maximum=n)
    arrow_length = _checks.positive_float("arrow_length", arrow_length)
    gen = torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))
    real = _fixed_samples(p_data, n, gen)
    if real.ndim != 2 or real.shape[1] != 2:
        raise ValueError(f"field_panel needs 2-D data, but p_data gives samples of shape {tuple(real.shape)}")
    axis = torch.linspace(-lim, lim, grid)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    plane = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    state = {"z": None}

    def panel(ax, trainer: GANTrainer) -> None:
        if state["z"] is None or state["z"].shape[1] != trainer.z_dim:
            state["z"] = torch.randn(n, trainer.z_dim, generator=gen)
        fake = _generate(trainer, state["z"])
        D = trainer.discriminator
        with torch.no_grad():  # a packed D judges a pack of copies of each point
            points = plane.repeat_interleave(trainer.pack, dim=0).to(trainer.device)
            heat = torch.sigmoid(D(points).reshape(grid, grid)).cpu()
        im = ax.imshow(heat.numpy(), origin="lower", extent=(-lim, lim, -lim, lim), cmap="Greys",
                       vmin=0, vmax=1, alpha=0.75, interpolation="bilinear")
        ax.contour(gx.numpy(), gy.numpy(), heat.numpy(), levels=[0.5], colors=EQUILIBRIUM_COLOR,
                   linewidths=0.8, linestyles="--")
        ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.02, label="D(x)")
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
        ax.set_title("D(x) over the plane; arrows: G's push")
        ax.legend(loc="upper right", fontsize=7, framealpha=0.9, markerscale=3)

    return panel


def generator_push(trainer: GANTrainer, fake) -> torch.Tensor:
    """Minus the gradient of the generator's loss with respect to each generated sample.

    For the non-saturating loss that is ``(1 - D(x)) * grad_x logit(x)``; for the saturating
    loss ``D(x) * grad_x logit(x)``: where each fake would move if it could move freely. With a
    packed discriminator the fakes are judged in packs, in order, so pass whole packs.
    """
    fake = torch.as_tensor(fake, dtype=torch.float32).detach().to(trainer.device).requires_grad_(True)
    if len(fake) % trainer.pack:
        raise ValueError(f"generator_push needs whole packs of {trainer.pack} samples, got {len(fake)}")
    logits = trainer.discriminator(fake).reshape(-1)
    if trainer.loss == "non-saturating":
        loss = trainer.criterion(logits, torch.full_like(logits, trainer.g_target))
    else:
        loss = -trainer.criterion(logits, torch.full_like(logits, trainer.fake_label))
    # autograd.grad returns the gradient for the samples only: D's .grad is left alone
    grad, = torch.autograd.grad(loss * len(fake), fake)  # per-sample gradients (undo the mean)
    return -grad.detach().cpu()


def _grid_shape(shape) -> tuple:
    """``shape`` as a checked (height, width) pair of positive integers."""
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise ValueError(f"shape must be (height, width), got {shape!r}")
    return _checks.integer("shape[0]", shape[0], minimum=1), _checks.integer("shape[1]", shape[1], minimum=1)


def plot_images(ax, images, *, columns: int = 12, shape: tuple = (8, 8), title: str | None = None) -> None:
    """Draw ``images`` (shape (n, h*w), values in [-1, 1]) as a grid, ink dark on white paper."""
    images = torch.as_tensor(images).detach().cpu().float()
    columns = _checks.integer("columns", columns, minimum=1)
    h, w = _grid_shape(shape)
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


def image_panel(*, n: int = 48, columns: int = 8, shape: tuple = (8, 8), seed: int = 0,
                source: Callable | None = None, title: str = "samples G(z), the same z in every frame") -> Callable:
    """A dashboard panel for image data: a grid of samples from a fixed batch of noise z.

    ``source(z) -> images`` draws them (for instance ``WeightAverage.generate``); by default the
    trainer's generator, in eval mode. z is drawn once from a private generator seeded with
    ``seed``, so the frames show how the same z's images change as training goes.
    """
    n = _checks.integer("n", n, minimum=1)
    columns = _checks.integer("columns", columns, minimum=1)
    shape = _grid_shape(shape)
    gen = torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))
    if source is not None and not callable(source):
        raise ValueError(f"source must be callable as source(z), got {source!r}")
    state = {"z": None}

    def panel(ax, trainer: GANTrainer) -> None:
        if state["z"] is None or state["z"].shape[1] != trainer.z_dim:
            state["z"] = torch.randn(n, trainer.z_dim, generator=gen)
        images = _generate(trainer, state["z"]) if source is None else source(state["z"])
        plot_images(ax, images, columns=columns, shape=shape, title=title)

    return panel


class coverage_panel:
    """A dashboard panel that counts the modes of a ring the generator reaches, over training.

    Each time the dashboard redraws, ``n`` samples from a fixed batch of z are scored with
    ``ganbook.metrics.mode_coverage`` against ``p_data.centers`` and ``p_data.std``; the panel
    plots the modes hit and the share of high-quality samples, and keeps them in ``log`` (with
    the high-quality samples per mode, ``log["counts"]``).
    """

    def __init__(self, p_data, *, n: int = 2000, seed: int = 0):
        if not (hasattr(p_data, "centers") and hasattr(p_data, "std")):
            raise ValueError(f"coverage_panel needs a distribution with modes (centers, std), got {p_data!r}")
        self.p_data = p_data
        self.n = _checks.integer("n", n, minimum=1)
        self.gen = torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))
        self.z = None
        self.log = {"step": [], "modes": [], "high_quality": [], "counts": []}

    def measure(self, trainer: GANTrainer) -> dict:
        from .metrics import mode_coverage

        if self.z is None or self.z.shape[1] != trainer.z_dim:
            self.z = torch.randn(self.n, trainer.z_dim, generator=self.gen)
        result = mode_coverage(_generate(trainer, self.z), self.p_data.centers, self.p_data.std)
        if not self.log["step"] or self.log["step"][-1] != trainer.step:
            self.log["step"].append(trainer.step)
            self.log["modes"].append(result["modes"])
            self.log["high_quality"].append(result["high_quality"])
            self.log["counts"].append(result["counts"])
        return result

    def __call__(self, ax, trainer: GANTrainer) -> None:
        self.measure(trainer)
        modes = len(self.p_data.centers)
        ax.plot(self.log["step"], self.log["modes"], "o-", color="#009E73", lw=2, ms=3, label="modes hit")
        ax.set_ylim(-0.3, modes + 0.5)
        ax.set_ylabel(f"modes hit (of {modes})")
        ax.set_xlabel("generator step")
        ax2 = ax.twinx()
        ax2.plot(self.log["step"], [100 * q for q in self.log["high_quality"]], "s--", color="#CC79A7",
                 lw=1.5, ms=3, label="high quality (%)")
        ax2.set_ylim(0, 105)
        ax2.set_ylabel("high-quality samples (%)")
        ax.set_xlim(0, max(self.log["step"][-1], 1))
        lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        ax.legend(lines, [ln.get_label() for ln in lines], loc="lower right", fontsize=8, framealpha=0.9)
        modes_hit, quality = self.log["modes"][-1], 100 * self.log["high_quality"][-1]
        ax.set_title(f"mode coverage: {modes_hit} modes, {quality:.0f}% high quality")


class _PNGDisplay:
    """One output that shows a matplotlib figure as a PNG and is then updated in place.

    The mechanism behind ``Dashboard`` and ``InteractiveFigure``: an IPython display handle,
    so the last frame stays in the notebook as a plain image (what the rendered book shows).
    """

    def _init_display(self, figsize, dpi) -> None:
        if len(figsize) != 2:
            raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}")
        self.figsize = (_checks.positive_float("figsize[0]", figsize[0]),
                        _checks.positive_float("figsize[1]", figsize[1]))
        self.dpi = _checks.integer("dpi", dpi, minimum=10)
        self.handle = None
        self.frames = 0

    def _new_figure(self, figsize=None) -> Figure:
        fig = Figure(figsize=figsize or self.figsize, dpi=self.dpi)
        FigureCanvasAgg(fig)
        return fig

    @staticmethod
    def _png(fig: Figure) -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()

    def _display_png(self, data: bytes) -> None:
        from IPython.display import Image, display

        image = Image(data=data, format="png")
        if self.handle is None:
            self.handle = display(image, display_id=True)
        else:
            self.handle.update(image)
        self.frames += 1


class InteractiveFigure(_PNGDisplay):
    """Widgets that redraw a matplotlib figure in place when their values change.

    ``controls`` maps names to ipywidgets value widgets (sliders, dropdowns); on every change
    ``draw(fig, **values)`` draws a fresh figure, shown through one display handle as a PNG.
    The first frame is drawn at creation, so the rendered book shows it as a static figure.
    Chapters 2 and 4 use it to move a distribution or a probability by hand.
    """

    def __init__(self, draw: Callable, controls: dict, *, figsize: tuple = (11, 3.6), dpi: int = 90):
        import ipywidgets as w
        from IPython.display import display

        if not callable(draw):
            raise ValueError(f"draw must be callable as draw(fig, **values), got {draw!r}")
        if not isinstance(controls, dict) or not controls:
            raise ValueError(f"controls must be a non-empty dict of name -> widget, got {controls!r}")
        for name, widget in controls.items():
            if not isinstance(widget, w.ValueWidget):
                raise ValueError(f"controls[{name!r}] must be an ipywidgets value widget, got {widget!r}")
        self._init_display(figsize, dpi)
        self.draw = draw
        self.controls = dict(controls)
        self.widget = w.VBox(list(self.controls.values()))
        display(self.widget)
        for widget in self.controls.values():
            widget.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        return {name: widget.value for name, widget in self.controls.items()}

    def figure(self) -> Figure:
        fig = self._new_figure()
        self.draw(fig, **self.values)
        return fig

    def redraw(self) -> None:
        """Draw the figure for the current values into this output."""
        self._display_png(self._png(self.figure()))


class Dashboard(_PNGDisplay):
    """A live figure of D(x) and D(G(z)) during training, updated in place.

    Pass it as ``callback`` to ``GANTrainer.train``. ``panel(ax, trainer)`` draws a second
    panel (for 1-D data, ``histogram_panel``; for 2-D data, ``field_panel``); a list of panels
    draws them side by side, or with ``layout="grid"`` the first one large on the right and the
    curves and the others stacked on the left (for the square 2-D field). ``after=True`` adds D(x)
    and D(G(z)) after the D step. It redraws every ``every`` generator steps and once when
    training ends, whatever ends it.
    """

    def __init__(self, panel: Callable | list | None = None, *, every: int = 100, after: bool = False,
                 title: str = "", layout: str = "row", figsize: tuple | None = None, dpi: int = 90):
        panels = [] if panel is None else list(panel) if isinstance(panel, (list, tuple)) else [panel]
        for p in panels:
            if not callable(p):
                raise ValueError(f"panel must be callable as panel(ax, trainer), got {p!r}")
        self.panels = panels
        self.every = _checks.integer("every", every, minimum=1)
        self.after = bool(after)
        self.title = str(title)
        self.layout = _checks.choice("layout", layout, ("row", "grid"))
        if self.layout == "grid" and not panels:
            raise ValueError("layout='grid' needs at least one panel")
        if figsize is None:
            if self.layout == "grid":  # the first panel large on the right, the rest stacked on the left
                figsize = (11, 3.4 * max(2, len(panels)))
            else:
                figsize = (5.5 * (1 + len(panels)), 3.8)
        self._init_display(figsize, dpi)
        self._last_drawn = None

    def figure(self, trainer: GANTrainer) -> Figure:
        """The current frame as a matplotlib Figure (not attached to pyplot)."""
        fig = self._new_figure()
        if self.layout == "grid":
            rows = max(2, len(self.panels))
            grid = fig.add_gridspec(rows, 2, width_ratios=(1, 1.15))
            left = [fig.add_subplot(grid[i, 0]) for i in range(len(self.panels))]
            big = fig.add_subplot(grid[:, 1])
            axes = [left[0], big, *left[1:]]
        else:
            axes = fig.subplots(1, 1 + len(self.panels), squeeze=False)[0]
        h = trainer.history
        status = f"step {trainer.step}"
        if len(h):
            status += f"   D(x) = {h.d_real[-1]:.3f}   D(G(z)) = {h.d_fake[-1]:.3f}"
        if h.stop_reason:
            status += "   [stopped]"
        plot_d_curves(axes[0], h, after=self.after)
        for ax, panel in zip(axes[1:], self.panels):
            panel(ax, trainer)
        fig.suptitle(f"{self.title}   {status}".strip(), fontsize=11)
        fig.tight_layout()
        return fig

    def png(self, trainer: GANTrainer) -> bytes:
        return self._png(self.figure(trainer))

    def show(self, trainer: GANTrainer) -> None:
        """Draw the current frame into this dashboard's display (creating it the first time)."""
        self._display_png(self.png(trainer))
        self._last_drawn = (trainer.step, len(trainer.history), trainer.history.stop_reason)

    def __call__(self, trainer: GANTrainer) -> None:
        if trainer.step % self.every == 0:
            self.show(trainer)

    def on_train_end(self, trainer: GANTrainer) -> None:
        if self._last_drawn != (trainer.step, len(trainer.history), trainer.history.stop_reason):
            self.show(trainer)


class TrainingControls:
    """Sliders and buttons that train a GAN into a dashboard.

    ``make_trainer(lr_d=..., lr_g=..., k=..., seed=...)`` must build a fresh, seeded
    ``GANTrainer``: the chapter writes it, so the models stay in the lesson. With ``loss`` set
    (one of ``LOSSES``) a dropdown chooses the generator's loss and ``make_trainer`` also gets
    ``loss=...``. With ``step_buttons=True`` there are buttons to take one discriminator step,
    one generator step, or to reset to a fresh trainer, to watch a single update (chapter 5).

    Built with ``run=True`` it trains once with the defaults while the cell executes, which
    leaves the dashboard's last frame as a static figure in the rendered book (where the
    controls themselves do nothing: there is no Python behind the page).
    """

    def __init__(self, make_trainer: Callable[..., GANTrainer], *, panel: Callable | list | None = None,
                 steps: int = 1000, max_steps: int = 10_000, lr_d: float = 1e-3, lr_g: float = 1e-3,
                 k: int = 1, seed: int = 0, loss: str | None = None, step_buttons: bool = False,
                 after: bool = False, every: int = 100, title: str = "", run: bool = True):
        import ipywidgets as w

        from .training import LOSSES

        if not callable(make_trainer):
            raise ValueError(f"make_trainer must be callable, got {make_trainer!r}")
        max_steps = _checks.integer("max_steps", max_steps, minimum=1)
        steps = _checks.integer("steps", steps, minimum=1, maximum=max_steps)
        lr_d = _checks.positive_float("lr_d", lr_d)
        lr_g = _checks.positive_float("lr_g", lr_g)
        for name, lr in (("lr_d", lr_d), ("lr_g", lr_g)):  # a slider would silently clip it
            if not LR_RANGE[0] <= lr <= LR_RANGE[1]:
                raise ValueError(f"{name} must lie within the slider's range {LR_RANGE}, got {lr!r}")
        k = _checks.integer("k", k, minimum=1, maximum=10)
        seed = _checks.integer("seed", seed, minimum=0, maximum=2**32 - 1)
        if loss is not None:
            _checks.choice("loss", loss, LOSSES)
        self.make_trainer = make_trainer
        self.dashboard = Dashboard(panel, every=every, after=after, title=title)
        self.trainer: GANTrainer | None = None
        self._pending_d: dict | None = None  # the last manual D step, waiting for a G step

        style = {"description_width": "140px"}
        layout = w.Layout(width="420px")
        exponents = {"min": math.log10(LR_RANGE[0]), "max": math.log10(LR_RANGE[1])}
        self.lr_d = w.FloatLogSlider(value=lr_d, base=10, **exponents, step=0.1, description="D learning rate",
                                     readout_format=".1e", style=style, layout=layout)
        self.lr_g = w.FloatLogSlider(value=lr_g, base=10, **exponents, step=0.1, description="G learning rate",
                                     readout_format=".1e", style=style, layout=layout)
        self.steps = w.IntSlider(value=steps, min=1, max=max_steps, step=1, description="steps",
                                 style=style, layout=layout)
        self.k = w.IntSlider(value=k, min=1, max=10, description="k (D steps per G)", style=style, layout=layout)
        self.seed = w.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed", style=style,
                                     layout=w.Layout(width="260px"))
        self.loss = None
        if loss is not None:
            self.loss = w.Dropdown(options=list(LOSSES), value=loss, description="generator loss", style=style,
                                   layout=w.Layout(width="360px"))
        self.button = w.Button(description="Train", button_style="primary", icon="play")
        self.button.on_click(lambda _: self.train())
        buttons = [self.button]
        self.step_d_button = self.step_g_button = self.reset_button = None
        if step_buttons:
            self.step_d_button = w.Button(description="Step D", icon="step-forward",
                                          tooltip="one discriminator step on a fresh batch")
            self.step_g_button = w.Button(description="Step G", icon="step-forward",
                                          tooltip="one generator step on fresh noise")
            self.reset_button = w.Button(description="Reset", icon="undo", tooltip="fresh models from the seed")
            self.step_d_button.on_click(lambda _: self.step_d())
            self.step_g_button.on_click(lambda _: self.step_g())
            self.reset_button.on_click(lambda _: self.reset())
            buttons += [self.step_d_button, self.step_g_button, self.reset_button]
        self.progress = w.IntProgress(value=0, min=0, max=steps, description="progress", style=style,
                                      layout=layout)
        self.status = w.HTML(value="")
        right = [self.k, self.seed] + ([self.loss] if self.loss is not None else [])
        self.widget = w.VBox([
            w.HBox([w.VBox([self.lr_d, self.lr_g, self.steps]), w.VBox(right)]),
            w.HBox(buttons), self.progress, self.status,
        ])
        from IPython.display import display

        display(self.widget)
        if run:
            self.train()

    def _tick(self, trainer: GANTrainer) -> None:
        self.progress.value = trainer.step

    def _buttons(self, disabled: bool) -> None:
        for b in (self.button, self.step_d_button, self.step_g_button, self.reset_button):
            if b is not None:
                b.disabled = disabled

    def new_trainer(self) -> GANTrainer:
        """A fresh trainer from the current control values (not trained)."""
        values = {"lr_d": self.lr_d.value, "lr_g": self.lr_g.value, "k": self.k.value, "seed": self.seed.value}
        if self.loss is not None:
            values["loss"] = self.loss.value
        trainer = self.make_trainer(**values)
        if not isinstance(trainer, GANTrainer):
            raise ValueError(f"make_trainer must return a GANTrainer, got {type(trainer).__name__}")
        return trainer

    def train(self) -> GANTrainer:
        """Build a fresh trainer from the current control values and train it live."""
        self._buttons(True)
        try:
            self.status.value = "training..."
            self.trainer = self.new_trainer()
            self._pending_d = None
            self.progress.max = self.steps.value
            self.progress.value = 0
            history = self.trainer.train(self.steps.value, callback=[self.dashboard, self._tick])
            summary = f"after {self.trainer.step} steps"
            if len(history):
                summary += (f": D(x) = {history.last('d_real', 50):.3f}, "
                            f"D(G(z)) = {history.last('d_fake', 50):.3f} (mean of the last 50 steps)")
            self.status.value = summary + (f"; {history.stop_reason}" if history.stop_reason else "")
        except Exception as err:
            self.status.value = f"<b>error:</b> {err}"
            raise
        finally:
            self._buttons(False)
        return self.trainer

    def reset(self) -> GANTrainer:
        """Fresh models from the current values and seed, at step 0; the dashboard shows them."""
        self.trainer = self.new_trainer()
        self._pending_d = None
        self.progress.value = 0
        self.dashboard.show(self.trainer)
        self.status.value = "reset: fresh models at step 0"
        return self.trainer

    def step_d(self) -> dict:
        """One discriminator step; shows D(x) and D(G(z)) on its batch before and after it."""
        if self.trainer is None:
            self.reset()
        d = self.trainer.d_step()
        if "d_real" not in d:  # the loss was not finite: the step was skipped
            self.status.value = f"<b>D step skipped:</b> loss_d = {d['loss_d']}"
            return d
        self._pending_d = d
        self.dashboard.show(self.trainer)
        self.status.value = (f"D step: D(x) {d['d_real']:.3f} &rarr; {d['d_real_after']:.3f}, "
                             f"D(G(z)) {d['d_fake']:.3f} &rarr; {d['d_fake_after']:.3f} (same batch)")
        return d

    def step_g(self) -> dict:
        """One generator step; it is recorded in the history with the last D step's numbers."""
        if self.trainer is None:
            self.reset()
        t = self.trainer
        d = self._pending_d or self._measure_d(t)
        before = self._measure_d(t)["d_fake"]
        g = t.g_step()
        if "grad_norm_g" not in g:
            self.status.value = f"<b>G step skipped:</b> loss_g = {g['loss_g']}"
            return g
        t.step += 1
        t.history.append({"step": t.step, **d, **g})
        self._pending_d = None
        after = self._measure_d(t)["d_fake"]
        self.progress.value = min(t.step, self.progress.max)
        self.dashboard.show(t)
        self.status.value = (f"G step {t.step}: D(G(z)) on a fresh batch {before:.3f} &rarr; {after:.3f}, "
                             f"|grad| reaching G = {g['grad_norm_g']:.3g}")
        return g

    @staticmethod
    def _measure_d(t: GANTrainer) -> dict:
        """D(x), D(G(z)) and loss_d on a batch, without any update (a forked random stream)."""
        with torch.random.fork_rng(devices=[t.device] if t.device.type == "cuda" else []), torch.no_grad():
            x, fake = t.real_batch(), t.generator(t.noise())
            logits_real, logits_fake = t.discriminator(x).reshape(-1), t.discriminator(fake).reshape(-1)
            loss_d = (t._loss(logits_real, torch.full_like(logits_real, t.real_label))
                      + t._loss(logits_fake, torch.full_like(logits_fake, t.fake_label))).item()
            d_real, d_fake = torch.sigmoid(logits_real).mean().item(), torch.sigmoid(logits_fake).mean().item()
        return {"d_real": d_real, "d_fake": d_fake, "d_real_after": d_real, "d_fake_after": d_fake, "loss_d": loss_d}
