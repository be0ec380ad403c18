"""Write each chapter as the build executed it (from its execution cache) to _build/executed/book/.

The `notebooks` stage of `make test` executes every chapter again and compares what it prints
with these copies. (myst-nb's own copies in _build/jupyter_execute cannot serve: it writes them
without outputs when a chapter comes from the cache.) Exits non-zero if a chapter is not in the
cache or holds a code cell that was not executed, so that a comparison with nothing cannot pass.
"""

import sys
from pathlib import Path

import nbformat
from jupyter_cache import get_cache

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "_build" / ".jupyter_cache"
OUT = ROOT / "_build" / "executed" / "book"


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
        unrun = [i for i, cell in enumerate(executed.cells)
                 if cell.cell_type == "code" and cell.execution_count is None]
        if unrun:
            problems.append(f"{path.name}: code cells {unrun} were not executed")
        nbformat.write(executed, OUT / path.name)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(chapters) - len(problems)} executed chapters written to {OUT.relative_to(ROOT)}")
    return 1 if problems or not chapters else 0


if __name__ == "__main__":
    sys.exit(main())
