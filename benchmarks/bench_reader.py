"""Reader benchmark: a 1,000-note synthetic vault in headless Chromium.

Generates nested folders of Korean-named notes (~15 links each, tags, headings),
builds the site, serves it on 127.0.0.1 and measures, against a plain note page
of the same site loaded the same way (the baseline):

- graph page: load event, first canvas frame, layout settled, first hover and
  click response, frames per second while the layout runs;
- note page: load event and local graph ready;
- search: first query (includes the browser-side index build) and the rest,
  with our Korean search and with Material's stock search on the same site;
- search index: size of ``search_index.json`` and of the lunr index the worker
  builds (terms, postings, serialized size, build time), ours against stock.

Usage: python benchmarks/bench_reader.py [--notes 1000] [--links 15] [--runs 3]
       python benchmarks/bench_reader.py --vault docs --snippets snippets --search-only
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import search_eval  # noqa: E402
import sitekit  # noqa: E402

TOPICS = ["프로세스", "스레드", "메모리", "힙", "스택", "락", "큐", "파이프", "신호", "캐시",
          "스케줄러", "가상 메모리", "페이지", "컨텍스트", "코루틴", "이벤트 루프"]
KINDS = ["개념", "예제", "정리", "실험", "비교", "함정"]
FOLDERS = ["운영체제", "파이썬", "동시성", "메모리", "네트워크"]
SUBFOLDERS = ["기초", "심화", "실습", "참고"]
SEARCHES = ["스레드는", "메모리", "가상", "루프", "스케줄러가", "캐시", "process", "GIL", "코루틴은",
            "페이지", "가상메모리", "이벤트 루프", "컨텍스트 스위칭을", "스레드 프로세스 메모리"]


def generate(vault: Path, notes: int, links: int, seed: int = 7) -> list[str]:
    """Write the vault; returns the site paths of the notes."""
    rng = random.Random(seed)
    names = []
    for i in range(notes):
        name = f"{rng.choice(TOPICS)} {rng.choice(KINDS)} {i:04d}"
        folder = f"{FOLDERS[i % len(FOLDERS)]}/{SUBFOLDERS[(i // len(FOLDERS)) % len(SUBFOLDERS)]}"
        names.append((folder, name))
    for folder, name in names:
        targets = rng.sample(names, links)
        body = [f"---\ntags: [{folder.split('/')[0]}/{rng.choice(TOPICS).replace(' ', '-')}]\n"
                f"aliases: [{name.split(' ')[0]} note]\n---", f"# {name}", ""]
        for k, (_, target) in enumerate(targets):
            link = f"[[{target}#개요]]" if k % 5 == 0 else f"[[{target}]]"
            body.append(f"{rng.choice(TOPICS)}는 {link}와 관련이 있습니다. "
                        "스레드와 프로세스가 메모리를 나눕니다.")
            if k % 4 == 3:
                body.append("")
        body += ["", "## 개요", "", f"{name}의 개요입니다. #{rng.choice(TOPICS).replace(' ', '-')}", "",
                 "## 세부", "", "캐시, 페이지, 컨텍스트 스위칭을 다룹니다."]
        path = vault / folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
    (vault / "index.md").write_text(f"# 벤치마크 볼트\n\n[[{names[0][1]}]]\n", encoding="utf-8")
    return [f"{folder}/{name}.md" for folder, name in names]


def url_of(site_path: str) -> str:
    return quote(site_path.removesuffix(".md") + "/")


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def load_note(browser, base: str, path: str) -> dict[str, float]:
    """A note page: load event, and its local graph settled (from navigation start)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + path, wait_until="load")
    page.wait_for_selector(".kb-graph-local[data-kb-ready]", state="attached", timeout=60000)
    out = {"load": page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"),
           "local_graph_ready": marks(page)["kb-graph:ready"]}
    page.close()
    return out


_FRAMES = """(() => { window.__kbFrames = [];
  (function loop() { window.__kbFrames.push(performance.now()); requestAnimationFrame(loop); })(); })()"""


def marks(page) -> dict[str, float]:
    return page.evaluate("Object.fromEntries(performance.getEntriesByType('mark')"
                         ".map(m => [m.name, m.startTime]))")


