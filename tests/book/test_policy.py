"""The rules every chapter notebook follows (README.md, "Writing a chapter")."""

import ast
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

import ganbook as gb

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text())
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def toc_files():
    files = [TOC["root"]]
    for entry in TOC.get("chapters", []):
        files.append(entry["file"])
    for part in TOC.get("parts", []):
        files.extend(entry["file"] for entry in part["chapters"])
    return files


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def tagged(nb, tag):
    """The code cells of ``nb`` tagged ``tag`` (cells are found by tag, never by position)."""
    return [c for c in code_cells(nb) if tag in c.metadata.get("tags", [])]


def markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_chapters():
    assert NOTEBOOKS, "book/ holds no chapter notebook"


def test_toc_and_book_folder_agree():
    listed = {f.removesuffix(".ipynb").removesuffix(".md") for f in toc_files()}
    on_disk = {str(p.relative_to(ROOT).with_suffix("")) for p in NOTEBOOKS}
    assert on_disk <= listed, f"notebooks missing from _toc.yml: {sorted(on_disk - listed)}"
    for entry in listed:
        assert any((ROOT / (entry + ext)).exists() for ext in (".ipynb", ".md")), f"{entry} is in _toc.yml but missing"


def test_notebook_is_valid_and_stripped(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    for i, cell in enumerate(code_cells(nb)):
        assert not cell.outputs, f"{path.name}: code cell {i} has stored outputs"
        assert cell.execution_count is None, f"{path.name}: code cell {i} has an execution count"


def test_first_code_cell_installs_ganbook_only_in_colab_from_the_configured_repository(notebook):
    path, nb = notebook
    install = tagged(nb, "colab-install")
    assert len(install) == 1, f"{path.name}: one code cell must be tagged colab-install"
    first = install[0]
    assert first is code_cells(nb)[0], f"{path.name}: the Colab install cell must be the first code cell"
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: install cell must be tagged remove-cell"
    assert 'if "google.colab" in sys.modules:' in first.source
    match = re.search(r'"ganbook @ git\+(\S+)@(\S+)"', first.source)
    assert match, f"{path.name}: the install cell must install ganbook from the repository"
    url, branch = match.groups()
    assert url == CONFIG["repository"]["url"], f"{path.name}: {url} differs from _config.yml's repository url"
    assert branch == CONFIG["repository"]["branch"]
    assert "--no-deps" in first.source  # never reinstall Colab's torch, matplotlib or ipywidgets
    for cell in code_cells(nb):
        for line in cell.source.splitlines():
            if re.match(r"\s*[%!]\s*pip", line):
                assert not re.search(r"\b(torch|matplotlib|ipywidgets)\b", line), f"{path.name}: {line.strip()}"


def test_colab_launch_button_uses_the_same_repository():
    assert CONFIG["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert CONFIG["repository"]["url"].startswith("https://github.com/")
    assert CONFIG["repository"]["branch"] == "main"


def test_colab_already_has_every_dependency_of_ganbook():
    # The Colab cell installs ganbook with --no-deps, so Colab must already satisfy them all.
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    freeze = {}
    for line in (ROOT / "tests" / "data" / "colab-pip-freeze.txt").read_text().splitlines():
        if line.startswith("#"):
            continue
        if "==" in line:
            name, version = line.split("==", 1)
        elif " @ " in line and line.endswith(".whl"):  # a wheel URL, as Colab lists torch: torch @ https://.../torch-2.11.0%2Bcpu-...
            name, url = line.split(" @ ", 1)
            version = url.rsplit("/", 1)[-1].split("-")[1].replace("%2B", "+")
        else:
            continue
        freeze[name.lower().replace("_", "-")] = version.strip()
    for dep in deps:
        req = Requirement(dep)
        name = req.name.lower()
        assert name in freeze, f"Colab lacks {name}, a dependency of ganbook"
        assert req.specifier.contains(freeze[name], prereleases=True), f"Colab's {name}=={freeze[name]} fails {dep}"


def test_requirements_pin_everything_and_torch_exactly():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln and not ln.startswith("#")]
    assert any(re.fullmatch(r"torch==\d+\.\d+\.\d+", pin) for pin in pins), "torch must be pinned exactly"
    for pin in pins:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", pin), f"not an exact pin: {pin}"
    names = {p.split("==")[0].lower() for p in pins}
    assert {"jupyter-book", "ipywidgets", "nbval", "pytest", "matplotlib", "playwright"} <= names
    assert not any(n.startswith("torchvision") for n in names)


def test_chapter_follows_the_template(notebook):
    path, nb = notebook
    text = markdown(nb)
    assert re.match(r"\(chapter-[a-z0-9-]+\)=\n# \d+\. ", nb.cells[0].source), (
        f"{path.name}: the first cell must be the chapter's label, (chapter-...)=, then the numbered title")
    for heading in ("What you will learn", "## Exercises", "## Quiz", "## Summary"):
        assert heading in text, f"{path.name}: no '{heading}'"
    assert "<details>" in text, f"{path.name}: the quiz's answers must be hidden in <details>"
    sources = [c.source for c in code_cells(nb)]
    assert any(re.search(r"^\s*assert ", s, re.M) for s in sources), f"{path.name}: no assert cell"
    assert any("gb.Dashboard(" in s or "gb.TrainingControls(" in s for s in sources), f"{path.name}: no live dashboard"
    assert any("seed_everything(" in s for s in sources), f"{path.name}: seeds are not fixed"
    assert any("get_device(" in s for s in sources), f"{path.name}: no device choice (CUDA when present)"
    setup = tagged(nb, "setup")
    assert len(setup) == 1, f"{path.name}: one code cell must be tagged setup"
    assert "gb.book_style()" in setup[0].source, f"{path.name}: the set-up cell must call gb.book_style() (Okabe-Ito)"


def test_exercises_are_numbered_and_their_solutions_fold(notebook):
    # sphinx-exercise: {exercise} with a label; its solution gated around the solution's code cell,
    # folded (class dropdown) until the reader clicks it
    path, nb = notebook
    chapter = path.name[:2]
    cells = nb.cells
    labels = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for label in re.findall(r"^:::+\{exercise\}.*\n:label: (\S+)", cell.source, re.M):
            assert label.startswith(f"ch{chapter}-exercise-"), f"{path.name}: exercise label {label}"
            labels.append(label)
        for label in re.findall(r"^:::\{solution-start\} (\S+)\n:class: dropdown\n:::", cell.source, re.M):
            assert label in labels, f"{path.name}: a solution to {label}, which is no exercise above it"
            code, end = cells[i + 1], cells[i + 2]
            assert code.cell_type == "code" and code.source.startswith("#@title Solution"), path.name
            assert end.cell_type == "markdown" and end.source.strip() == ":::{solution-end}\n:::", path.name
    assert len(labels) >= 3, f"{path.name}: fewer than 3 exercises"
    starts = sum(c.source.count("{solution-start}") for c in cells if c.cell_type == "markdown")
    assert starts == len(labels), f"{path.name}: {len(labels)} exercises, {starts} solutions"
    assert "<summary>Solution</summary>" not in markdown(nb), f"{path.name}: a solution still in <details>"


def test_every_cited_key_is_in_the_bibliography():
    keys = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text(), re.M))
    texts = [markdown(nbformat.read(p, as_version=4)) for p in NOTEBOOKS]
    texts += [p.read_text() for p in (ROOT / "book").glob("*.md")]
    cited = {key.strip() for text in texts for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text)
             for key in group.split(",")}
    assert cited, "no citation in the book"
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"
    for key in ("goodfellow2014", "goodfellow2016", "radford2015", "salimans2016", "arjovsky2017",
                "gulrajani2017", "mescheder2018", "heusel2017", "metz2016"):
        assert key in cited, f"{key} is never cited"


