"""The built book as a learner sees it, in headless Chromium (Debian's package).

Run after the build (`make test` orders it so). Each page is served from _build/html on
127.0.0.1; the test fails on any request that leaves the machine or fails, on raw TeX left
unrendered, on a missing or broken figure, and on a widget that did not render. Screenshots
go to _build/screenshots/.
"""

import contextlib
import re
from pathlib import Path

import nbformat
import pytest
from browser import browser, server, watched_page  # noqa: F401 (browser and server: fixtures)

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "vendor" / "node_modules" / "axe-core" / "axe.min.js"  # pinned in vendor/package.json

# page -> what it must show: the least number of figures, the least number of rendered widgets,
# the controls (CSS selectors of widget views) that must each appear at least once, and whether
# the page has math. Every page of _toc.yml is here (test_every_page_of_the_book_is_checked).
SLIDER, BUTTON, DROPDOWN = ".widget-slider, .widget-hslider", ".jupyter-button", ".widget-dropdown"
PAGES = {
    "book/intro.html": (0, 0, (), True),
    "book/notation.html": (0, 0, (), True),
    "book/01_adversarial_game.html": (5, 2, (SLIDER, BUTTON), True),
    "book/02_minimax.html": (6, 2, (SLIDER,), True),
    "book/03_cross_entropy.html": (6, 3, (SLIDER, DROPDOWN), True),
    "book/04_labels.html": (8, 3, (SLIDER,), True),
    "book/05_training_loop.html": (5, 2, (SLIDER, BUTTON, DROPDOWN), True),
    "book/06_two_dimensions.html": (6, 2, (SLIDER, BUTTON), True),
    "book/07_digits.html": (6, 0, (), True),
    "book/08_failures.html": (3, 0, (), True),
    "book/09_conditional.html": (6, 4, (SLIDER,), True),
    "book/10_loss_family.html": (3, 0, (), True),
    "book/11_dcgan.html": (5, 0, (), True),
    "book/12_where_next.html": (0, 0, (), True),
    "book/troubleshooting.html": (0, 0, (), True),
    "book/references.html": (0, 0, (), False),
}
CHAPTERS = [path for path in PAGES if path.split("/")[1][:2].isdigit()]


def on_pages(paths):
    """``paths`` as parameters, each marked with its page: `make pages` runs the tests with
    ``--dist loadgroup``, so that all the tests of a page run in one worker, which opens the page
    once for them (the ``loaded`` fixture), and the two workers share the pages between them."""
    return [pytest.param(path, marks=pytest.mark.xdist_group(path), id=path) for path in paths]
NOTEBOOK_CHAPTERS = [path for path in CHAPTERS if (ROOT / path.replace(".html", ".ipynb")).exists()]


def test_every_page_of_the_book_is_checked():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = {toc["root"]} | {entry["file"] for entry in toc["chapters"]}
    assert {p.removesuffix(".html") for p in PAGES} == pages


def open_page(browser, server, path):
    page, outside, failed, errors = watched_page(browser)
    page.goto(f"{server}/{path}", wait_until="networkidle")
    if page.evaluate("document.querySelector('script[src*=mathjax]') !== null"):
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20_000)
        page.evaluate("MathJax.startup.promise")
    page.wait_for_timeout(500)
    return page, outside, failed, errors


@pytest.fixture(scope="module")
def loaded(browser, server):
    """path -> (page, outside, failed, errors): each page is opened once for all of this module's
    tests (a page with replays and math takes seconds to load and typeset), and the tests read it
    in the order they are defined, each after what the earlier ones did to it (a solution
    opened, a replay paused). The lists keep filling while the page stays open."""
    pages = {}

    def load(path):
        if path not in pages:
            pages[path] = open_page(browser, server, path)
        pages[path][0].bring_to_front()  # a page in the background has its timers throttled (the replays)
        return pages[path]

    yield load
    for page, *_ in pages.values():
        page.close()


