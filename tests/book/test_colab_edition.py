"""The Colab edition (colab/book/, written by colab/make_edition.py) reads clean in Colab.

It must be exactly what the sources give today, hold no MyST syntax in any markdown cell, fold
every solution in a closed <details>, resolve every citation, keep every math delimiter, keep the
code cells as they are, and refuse a construct it does not know without writing anything.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "colab"))
import make_edition  # noqa: E402

SOURCES = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.fixture(scope="module")
def built():
    return make_edition.build()


def edition_of(path):
    return nbformat.read(ROOT / "colab" / "book" / path.name, as_version=4)


def markdown_cells(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def texts(nb):
    """The text of every markdown cell, and of every paragraph that quotes the run (glued-text cells)."""
    out = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            out.append(c.source)
        elif "glued-text" in c.metadata.get("tags", []):
            out.append(re.search(r'gb\.show_glued\(r"""\n(.*)\n"""\)', c.source, re.S)[1])
    return out


def test_regenerating_the_edition_gives_exactly_the_committed_files(built):
    committed = sorted((ROOT / "colab" / "book").glob("*.ipynb"))
    assert [p.name for p in committed] == [p.name for p in SOURCES]
    for path, text in built.items():
        assert path.read_text() == text, f"{path.name} is stale: run python colab/make_edition.py"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_myst_syntax_survives_in_a_markdown_cell(source):
    for i, text in enumerate(markdown_cells(edition_of(source))):
        for what, pattern in make_edition.LEFTOVERS:
            assert not pattern.search(text), f"{source.name}, markdown cell {i}: {what}: {pattern.search(text)[0]!r}"
        for raw in ("{cite", "{ref", "{prf", ":::", ":label:", ":class:"):
            assert raw not in text, f"{source.name}, markdown cell {i} holds {raw!r}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_every_exercise_is_a_numbered_heading_and_its_solution_folds(source):
    src = "\n".join(markdown_cells(nbformat.read(source, as_version=4)))
    out = "\n".join(markdown_cells(edition_of(source)))
    exercises = len(re.findall(r"^:{3,}\{exercise\}", src, re.M))
    headings = re.findall(r"^### Exercise (\d+)", out, re.M)
    assert exercises >= 3 and len(headings) == exercises
    assert out.count("<summary>Solution</summary>") == exercises
    hints = len(re.findall(r"^:{3,}\{admonition\} Hint", src, re.M))
    assert out.count("<summary>Hint</summary>") == hints
    assert "<details open" not in out  # closed until the reader opens it
    assert out.count("<details>") == out.count("</details>")
    # every exercise's solution is in a <details>: each heading is followed by one before the next
    for block in re.split(r"^### Exercise \d+", out, flags=re.M)[1:]:
        assert "<summary>Solution</summary>" in block


def test_exercises_are_numbered_as_the_web_page_numbers_them():
    # sphinx-exercise numbers the exercises through the whole book, in the order of _toc.yml
    numbers = [int(n) for s in SOURCES for n in re.findall(r"^### Exercise (\d+)",
                                                          "\n".join(markdown_cells(edition_of(s))), re.M)]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_every_citation_becomes_a_link_to_the_references(source):
    src = "\n".join(markdown_cells(nbformat.read(source, as_version=4)))
    out = "\n".join(texts(edition_of(source)))
    keys = [k for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", src) for k in group.split(",")]
    references = make_edition.Book().baseurl + "book/references.html"
    assert out.count(f"]({references})") == len(keys)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_math_delimiters_are_kept(source):
    src = "".join(markdown_cells(nbformat.read(source, as_version=4)))
    out = "".join(texts(edition_of(source))[1:])  # the first cell is the edition's note
    assert out.count("$") == src.count("$") + out.count("$\\blacksquare$") * 2


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_code_cells_are_the_sources_and_solutions_stay_folded(source):
    src = [c for c in nbformat.read(source, as_version=4).cells if c.cell_type == "code"]
    out = [c for c in edition_of(source).cells
           if c.cell_type == "code" and "glued-text" not in c.metadata.get("tags", [])]
    assert [c.source for c in out] == [c.source for c in src]
    for cell in out:
        if cell.source.startswith("#@title"):
            assert cell.metadata.get("cellView") == "form", f"{source.name}: a solution cell Colab shows open"


def test_a_paragraph_that_quotes_the_run_shows_the_readers_own_numbers(tmp_path, monkeypatch):
    import ganbook as gb
    import ganbook.prose

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99. A chapter"),
                nbformat.v4.new_code_cell('gb.glue("share", 0.514)'),
                nbformat.v4.new_markdown_cell(r"Up in {glue:text}`share:.0%` of the steps, $\frac{1}{2}$.")]
    nbformat.write(nb, tmp_path / "99_glued.ipynb")
    cell = make_edition.edition(make_edition.Book(), tmp_path / "99_glued.ipynb").cells[-1]
    assert cell.cell_type == "code" and cell.metadata["cellView"] == "form"
    shown = []
    monkeypatch.setattr(ganbook.prose, "display", shown.append)
    gb.glue("share", 0.514)
    exec(cell.source, {"gb": gb})
    assert shown[0].data.strip() == r"Up in 51% of the steps, $\frac{1}{2}$."


def bad_chapter(tmp_path, markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 99. A chapter"), nbformat.v4.new_markdown_cell(markdown)]
    nb.cells[1].id = "bad-cell"
    path = tmp_path / "99_bad.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("markdown, construct", [
    ("See {glue:text}`ratio`.", "quotes a number that no code cell above it glues"),
    ("See {glue:text2}`ratio`.", "the role {glue:text2}"),
    (":::{figure} images/x.png\n:name: fig\n:::", "the option :name: of {figure}"),
    (":::{margin}\nAside.\n:::", "the directive {margin}"),
    (":::{exercise} Open\n:label: x\nNo closer.", "never closed"),
    ("As {cite:t}`nobody2099` showed.", "'nobody2099' is not in references.bib"),
    ("See {ref}`no-such-label`.", "'no-such-label' is defined nowhere"),
])
def test_an_unknown_construct_fails_naming_the_chapter_the_cell_and_the_construct(tmp_path, markdown, construct):
    with pytest.raises(make_edition.EditionError) as caught:
        make_edition.edition(make_edition.Book(), bad_chapter(tmp_path, markdown))
    message = str(caught.value)
    assert "99_bad.ipynb" in message and "cell 1 (bad-cell)" in message and construct in message, message


def test_a_failed_generation_writes_nothing(tmp_path, monkeypatch, capsys):
    real = make_edition.edition

    def fails_on_chapter_7(book, path):
        if path.name.startswith("07"):
            raise make_edition.EditionError(f"{path.name}, cell 3 (x): the directive {{margin}} is unknown")
        return real(book, path)

    monkeypatch.setattr(make_edition, "OUT", tmp_path / "out")
    monkeypatch.setattr(make_edition, "edition", fails_on_chapter_7)
    assert make_edition.main([]) == 2
    assert not (tmp_path / "out").exists()
    assert "07" in capsys.readouterr().err


def install_cell():
    nb = nbformat.read(SOURCES[0], as_version=4)
    return next(c.source for c in nb.cells if "colab-install" in c.metadata.get("tags", []))


def run_install_cell(prelude, source):
    # the cell as Colab runs it: google.colab is imported, and pip is this interpreter's
    code = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n" + prelude + source
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_the_install_cell_fails_loudly_when_ganbook_cannot_be_installed():
    source = install_cell().replace("git+https://github.com/gan-book/gan-book@main", "git+file:///no/such/repo@main")
    done = run_install_cell("", source)
    assert done.returncode != 0
    assert "RuntimeError: Could not install ganbook" in done.stderr and "run this cell again" in done.stderr


def test_the_install_cell_fails_loudly_when_ganbook_cannot_be_imported():
    done = run_install_cell("sys.modules['ganbook'] = None\n", install_cell().replace(
        'if "google.colab" in sys.modules:', "if False:"))
    assert done.returncode != 0
    assert "ImportError: ganbook is not installed" in done.stderr


def test_the_install_cell_says_which_version_it_installed():
    done = run_install_cell("", install_cell().replace('if "google.colab" in sys.modules:', "if False:"))
    import ganbook

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"ganbook {ganbook.__version__} is ready"


def test_the_committed_edition_is_valid_json_with_a_note_naming_its_source():
    for source in SOURCES:
        data = json.loads((ROOT / "colab" / "book" / source.name).read_text())
        first = "".join(data["cells"][0]["source"])
        assert f"book/{source.name}" in first and "colab/make_edition.py" in first