def test_hidden_solution_cells_are_hidden_in_book_and_colab(notebook):
    path, nb = notebook
    for cell in code_cells(nb):
        if cell.source.startswith("#@title Solution"):
            assert "hide-input" in cell.metadata.get("tags", []), f"{path.name}: solution cell not tagged hide-input"
            assert 'display-mode: "form"' in cell.source.splitlines()[0]


def test_no_cell_ends_with_a_bare_training_call(notebook):
    # `trainer.train(...)` returns the History: as a cell's last line it prints a page of numbers
    path, nb = notebook
    for cell in code_cells(nb):
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            body = ast.parse(source).body
        except SyntaxError:  # the Colab install cell holds IPython magics inside a block
            continue
        last = body[-1] if body else None
        if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
            func = last.value.func
            assert not (isinstance(func, ast.Attribute) and func.attr == "train"), (
                f"{path.name}, cell {cell.get('id')}: assign the result of .train(...) or end the line with ';'")


def make_rules():
    """target -> (prerequisites, recipe) of every rule of the Makefile."""
    makefile = (ROOT / "Makefile").read_text()
    rules = {}
    for m in re.finditer(r"^([\w$().-]+):(?!=)(.*)\n((?:\t.*\n?)*)", makefile, re.M):
        rules[m.group(1)] = (m.group(2).split("#")[0].split(), m.group(3))
    return rules