@pytest.mark.parametrize("path", on_pages(PAGES))
def test_page_renders_offline_with_math_figures_and_widgets(loaded, path):
    min_figures, min_widgets, controls, has_math = PAGES[path]
    page, outside, failed, errors = loaded(path)
    # every widget view has been turned into a rendered widget
    if min_widgets:
        page.wait_for_function(
            f"document.querySelectorAll('.cell_output .jupyter-widgets').length >= {min_widgets}",
            timeout=20_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (Path(path).stem + ".png")), full_page=True)

    assert not outside, f"requests left the machine: {outside}"
    assert not failed, f"requests failed: {failed}"
    assert not errors, f"JavaScript errors: {errors}"

    # MathJax ran and left no raw TeX behind
    if has_math:
        assert page.locator("mjx-container").count() > 0, "no rendered math"
    body_text = page.inner_text("article")
    # no directive or role left as text (a misspelt {cite}, a ::: fence that did not parse)
    for raw in ("{cite", "{ref}", "{prf:", ":::", "{exercise}", "{solution", "{glue"):
        assert raw not in body_text, f"unparsed MyST {raw!r} left in the page"
    for raw in ("\\(", "\\[", "$$", "\\frac", "\\mathbb"):
        assert raw not in body_text, f"raw TeX {raw!r} left in the page"

    # nothing wider than the text column: no display equation or table cut off at the edge
    too_wide = page.evaluate("""() => {
        const column = document.querySelector('article').getBoundingClientRect().right + 1;
        return Array.from(document.querySelectorAll('article mjx-container[display="true"], article table'))
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > column)
            .map(e => e.textContent.slice(0, 60));
    }""")
    assert not too_wide, f"wider than the page's text column: {too_wide}"

    # figures: images in cell outputs, each loaded (not a broken image)
    images = page.locator(".cell_output img")
    assert images.count() >= min_figures, f"{images.count()} figures, expected at least {min_figures}"
    for i in range(images.count()):
        natural = images.nth(i).evaluate("img => img.complete && img.naturalWidth")
        assert natural and natural > 100, f"figure {i} did not load"
        # alt text that says what the figure shows (Sphinx's fallback alt is the file name)
        alt = images.nth(i).get_attribute("alt") or ""
        assert len(alt) > 30 and not alt.endswith(".png"), f"figure {i} has no alt text: {alt!r}"
    # each figure has its own alt text (a cell that draws two figures gives both the same one)
    alts = [images.nth(i).get_attribute("alt") for i in range(images.count())]
    repeated = sorted({a for a in alts if alts.count(a) > 1})
    assert not repeated, f"figures that share one alt text: {repeated}"

    # widgets: rendered views, and no leftover text repr such as "HBox(children=...)"
    widgets = page.locator(".cell_output .jupyter-widgets")
    assert widgets.count() >= min_widgets
    assert "children=(" not in body_text
    for selector in controls:
        scoped = ", ".join(f".cell_output {part.strip()}" for part in selector.split(","))
        assert page.locator(scoped).count() >= 1, f"no rendered {selector!r} control"


@contextlib.contextmanager
def opened(loaded, path):
    yield loaded(path)[0]


@pytest.mark.parametrize("path", on_pages(NOTEBOOK_CHAPTERS))
def test_chapter_page_has_a_colab_launch_button_to_a_file_of_the_edition(loaded, path):
    with opened(loaded, path) as page:
        hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
        colab = [h for h in hrefs if h.startswith("https://colab.research.google.com/github/")]
        notebook = path.replace(".html", ".ipynb")
        # the button opens the Colab edition (colab/book/), and that file exists in a clone of main
        assert colab and colab[0].endswith(f"/blob/main/colab/{notebook}"), colab
        assert (ROOT / "colab" / notebook).is_file(), f"the Colab button opens colab/{notebook}, which does not exist"


@pytest.mark.parametrize("path", on_pages(NOTEBOOK_CHAPTERS))
def test_solutions_and_quiz_answers_stay_folded_until_clicked(loaded, path):
    with opened(loaded, path) as page:
        exercises = page.locator("article div.exercise")
        solutions = page.locator("article div.solution.dropdown")
        assert exercises.count() >= 3 and solutions.count() == exercises.count()
        for i in range(solutions.count()):
            body = solutions.nth(i).locator(".solution-content, section, .cell").first
            assert not body.is_visible(), f"solution {i} is open before a click"
            solutions.nth(i).locator(":scope > .admonition-title").click()
            body.wait_for(state="visible", timeout=5_000)

        answers = page.locator("article details").last
        assert answers.locator("summary").inner_text().strip() == "Answers"
        assert not answers.locator("ol, p").first.is_visible()
        answers.locator("summary").click()
        assert answers.locator("ol, p").first.is_visible()


