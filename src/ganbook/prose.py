"""Numbers that a chapter's prose quotes from the chapter's own run (the rule the intro states).

A sentence such as "the D step raised D(x) on its batch in 51% of the steps" must be true of the
run the reader sees. The cell that computes the number glues it: ``gb.glue("up_share", share)``.

- On the web page, the text cites it as ``{glue:text}`up_share:.0%``` and myst-nb writes in the
  value the build's own execution computed (``glue`` hands it to myst-nb when myst-nb is there).
- In the Colab edition, the same paragraph becomes a folded cell that calls
  ``gb.show_glued(text)``: it fills in the numbers of the reader's own run.
"""

from __future__ import annotations

import numbers
import re

from IPython.display import Markdown, display

from . import _checks

try:  # present where the book is built; absent in Colab, where show_glued fills in the text
    from myst_nb import glue as _myst_glue
except ImportError:  # pragma: no cover - the build's environment has myst-nb
    _myst_glue = None

GLUED: dict[str, int | float | str] = {}
"""Every value glued in this kernel, by name."""

ROLE = re.compile(r"\{glue(?::text)?\}`(?P<name>[A-Za-z_][\w.-]*)(?::(?P<format>[^`]*))?`")
"""A myst-nb glue role as the chapters write it: {glue:text}`name:format` or {glue}`name`."""


def glue(name: str, value) -> int | float | str:
    """Record ``value`` under ``name`` for the prose that quotes it (every chapter, from chapter 1).

    ``value`` is a finite real number (NumPy and Python numbers alike; stored as a plain int or
    float, so that ``{glue:text}`name:.2f``` can format it) or a string. Returns it.
    """
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
        raise ValueError(f"name must be a word of letters, digits, '_', '.' or '-', got {name!r}")
    if isinstance(value, str):
        pass
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = _checks.finite_float(f"the value glued as {name!r}", value)
    else:
        raise ValueError(f"the value glued as {name!r} must be a finite number or a string, got {value!r}")
    GLUED[name] = value
    if _myst_glue is not None:
        _myst_glue(name, value, display=False)
    return value


def fill_glued(text: str, values: dict | None = None) -> str:
    """``text`` with every glue role replaced by its value, formatted as the role says (chapters 1 on).

    Raises a ValueError naming a role whose value was never glued (run the cells above first).
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {text!r}")
    values = GLUED if values is None else values

    def value(m: re.Match) -> str:
        name, spec = m["name"], m["format"] or ""
        if name not in values:
            raise ValueError(
                f"the text quotes {name!r}, which no cell has glued yet: run the cells above it first")
        try:
            return format(values[name], spec)
        except (TypeError, ValueError) as err:
            raise ValueError(f"the format {spec!r} does not apply to {name!r} = {values[name]!r}") from err

    return ROLE.sub(value, text)


def show_glued(text: str) -> None:
    """Show ``text`` as markdown, with the numbers of this kernel's run filled in (chapters 1 on).

    The Colab edition's paragraphs that quote a run call this, in place of myst-nb's glue roles.
    """
    display(Markdown(fill_glued(text).strip()))
