"""Write the Colab edition of the book: every chapter notebook with its MyST markup turned into the
plain markdown that Colab (and JupyterLab, VS Code, nbconvert) renders.

    python colab/make_edition.py            # write colab/book/*.ipynb from book/*.ipynb
    python colab/make_edition.py --check    # exit 1 if the committed edition differs from the sources

The chapters' Colab buttons open these files (`_config.yml`: `repository.path_to_book: colab`).
Code cells are copied as they are; solution cells also get Colab's `cellView: form`, so they stay
folded. Markdown cells are converted:

- citations become "Goodfellow et al. (2014)", linked to the references page of the published book;
- `{ref}` and `{prf:ref}` become links to the published page, with the text the web page shows
  (a section's title, "Exercise 4", "Theorem 1"); `(label)=` targets are dropped;
- theorems and proofs become bold headings and text; exercises become headings numbered as on the
  web page; hints and every solution's prose go into a closed `<details>`;
- a paragraph that quotes the run's numbers (myst-nb's `{glue:text}` roles, glued by `gb.glue` in a
  code cell above it) becomes a folded code cell, `gb.show_glued(...)`, that shows the paragraph
  with the numbers of the reader's own run.

A construct this script does not know fails the whole run, naming the chapter, the cell and the
construct; nothing is written then. Written by hand because no existing tool does this: see
colab/README.md.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "colab" / "book"

GLUED_TITLE = '#@title The text goes on here, with your run\'s numbers (run the cell) { display-mode: "form" }'
DIRECTIVE = re.compile(r"^(?P<fence>:{3,})\{(?P<name>[^}]+)\}[ \t]*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`")
GLUE = re.compile(r"\{glue(?::text)?\}`(?P<name>[A-Za-z_][\w.-]*)(?::[^`]*)?`")
GLUE_CALL = re.compile(r"""gb\.glue\(\s*["'](?P<name>[A-Za-z_][\w.-]*)["']""")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=[ \t]*$")
HEADING = re.compile(r"^#{1,6}[ \t]+(?P<title>.+?)[ \t]*$")
PROOF_KINDS = {"theorem": "Theorem", "lemma": "Lemma", "definition": "Definition", "corollary": "Corollary",
               "proposition": "Proposition", "remark": "Remark", "example": "Example", "algorithm": "Algorithm"}
# what must never survive in a markdown cell of the edition: (what it is, pattern)
LEFTOVERS = (
    ("a role", re.compile(r"\{[\w:-]+\}`")),
    ("a directive fence", re.compile(r"^(:{3,}|`{3,}|~{3,})\{", re.M)),
    ("a ::: closer", re.compile(r"^:{3,}[ \t]*$", re.M)),
    ("an option line", re.compile(r"^:[\w-]+:([ \t]|$)", re.M)),
    ("a (label)= target", re.compile(r"^\([^)\s]+\)=[ \t]*$", re.M)),
)


class EditionError(ValueError):
    """A source the converter cannot turn into plain markdown."""


# -- what the book's pages are, and where their labels point ------------------------------------


def toc_pages() -> list[str]:
    """The book's pages in the order of _toc.yml, as paths without suffix (``book/intro``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    for part in toc.get("parts", []):
        pages += [entry["file"] for entry in part["chapters"]]
    return pages


def page_texts(page: str) -> list[str]:
    """The markdown of a page, one string per markdown cell (a .md page is one cell)."""
    if (ROOT / f"{page}.ipynb").exists():
        nb = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    return [(ROOT / f"{page}.md").read_text()]


class Book:
    """The labels, numbers and references of the whole book, as the web build numbers them."""

    def __init__(self):
        config = yaml.safe_load((ROOT / "_config.yml").read_text())
        self.baseurl = config["html"]["baseurl"].rstrip("/") + "/"
        self.labels: dict[str, tuple[str, str]] = {}  # label -> (text the web page shows, page)
        counts: dict[str, int] = {}
        for page in toc_pages():
            for text in page_texts(page):
                lines = text.splitlines()
                for i, line in enumerate(lines):
                    m = DIRECTIVE.match(line)
                    if m:
                        name = m["name"]
                        kind = "Exercise" if name == "exercise" else PROOF_KINDS.get(name.removeprefix("prf:"))
                        if kind and (name == "exercise" or name.startswith("prf:")):
                            counts[kind] = counts.get(kind, 0) + 1
                            label = _options(lines, i + 1).get("label")
                            if label:
                                self.labels[label] = (f"{kind} {counts[kind]}", page)
                    t = TARGET.match(line)
                    if t:
                        title = next((HEADING.match(x)["title"] for x in lines[i + 1:] if HEADING.match(x)), None)
                        if title is None:
                            raise EditionError(f"{page}: the target ({t['label']})= has no heading after it")
                        self.labels[t["label"]] = (_plain(title), page)
        self.references = _bibliography(ROOT / "book" / "references.bib")

    def url(self, page: str, anchor: str = "") -> str:
        return f"{self.baseurl}{page}.html" + (f"#{anchor}" if anchor else "")

    def number(self, label: str) -> str:
        return self.labels[label][0]


def _options(lines: list[str], start: int) -> dict:
    options = {}
    for line in lines[start:]:
        m = OPTION.match(line)
        if not m:
            break
        options[m["key"]] = m["value"].strip()
    return options


def _plain(title: str) -> str:
    return re.sub(r"[*_`]", "", title).strip()


def _bibliography(path: Path) -> dict:
    """key -> (the authors as a citation names them, the year)."""
    from pybtex.database import parse_file

    refs = {}
    for key, entry in parse_file(str(path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [re.sub(r"[{}]", "", " ".join(p.last_names)) for p in people]
        if not last:
            raise EditionError(f"references.bib: {key} has no author")
        names = last[0] if len(last) == 1 else f"{last[0]} and {last[1]}" if len(last) == 2 else f"{last[0]} et al."
        refs[key] = (names, entry.fields.get("year", "n.d."))
    return refs


# -- one markdown cell -----------------------------------------------------------------------


class Converter:
    def __init__(self, book: Book, chapter: str):
        self.book, self.chapter = book, chapter
        self.where = chapter
        self.glued: set[str] = set()  # the names that the code cells read so far have glued

    def fail(self, what: str) -> None:
        raise EditionError(f"{self.where}: {what}")

    def roles(self, line: str) -> str:
        return ROLE.sub(self._role, line)

    def _role(self, m: re.Match) -> str:
        name, content = m["name"], m["content"]
        if name in ("glue", "glue:text"):
            # kept: the paragraph becomes a cell that fills in the reader's own numbers (gb.show_glued)
            glued = GLUE.fullmatch(m.group(0))
            if not glued or glued["name"] not in self.glued:
                self.fail(f"{m.group(0)} quotes a number that no code cell above it glues with gb.glue")
            return m.group(0)
        if name in ("cite:t", "cite:p"):
            cites = []
            for key in (k.strip() for k in content.split(",")):
                if key not in self.book.references:
                    self.fail(f"the citation key {key!r} is not in references.bib")
                names, year = self.book.references[key]
                url = self.book.url("book/references")
                cites.append(f"[{names} ({year})]({url})" if name == "cite:t" else f"[{names}, {year}]({url})")
            return "; ".join(cites) if name == "cite:t" else "(" + "; ".join(cites) + ")"
        if name in ("ref", "prf:ref", "numref"):
            explicit = re.fullmatch(r"(?s)(?P<text>.*?)\s*<(?P<label>[^<>]+)>", content)
            label = explicit["label"] if explicit else content.strip()
            if label not in self.book.labels:
                self.fail(f"the {{{name}}} target {label!r} is defined nowhere in the book")
            shown, page = self.book.labels[label]
            return f"[{explicit['text'] if explicit else shown}]({self.book.url(page, label)})"
        self.fail(f"the role {{{name}}}`{content}` is not one the Colab edition knows")

    def markdown(self, lines: list[str]) -> list[str]:
        """Convert a list of markdown lines, directives included (recursively)."""
        out, i = [], 0
        while i < len(lines):
            line = lines[i]
            m = DIRECTIVE.match(line)
            if m and m["name"] == "solution-start":
                # the solution's prose runs from its closing ::: to the end of the cell; its code is
                # the next cell, and a cell holding {solution-end} closes it
                options = _options(lines, i + 1)
                end = i + 1 + len(options)
                if lines[end:end + 1] != [m["fence"]]:
                    self.fail("a {solution-start} that holds text (its prose must follow its closing :::)")
                if "dropdown" not in options.get("class", "").split():
                    self.fail("a {solution-start} without :class: dropdown (the web page would show it open)")
                prose = _trim(self.markdown(lines[end + 1:]))
                prose = prose or ["Its code is the folded cell below: click its title to open it."]
                return out + _details("Solution", prose)
            if m:
                options = _options(lines, i + 1)
                body_start = i + 1 + len(options)
                try:
                    end = lines.index(m["fence"], body_start)
                except ValueError:
                    self.fail(f"the directive {{{m['name']}}} is never closed by {m['fence']}")
                body = self.markdown(lines[body_start:end])
                out += self.directive(m["name"], m["arg"].strip(), options, body)
                i = end + 1
            elif TARGET.match(line):
                i += 1  # a label for {ref}: the links point at the web page, which has the anchor
            else:
                out.append(self.roles(line))
                i += 1
        return out

    def directive(self, name: str, arg: str, options: dict, body: list[str]) -> list[str]:
        unknown = set(options) - {"label", "class", "nonumber"}
        if unknown:
            self.fail(f"the option :{sorted(unknown)[0]}: of {{{name}}} is not one the Colab edition knows")
        title = self.roles(arg)
        if name == "exercise":
            label = options.get("label") or self.fail("an {exercise} without a :label:")
            heading = self.book.number(label) + (f" ({title})" if title else "")
            return [f"### {heading}", "", *_trim(body)]
        if name.startswith("prf:") and name.removeprefix("prf:") in PROOF_KINDS:
            label = options.get("label")
            kind = self.book.number(label) if label else PROOF_KINDS[name.removeprefix("prf:")]
            return [f"**{kind}" + (f" ({title})" if title else "") + ".**", "", *_trim(body)]
        if name == "prf:proof":
            body = _trim(body) or self.fail("an empty {prf:proof}")
            return ["*Proof.*", "", *body[:-1], body[-1] + " $\\blacksquare$"]
        if name == "admonition":
            if "dropdown" in options.get("class", "").split():
                return _details(title or "Details", body)
            return [f"> **{title}**", ">", *[f"> {x}".rstrip() for x in _trim(body)]]
        self.fail(f"the directive {{{name}}} is not one the Colab edition knows")

    def cell(self, source: str) -> str | None:
        """A markdown cell of the edition, or None when the cell only closed a solution."""
        lines = source.splitlines()
        if lines[:2] == [":::{solution-end}", ":::"]:
            if any(x.strip() for x in lines[2:]):
                self.fail("text after {solution-end} in the same cell")
            return None
        return "\n".join(self.markdown(lines))


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _details(summary: str, body: list[str]) -> list[str]:
    # blank lines around the body: Jupyter's and Colab's renderers then read it as markdown
    return ["<details>", f"<summary>{summary}</summary>", "", *_trim(body), "", "</details>"]


def _sections(text: str) -> list[str]:
    """``text`` cut before each heading (outside display math and code fences), blank edges trimmed."""
    chunks, current, fenced = [], [], False
    for line in text.splitlines():
        if line.strip().startswith(("$$", "```")) and line.strip().count("$$") != 2:
            fenced = not fenced
        if HEADING.match(line) and not fenced and any(x.strip() for x in current):
            chunks.append(current)
            current = []
        current.append(line)
    chunks.append(current)
    return ["\n".join(_trim(chunk)) for chunk in chunks if _trim(chunk)]


def glued_text(text: str, cell_id: str) -> nbformat.NotebookNode:
    """A paragraph that quotes the run's numbers, as a folded cell that shows it with the reader's own."""
    if '"""' in text:
        raise EditionError(f"{cell_id}: a paragraph with glued numbers holds triple quotes")
    cell = nbformat.v4.new_code_cell(
        f"{GLUED_TITLE}\n"
        "# the web page quotes the book's run here; this cell quotes yours\n"
        f'gb.show_glued(r"""\n{text}\n""")')
    cell.id = cell_id
    cell.metadata["cellView"] = "form"
    cell.metadata["tags"] = ["glued-text"]
    return cell


# -- one chapter -----------------------------------------------------------------------------


def edition(book: Book, path: Path) -> nbformat.NotebookNode:
    """The Colab edition of the chapter notebook at ``path``."""
    nb = nbformat.read(path, as_version=4)
    out = copy.deepcopy(nb)
    out.cells = []
    page = f"book/{path.stem}"
    header = nbformat.v4.new_markdown_cell(
        f"*The Colab edition of a chapter of [GANs: from the minimax game to working PyTorch]({book.url('book/intro')}). "
        f"Run it with* Runtime > Run all; *the [web page]({book.url(page)}) shows the same chapter as the book "
        f"built it. This file is generated from `{page}.ipynb` by `colab/make_edition.py`: edit that one.*")
    header.id = f"{nb.cells[0].get('id', path.stem)}-colab"
    out.cells.append(header)
    convert = Converter(book, path.name)
    for index, cell in enumerate(nb.cells):
        convert.where = f"{path.name}, cell {index} ({cell.get('id', 'no id')})"
        cell = copy.deepcopy(cell)
        if cell.cell_type == "markdown":
            text = convert.cell(cell.source)
            if text is None:
                continue
            for what, pattern in LEFTOVERS:
                found = pattern.search(GLUE.sub("", text))
                if found:
                    convert.fail(f"{what} is left after conversion: {found.group(0)!r}")
            if GLUE.search(text):
                # the headings stay markdown (Colab's table of contents lists them); only the
                # parts that quote the run become cells that fill the numbers in
                for part, chunk in enumerate(_sections(text)):
                    part_id = f"{cell.get('id', index)}-{part}"
                    if GLUE.search(chunk):
                        out.cells.append(glued_text(chunk, f"{part_id}-glued"))
                    else:
                        markdown = nbformat.v4.new_markdown_cell(chunk)
                        markdown.id = part_id
                        out.cells.append(markdown)
                continue
            cell.source = text
        elif cell.cell_type == "code":
            convert.glued.update(GLUE_CALL.findall(cell.source))
            if cell.source.startswith("#@title"):
                cell.metadata["cellView"] = "form"  # Colab folds the cell to its title
        out.cells.append(cell)
    nbformat.validate(out)
    return out


def build() -> dict[Path, str]:
    """Every chapter's edition as the text of its file; raises EditionError before writing anything."""
    book = Book()
    chapters = [ROOT / f"{p}.ipynb" for p in toc_pages() if (ROOT / f"{p}.ipynb").exists()]
    return {OUT / path.name: nbformat.writes(edition(book, path)) + "\n" for path in chapters}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed edition, write nothing")
    args = parser.parse_args(argv)
    try:
        files = build()
    except EditionError as err:
        print(f"colab edition not written: {err}", file=sys.stderr)
        return 2
    existing = set(OUT.glob("*.ipynb"))
    if args.check:
        stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
        extra = sorted(existing - set(files))
        for p in stale:
            print(f"{p.relative_to(ROOT)} differs from its source: run python colab/make_edition.py", file=sys.stderr)
        for p in extra:
            print(f"{p.relative_to(ROOT)} has no source chapter", file=sys.stderr)
        if not stale and not extra:
            print(f"the Colab edition matches its {len(files)} source chapters")
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for p in existing - set(files):
        p.unlink()
    for p, text in files.items():
        p.write_text(text)
    print(f"wrote {len(files)} chapters to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
