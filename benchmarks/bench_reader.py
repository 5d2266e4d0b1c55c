"""Reader benchmark: a 1,000-note synthetic vault in headless Chromium.

Generates nested folders of Korean-named notes (~15 links each, tags, headings),
builds the site, serves it on 127.0.0.1 and measures, against a plain note page
of the same site loaded the same way (the baseline):

- graph page: load event, first canvas frame, layout settled, first hover and
  click response, frames per second while the layout runs;
- note page: load event and local graph ready;
- search: first query (includes the browser-side index build) and nine more.

Usage: python benchmarks/bench_reader.py [--notes 1000] [--links 15] [--runs 3]
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
            "페이지"]


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


def search_latency(browser, base: str) -> list[float]:
    """Milliseconds per query; the first one includes building the index in the worker."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base, wait_until="load")
    page.locator("input.md-search__input").click()
    out = [page.evaluate(_TIME_QUERY, q) for q in SEARCHES]
    page.close()
    return out


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--links", type=int, default=15)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not sitekit.CHROMIUM.exists():
        print(f"{sitekit.CHROMIUM} is missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        vault, site, snippets = Path(tmp) / "vault", Path(tmp) / "site", Path(tmp) / "snippets"
        snippets.mkdir()
        paths = generate(vault, args.notes, args.links)
        port = sitekit.free_port()
        t0 = time.perf_counter()
        sitekit.build_site(vault, site, port, snippets)
        build_s = time.perf_counter() - t0
        graph_kb = (site / "_kb" / "graph.json").stat().st_size / 1024
        with sitekit.serve(site, port) as server, sitekit.chromium() as browser:
            notes = [load_note(browser, server.url, url_of(paths[1 + i])) for i in range(args.runs)]
            graphs = [load_graph(browser, server.url) for _ in range(args.runs)]
            searches = search_latency(browser, server.url)
            search_eval.restore_stock_search(site)  # Material's search alone, same site
            stock = search_latency(browser, server.url)
    base = median(notes, "load")
    print(f"vault: {args.notes} notes, ~{args.links} links each; build {build_s:.1f} s; "
          f"graph.json {graph_kb:.0f} KiB; runs: {args.runs} (medians)")
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
    for label, runs in (("search (Korean patch)", searches), ("search (Material stock)", stock)):
        rest = runs[1:]
        print(f"{label:24} first query {runs[0]:5.0f} ms (builds the index in the worker); "
              f"next {len(rest)}: median {statistics.median(rest):.0f} ms, max {max(rest):.0f} ms")
    print(f"search ratios patch/stock: first query {searches[0] / max(stock[0], 1):.2f}x, "
          f"later queries {statistics.median(searches[1:]) / max(statistics.median(stock[1:]), 1):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
