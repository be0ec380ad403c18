"""The live D(x) / D(G(z)) dashboard: a training callback that redraws a figure in place
(chapter 1 introduces it; every chapter that trains uses it).
"""

from __future__ import annotations

import math
import textwrap
from typing import Callable

from matplotlib.figure import Figure

from . import _checks
from .display import FigureDisplay
from .plots import D_NAMES, PAIR_NAMES, plot_d_curves
from .replay import Replay, thin
from .training import GANTrainer


TITLE_SIZE = 10  # points: a panel's title, wrapped to its width (at 100 dpi, 14 px tall)


def _fit_titles(fig: Figure) -> None:
    """Each panel's title at ``TITLE_SIZE``, wrapped onto lines that fit its panel's width (a
    7-inch dashboard has panels about 3 inches wide: a long title would run into its neighbour's)."""
    for ax in fig.axes:
        title = ax.get_title()
        if title:
            inches = ax.get_position().width * fig.get_figwidth()
            chars = max(12, int(inches * 72 / (0.6 * TITLE_SIZE)))  # about 0.6 em a character
            ax.set_title(textwrap.fill(title, chars), fontsize=TITLE_SIZE)


class Dashboard:
    """A live figure of D(x) and D(G(z)) during training, updated in place (chapter 1).

    Pass it as ``callback`` to ``GANTrainer.train``. ``panel(ax, trainer)`` draws a second
    panel (``ganbook.panels``: for 1-D data ``histogram_panel``, for 2-D data ``field_panel``); a
    list of panels draws them side by side, or with ``layout="grid"`` the first one large on the
    right and the curves and the others stacked on the left (for the square 2-D field).
    ``after=True`` adds D(x) and D(G(z)) after the D step. It redraws every ``every`` generator
    steps and once when training ends, whatever ends it.

    With ``replay=True`` (the default) the frames of each run are kept, and when the run ends
    the output becomes a ``Replay`` of them (at most ``replay_frames``, evenly spread, the last
    one kept): the rendered book, Colab and JupyterLab can then play training back, or step
    through it, without a kernel. The player opens on the last frame.
    """

    def __init__(self, panel: Callable | list | None = None, *, every: int = 100, after: bool = False,
                 title: str = "", layout: str = "row", figsize: tuple | None = None, dpi: int = 100,
                 replay: bool = True, replay_frames: int = 24):
        panels = [] if panel is None else list(panel) if isinstance(panel, (list, tuple)) else [panel]
        self.panels = [_checks.function("panel", p, "panel(ax, trainer)") for p in panels]
        self.every = _checks.integer("every", every, minimum=1)
        self.after = bool(after)
        self.title = str(title)
        self.layout = _checks.choice("layout", layout, ("row", "grid"))
        if self.layout == "grid" and not panels:
            raise ValueError("layout='grid' needs at least one panel")
        # at most 7 inches wide: shown at the page's column width (about 690 CSS px at 1280 px) a
        # figure inch then takes at least 90 px, and 8-point text is at least 10 px tall
        if figsize is None:
            if self.layout == "grid":  # the first panel large on the right, the rest stacked on the left
                figsize = (7, 2.4 * max(2, len(panels)))
            elif len(panels) <= 1:  # the curves and the panel side by side
                figsize = (7, 3.2)
            else:  # the curves across the top, the panels below them, two to a row
                figsize = (7, 2.6 * (1 + math.ceil(len(panels) / 2)))
        self.output = FigureDisplay(figsize, dpi)
        self.replay = bool(replay)
        self.replay_frames = _checks.integer("replay_frames", replay_frames, minimum=2)
        self.recorded: list = []  # (step, PNG) of each frame of the current run, for its replay
        self._last_drawn = None
        self._layout = None  # the subplot layout of the current run's first frame
        self._layout_axes = 0  # how many axes (second y axes included) that layout was made for
        self._names = D_NAMES  # what the curves are called in the frames drawn (f(x) for a critic)

    @property
    def figsize(self) -> tuple:
        """The figure's (width, height) in inches."""
        return self.output.figsize

    @property
    def frames(self) -> int:
        """How many frames this dashboard has drawn."""
        return self.output.frames

    def figure(self, trainer: GANTrainer) -> Figure:
        """The current frame as a matplotlib Figure (not attached to pyplot)."""
        fig = self.output.new_figure()
        if self.layout == "grid":
            rows = max(2, len(self.panels))
            grid = fig.add_gridspec(rows, 2, width_ratios=(1, 1.15))
            left = [fig.add_subplot(grid[i, 0]) for i in range(len(self.panels))]
            big = fig.add_subplot(grid[:, 1])
            axes = [left[0], big, *left[1:]]
        elif len(self.panels) <= 1:
            axes = fig.subplots(1, 1 + len(self.panels), squeeze=False)[0]
        else:
            rows = 1 + math.ceil(len(self.panels) / 2)
            grid = fig.add_gridspec(rows, 2)
            axes = [fig.add_subplot(grid[0, :])]
            axes += [fig.add_subplot(grid[1 + i // 2, i % 2]) for i in range(len(self.panels))]
        h = trainer.history
        names = D_NAMES if trainer.classes is None else PAIR_NAMES  # a conditional D judges pairs
        if trainer.loss.output == "critic":  # scores of a critic f, not probabilities (chapter 10)
            names = tuple(name.replace("D(", "f(", 1) for name in names)
        status = f"step {trainer.step}"
        if len(h):
            status += f"   {names[0]} = {h.d_real[-1]:.3f}   {names[1]} = {h.d_fake[-1]:.3f}"
        if h.stop_reason:
            status += "   [stopped]"
        self._names = names
        plot_d_curves(axes[0], h, after=self.after, names=names, output=trainer.loss.output)
        for ax, panel in zip(axes[1:], self.panels):
            panel(ax, trainer)
        fig.suptitle(f"{self.title}   {status}".strip(), fontsize=11)
        _fit_titles(fig)
        # the layout is worked out on a run's first frame and kept: working it out again for every
        # frame would cost as much as drawing it, and the replay's frames would jitter. A frame with
        # more axes than the one the layout was made for (a panel that adds a second y axis once it
        # has data) gets a new one, kept from then on.
        if self._layout is None or len(fig.axes) > self._layout_axes:
            fig.tight_layout()
            if self.layout == "grid":  # room for a left panel's second y axis, which tight_layout overlooks
                fig.subplots_adjust(wspace=max(fig.subplotpars.wspace, 0.45))
            pars = fig.subplotpars
            self._layout = dict(left=pars.left, right=pars.right, bottom=pars.bottom, top=pars.top,
                                wspace=pars.wspace, hspace=pars.hspace)
            self._layout_axes = len(fig.axes)
        else:
            fig.subplots_adjust(**self._layout)
        return fig

    def png(self, trainer: GANTrainer) -> bytes:
        return self.output.png(self.figure(trainer))

    def show(self, trainer: GANTrainer) -> None:
        """Draw the current frame into this dashboard's display (creating it the first time)."""
        png = self.png(trainer)
        self.output.show_png(png)
        self.recorded.append((trainer.step, png))
        self._last_drawn = (trainer.step, len(trainer.history), trainer.history.stop_reason)

    def replay_of_run(self) -> Replay:
        """The frames drawn since the run began, as a ``Replay`` (at most ``replay_frames``)."""
        kept = [self.recorded[i] for i in thin(len(self.recorded), self.replay_frames)]
        steps = [step for step, _ in kept]
        real, fake = self._names
        alt = (f"Replay of the dashboard '{self.title or 'training'}', frame by frame: {real} and {fake} against "
               f"the generator step" + (", and its other panels" if self.panels else "")
               + (f", from step {steps[0]} to {steps[-1]}" if steps else ""))
        return Replay([png for _, png in kept], steps, alt=alt, compress=True, scale=self.output.scale)

    def __call__(self, trainer: GANTrainer) -> None:
        if trainer.step % self.every == 0:
            self.show(trainer)

    def on_train_begin(self, trainer: GANTrainer) -> None:
        self.recorded = []
        self._layout = None

    def on_train_end(self, trainer: GANTrainer) -> None:
        if self._last_drawn != (trainer.step, len(trainer.history), trainer.history.stop_reason):
            self.show(trainer)
        if self.replay:
            self.output.show_bundle(self.replay_of_run().mimebundle())