@pytest.mark.parametrize("path", on_pages(NOTEBOOK_CHAPTERS))
def test_the_colab_edition_numbers_exercises_as_the_page_does(path):
    page = (HTML / path).read_text()
    on_page = [int(n) for n in re.findall(r'<span class="caption-number">Exercise (\d+) </span>', page)]
    edition = nbformat.read(ROOT / "colab" / path.replace(".html", ".ipynb"), as_version=4)
    text = "\n".join(c.source for c in edition.cells if c.cell_type == "markdown")
    in_colab = [int(n) for n in re.findall(r"^### Exercise (\d+)", text, re.M)]
    assert on_page and in_colab == on_page


# -- watching training unfold, honest controls, code that fits (the web page's own checks) ----------


def replay_src(page, index=0):
    return page.locator(".gb-replay img").nth(index).get_attribute("src")


@pytest.mark.parametrize("path", on_pages(CHAPTERS))
def test_every_training_run_can_be_replayed_in_the_page(loaded, path):
    if not (ROOT / path.replace(".html", ".ipynb")).exists():
        pytest.skip("a page without training runs")
    with opened(loaded, path) as page:
        replays = page.locator(".gb-replay")
        assert replays.count() >= 1, "no replay on a page that trains"
        for i in range(replays.count()):
            replay = replays.nth(i)
            frames = int(replay.get_attribute("data-frames"))
            slider = replay.locator("input.anim-slider")
            page.wait_for_function(
                "s => Number(s.max) > 0 || s.closest('.gb-replay').dataset.frames === '1'",
                arg=slider.element_handle(), timeout=5_000)
            last = replay_src(page, i)
            assert last and last.startswith("data:image/png"), "the replay shows no frame"
            if frames < 2:
                continue
            # the scrubber: back to the first frame changes the figure shown
            slider.evaluate("s => { s.value = 0; s.dispatchEvent(new Event('input')); }")
            first = replay_src(page, i)
            assert first != last, f"replay {i}: moving the scrubber did not change the figure"
            # play: the figure moves on by itself
            replay.locator("button[title='Play']").click()
            page.wait_for_function(
                "([img, src]) => img.src !== src", arg=[replay.locator("img").element_handle(), first],
                timeout=5_000)
            replay.locator("button[title='Pause']").click()


