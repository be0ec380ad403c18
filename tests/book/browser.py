"""Headless Chromium (Debian's package) for the rendered-page tests: the web book's pages and the
Colab edition rendered by nbconvert. A test module imports the ``browser`` fixture from here
(not from a conftest.py, whose module name would clash with tests/package's)."""

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="module")  # one Playwright at a time: each module starts and stops its own
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


HTML = Path(__file__).resolve().parents[2] / "_build" / "html"


@pytest.fixture(scope="module")
def server():
    """The built web book (_build/html) served on 127.0.0.1; yields its base URL."""
    if not (HTML / "index.html").exists():
        pytest.fail("_build/html is missing: build the book first (make book; make test does it)")
    with serve_directory(HTML) as url:
        yield url


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_directory(directory):
    """Serve ``directory`` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def watched_page(browser):
    """A new page, and the lists it fills: requests that left the machine, failed requests, and
    JavaScript errors."""
    page = browser.new_page()
    outside, failed, errors = [], [], []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in ("127.0.0.1", None)
            and not r.url.startswith("data:") else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, outside, failed, errors
