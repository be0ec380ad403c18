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
from typing import Callable

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


def histogram_panel(p_data, *, n: int = 4000, bins: int = 60, range: tuple | None = None,
                    seed: int = 0) -> Callable:
    """A dashboard panel for 1-D data: histograms of real and generated samples.

    The real samples and the noise z are drawn once, from a private generator seeded with
    ``seed``, so every frame shows the same z mapped through the current G.
    """
    n = _checks.integer("n", n, minimum=2)
    bins = _checks.integer("bins", bins, minimum=1)
    if not hasattr(p_data, "sample"):
        raise ValueError(f"p_data must be a ganbook.data distribution with .sample(n), got {p_data!r}")
    gen = torch.Generator().manual_seed(_checks.integer("seed", seed, minimum=0))
    real = p_data.sample(n, generator=gen).numpy().ravel()
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
        G = trainer.generator
        mode = G.training
        G.eval()
        with torch.no_grad():
            fake = G(state["z"].to(trainer.device)).cpu().numpy().ravel()
        G.train(mode)
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
    panel (for 1-D data, ``histogram_panel``). It redraws every ``every`` generator steps and
    once when training ends, whatever ends it.
    """

    def __init__(self, panel: Callable | None = None, *, every: int = 100, after: bool = False,
                 title: str = "", figsize: tuple = (11, 3.8), dpi: int = 90):
        if panel is not None and not callable(panel):
            raise ValueError(f"panel must be callable as panel(ax, trainer), got {panel!r}")
        self.panel = panel
        self.every = _checks.integer("every", every, minimum=1)
        self.after = bool(after)
        self.title = str(title)
        self._init_display(figsize, dpi)
        self._last_drawn = None

    def figure(self, trainer: GANTrainer) -> Figure:
        """The current frame as a matplotlib Figure (not attached to pyplot)."""
        ncols = 2 if self.panel else 1
        fig = self._new_figure(self.figsize if ncols == 2 else (self.figsize[0] / 2, self.figsize[1]))
        axes = fig.subplots(1, ncols, squeeze=False)[0]
        h = trainer.history
        status = f"step {trainer.step}"
        if len(h):
            status += f"   D(x) = {h.d_real[-1]:.3f}   D(G(z)) = {h.d_fake[-1]:.3f}"
        if h.stop_reason:
            status += "   [stopped]"
        plot_d_curves(axes[0], h, after=self.after)
        if self.panel:
            self.panel(axes[1], trainer)
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
    """Sliders and a Train button that re-run training into a dashboard.

    ``make_trainer(lr_d=..., lr_g=..., k=..., seed=...)`` must build a fresh, seeded
    ``GANTrainer``: the chapter writes it, so the models stay in the lesson. Built with
    ``run=True`` it trains once with the defaults while the cell executes, which leaves the
    dashboard's last frame as a static figure in the rendered book (where the controls
    themselves do nothing: there is no Python behind the page).
    """

    def __init__(self, make_trainer: Callable[..., GANTrainer], *, panel: Callable | None = None,
                 steps: int = 1000, max_steps: int = 10_000, lr_d: float = 1e-3, lr_g: float = 1e-3,
                 k: int = 1, seed: int = 0, every: int = 100, title: str = "", run: bool = True):
        import ipywidgets as w

        if not callable(make_trainer):
            raise ValueError(f"make_trainer must be callable, got {make_trainer!r}")
        max_steps = _checks.integer("max_steps", max_steps, minimum=1)
        steps = _checks.integer("steps", steps, minimum=1, maximum=max_steps)
        lr_d = _checks.positive_float("lr_d", lr_d)
        lr_g = _checks.positive_float("lr_g", lr_g)
        k = _checks.integer("k", k, minimum=1, maximum=10)
        seed = _checks.integer("seed", seed, minimum=0, maximum=2**32 - 1)
        self.make_trainer = make_trainer
        self.dashboard = Dashboard(panel, every=every, title=title)
        self.trainer: GANTrainer | None = None

        style = {"description_width": "140px"}
        layout = w.Layout(width="420px")
        self.lr_d = w.FloatLogSlider(value=lr_d, base=10, min=-5, max=-1, step=0.1,
                                     description="D learning rate", readout_format=".1e", style=style, layout=layout)
        self.lr_g = w.FloatLogSlider(value=lr_g, base=10, min=-5, max=-1, step=0.1,
                                     description="G learning rate", readout_format=".1e", style=style, layout=layout)
        self.steps = w.IntSlider(value=steps, min=1, max=max_steps, step=1, description="steps",
                                 style=style, layout=layout)
        self.k = w.IntSlider(value=k, min=1, max=10, description="k (D steps per G)", style=style, layout=layout)
        self.seed = w.BoundedIntText(value=seed, min=0, max=2**32 - 1, description="seed", style=style,
                                     layout=w.Layout(width="260px"))
        self.button = w.Button(description="Train", button_style="primary", icon="play")
        self.progress = w.IntProgress(value=0, min=0, max=steps, description="progress", style=style,
                                      layout=layout)
        self.status = w.HTML(value="")
        self.button.on_click(lambda _: self.train())
        self.widget = w.VBox([
            w.HBox([w.VBox([self.lr_d, self.lr_g, self.steps]), w.VBox([self.k, self.seed, self.button])]),
            self.progress, self.status,
        ])
        from IPython.display import display

        display(self.widget)
        if run:
            self.train()

    def _tick(self, trainer: GANTrainer) -> None:
        self.progress.value = trainer.step

    def train(self) -> GANTrainer:
        """Build a fresh trainer from the current control values and train it live."""
        self.button.disabled = True
        try:
            self.status.value = "training..."
            self.trainer = self.make_trainer(lr_d=self.lr_d.value, lr_g=self.lr_g.value,
                                             k=self.k.value, seed=self.seed.value)
            if not isinstance(self.trainer, GANTrainer):
                raise ValueError(f"make_trainer must return a GANTrainer, got {type(self.trainer).__name__}")
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
            self.button.disabled = False
        return self.trainer