def make_test_stages():
    """Every target that `make test` reaches: its prerequisites, the targets its recipe makes with
    $(MAKE), and theirs, in the order they are named."""
    rules, stages, todo = make_rules(), [], ["test"]
    while todo:
        target = todo.pop(0)
        if target in stages or target not in rules:
            continue
        stages.append(target)
        prerequisites, recipe = rules[target]
        submake = [word for line in recipe.splitlines() if "$(MAKE)" in line
                   for word in line.split() if not word.startswith(("-", "$"))]
        todo += [p for p in prerequisites + submake if not p.startswith("$")]
    return stages[1:]


def test_every_stage_of_make_test_has_a_recipe():
    # a stage named in `test:` (or in the make it runs) without a rule of its own is silently skipped
    rules = make_rules()
    stages = make_test_stages()
    assert {"unit", "policy", "strict-build", "notebooks", "pages"} <= set(stages), stages
    _, recipe = rules["test"]
    for word in (w for line in recipe.splitlines() if "$(MAKE)" in line for w in line.split()):
        if not word.startswith(("-", "$")):
            assert word in rules, f"make test names {word}, which has no rule"


def test_make_test_executes_each_chapter_at_most_twice():
    # once for the build (strict-build, from the cache filled by `execute`, which `make book` fills
    # first when it ran before) and once in the Colab runtime, comparing with the build
    # (notebooks): no stage executes them again
    rules = make_rules()
    executing = [stage for stage in make_test_stages()
                 if re.search(r"--nbval|jcache project .* execute|\$\(JB\) build", rules[stage][1])]
    assert sorted(executing) == ["execute", "notebooks", "strict-build"], executing


def test_the_torch_version_is_written_once():
    # requirements.txt is the one source: the Makefile reads the pin from it
    pin = next(ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if ln.startswith("torch=="))
    for path in ("Makefile", "tests/colab/constraints.py", ".ci/run", "pyproject.toml", "README.md"):
        assert pin not in (ROOT / path).read_text(), f"{path} repeats {pin}: read it from requirements.txt"


def test_chapters_use_the_named_colours_not_hex_codes(notebook):
    path, nb = notebook
    for cell in code_cells(nb):
        assert "gb.live." not in cell.source, f"{path.name}: gb.live is gone; the colours are gb.REAL_COLOR, ..."
        for code in re.findall(r"#[0-9A-Fa-f]{6}\b", cell.source):
            assert code.upper() not in {c.upper() for c in gb.OKABE_ITO}, (
                f"{path.name}: {code} is a palette colour: use its name (gb.REAL_COLOR, gb.FAKE_COLOR, ...)")


def test_make_trainer_has_one_shape_across_chapters(notebook):
    # TrainingControls calls make_trainer(lr_d=, lr_g=, k=, seed=); every chapter's takes those first
    path, nb = notebook
    for cell in code_cells(nb):
        for node in ast.walk(ast.parse(cell.source)) if "def make_trainer(" in cell.source else ():
            if isinstance(node, ast.FunctionDef) and node.name == "make_trainer":
                names = [a.arg for a in node.args.args][:4]
                assert names == ["lr_d", "lr_g", "k", "seed"], f"{path.name}: make_trainer({', '.join(names)}, ...)"
                assert node.args.kwarg is not None, f"{path.name}: make_trainer must pass **options on"


def test_cells_that_tests_and_benchmarks_run_are_tagged():
    for chapter, tag in (("05_training_loop.ipynb", "train-gan-loop"), ("06_two_dimensions.ipynb", "ring-rejection"),
                         ("07_digits.ipynb", "digits-recipe"), ("09_conditional.ipynb", "cgan-recipe")):
        nb = nbformat.read(ROOT / "book" / chapter, as_version=4)
        assert len(tagged(nb, tag)) == 1, f"{chapter}: one cell must be tagged {tag}"
    # chapter 10's comparison: the ring's trainer, then the rest, which bench/loss_family.py runs
    nb = nbformat.read(ROOT / "book" / "10_loss_family.ipynb", as_version=4)
    cells = tagged(nb, "loss-family")
    assert len(cells) == 2 and "def ring_trainer(" in cells[0].source and "def run(" in cells[1].source
    # chapter 11: the networks (examples/train_dcgan.py must hold the same code), the settings and the
    # trainer (bench/fashion_gan.py runs these three), and the plain loop
    nb = nbformat.read(ROOT / "book" / "11_dcgan.ipynb", as_version=4)
    for tag, defines in (("dcgan-networks", "class Generator("), ("dcgan-recipe", "def make_players("),
                         ("dcgan-trainer", "def make_dcgan("), ("dcgan-loop", "def train_dcgan(")):
        cells = tagged(nb, tag)
        assert len(cells) == 1 and defines in cells[0].source, f"11_dcgan.ipynb: one cell tagged {tag}, with {defines}"


CODE_COLUMN = 80  # characters; vendor/css/book.css sets the code font so that they fit at 1280 px


