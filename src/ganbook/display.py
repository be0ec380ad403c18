"""Figures shown in place: one notebook output that a matplotlib figure is drawn into, as a PNG,
and then replaced by the next frame (chapter 1 explains why the book draws this way).

An IPython display handle does the updating, so it works the same in JupyterLab, Notebook 7,
Colab and a headless execution, and the last frame stays in the notebook as a plain image: that
is what the rendered book shows. ``FigureDisplay`` is the mechanism; ``InteractiveFigure`` puts
widgets in front of it; ``ganbook.dashboard.Dashboard`` is the other user.
"""

from __future__ import annotations

import io
from typing import Callable

import IPython.display
import ipywidgets as w
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _checks


class FigureDisplay:
    """One output that shows a matplotlib figure as a PNG and is then updated in place (chapter 1).

    ``show(fig)`` draws ``fig`` into the output, creating it the first time (``show_png`` takes a
    frame already drawn, ``show_bundle`` any display bundle, such as a replay's); ``frames``
    counts the frames shown. ``new_figure()`` makes a figure of this display's size that is not
    attached to pyplot (so nothing else shows it a second time).
    """

    def __init__(self, figsize: tuple, dpi: int = 100, scale: int = 2):
        if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}")
        self.figsize = (_checks.positive_float("figsize[0]", figsize[0]),
                        _checks.positive_float("figsize[1]", figsize[1]))
        self.dpi = _checks.integer("dpi", dpi, minimum=10)
        self.scale = _checks.integer("scale", scale, minimum=1)
        self.handle = None
        self.frames = 0

    def new_figure(self) -> Figure:
        fig = Figure(figsize=self.figsize, dpi=self.dpi)
        FigureCanvasAgg(fig)
        return fig

    @property
    def width(self) -> int:
        """The width in CSS pixels that the figure is shown at (``figsize[0] * dpi``)."""
        return round(self.figsize[0] * self.dpi)

    def png(self, fig: Figure) -> bytes:
        """``fig`` rendered as PNG bytes, with ``scale`` times the pixels of its shown size (a
        sharp image on a HiDPI screen; the PNG records its dots per inch)."""
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=fig.dpi * self.scale)
        return buf.getvalue()

    def show(self, fig: Figure) -> None:
        """Draw ``fig`` into this output (creating the output the first time)."""
        self.show_png(self.png(fig))

    def show_png(self, data: bytes) -> None:
        """Show the PNG image ``data`` in this output."""
        image = IPython.display.Image(data=data, format="png", width=self.width)
        if self.handle is None:  # looked up at call time, so a test can stand in for it
            self.handle = IPython.display.display(image, display_id=True)
        else:
            self.handle.update(image)
        self.frames += 1

    def show_bundle(self, bundle: dict) -> None:
        """Show a display bundle (mime type -> data) in this output, in place of what it showed."""
        if not isinstance(bundle, dict) or not bundle:
            raise ValueError(f"bundle must be a non-empty dict of mime type -> data, got {bundle!r}")
        if self.handle is None:
            self.handle = IPython.display.display(bundle, raw=True, display_id=True)
        else:
            self.handle.update(bundle, raw=True)


class InteractiveFigure:
    """Widgets that redraw a matplotlib figure in place when their values change (chapters 2, 4).

    ``controls`` maps names to ipywidgets value widgets (sliders, dropdowns); on every change
    ``draw(fig, **values)`` draws a fresh figure, shown through one ``FigureDisplay``. The first
    frame is drawn at creation, so the rendered book shows it as a static figure. Chapters 2 and
    4 use it to move a distribution or a probability by hand.
    """

    def __init__(self, draw: Callable, controls: dict, *, figsize: tuple = (7, 3.2), dpi: int = 100):
        self.draw = _checks.function("draw", draw, "draw(fig, **values)")
        if not isinstance(controls, dict) or not controls:
            raise ValueError(f"controls must be a non-empty dict of name -> widget, got {controls!r}")
        for name, widget in controls.items():
            if not isinstance(widget, w.ValueWidget):
                raise ValueError(f"controls[{name!r}] must be an ipywidgets value widget, got {widget!r}")
        self.output = FigureDisplay(figsize, dpi)
        self.controls = dict(controls)
        self.widget = w.VBox(list(self.controls.values()))
        IPython.display.display(self.widget)
        for widget in self.controls.values():
            widget.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        return {name: widget.value for name, widget in self.controls.items()}

    @property
    def frames(self) -> int:
        return self.output.frames

    def figure(self) -> Figure:
        fig = self.output.new_figure()
        self.draw(fig, **self.values)
        return fig

    def redraw(self) -> None:
        """Draw the figure for the current values into this output."""
        self.output.show(self.figure())
