"""Find a chapter's code cell by its tag, for the tests and benchmarks that run a chapter's own code.

A chapter marks the cell that others execute with a cell tag (``train-gan-loop`` in chapter 5,
``digits-recipe`` in chapter 7), so editing the cell's first line cannot silently break them.
"""

from __future__ import annotations

from pathlib import Path

import nbformat


def tagged_cell(path: Path, tag: str) -> str:
    """The source of the one code cell of the notebook at ``path`` tagged ``tag``."""
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{Path(path).name} must have exactly one code cell tagged {tag!r}, found {len(cells)}")
    return cells[0]
