"""The chapters' code layout: yapf, pinned in requirements.txt, with the style in pyproject.toml
([tool.yapf]). It packs a call's arguments onto as few lines as fit the 80-character code column,
as a book sets code, instead of one argument per line.

    python tests/book/chapter_code.py          # rewrite book/*.ipynb (make format runs this)
    python tests/book/chapter_code.py --check  # list the cells that are not laid out so

The policy test (tests/book/test_policy.py) fails on any code cell this would change. A cell's
meaning never changes: its syntax tree before and after must be equal, or it is left as it was.
Colab's form line (``#@title ... { display-mode: "form" }``) is a comment, which yapf leaves as it
is (ruff and black would rewrite it to ``# @title``); the check keeps it so.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

import nbformat
from yapf.yapflib.yapf_api import FormatCode

ROOT = Path(__file__).resolve().parents[2]
STYLE = str(ROOT / "pyproject.toml")
MAGIC = ("%", "!")


def _drop_magic_trailing_commas(source: str) -> str:
    """``source`` without the trailing commas that yapf would keep (each would hold a call open, one
    argument per line): a comma whose next token, past line breaks and comments, closes a bracket."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    drop = set()
    skip = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.OP and tok.string == ",":
            j = i + 1
            while j < len(tokens) and tokens[j].type in skip:
                j += 1
            if j > i + 1 and j < len(tokens) and tokens[j].string in ")]}":
                drop.add(tok.start)
    lines = source.splitlines(True)
    for row, col in sorted(drop, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + line[col + 1:]
    return "".join(lines)


def formatted(source: str) -> str:
    """The cell ``source`` laid out in the book's style (unchanged if it holds IPython magics or
    if the layout would change its syntax tree, such as a one-element tuple's comma)."""
    if not source.strip() or any(line.lstrip().startswith(MAGIC) for line in source.splitlines()):
        return source
    before = ast.dump(ast.parse(source))
    for candidate in (_drop_magic_trailing_commas(source), source):
        out = FormatCode(candidate, style_config=STYLE)[0].rstrip("\n")
        if ast.dump(ast.parse(out)) == before:
            return out
    return source


def notebooks():
    return sorted((ROOT / "book").glob("*.ipynb"))


def unformatted(path: Path) -> list:
    """The indices of the code cells of the notebook ``path`` that ``formatted`` would change."""
    nb = nbformat.read(path, as_version=4)
    return [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and formatted(cell.source) != cell.source]


def main(argv: list) -> int:
    check = "--check" in argv
    bad = 0
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        changed = 0
        for cell in nb.cells:
            if cell.cell_type == "code":
                new = formatted(cell.source)
                changed += new != cell.source
                cell.source = new
        if changed and check:
            print(f"{path.relative_to(ROOT)}: {changed} code cells are not laid out as the book's style")
        elif changed:
            nbformat.write(nb, path)
            print(f"{path.relative_to(ROOT)}: {changed} code cells laid out")
        bad += changed
    return 1 if check and bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
