"""Write each chapter's Colab edition with the outputs of the build's execution, for `make notebooks`.

The `notebooks` stage of `make test` executes the Colab edition (colab/book/, what the Colab
button opens) in a copy of Colab's runtime and compares everything it prints with what the build
printed when it executed the chapter for the web page. This script writes those references to
_build/executed/colab/: the committed edition, each code cell given the outputs of the same cell
in the build's execution (taken from the execution cache; myst-nb's own copies in
_build/jupyter_execute are written without outputs when a chapter comes from the cache).

- A paragraph that quotes the run (a `glued-text` cell, `gb.show_glued`) is expected to show the
  paragraph with the numbers the build glued: the reader in Colab and on the web page read the
  same sentence when their runs agree.
- The glue records themselves (myst-nb's hidden outputs) are left out: outside the build, where
  myst-nb is absent, `gb.glue` shows nothing.

Exits non-zero if a chapter is not in the cache, holds a code cell that was not executed, or its
edition's code cells are not the chapter's, so that a comparison with nothing cannot pass.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
from ganbook.prose import fill_glued  # noqa: E402

CACHE = ROOT / "_build" / ".jupyter_cache"
EDITION = ROOT / "colab" / "book"
OUT = ROOT / "_build" / "executed" / "colab"
GLUE_PREFIX = "application/papermill.record/"
TEMPLATE = re.compile(r'gb\.show_glued\(r"""\n(?P<text>.*)\n"""\)', re.S)


def is_glue_record(output) -> bool:
    data = output.get("data", {})
    return output.get("output_type") == "display_data" and bool(data) and all(
        key.startswith(GLUE_PREFIX) for key in data)


def glued_values(executed) -> dict:
    values = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            if is_glue_record(output):
                name = output["metadata"]["scrapbook"]["name"]
                values[name] = ast.literal_eval(output["data"][GLUE_PREFIX + "text/plain"])
    return values


def with_build_outputs(edition, executed, name: str):
    """The edition, its code cells given the build's outputs; raises ValueError on a mismatch."""
    built = [c for c in executed.cells if c.cell_type == "code"]
    values = glued_values(executed)
    copy = nbformat.from_dict(edition)
    for cell in copy.cells:
        if cell.cell_type != "code":
            continue
        if "glued-text" in cell.metadata.get("tags", []):
            text = fill_glued(TEMPLATE.search(cell.source)["text"], values).strip()
            cell.outputs = [nbformat.v4.new_output(
                "display_data", data={"text/markdown": text, "text/plain": "<IPython.core.display.Markdown object>"})]
            cell.execution_count = 1
            continue
        if not built:
            raise ValueError(f"{name}: the edition has more code cells than the chapter")
        source = built.pop(0)
        if source.source != cell.source:
            raise ValueError(f"{name}: the edition's code cell {cell.get('id')} is not the chapter's: regenerate it")
        if source.execution_count is None:
            raise ValueError(f"{name}: code cell {source.get('id')} was not executed")
        cell.outputs = [o for o in source.outputs if not is_glue_record(o)]
        cell.execution_count = source.execution_count
    if built:
        raise ValueError(f"{name}: the chapter has code cells its edition lacks: regenerate it")
    return copy


def main() -> int:
    cache = get_cache(str(CACHE))
    OUT.mkdir(parents=True, exist_ok=True)
    problems = []
    chapters = sorted((ROOT / "book").glob("*.ipynb"))
    for path in chapters:
        notebook = nbformat.read(path, as_version=4)
        try:
            _, executed = cache.merge_match_into_notebook(notebook)
        except KeyError:
            problems.append(f"{path.name}: not in the execution cache (build the book first)")
            continue
        try:
            copy = with_build_outputs(nbformat.read(EDITION / path.name, as_version=4), executed, path.name)
        except (ValueError, FileNotFoundError) as err:
            problems.append(str(err))
            continue
        nbformat.write(copy, OUT / path.name)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(chapters) - len(problems)} Colab editions with the build's outputs written to "
          f"{OUT.relative_to(ROOT)}/")
    return 1 if problems or not chapters else 0


if __name__ == "__main__":
    sys.exit(main())
