"""Korean search in real Chromium, query by query, against Material's own search worker.

Each check runs on the built site and again on a copy with Material's stock search
restored (``search_eval.restore_stock_search``): a check that stock search also
passes would prove nothing about segmentation, so each one must fail there.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import search_eval
import sitekit
from conftest import VAULT

pytestmark = pytest.mark.browser
needs_fixture = pytest.mark.skipif(VAULT.name != "reader_vault",
                                   reason="needs the notes of tests/fixtures/reader_vault")

# Drive Material's search worker directly (the worker the search box talks to), so a test
# reads the ranked result groups and the query terms Material reports as missing.
_WORKER = """async ([worker, index]) => {
  const data = await (await fetch(index)).json();
  const w = new Worker(worker);
  const call = (msg) => new Promise((resolve) => {
    w.onmessage = (ev) => resolve(ev.data); w.postMessage(msg); });
  await call({type: 0, data: {...data, options: {suggest: true}}});
  window.kbSearch = (q) => call({type: 2, data: q});
}"""


def worker_url(site_dir: Path) -> str:
    found = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert found, "Material's search worker is missing from the site"
    return found[0].relative_to(site_dir).as_posix()


class Searcher:
    def __init__(self, page, url: str, site_dir: Path):
        self.page, self.titles = page, search_eval.titles_by_path(site_dir)
        page.goto(url)
        page.evaluate(_WORKER, [url + worker_url(site_dir), url + "search/search_index.json"])

    def groups(self, query: str) -> list[list[dict]]:
        return self.page.evaluate("(q) => kbSearch(q).then(r => r.data.items)", query)

    def top(self, query: str, n: int = 3) -> list[str]:
        pages = [g[0]["location"].split("#")[0] for g in self.groups(query)[:n]]
        return [self.titles.get(search_eval.unquote(p), p) for p in pages]


@pytest.fixture(scope="module")
def stock_site(site):
    """A copy of the built site with Material's stock search, served on its own port."""
    with tempfile.TemporaryDirectory(prefix="kb-stock-") as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site.dir, copy)
        search_eval.restore_stock_search(copy)
        port = sitekit.free_port()
        with sitekit.serve(copy, port) as server:
            server.dir = copy
            yield server


@pytest.fixture
def ours(page, site):
    return Searcher(page, site.url, site.dir)


@pytest.fixture
def stock(browser, stock_site):
    context = browser.new_context()
    yield Searcher(context.new_page(), stock_site.url, stock_site.dir)
    context.close()


# (query, note that must rank first): compounds typed without the note's space, the
# reverse, a two-word phrase of common words, a particle on a compound.
FIRST = [
    ("스레드풀", "스레드 풀"),
    ("가상주소 공간", "가상 메모리"),
    ("페이지테이블", "가상 메모리"),
    ("공유메모리", "IPC"),
    ("공유 메모리", "IPC"),
    ("스택오버플로가", "힙과 스택"),
]


@needs_fixture
@pytest.mark.parametrize(("query", "note"), FIRST)
def test_segmented_query_ranks_the_note_first(ours, stock, query, note):
    assert ours.top(query, 1) == [note], ours.top(query)
    assert stock.top(query, 1) != [note], f"stock Material already finds {note!r}: the check proves nothing"


@needs_fixture
def test_title_match_outranks_a_note_that_repeats_one_word(ours):
    """`스레드 풀`: every note says 스레드; the note titled with both words comes first."""
    assert ours.top("스레드 풀", 1) == ["스레드 풀"]


@needs_fixture
def test_generated_bigrams_are_never_reported_missing(ours):
    """Material lists unmatched query terms under a result; the bigrams we add are ours, not the
    reader's, and a partly matching result must not show them."""
    for query in ("스레드풀", "공유 메모리", "가상주소공간"):
        for group in ours.groups(query):
            for item in group:
                missing = [t for t, found in item["terms"].items() if not found]
                assert set(missing) <= set(query.split()), (query, missing)


def test_code_names_inside_dotted_calls_are_found(ours, site):
    """A function name written as ``module.name(...)`` is its own word for the reader."""
    import json
    import re

    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = None
    for doc in index["docs"]:
        m = re.search(r"\b[a-z]+\.([a-z_]{6,})\(", doc["text"])
        if m:
            found = (m.group(1), doc["location"].split("#")[0])
            break
    if found is None:
        pytest.skip("no dotted call in this vault's text")
    name, location = found
    pages = [g[0]["location"].split("#")[0] for g in ours.groups(name)]
    assert location in pages, (name, location, pages[:5])


@needs_fixture
def test_result_excerpts_are_highlighted_once_per_word(page, site):
    """A word and its bigrams share one position: Material must wrap it in <mark> once, or the
    excerpt shows tag debris such as ``rk>스레드``."""
    page.goto(site.url)
    hrefs = search_eval.search(page, "스레드풀")
    assert hrefs, "no results"
    text = page.locator(".md-search-result").inner_text()
    marks = page.locator(".md-search-result mark")
    assert "k>" not in text and "<mark" not in text, text[:300]
    assert marks.count() > 0 and all("<" not in marks.nth(i).inner_html() for i in range(marks.count()))