@pytest.mark.xdist_group("book/01_adversarial_game.html")
def test_a_replay_at_its_first_middle_and_last_frame(loaded):
    # screenshots to look at: chapter 1's first training run, as a reader scrubs through it
    with opened(loaded, "book/01_adversarial_game.html") as page:
        replay = page.locator(".gb-replay").first
        frames = int(replay.get_attribute("data-frames"))
        slider = replay.locator("input.anim-slider")
        replay.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        seen = set()
        for name, frame in (("first", 0), ("middle", frames // 2), ("last", frames - 1)):
            slider.evaluate(f"s => {{ s.value = {frame}; s.dispatchEvent(new Event('input')); }}")
            seen.add(replay_src(page))
            replay.screenshot(path=str(SHOTS / f"replay-{name}.png"))
        assert len(seen) == 3


@pytest.mark.xdist_group("book/11_dcgan.html")
def test_the_capstone_replays_its_samples_and_shows_its_grids(loaded):
    # chapter 11: the run's replay moves through its frames (one per 120 steps, each with the sample
    # grid), and the page shows the real and generated grids and the fresh process's grid as images
    with opened(loaded, "book/11_dcgan.html") as page:
        replay = page.locator(".gb-replay").first
        frames = int(replay.get_attribute("data-frames"))
        assert frames >= 10, f"the training replay has {frames} frames"
        slider = replay.locator("input.anim-slider")
        replay.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        seen = []
        for name, frame in (("first", 0), ("last", frames - 1)):
            slider.evaluate(f"s => {{ s.value = {frame}; s.dispatchEvent(new Event('input')); }}")
            seen.append(replay_src(page))
            replay.screenshot(path=str(SHOTS / f"capstone-replay-{name}.png"))
        assert seen[0] != seen[1]
        grids = page.locator(".cell_output img").evaluate_all(
            "imgs => imgs.map(i => [i.alt, i.complete && i.naturalWidth])")
        for words in ("generator", "fresh"):
            found = [(alt, width) for alt, width in grids if words in alt.lower()]
            assert found and all(width > 100 for _, width in found), f"no loaded figure whose alt text says {words!r}"


@pytest.mark.parametrize("path", on_pages(CHAPTERS))
def test_no_code_block_scrolls_sideways(loaded, path):
    with opened(loaded, path) as page:
        # the code (printed output may scroll in its own box: test_printed_tables_keep_their_rows)
        cut = page.evaluate("""() => Array.from(document.querySelectorAll('article div.highlight pre'))
            .filter(p => !p.closest('.cell_output'))
            .filter(p => p.offsetParent !== null && p.scrollWidth > p.clientWidth + 1)
            .map(p => p.textContent.split('\\n').sort((a, b) => b.length - a.length)[0].slice(0, 70))""")
        assert not cut, f"{len(cut)} code blocks are cut off at the column's edge: {cut[:3]}"


WIDGET_PAGES = [path for path, spec in PAGES.items() if spec[1]]


@pytest.mark.parametrize("path", on_pages(WIDGET_PAGES))
def test_controls_that_need_python_are_disabled_and_say_where_they_run(loaded, path):
    with opened(loaded, path) as page:
        page.wait_for_function("document.querySelectorAll('.gb-needs-python-note').length > 0", timeout=20_000)
        page.wait_for_timeout(300)
        views = page.locator(".cell_output .jupyter-widgets.gb-needs-python")
        notes = page.locator(".gb-needs-python-note")
        assert views.count() >= 1 and notes.count() == views.count()
        enabled = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.cell_output .jupyter-widgets input, .cell_output .jupyter-widgets button, '
            + '.cell_output .jupyter-widgets select')).filter(c => !c.disabled).length""")
        assert enabled == 0, f"{enabled} controls still look live"
        sliders = page.locator(".cell_output .jupyter-widgets .noUi-target, .cell_output .jupyter-widgets .slider")
        for i in range(sliders.count()):
            assert sliders.nth(i).get_attribute("disabled") is not None
        link = notes.first.locator("a")
        assert "they run in Colab" in notes.first.inner_text()
        assert link.get_attribute("href").startswith("https://colab.research.google.com/github/")
        # the replays are not widgets: they stay live beside the disabled controls
        assert page.locator(".gb-replay button[title='Play']:not([disabled])").count() >= 1
        if path == "book/05_training_loop.html":
            views.first.scroll_into_view_if_needed()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "controls-disabled.png"))


# -- what a reader sees: legible figures, rows that keep their columns, pages anyone can use -----------

# CSS px per figure inch of every figure (a replay's frame included) as the page shows it: its
# displayed width over its width in inches (its pixels over the dots per inch its PNG records; a
# PNG that records none counts 96, the CSS inch, as browsers show it). At 90 px per inch, a
# figure's 8-point text is 10 px tall.
PX_PER_INCH = """async () => {
    const out = [];
    for (const img of document.querySelectorAll('article .cell_output img')) {
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let dpi = 96;
        for (let i = 8; i + 12 <= bytes.length;) {  // the PNG's chunks, up to its image data
            const length = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
            const type = String.fromCharCode(...bytes.slice(i + 4, i + 8));
            if (type === 'pHYs' && bytes[i + 16] === 1) {  // unit 1: pixels per metre
                dpi = (((bytes[i + 8] << 24) | (bytes[i + 9] << 16) | (bytes[i + 10] << 8) | bytes[i + 11]) >>> 0)
                      * 0.0254;
            }
            if (type === 'IDAT') break;
            i += 12 + length;
        }
        const inches = img.naturalWidth / dpi;
        out.push([img.alt.slice(0, 50), img.getBoundingClientRect().width / inches, inches]);
    }
    return out;
}"""


@pytest.mark.parametrize("path", on_pages(NOTEBOOK_CHAPTERS))
def test_every_figure_is_shown_at_90_css_px_per_figure_inch_or_more(loaded, path):
    with opened(loaded, path) as page:
        measured = page.evaluate(PX_PER_INCH)
        assert measured, "no figure measured"
        small = [f"{alt!r}: {ppi:.0f} px per inch ({inches:.1f} in wide)" for alt, ppi, inches in measured if ppi < 90]
        assert not small, f"figures whose text is too small to read at 1280 px: {small}"
        # drawn for a HiDPI screen: a matplotlib figure has twice the pixels it is shown with
        sharp = page.evaluate("""() => Array.from(document.querySelectorAll('article .cell_output img'))
            .filter(img => img.naturalWidth >= 2 * img.getBoundingClientRect().width - 2).length""")
        assert sharp >= len(measured) // 2, f"only {sharp} of {len(measured)} figures are drawn at 2x"


ALIGNED = re.compile(r"\S {2,}\S| \| ")  # a row of a printed table: columns lined up, or drawn with " | "


@pytest.mark.parametrize("path", on_pages(NOTEBOOK_CHAPTERS))
def test_printed_tables_keep_their_rows(loaded, path):
    # a table the chapter prints never wraps mid-row: wider than the column, it scrolls sideways in
    # its own box; a printed sentence wraps as prose does
    with opened(loaded, path) as page:
        printed = page.evaluate("""() => Array.from(document.querySelectorAll('article .cell_output pre'))
            .map(pre => [pre.textContent, getComputedStyle(pre).whiteSpace, getComputedStyle(pre).overflowX])""")
        tables = [(text, space, overflow) for text, space, overflow in printed
                  if sum(bool(ALIGNED.search(line.strip())) for line in text.splitlines()) >= 2]
        wrapped = [text.splitlines()[0][:60] for text, space, overflow in tables if (space, overflow) != ("pre", "auto")]
        assert not wrapped, f"printed tables whose rows can wrap: {wrapped}"
        if path == "book/08_failures.html":  # its Dirac and oscillation tables, among others
            assert len(tables) >= 3, f"{len(tables)} printed tables found"


def axe_violations(page, only=None):
    """The critical and serious violations that axe-core finds on ``page`` (WCAG 2.0 and 2.1, A and
    AA rules; ``only``: those rules alone)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "rule", "values": only}} if only else {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    found = page.evaluate(r"""async options => (await axe.run(document, options)).violations
        .filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => `${v.id} (${v.impact}) on ${v.nodes.length} nodes, e.g. ${v.nodes[0].target.join(' ')}: `
                  + v.nodes[0].failureSummary.replace(/\s+/g, ' ').slice(0, 160))""", options)
    return found


@pytest.mark.parametrize("path", on_pages(PAGES))
def test_every_page_passes_an_accessibility_audit_in_both_themes(loaded, path):
    if not AXE.is_file():
        pytest.fail("axe-core is missing: make setup installs vendor/package.json")
    page, *_ = loaded(path)
    if PAGES[path][1]:  # the widgets have rendered and been settled (their sliders named)
        page.wait_for_function("document.querySelectorAll('.gb-needs-python-note').length > 0", timeout=20_000)
    # the mouse rests where an earlier test clicked: away from anything it could be hovering over
    size = page.viewport_size
    page.mouse.move(size["width"] - 2, size["height"] - 2)
    page.wait_for_timeout(300)
    light = axe_violations(page)
    # the dark theme: the theme's own switch sets data-theme; colours are all that change
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_timeout(200)
    dark = axe_violations(page, only=["color-contrast"])
    if path in DARK_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"dark-{Path(path).stem}.png"), full_page=False)
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    assert not light, f"{len(light)} critical or serious accessibility violations: {light}"
    assert not dark, f"with the dark theme: {dark}"


