"""Tests of a figure updated in place, and the widgets in front of it (ganbook.display)."""

import io

import pytest

import ganbook as gb
from conftest import PNG_MAGIC


def test_interactive_figure_draws_at_creation_and_redraws_in_place(fake_display):
    import ipywidgets as w

    calls = []

    def draw(fig, a, b):
        calls.append((a, b))
        fig.subplots().plot([0, 1], [a, b])

    slider, dropdown = w.FloatSlider(value=0.5, min=0, max=1), w.Dropdown(options=["x", "y"], value="x")
    view = gb.InteractiveFigure(draw, {"a": slider, "b": dropdown})
    # the controls, then one image: the static frame the rendered book keeps
    assert view.widget in fake_display.shown and calls == [(0.5, "x")] and view.frames == 1
    assert fake_display.shown[-1].data.startswith(PNG_MAGIC)
    slider.value = 0.25
    dropdown.value = "y"
    assert calls[1:] == [(0.25, "x"), (0.25, "y")] and len(fake_display.updates) == 2
    assert view.values == {"a": 0.25, "b": "y"}


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: gb.InteractiveFigure("draw", {"a": None}), "draw must be callable"),
        (lambda: gb.InteractiveFigure(lambda fig: None, {}), "controls must be a non-empty dict"),
        (lambda: gb.InteractiveFigure(lambda fig, a: None, {"a": 0.5}), r"controls\['a'\] must be an ipywidgets"),
    ],
)
def test_interactive_figure_rejects_bad_arguments(make, match, fake_display):
    with pytest.raises(ValueError, match=match):
        make()


def test_figure_display_shows_then_updates_one_output(fake_display):
    out = gb.FigureDisplay((4, 3), dpi=50)
    for _ in range(3):
        fig = out.new_figure()
        fig.subplots().plot([0, 1])
        out.show(fig)
    assert out.frames == 3 and len(fake_display.shown) == 1 and len(fake_display.updates) == 2
    assert fake_display.updates[-1].data.startswith(PNG_MAGIC)


def test_figure_display_draws_twice_the_pixels_it_shows(fake_display):
    # a sharp figure on a HiDPI screen: a 4-inch figure at 50 dpi is shown 200 CSS px wide, from a
    # PNG of 400 pixels that records 100 dots per inch (so a viewer still reads 4 inches)
    from PIL import Image

    out = gb.FigureDisplay((4, 3), dpi=50)
    fig = out.new_figure()
    fig.subplots().plot([0, 1])
    out.show(fig)
    image = Image.open(io.BytesIO(fake_display.shown[0].data))
    assert image.size == (400, 300) and round(image.info["dpi"][0]) == 100
    assert fake_display.shown[0].width == 200 and out.width == 200
    plain = gb.FigureDisplay((4, 3), dpi=50, scale=1)
    assert Image.open(io.BytesIO(plain.png(plain.new_figure()))).size == (200, 150)
    with pytest.raises(ValueError, match="scale must be >= 1, got 0"):
        gb.FigureDisplay((4, 3), scale=0)


def test_figure_display_checks_its_size():
    with pytest.raises(ValueError, match=r"figsize must be \(width, height\)"):
        gb.FigureDisplay((4,))
    with pytest.raises(ValueError, match="dpi must be >= 10, got 5"):
        gb.FigureDisplay((4, 3), dpi=5)
