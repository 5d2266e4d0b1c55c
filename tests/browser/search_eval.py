"""Top-3 hit rate of reader search queries, measured in a real browser.

Types each query of ``search_queries.toml`` into Material's search box and
reads the result list, mapping result links to note titles via
``_kb/graph.json``. Used by ``test_reader.py`` and as a script, which builds the
site once and measures our Korean search, then Material's stock search on the
same site (our patch undone), in the same run::

    python tests/browser/search_eval.py --vault docs --snippets snippets
    python tests/browser/search_eval.py --vault tests/fixtures/reader_vault --only ours
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sitekit  # noqa: E402

QUERIES = HERE / "search_queries.toml"
TOP = 3


@dataclass(frozen=True)
class Query:
    q: str
    expect: tuple[str, ...]
    kind: str = ""
    vault: str = ""  # folder name of the only vault this query is meant for ("" = any)


@dataclass
class Outcome:
    q: str
    kind: str
    expect: list[str]
    top: list[str]
    hit: bool | None  # None: none of the expected notes is in this vault
    ms: float


def load_queries(path: Path = QUERIES, vault: str | None = None) -> list[Query]:
    """The queries; with ``vault`` (a vault folder's name), those meant for another vault are dropped."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    queries = [Query(q["q"], tuple(q["expect"]), q.get("kind", ""), q.get("vault", ""))
               for q in data["query"]]
    return [q for q in queries if vault is None or q.vault in ("", vault)]


def titles_by_path(site: Path) -> dict[str, str]:
    """URL path (decoded, site-relative) -> note title, from the graph the build wrote."""
    graph = json.loads((site / "_kb" / "graph.json").read_text(encoding="utf-8"))
    return {unquote(n["url"]).removeprefix("./"): n["title"] for n in graph["nodes"]}


def restore_stock_search(site: Path) -> None:
    """Undo the Korean search patch: Material's own lunr files, titles without aliases, and
    Material's separator and field boosts (the "before" state)."""
    import material
    from obsidian_kb import search as kb_search

    theme = Path(material.__file__).parent / "templates"
    for name in ("lunr.ko.min.js", "lunr.multi.min.js"):
        rel = f"assets/javascripts/lunr/min/{name}"
        shutil.copyfile(theme / rel, site / rel)
    index = site / "search" / "search_index.json"
    data = json.loads(index.read_text(encoding="utf-8"))
    for doc in data["docs"]:
        doc["title"] = re.sub(r' <small class="kb-search-aliases">.*?</small>$', "", doc["title"])
    config = data["config"]
    if config.get("separator") == kb_search.CODE_SEPARATOR:
        config["separator"] = kb_search.STOCK_SEPARATOR
    fields = config.get("fields", {})
    if {name: spec.get("boost") for name, spec in fields.items()} == kb_search.KB_FIELDS:
        for name, boost in kb_search.STOCK_FIELDS.items():
            fields[name]["boost"] = boost
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


_READ_RESULTS = """
() => Array.from(document.querySelectorAll('.md-search-result__list > li.md-search-result__item'))
       .map(li => { const a = li.querySelector('a'); return a ? a.href : ''; })
"""


def open_search(page):
    """The search input, opened the way a reader does (wide screens show it in the header)."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for='__search']").first.click()
    box.click()
    return box


def search(page, query: str, timeout: float = 10.0) -> list[str]:
    """Type ``query`` into Material's search box; the result hrefs once they stop changing."""
    box = open_search(page)
    box.fill(query)
    box.press("End")  # Material reads the query on keyup, not on input
    deadline = time.monotonic() + timeout
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        meta = page.locator(".md-search-result__meta").inner_text()
        hrefs = page.evaluate(_READ_RESULTS)
        state = (meta, tuple(hrefs))
        if state != last:
            last, stable_since = state, time.monotonic()
        # "검색 초기화" = the worker is still building the index (the first query of a page)
        elif (time.monotonic() - stable_since > 0.35 and meta and "입력" not in meta
              and "초기화" not in meta):
            return hrefs
        page.wait_for_timeout(50)
    return last[1] if last else []


def evaluate(page, base_url: str, titles: dict[str, str], queries: list[Query]) -> list[Outcome]:
    page.goto(base_url)
    present = set(titles.values())
    outcomes = []
    for query in queries:
        start = time.perf_counter()
        hrefs = search(page, query.q)
        ms = (time.perf_counter() - start) * 1000
        top = []
        for href in hrefs[:TOP]:
            path = unquote(urlsplit(urljoin(base_url, href)).path)[len(urlsplit(base_url).path):]
            top.append(titles.get(path, path))
        applicable = any(e in present for e in query.expect)
        hit = any(e in top for e in query.expect) if applicable else None
        outcomes.append(Outcome(query.q, query.kind, list(query.expect), top, hit, round(ms, 1)))
    return outcomes


def summary(outcomes: list[Outcome]) -> tuple[int, int]:
    judged = [o for o in outcomes if o.hit is not None]
    return sum(1 for o in judged if o.hit), len(judged)


def report(label: str, outcomes: list[Outcome], verbose: bool) -> None:
    for o in outcomes:
        if verbose or o.hit is False:
            mark = {True: "ok  ", False: "MISS", None: "n/a "}[o.hit]
            print(f"{label:5} {mark} {o.kind:9} {o.q!r:24} -> {o.top}  (want {o.expect}, {o.ms:.0f} ms)")


def by_kind(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    kinds: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        if o.hit is not None:
            hits, judged = kinds.get(o.kind, (0, 0))
            kinds[o.kind] = (hits + o.hit, judged + 1)
    return kinds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vault", default=str(sitekit.ROOT / "tests/fixtures/reader_vault"))
    ap.add_argument("--snippets", default=None, help="snippets folder (default: an empty one)")
    ap.add_argument("--only", choices=("ours", "stock"), help="measure one search only")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every query, not only misses")
    ap.add_argument("--json", default=None, help="write outcomes here")
    args = ap.parse_args(argv)
    vault = Path(args.vault).resolve()
    queries = load_queries(vault=vault.name)
    modes = [args.only] if args.only else ["ours", "stock"]
    results: dict[str, list[Outcome]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        snippets = Path(args.snippets).resolve() if args.snippets else Path(tmp) / "no-snippets"
        snippets.mkdir(exist_ok=True)
        port = sitekit.free_port()
        sitekit.build_site(vault, site, port, snippets)
        titles = titles_by_path(site)
        with sitekit.serve(site, port) as server, sitekit.chromium() as browser:
            for mode in modes:
                if mode == "stock":
                    restore_stock_search(site)
                context = browser.new_context(viewport={"width": 1280, "height": 900})  # fresh cache
                results[mode] = evaluate(context.new_page(), server.url, titles, queries)
                context.close()
    for mode in modes:
        report(mode, results[mode], args.verbose)
    print(f"vault {vault.name}: {len(queries)} queries; top-{TOP} hit rate, same build, real Chromium:")
    kinds = sorted({k for m in modes for k in by_kind(results[m])})
    for mode in modes:
        hits, judged = summary(results[mode])
        per_kind = by_kind(results[mode])
        detail = ", ".join(f"{k} {per_kind[k][0]}/{per_kind[k][1]}" for k in kinds if k in per_kind)
        rate = hits / judged if judged else 0.0
        print(f"  {mode:5} {hits}/{judged} = {rate:.1%}  ({detail}; "
              f"{len(results[mode]) - judged} not applicable)")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({m: [asdict(o) for o in results[m]] for m in modes},
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
