"""The reader's experience in a real browser: links, headings, snippet output, backlinks,
hover previews, tags, graph, Korean search; offline and without console errors.

Runs against the fixture vault unless KB_BROWSER_VAULT names another; the
tests that need fixture notes skip (with the reason) on other vaults.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
import search_eval
from conftest import ARTIFACTS, VAULT

pytestmark = pytest.mark.browser
FIXTURE = VAULT.name == "reader_vault"
needs_fixture = pytest.mark.skipif(not FIXTURE, reason="needs the notes of tests/fixtures/reader_vault")


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


def wait_h1(page, prefix: str) -> None:
    """Instant navigation changes the URL before it swaps the content: wait for the new title."""
    page.wait_for_function(
        "(t) => { const h = document.querySelector('article h1'); return h && h.textContent.startsWith(t); }",
        arg=prefix, timeout=10000)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def graph_ready(page, selector: str):
    el = page.locator(f"{selector}[data-kb-ready]")
    el.wait_for(state="attached", timeout=15000)
    return el


@needs_fixture
def test_click_through_wikilinks_to_a_note_and_a_korean_heading(page, site):
    page.goto(site.url)
    page.locator("article a.wikilink", has_text="프로세스").first.click()
    wait_h1(page, "프로세스¶")
    assert h1(page) == "프로세스"
    # [[IPC#파이프|파이프]]: the Korean heading must be the target, scrolled into view.
    page.locator("article a.wikilink", has_text="파이프").first.click()
    wait_h1(page, "IPC")
    page.wait_for_function("decodeURIComponent(location.hash) === '#파이프'")
    assert h1(page) == "IPC"
    heading = page.locator("article [id='파이프']")
    assert heading.count() == 1
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, f"heading not scrolled into view: {box}"
    shot(page, "heading-link")


@needs_fixture
def test_snippet_output_is_on_the_page(page, site):
    page.goto(site.url + "%EC%9A%B4%EC%98%81%EC%B2%B4%EC%A0%9C/%ED%94%84%EB%A1%9C%EC%84%B8%EC%8A%A4/")
    out = page.locator(".kb-stdout")
    assert out.count() >= 1, "no snippet output (.kb-stdout) on the page"
    assert re.search(r"hello from pid \d+", out.first.inner_text())


@needs_fixture
def test_backlinks_show_the_linking_sentence(page, site):
    page.goto(site.url + "%EC%9A%B4%EC%98%81%EC%B2%B4%EC%A0%9C/%EC%8A%A4%EB%A0%88%EB%93%9C/")
    section = page.locator("section.kb-backlinks")
    assert section.count() == 1
    items = section.locator("li")
    titles = [items.nth(i).locator("a.kb-backlink").inner_text() for i in range(items.count())]
    assert "GIL" in titles and "경쟁 조건" in titles
    gil = items.filter(has=page.locator("a.kb-backlink", has_text="GIL"))
    context = gil.locator(".kb-backlink-context").first
    assert "[[" not in context.inner_text()
    assert context.locator("mark").first.inner_text() == "스레드"
    shot(page, "note-backlinks")
    # Clicking a backlink goes to the linking note.
    gil.locator("a.kb-backlink").click()
    wait_h1(page, "GIL")
    # The home page is linked by nobody: no empty backlinks section.
    page.goto(site.url)
    assert page.locator("section.kb-backlinks").count() == 0


@needs_fixture
def test_hover_preview_of_a_korean_heading_link(page, site):
    page.goto(site.url + "%EC%9A%B4%EC%98%81%EC%B2%B4%EC%A0%9C/%EC%8A%A4%EB%A0%88%EB%93%9C/")
    link = page.locator("article a.wikilink[href*='#']", has_text="힙과 스택").first
    link.hover()
    preview = page.locator(".kb-preview")
    preview.wait_for(state="visible", timeout=5000)
    text = preview.inner_text()
    assert text.startswith("스택"), text[:80]
    assert "프레임" in text and "동적으로 할당" not in text  # the 스택 section, not the 힙 one
    shot(page, "hover-preview-heading")
    page.mouse.move(5, 880)
    preview.wait_for(state="detached", timeout=5000)
    # A plain note link previews the top of the note.
    page.locator("article a.wikilink", has_text="경쟁 조건").first.hover()
    preview.wait_for(state="visible", timeout=5000)
    assert "경쟁 조건" in preview.inner_text()


@needs_fixture
def test_inline_tag_goes_to_its_entry_on_the_tags_page(page, site):
    page.goto(site.url + "%ED%8C%8C%EC%9D%B4%EC%8D%AC/GIL/")
    page.locator("article a.kb-tag", has_text="#파이썬/동시성").click()
    page.wait_for_function("decodeURIComponent(location.hash) === '#tag:파이썬/동시성'")
    assert page.locator("article [id='tag:파이썬/동시성']").count() == 1
    # Nested tags are grouped under their parent.
    parent = page.locator("article [id='tag:파이썬']")
    assert parent.count() == 1
    shot(page, "tags-page")


def test_global_graph_navigates_on_click(page, site):
    graph = json.loads((site.dir / "_kb" / "graph.json").read_text(encoding="utf-8"))
    assert graph["nodes"] and graph["links"]
    page.goto(site.url + "graph/")
    el = graph_ready(page, ".kb-graph-global")
    assert el.locator("canvas").count() >= 1
    assert int(el.get_attribute("data-kb-nodes")) == len(graph["nodes"])
    shot(page, "graph-global-light")
    degree = {n["id"]: 0 for n in graph["nodes"]}
    for source, target in graph["links"]:
        degree[source] += 1
        degree[target] += 1
    target = max(graph["nodes"], key=lambda n: degree[n["id"]])
    point = page.evaluate(
        """(title) => {
             const el = document.querySelector('.kb-graph-global');
             const fg = el.kbGraph, n = fg.graphData().nodes.find(n => n.title === title);
             const p = fg.graph2ScreenCoords(n.x, n.y), r = el.getBoundingClientRect();
             return {x: r.left + p.x, y: r.top + p.y};
           }""",
        target["title"],
    )
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)  # force-graph picks the node under the pointer
    page.wait_for_function("document.querySelector('.kb-graph-global').dataset.kbHover")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("(u) => decodeURIComponent(location.pathname).endsWith(u)",
                           arg="/" + unquote(target["url"]).removeprefix("./"))
    if target["url"] not in ("", "./"):
        wait_h1(page, target["title"].split(" ")[0])


def test_local_graph_and_dark_theme(dark_page, site):
    page = dark_page
    graph = json.loads((site.dir / "_kb" / "graph.json").read_text(encoding="utf-8"))
    linked = {node for edge in graph["links"] for node in edge}
    note = next(n for n in graph["nodes"] if n["id"] in linked and n["url"] not in ("", "./"))
    page.goto(site.url + note["url"])
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    el = graph_ready(page, ".kb-graph-local")
    assert int(el.get_attribute("data-kb-nodes")) >= 2
    el.scroll_into_view_if_needed()
    shot(page, "note-local-graph-dark")
    page.goto(site.url + "graph/")
    graph_ready(page, ".kb-graph-global")
    shot(page, "graph-global-dark")
    # Labels and nodes use Material's slate colours: a light text colour on a dark page.
    colour = page.evaluate("getComputedStyle(document.querySelector('.kb-graph')).getPropertyValue"
                           "('--md-default-fg-color').trim()")
    assert colour and colour != "rgba(0, 0, 0, 0.87)"


def test_instant_navigation_keeps_graph_and_preview_working(page, site):
    page.goto(site.url)
    page.evaluate("window.__kbNoReload = true")
    page.locator("a.md-nav__link", has_text="그래프").first.click()
    graph_ready(page, ".kb-graph-global")
    page.go_back()
    page.wait_for_function("!document.querySelector('.kb-graph-global')")
    assert page.evaluate("window.__kbNoReload === true"), "the page was reloaded: no instant navigation"
    if FIXTURE:
        page.locator("article a.wikilink", has_text="GIL").first.hover()
        page.locator(".kb-preview").wait_for(state="visible", timeout=5000)


def test_korean_search_top3_hit_rate(page, site):
    titles = search_eval.titles_by_path(site.dir)
    outcomes = search_eval.evaluate(page, site.url, titles, search_eval.load_queries(vault=VAULT.name))
    hits, judged = search_eval.summary(outcomes)
    (ARTIFACTS / "search-outcomes.json").write_text(
        json.dumps([o.__dict__ for o in outcomes], ensure_ascii=False, indent=1), encoding="utf-8")
    misses = [(o.q, o.top) for o in outcomes if o.hit is False]
    if judged < 30:
        pytest.skip(f"only {judged} queries of search_queries.toml apply to {VAULT}")
    assert hits / judged >= 0.95, f"top-3 hit rate {hits}/{judged}; misses: {misses}"
    shot(page, "search")


def test_english_search_still_works(page, site):
    """An English word from a page title finds that page (the Korean patch must not break it)."""
    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    word, location = next(
        (m.group(0), doc["location"].split("#")[0]) for doc in index["docs"]
        for m in [re.search(r"\b[A-Za-z]{4,}\b", re.sub(r"<[^>]+>", " ", doc["title"]))] if m
    )
    page.goto(site.url)
    hrefs = search_eval.search(page, word)
    pages = [unquote(h.split("?")[0].split("#")[0]) for h in hrefs[:5]]
    assert unquote(site.url + location) in pages, (word, location, pages)


def test_site_is_self_contained(site):
    """No page refers to another origin for scripts, styles, fonts or frames."""
    bad = []
    for html in site.dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for m in re.finditer(r'<(script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//([^"/]+)', text):
            if m.group(1) == "link" and "stylesheet" not in m.group(0) and "preload" not in m.group(0):
                continue
            bad.append(f"{html.relative_to(site.dir)}: {m.group(0)[:120]}")
    assert bad == []


def test_every_page_loads_offline_without_console_errors(page, site):
    """Every page in the sitemap (notes, notebooks, graph, tags): the page fixture fails the
    test on any console error or any request to another origin."""
    sitemap = (site.dir / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert urls and all(u.startswith(site.url) for u in urls), urls[:3]
    for url in urls:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(150)
        assert page.locator("article h1").count() >= 1, url
