"""Find a chapter's code cell by its tag, for the tests and benchmarks that run a chapter's own code.

A chapter marks the cell that others execute with a cell tag (``train-gan-loop`` in chapter 5,
``digits-recipe`` in chapter 7), so editing the cell's first line cannot silently break them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import nbformat


def tagged_cell(path: Path, tag: str) -> str:
    """The source of the one code cell of the notebook at ``path`` tagged ``tag``."""
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise ValueError(f"{Path(path).name} must have exactly one code cell tagged {tag!r}, found {len(cells)}")
    return cells[0]


def chapter_definitions(path: Path, names=()) -> dict:
    """A namespace with the chapter's imports, classes and functions, its top-level assignments of
    constants (``PACK, STEPS = 2, 4500``) and those to ``names`` (its data sets), executed in the
    chapter's order; nothing else runs (no training, no plots). For the tests that hold another copy of a chapter's code (the
    browser trainer) to the chapter itself."""
    import ast

    def literal(value):
        try:
            ast.literal_eval(value)
            return True
        except ValueError:
            return False

    nb = nbformat.read(path, as_version=4)
    keep = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "remove-cell" in cell.metadata.get("tags", []):
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef)):
                keep.append(node)
            elif isinstance(node, ast.Assign) and (literal(node.value) or all(
                    isinstance(t, (ast.Name, ast.Tuple)) and {n.id for n in ast.walk(t) if isinstance(n, ast.Name)} <= set(names)
                    for t in node.targets)):
                keep.append(node)
    namespace = {"__name__": Path(path).stem}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(path), "exec"), namespace)
    missing = [n for n in names if n not in namespace]
    if missing:
        raise ValueError(f"{Path(path).name} assigns no {missing} at its top level")
    return namespace


def call_arguments(source: str, function: str) -> tuple[list, dict]:
    """The positional arguments (as source text) and keyword arguments (as source text) of the
    first call of ``function`` (a name or attribute, such as ``gb.TrainingControls``) in ``source``."""
    import ast

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == function:
            return [ast.unparse(a) for a in node.args], {k.arg: ast.unparse(k.value) for k in node.keywords}
    raise ValueError(f"no call of {function} in the cell")


CONTROLS = ("steps", "max_steps", "lr_d", "lr_g", "k", "seed")


def chapter_controls(path: Path, tag: str, names=()) -> tuple[dict, Callable, dict]:
    """The chapter's namespace (``chapter_definitions``), the ``make_trainer`` its
    ``gb.TrainingControls`` cell (tagged ``tag``) passes, and that call's settings (CONTROLS)."""
    ns = chapter_definitions(path, names)
    args, kwargs = call_arguments(tagged_cell(path, tag), "TrainingControls")
    return ns, ns[args[0]], {k: eval(v, ns) for k, v in kwargs.items() if k in CONTROLS}