DARK_SHOTS = ("book/01_adversarial_game.html", "book/08_failures.html", "book/09_conditional.html")


@pytest.mark.parametrize("path", on_pages(CHAPTERS))
def test_a_chapter_page_weighs_at_most_5_mb(path):
    # its own bytes: the HTML (replays inline) and the images it shows, not the shared _static/
    html = (HTML / path).read_text()
    images = set(re.findall(r'src="(\.\./_images/[^"]+)"', html))
    size = len(html.encode()) + sum((HTML / "book" / src).stat().st_size for src in images)
    assert size <= 5_000_000, f"{path}: {size / 1e6:.1f} MB"


PHONE_PAGES = ["book/01_adversarial_game.html", "book/05_training_loop.html", "book/06_two_dimensions.html",
               "book/08_failures.html", "book/09_conditional.html"]


@pytest.mark.parametrize("path", on_pages(PHONE_PAGES))
def test_on_a_phone_the_page_fits_and_a_figure_opens_at_full_size(loaded, path):
    with opened(loaded, path) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(300)
            assert page.evaluate("document.documentElement.scrollWidth") <= 391
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"phone-{Path(path).stem}.png"))
            # the replay stays usable: its slider and buttons within the screen's width
            replay = page.locator(".gb-replay").first
            replay.scroll_into_view_if_needed()
            right = replay.evaluate("r => Math.max(...Array.from(r.querySelectorAll('input, button'))"
                                    ".map(c => c.getBoundingClientRect().right))")
            assert right <= 390, f"a replay control ends at {right:.0f} px, past the phone's 390"
            # a tap opens the figure at its own width, wider than the phone, in a box that scrolls
            figure = page.locator("article .cell_output img").first
            figure.scroll_into_view_if_needed()
            shown = figure.evaluate("img => img.getBoundingClientRect().width")
            figure.click()
            full = page.locator(".gb-figure-full img")
            full.wait_for(state="visible", timeout=5_000)
            width = full.evaluate("img => img.getBoundingClientRect().width")
            assert width > 1.5 * shown and width >= 390, f"the opened figure is {width:.0f} px wide (shown at {shown:.0f})"
            assert page.locator(".gb-figure-full").evaluate("o => o.scrollWidth > o.clientWidth")
            page.screenshot(path=str(SHOTS / f"phone-{Path(path).stem}-figure.png"))
            page.keyboard.press("Escape")
            assert page.locator(".gb-figure-full").count() == 0
            # the same in the dark theme, to look at
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
            replay.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            page.screenshot(path=str(SHOTS / f"phone-dark-{Path(path).stem}.png"))
        finally:
            page.evaluate("document.documentElement.dataset.theme = 'light'")
            page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.xdist_group("book/01_adversarial_game.html")
