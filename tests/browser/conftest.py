"""One built site per session, served on 127.0.0.1, and a Chromium page per test that
records console errors and every request leaving the site (those are aborted)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sitekit  # noqa: E402

ARTIFACTS = sitekit.ROOT / "test-artifacts"
#: The vault the browser tests read: the fixture by default, any vault with KB_BROWSER_VAULT.
VAULT = Path(os.environ.get("KB_BROWSER_VAULT", HERE.parent / "fixtures" / "reader_vault")).resolve()
SNIPPETS = Path(os.environ.get("KB_BROWSER_SNIPPETS", HERE.parent / "fixtures" / "reader_snippets")).resolve()


def pytest_collection_modifyitems(config, items):
    if sitekit.CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{sitekit.CHROMIUM} is missing (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def site():
    if not sitekit.CHROMIUM.exists():
        pytest.skip(f"{sitekit.CHROMIUM} is missing")
    with tempfile.TemporaryDirectory(prefix="kb-site-") as tmp:
        out = Path(tmp) / "site"
        port = sitekit.free_port()
        result = sitekit.build_site(VAULT, out, port, SNIPPETS)
        with sitekit.serve(out, port) as server:
            server.dir = out
            server.build_log = result.stdout + result.stderr
            yield server


@pytest.fixture(scope="session")
def browser():
    with sitekit.chromium() as b:
        yield b


class PageWatch:
    """What a page did that a reader's browser must never do."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []


def _open(browser, site, request, **options):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    watch = PageWatch()
    local = urlsplit(site.url).netloc

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != local:
            watch.outside.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and watch.errors.append(m.text))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.watch = watch
    return context, page


@pytest.fixture
def page(browser, site, request):
    context, page = _open(browser, site, request)
    yield page
    context.close()
    assert page.watch.outside == [], f"requests outside the site: {page.watch.outside}"
    assert page.watch.errors == [], f"console errors: {page.watch.errors}"


@pytest.fixture
def dark_page(browser, site, request):
    context, page = _open(browser, site, request, color_scheme="dark")
    yield page
    context.close()
    assert page.watch.outside == [], f"requests outside the site: {page.watch.outside}"
    assert page.watch.errors == [], f"console errors: {page.watch.errors}"