def test_code_lines_fit_the_pages_code_column(notebook):
    # a longer line is cut off at the column's edge on the web page (the reader scrolls sideways)
    path, nb = notebook
    for i, cell in enumerate(code_cells(nb)):
        for line in cell.source.splitlines():
            where = f"{path.name}, code cell {i}"
            assert len(line) <= CODE_COLUMN, f"{where}: {len(line)} characters: {line.strip()[:60]}"


def lone_line(line: str) -> bool:
    """A code line that holds only a closing bracket, or only one argument (or element) and its
    comma: what a formatter leaves when it puts one argument on each line."""
    code = line.split("  #")[0].strip()
    if not code or code.startswith("#"):
        return False
    if re.fullmatch(r"[)\]}]+[,:)\]}]*", code):
        return True
    if not code.endswith(","):
        return False
    depth, commas, quote, i = 0, 0, None, 0
    while i < len(code):
        c = code[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            commas += 1
        i += 1
    return commas == 1 and depth == 0


def test_lone_line_tells_a_lone_argument_from_a_packed_line():
    assert lone_line("        label=\"x, y\",") and lone_line("    )") and lone_line("}),")
    assert not lone_line("    bins=60, density=True,") and not lone_line("ax.plot(x, y)")
    assert not lone_line("    f(a,") and not lone_line("# a comment,")


def test_the_code_reads_like_a_books_few_lines_are_a_lone_argument_or_bracket():
    lines = [line for path in NOTEBOOKS for c in code_cells(nbformat.read(path, as_version=4))
             for line in c.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    lone = [line for line in lines if lone_line(line)]
    assert len(lone) <= 0.08 * len(lines), f"{len(lone)} of {len(lines)} code lines are a lone argument or bracket"


def test_chapter_code_is_laid_out_in_the_books_style():
    # yapf with pyproject.toml's [tool.yapf]: `make format` rewrites the chapters so
    from chapter_code import unformatted

    for path in NOTEBOOKS:
        assert not unformatted(path), f"{path.name}: code cells {unformatted(path)} are not laid out; run make format"


# Prose that cross-references the book: a role, inline code, math, a link, an HTML tag, a
# label line or a heading is not prose of its own (a role's text is checked on its own below).
NOT_PROSE = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`|\$\$.*?\$\$|\$[^$\n]+\$|\[[^\]]*\]\([^)]*\)|</?[A-Za-z][^<>\n]*>"
                       r"|^\([^\n]*\)=$|^#[^\n]*$", re.S | re.M)
TYPED_REFERENCE = re.compile(r"\b(?:chapters?|ch\.|exercises?)\s+\d", re.I)
REF_ROLE = re.compile(r"\{ref\}`(?:(?P<text>[^`<]*?)\s*<(?P<label>[^`<>]+)>|(?P<bare>[^`<>]+))`")


def book_pages():
    """(name, markdown) of every page of the book, a notebook's markdown cells joined."""
    pages = [(p.name, markdown(nbformat.read(p, as_version=4))) for p in NOTEBOOKS]
    return pages + [(p.name, p.read_text()) for p in sorted((ROOT / "book").glob("*.md"))]


def chapter_numbers():
    """label -> number, for every page whose first lines are a (label)= and a numbered title."""
    numbers = {}
    for name, text in book_pages():
        m = re.match(r"\((?P<label>[\w-]+)\)=\n# (?P<number>\d+)\. ", text)
        if m:
            numbers[m["label"]] = int(m["number"])
    return numbers


def test_chapters_have_labels_to_be_referenced_by():
    numbers = chapter_numbers()
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1)), numbers
    assert len(numbers) == len(NOTEBOOKS) + 1  # the chapters, and "Where next"


def test_cross_references_are_links_to_labels_not_typed_numbers():
    # "see chapter 7" or "(exercise 2)" goes stale when a chapter or an exercise moves. A chapter is
    # written {ref}`chapter 7 <chapter-digits>`, and its number must be the one in the title it
    # links to; an exercise is written {ref}`ch10-exercise-2` (the page shows its number).
    numbers = chapter_numbers()
    problems = []
    for name, text in book_pages():
        prose = NOT_PROSE.sub(" ", text)
        problems += [f"{name}: typed reference {m.group(0)!r}" for m in TYPED_REFERENCE.finditer(prose)]
        for m in REF_ROLE.finditer(text):
            label, shown = m["label"] or m["bare"], m["text"] or ""
            typed = [int(n) for n in re.findall(r"\d+", shown)]
            if label in numbers and any(n != numbers[label] for n in typed):
                problems.append(f"{name}: {m.group(0)} links to chapter {numbers[label]}")
            if re.fullmatch(r"ch\d\d-exercise-\d+", label) and typed:
                problems.append(f"{name}: {m.group(0)}: let the page number the exercise ({{ref}}`{label}`)")
    assert not problems, "\n".join(problems)