def load_graph(browser, base: str) -> dict[str, float]:
    """Times from navigation start, read from the page's own performance marks."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(_FRAMES)
    page.goto(base + "graph/", wait_until="load")
    page.wait_for_selector(".kb-graph-global[data-kb-ready]", state="attached", timeout=120000)
    m = marks(page)
    out = {
        "load": page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"),
        "first_frame": m["kb-graph:first-frame"],
        "settled": m["kb-graph:ready"],
    }
    # Frames per second and the longest frame between first frame and settled (smoothness).
    frames = [t for t in page.evaluate("window.__kbFrames") if out["first_frame"] <= t <= out["settled"]]
    gaps = [b - a for a, b in itertools.pairwise(frames)]
    out["fps_during_layout"] = len(gaps) * 1000 / max(out["settled"] - out["first_frame"], 1)
    out["longest_frame"] = max(gaps, default=0.0)
    node = page.evaluate("""() => {
        const el = document.querySelector('.kb-graph-global'), fg = el.kbGraph;
        const r = el.getBoundingClientRect();
        let best = null, bd = Infinity;
        for (const n of fg.graphData().nodes) {  // the node nearest the centre of the canvas
          const p = fg.graph2ScreenCoords(n.x, n.y);
          const d = (p.x - r.width / 2) ** 2 + (p.y - r.height / 2) ** 2;
          if (d < bd) { bd = d; best = p; }
        }
        return {x: r.left + best.x, y: r.top + best.y}; }""")
    page.mouse.move(node["x"] - 20, node["y"] - 20)
    t1 = time.perf_counter()
    page.mouse.move(node["x"], node["y"], steps=3)
    page.wait_for_function("document.querySelector('.kb-graph-global').dataset.kbHover", timeout=10000)
    out["hover_response"] = ms(t1)
    title = page.evaluate("document.querySelector('.kb-graph-global').dataset.kbHover")
    t2 = time.perf_counter()
    page.mouse.click(node["x"], node["y"])
    page.wait_for_function("(t) => { const h = document.querySelector('article h1');"
                           " return h && h.textContent.startsWith(t); }", arg=title, timeout=20000)
    out["click_to_note"] = ms(t2)
    page.close()
    return out


_TIME_QUERY = """(q) => new Promise((resolve) => {
    // Time from the keyup Material listens to until the result list stops changing
    // (result links carry ?h=<query>, so every query changes the list).
    const input = document.querySelector('input.md-search__input');
    const list = document.querySelector('.md-search-result');
    let last = 0, timer = null;
    const done = () => { obs.disconnect(); resolve(last ? last - t0 : -1); };
    const obs = new MutationObserver(() => {
      last = performance.now(); clearTimeout(timer); timer = setTimeout(done, 400); });
    obs.observe(list, {childList: true, subtree: true, characterData: true});
    input.value = q;
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true}));
    setTimeout(() => { if (!last) done(); }, 30000);
  })"""


def search_latency(browser, base: str, queries: list[str]) -> list[float]:
    """Milliseconds per query; the first one includes building the index in the worker."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # fresh cache
    page = context.new_page()
    page.goto(base, wait_until="load")
    page.locator("input.md-search__input").click()
    out = [page.evaluate(_TIME_QUERY, q) for q in queries]
    context.close()
    return out


def search_figures(browser, base: str, site: Path, queries: list[str], runs: int) -> None:
    """Our search, then Material's stock search on the same site; prints both and the ratios."""
    figures = {}
    for mode in ("ours", "stock"):
        if mode == "stock":
            search_eval.restore_stock_search(site)  # Material's search alone, same site
        stats = [index_stats(browser, base, site) for _ in range(runs)]
        latency = [search_latency(browser, base, queries) for _ in range(runs)]
        figures[mode] = {
            "first": statistics.median(r[0] for r in latency),
            "later": statistics.median(t for r in latency for t in r[1:]),
            "later_max": max(t for r in latency for t in r[1:]),
            **{k: statistics.median(s[k] for s in stats) for k in stats[0]},
        }
    ours, stock = figures["ours"], figures["stock"]
    for label, f in (("search (Korean patch)", ours), ("search (Material stock)", stock)):
        print(f"{label:24} first query {f['first']:5.0f} ms (builds the index in the worker); "
              f"next {len(queries) - 1}: median {f['later']:.0f} ms, max {f['later_max']:.0f} ms")
        print(f"{'':24} index build {f['build_ms']:5.0f} ms; {f['terms']:.0f} terms, "
              f"{f['postings']:.0f} postings, {f['serialized_kib']:.0f} KiB serialized; "
              f"search_index.json {f['json_kib']:.0f} KiB")
    print(f"search ratios ours/stock: first query {ours['first'] / max(stock['first'], 1):.2f}x, "
          f"later queries {ours['later'] / max(stock['later'], 1):.2f}x, "
          f"index build {ours['build_ms'] / max(stock['build_ms'], 1):.2f}x, "
          f"terms {ours['terms'] / stock['terms']:.2f}x, "
          f"postings {ours['postings'] / stock['postings']:.2f}x, "
          f"serialized index {ours['serialized_kib'] / stock['serialized_kib']:.2f}x, "
          f"search_index.json {ours['json_kib'] / stock['json_kib']:.2f}x")


