"""ganbook.prose: the numbers a chapter's prose quotes, filled in from the run that computed them."""

import numpy as np

import ganbook as gb
from ganbook import prose as prose


def test_glue_keeps_numpy_numbers_as_plain_python_numbers():
    assert type(gb.glue("t.share", np.float64(0.514))) is float
    assert type(gb.glue("t.count", np.int64(8))) is int
    assert prose.GLUED["t.share"] == 0.514 and prose.GLUED["t.count"] == 8


def test_glue_hands_the_value_to_myst_nb_where_the_book_is_built(capsys):
    # myst-nb is installed in the build's environment: glue() then emits its hidden display
    assert prose._myst_glue is not None
    gb.glue("t.ratio", 2.5)


def test_fill_glued_formats_each_role_as_the_web_page_does():
    text = "D(x) rose in {glue:text}`up:.0%` of the steps, {glue}`n` runs, {glue:text}`r:.2f`x."
    assert gb.fill_glued(text, {"up": 0.514, "n": 3, "r": 1.736}) == "D(x) rose in 51% of the steps, 3 runs, 1.74x."


def test_fill_glued_leaves_latex_and_other_braces_alone():
    text = r"$\frac{a}{b}$ and {glue:text}`v:.1f`"
    assert gb.fill_glued(text, {"v": 0.25}) == r"$\frac{a}{b}$ and 0.2"


def test_show_glued_reads_what_this_kernel_glued(monkeypatch):
    shown = []
    monkeypatch.setattr(prose, "display", shown.append)
    gb.glue("t.modes", 8)
    gb.show_glued("all {glue:text}`t.modes` modes")
    assert shown[0].data == "all 8 modes"
