"""Tests of the book's colours (ganbook.style)."""

import matplotlib

import ganbook as gb


def test_book_style_makes_okabe_ito_the_colour_cycle():
    before = matplotlib.rcParams["axes.prop_cycle"]
    try:
        gb.book_style()
        assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == list(gb.OKABE_ITO)
    finally:
        matplotlib.rcParams["axes.prop_cycle"] = before


def test_the_named_colours_are_okabe_ito_colours():
    named = (gb.REAL_COLOR, gb.FAKE_COLOR, gb.METRIC_COLOR, gb.ACCENT_COLOR)
    assert set(named) <= set(gb.OKABE_ITO) and len(set(named)) == 4