def test_a_figure_opens_from_the_keyboard_and_closes_with_escape(loaded):
    with opened(loaded, "book/01_adversarial_game.html") as page:
        figure = page.locator("article .cell_output img").first
        shown = figure.evaluate("img => img.getBoundingClientRect().width")
        figure.focus()
        page.keyboard.press("Enter")
        dialog = page.locator(".gb-figure-full[role=dialog]")
        dialog.wait_for(state="visible", timeout=5_000)
        # on a laptop's screen the 2x figure opens larger than the column shows it
        width = dialog.locator("img").evaluate("img => img.getBoundingClientRect().width")
        assert width > 1.5 * shown, f"the opened figure is {width:.0f} px wide, shown at {shown:.0f}"
        assert page.evaluate("document.activeElement.textContent") == "Close"
        page.keyboard.press("Escape")
        assert dialog.count() == 0 and page.evaluate("document.activeElement.tagName") == "IMG"


def test_every_entry_of_the_troubleshooting_page_links_to_a_section_that_exists():
    page = HTML / "book" / "troubleshooting.html"
    text = page.read_text()
    article = text[text.index("<article"):text.index("</article>")]
    # the symptoms: one section each, each linking at least one run of the book
    sections = re.split(r'<section id="', article)[2:]
    assert len(sections) >= 8, f"only {len(sections)} symptoms on the troubleshooting page"
    for section in sections:
        title = re.sub(r"<[^>]+>", "", re.search(r"<h2>(.*?)</h2>", section, re.S)[1]).strip(" #¶\n")
        links = re.findall(r'<a class="reference internal" href="([^"#]*)#([^"]+)"', section)
        assert links, f"the entry {title!r} links no run of the book"
        for target, anchor in links:
            html = (page.parent / target).resolve() if target else page
            assert f'id="{anchor}"' in html.read_text(), f"{title!r} links {target}#{anchor}, which does not exist"