# Material's worker, loaded by a worker of ours that times lunr's index build and measures it.
_STATS_WORKER = """importScripts(%s);
(function () {
  // From the first document added (the pipeline, ours included, runs there) to the built index.
  var add = self.lunr.Builder.prototype.add, build = self.lunr.Builder.prototype.build, t0 = null;
  self.lunr.Builder.prototype.add = function () {
    if (t0 === null) t0 = performance.now();
    return add.apply(this, arguments);
  };
  self.lunr.Builder.prototype.build = function () {
    var index = build.apply(this, arguments), ms = performance.now() - t0;
    var terms = Object.keys(index.invertedIndex), postings = 0;
    terms.forEach(function (t) {
      var p = index.invertedIndex[t];
      for (var f in p) if (f !== "_index") postings += Object.keys(p[f]).length;
    });
    self.postMessage({kbStats: {build_ms: ms, terms: terms.length, postings: postings,
                                serialized_kib: JSON.stringify(index).length / 1024}});
    return index;
  };
})();
"""
_RUN_STATS = """async ([worker, index]) => {
  const data = await (await fetch(index)).json();
  return await new Promise((resolve) => {
    const w = new Worker(worker);
    w.onmessage = (ev) => { if (ev.data && ev.data.kbStats) { w.terminate(); resolve(ev.data.kbStats); } };
    w.postMessage({type: 0, data: {...data, options: {suggest: true}}});
  });
}"""


def index_stats(browser, base: str, site: Path) -> dict[str, float]:
    """The lunr index Material's worker builds in Chromium: terms, postings, size, build time."""
    workers = site / "assets" / "javascripts" / "workers"
    material = next(workers.glob("search.*.min.js")).name
    (workers / "kb-index-stats.js").write_text(_STATS_WORKER % repr(material), encoding="utf-8")
    context = browser.new_context()  # a fresh cache: stock files must not come from the last run
    page = context.new_page()
    page.goto(base, wait_until="load")
    out = page.evaluate(_RUN_STATS, [base + "assets/javascripts/workers/kb-index-stats.js",
                                     base + "search/search_index.json"])
    context.close()
    out["json_kib"] = (site / "search" / "search_index.json").stat().st_size / 1024
    return out


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--links", type=int, default=15)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--vault", default=None, help="measure this vault instead of a generated one")
    ap.add_argument("--snippets", default=None, help="its snippets folder (default: none)")
    ap.add_argument("--queries", type=int, default=24,
                    help="with --vault: this many of search_queries.toml's queries, evenly spread")
    ap.add_argument("--search-only", action="store_true", help="skip the graph and note-page figures")
    args = ap.parse_args()
    if not sitekit.CHROMIUM.exists():
        print(f"{sitekit.CHROMIUM} is missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        site, snippets = Path(tmp) / "site", Path(tmp) / "snippets"
        snippets.mkdir()
        if args.vault:
            vault = Path(args.vault).resolve()
            snippets = Path(args.snippets).resolve() if args.snippets else snippets
            every = [q.q for q in search_eval.load_queries(vault=vault.name)]
            step = max(1, len(every) // max(args.queries, 1))
            queries, paths = every[::step][:args.queries], []
            what = f"vault {vault.name}"
        else:
            vault = Path(tmp) / "vault"
            paths, queries = generate(vault, args.notes, args.links), SEARCHES
            what = f"vault: {args.notes} generated notes, ~{args.links} links each"
        port = sitekit.free_port()
        t0 = time.perf_counter()
        sitekit.build_site(vault, site, port, snippets)
        build_s = time.perf_counter() - t0
        graph_kb = (site / "_kb" / "graph.json").stat().st_size / 1024
        print(f"{what}; build {build_s:.1f} s; graph.json {graph_kb:.0f} KiB; runs: {args.runs} (medians); "
              f"{len(queries)} search queries")
        with sitekit.serve(site, port) as server, sitekit.chromium() as browser:
            if not args.search_only and paths:
                notes = [load_note(browser, server.url, url_of(paths[1 + i])) for i in range(args.runs)]
                graphs = [load_graph(browser, server.url) for _ in range(args.runs)]
                print_reader(notes, graphs)
            search_figures(browser, server.url, site, queries, args.runs)
    return 0


def print_reader(notes: list[dict[str, float]], graphs: list[dict[str, float]]) -> None:
    base = median(notes, "load")
    print(f"note page (baseline)      load {base:8.0f} ms   1.00x")
    print(f"note page local graph     ready {median(notes, 'local_graph_ready'):7.0f} ms   "
          f"{median(notes, 'local_graph_ready') / base:.2f}x")
    steps = [("load", "load"), ("first_frame", "first canvas frame"), ("settled", "layout settled")]
    for key, label in steps:
        value = median(graphs, key)
        print(f"graph page {label:22} {value:6.0f} ms   {value / base:.2f}x")
    print(f"graph page fps during layout  {median(graphs, 'fps_during_layout'):5.0f} frames/s, "
          f"longest frame {median(graphs, 'longest_frame'):.0f} ms")
    print(f"graph hover response          {median(graphs, 'hover_response'):5.0f} ms")
    print(f"graph click -> note shown     {median(graphs, 'click_to_note'):5.0f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
