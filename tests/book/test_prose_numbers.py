"""Every number a chapter's prose states is true of the run the reader sees (README: "Writing a chapter").

The rule: a decimal number or a percentage in a chapter's prose is glued from the cell that
computes it (``gb.glue`` in the code, ``{glue:text}`` in the text), or it is one the chapter's
code itself holds (a setting, like a learning rate, or the bound an ``assert`` checks). Math is
left out (a derivation's constants are not measurements), and so is a cell tagged
``bench-quote``, which quotes the benchmark instead: its numbers must be the latest ones in
bench/RESULTS.md.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
RESULTS = ROOT / "bench" / "RESULTS.md"

GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`(?P<name>[A-Za-z_][\w.-]*)(?::[^`]*)?`")
GLUE_CALL = re.compile(r"""gb\.glue\(\s*(?:f?["'](?P<name>[^"']+)["'])""")
# what is not prose: display math, inline math, code spans, roles, link targets, HTML tags
NOT_PROSE = [
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S),
    re.compile(r"\$[^$\n]+\$"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"^:[\w-]+:.*$", re.M),  # a directive's options (labels, classes)
]
# a decimal number, or a number followed by a percent sign
PROSE_NUMBER = re.compile(r"(?<![\w.])(?P<value>\d+(?:\.\d+)?)(?P<percent>\s?%)|(?<![\w.])(?P<decimal>\d+\.\d+)(?![\w.])")
CODE_NUMBER = re.compile(r"(?<![\w.])\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?")


def cells(path):
    return nbformat.read(path, as_version=4).cells


def prose(text):
    text = GLUE_ROLE.sub(" ", text)
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def numbers_in_code(path):
    values = set()
    for cell in cells(path):
        if cell.cell_type == "code":
            for token in CODE_NUMBER.findall(cell.source):
                values.add(round(float(token.replace("_", "")), 9))
    return values


def stated_numbers(text):
    """(the text as written, its value, whether it is a percentage) for each number in the prose."""
    for m in PROSE_NUMBER.finditer(prose(text)):
        if m["percent"]:
            yield m.group(0).strip(), float(m["value"]), True
        else:
            yield m["decimal"], float(m["decimal"]), False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_decimal_or_a_percentage_in_prose_is_glued_or_held_by_the_code(path):
    in_code = numbers_in_code(path)
    loose = []
    for index, cell in enumerate(cells(path)):
        if cell.cell_type != "markdown" or "bench-quote" in cell.metadata.get("tags", []):
            continue
        for text, value, percent in stated_numbers(cell.source):
            candidates = {round(value, 9)} | ({round(value / 100, 9)} if percent else set())
            if not candidates & in_code:
                loose.append(f"cell {index}: {text!r}")
    assert not loose, (
        f"{path.name}: numbers in the prose that no cell computes: glue them from the cell that does "
        f"(gb.glue and {{glue:text}}), or state a bound that an assert checks: {loose}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_quoted_number_is_glued_by_a_code_cell_above_it(path):
    # above it: the Colab edition fills the paragraph in from the reader's own run, in order
    glued, problems = set(), []
    for index, cell in enumerate(cells(path)):
        if cell.cell_type == "code":
            glued.update(GLUE_CALL.findall(cell.source))
        else:
            problems += [f"cell {index}: {name}" for name in GLUE_ROLE.findall(cell.source) if name not in glued]
    assert not problems, f"{path.name}: the text quotes names no code cell above it glues: {problems}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_number_is_quoted_and_named_after_its_chapter(path):
    chapter = f"ch{path.name[:2]}_"
    glued = {n for c in cells(path) if c.cell_type == "code" for n in GLUE_CALL.findall(c.source)}
    quoted = {n for c in cells(path) if c.cell_type == "markdown" for n in GLUE_ROLE.findall(c.source)}
    assert glued <= quoted, f"{path.name}: glued but never quoted: {sorted(glued - quoted)}"
    # myst-nb's glue names are global to the book: a chapter prefix keeps them apart
    assert all(n.startswith(chapter) for n in glued), f"{path.name}: glue names must start with {chapter}"


def bench_numbers():
    return {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", RESULTS.read_text())}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_bench_quote_holds_only_numbers_of_the_latest_bench_results(path):
    recorded = bench_numbers()
    for index, cell in enumerate(cells(path)):
        if cell.cell_type != "markdown" or "bench-quote" not in cell.metadata.get("tags", []):
            continue
        assert "bench/RESULTS.md" in cell.source, f"{path.name} cell {index}: a bench quote must name its source"
        text = re.sub(r"\{\w+(?::\w+)?\}`[^`]*`", " ", cell.source)  # roles: references, citations
        text = re.sub(r"\$[^$\n]+\$", " ", text)
        stale = [x.rstrip(",") for x in re.findall(r"(?<![\w.-])\d[\d,]*(?:\.\d+)?", text)
                 if float(x.replace(",", "")) not in recorded]
        assert not stale, f"{path.name} cell {index}: numbers bench/RESULTS.md does not hold (rerun make bench?): {stale}"


def test_the_prose_rule_catches_an_unglued_number_and_passes_a_glued_one():
    assert [t for t, _, _ in stated_numbers("the swing fell to 0.33, and 51% of steps")] == ["0.33", "51%"]
    assert list(stated_numbers("it fell to {glue:text}`ch08_swing:.2f`, in $x = 0.5$ and `lr=0.1`")) == []
