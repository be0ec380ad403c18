"""The Colab edition as a learner sees it: each chapter of colab/book/ rendered by nbconvert's HTML
exporter (Jupyter's own markdown renderer, close to Colab's) and opened in headless Chromium.

No MyST syntax may be visible, every <details> (solutions, hints, quiz answers) must be closed,
and the math must be typeset. MathJax 3 comes from the book's local copy (vendor/static, as for
the web book) with Jupyter's delimiters ($...$ and $$...$$), so nothing is requested off the
machine. Screenshots go to _build/screenshots/colab/.
"""

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from browser import browser, serve_directory, watched_page  # noqa: F401 (browser: a fixture)

ROOT = Path(__file__).resolve().parents[2]
EDITION = sorted((ROOT / "colab" / "book").glob("*.ipynb"))
VENDOR = ROOT / "vendor" / "static"
SHOTS = ROOT / "_build" / "screenshots" / "colab"
MATHJAX = """<script>
window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
                        processEscapes: true, processEnvironments: true}};
</script>
<script src="mathjax/tex-chtml.js"></script>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The edition as nbconvert renders it, beside the local MathJax, served on 127.0.0.1."""
    from nbconvert import HTMLExporter

    if not (VENDOR / "mathjax" / "tex-chtml.js").exists():
        pytest.fail("vendor/static is missing: run make setup (it installs MathJax from npm)")
    root = tmp_path_factory.mktemp("colab-edition")
    shutil.copytree(VENDOR / "mathjax", root / "mathjax")
    exporter = HTMLExporter(template_name="lab", require_js_url="require.js", mermaid_js_url="mermaid.js",
                            mermaid_layout_elk_js_url="mermaid-elk.js")
    shutil.copy(VENDOR / "require.js", root / "require.js")
    for path in EDITION:
        html, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
        # nbconvert's template configures MathJax 2 from a CDN: use the book's MathJax 3 instead
        html, n = re.subn(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", lambda _: MATHJAX,
                          html, flags=re.S)
        assert n == 1, "nbconvert's MathJax block was not found"
        (root / f"{path.stem}.html").write_text(html)
    with serve_directory(root) as url:
        yield url


def test_every_chapter_has_an_edition():
    assert [p.name for p in EDITION] == sorted(p.name for p in (ROOT / "book").glob("*.ipynb"))


@pytest.mark.parametrize("path", EDITION, ids=lambda p: p.name)
def test_the_edition_reads_clean_in_jupyters_renderer(browser, site, path):
    page, outside, failed, errors = watched_page(browser)
    try:
        page.goto(f"{site}/{path.stem}.html", wait_until="networkidle")
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000)
        page.evaluate("MathJax.startup.promise")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.stem}.png"), full_page=True)

        assert not outside, f"requests left the machine: {outside}"
        assert not failed, f"requests failed: {failed}"
        assert not errors, f"JavaScript errors: {errors}"
        text = page.inner_text("body")
        prose = page.eval_on_selector_all(".jp-MarkdownCell", "cells => cells.map(c => c.innerText).join('\\n')")
        for raw in (":::", "{cite", "{ref", "{prf", "{exercise", "{solution", ":label:", ":class:"):
            assert raw not in prose, f"MyST {raw!r} is visible"
        # math typeset, and no TeX left as text in the prose
        assert page.locator("mjx-container").count() > 10, "the math was not typeset"
        for raw in ("$$", "\\frac", "\\mathbb", "\\text{"):
            assert raw not in prose, f"raw TeX {raw!r} left in the prose"
        # every <details> closed, each with a summary, and the solutions' prose hidden until opened
        details = page.locator("details")
        summaries = [details.nth(i).locator("summary").inner_text().strip() for i in range(details.count())]
        assert summaries.count("Solution") >= 3 and "Answers" in summaries, summaries
        assert page.evaluate("Array.from(document.querySelectorAll('details')).every(d => !d.open)")
        first = details.filter(has_text="Solution").first
        solution_text = first.locator("p").first
        assert not solution_text.is_visible(), "a solution's text shows before its <details> is opened"
        first.locator("summary").click()
        assert first.evaluate("d => d.open") and solution_text.is_visible()
        # exercises are numbered headings, citations are links to the published references
        assert re.search(r"Exercise \d+ \(", text)
        if "{cite" in (ROOT / "book" / path.name).read_text():
            assert page.locator("a[href$='book/references.html']").count() > 0
    finally:
        page.close()
