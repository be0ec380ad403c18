"""The book's colours: the Okabe-Ito palette, which stays readable with the common colour-vision
deficiencies (no red against green). Chapter 1 introduces them; every chapter calls
``book_style()`` next to its seed and names the colours below instead of writing hex codes.
"""

from __future__ import annotations

import matplotlib
from cycler import cycler

REAL_COLOR = "#0072B2"  # blue: real data and D(x)
FAKE_COLOR = "#D55E00"  # vermillion: generated data and D(G(z))
METRIC_COLOR = "#009E73"  # bluish green: a measured quality (modes hit, distance to the floor)
ACCENT_COLOR = "#CC79A7"  # reddish purple: a second measured quantity beside METRIC_COLOR
EQUILIBRIUM_COLOR = "#555555"  # grey: reference lines (the 0.5 equilibrium, a target value)
PAPER_COLOR = "#dddddd"  # light grey: the gaps between images in a grid
#: The Okabe-Ito palette in the order the book's figures use it: the colour cycle after book_style().
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def book_style() -> None:
    """Make the Okabe-Ito palette matplotlib's colour cycle, and show figures sharp (chapter 1).

    Every line, bar and marker that a chapter draws without naming a colour then stays
    distinguishable with colour-vision deficiencies. In a notebook, ``plt.show()`` then draws
    each figure with twice the pixels of its shown size ("retina"), so that its text stays sharp
    on a HiDPI screen, at the same size on the page. Each chapter calls it once, next to its seed.
    """
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=list(OKABE_ITO))
    _retina_figures()


def _retina_figures() -> None:
    """The notebook's inline figures as 2x PNGs, with their shown width in the output's metadata."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # no IPython here: nothing is shown inline
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")
