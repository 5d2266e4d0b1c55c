"""The pure modules behind the reader features (no browser needed)."""

from __future__ import annotations

from pathlib import Path

from obsidian_kb import search
from obsidian_kb.backlinks import collect_backlinks, context_html, plain_segments, render_backlinks
from obsidian_kb.checks import resolve_vault
from obsidian_kb.graph import build_note_graph, local_graph_html
from obsidian_kb.tags import TagAnchors, vault_tags
from obsidian_kb.vault import build_index, walk_vault
from pymdownx.slugs import slugify

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "reader_vault"


def _vault():
    index = build_index(walk_vault(FIXTURE))
    urls = {f.site_path: f.site_path.removesuffix(".md") + "/" for f in index.files.values()}
    urls["index.md"] = ""
    return index, resolve_vault(index), urls


def test_context_shows_link_text_not_syntax():
    segments = plain_segments("- 두 [[스레드|실행 흐름]]이 [[IPC#파이프]]와 [문서](a.md)를 **`x`** 씁니다")
    text = "".join(s.text for s in segments)
    assert text == "두 실행 흐름이 IPC > 파이프와 문서를 x 씁니다"
    assert [s.text for s in segments if s.is_link] == ["실행 흐름", "IPC > 파이프", "문서"]


def test_long_context_is_shortened_around_the_link():
    segments = plain_segments("가" * 500 + " [[스레드]] " + "나" * 500)
    assert sum(len(s.text) for s in segments) < 300
    assert any(s.is_link and s.text == "스레드" for s in segments)


def test_backlinks_are_escaped_and_relative():
    index, graph, urls = _vault()
    links = collect_backlinks(graph, index, urls, "운영체제/스레드.md")
    assert {b.title for b in links} >= {"GIL", "경쟁 조건", "프로세스"}
    html = render_backlinks(links, "운영체제/스레드/")
    assert 'href="../../%ED%8C%8C%EC%9D%B4%EC%8D%AC/GIL/"' in html or 'href="../../파이썬/GIL/"' in html
    assert "[[" not in html and "data-search-exclude" in html
    assert render_backlinks([], "x/") == ""
    escaped = context_html("<script>alert(1)</script> [[스레드]]")
    from obsidian_kb.backlinks import Backlink

    out = render_backlinks([Backlink("a.md", "<b>", "a/", (escaped,))], "b/")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;" in out


def test_graph_edges_are_the_resolved_note_links():
    index, graph, urls = _vault()
    note_graph = build_note_graph(graph, index, urls)
    ids = {n.id: n for n in note_graph.nodes}
    pairs = {(ids[e.source].title, ids[e.target].title) for e in note_graph.links}
    assert ("스레드", "GIL") in pairs and ("GIL", "스레드") in pairs
    assert all(e.source != e.target for e in note_graph.links)
    assert len(pairs) == len(note_graph.links)  # no duplicates
    expected = {
        (link.source, link.resolution.file.path) for link in graph.links
        if link.resolution.ok and link.resolution.file is not None and link.resolution.file.is_note
        and link.resolution.file.path != link.source
    }
    assert len(expected) == len(note_graph.links)
    assert '"title":"프로세스"' in note_graph.to_json()
    encoded = "%EC%9A%B4%EC%98%81%EC%B2%B4%EC%A0%9C/%EC%8A%A4%EB%A0%88%EB%93%9C/"
    assert 'data-kb-node="운영체제/스레드/"' in local_graph_html("../../", encoded)


def test_tag_anchors_match_material_tags_plugin():
    anchors = TagAnchors(slugify(case="lower"))
    assert anchors.anchor("운영체제/프로세스") == "tag:운영체제/프로세스"
    assert anchors.anchor("Python GC") == "tag:python-gc"
    index, _, _ = _vault()
    tags = vault_tags(index)
    assert {"파이썬", "파이썬/동시성", "운영체제", "운영체제/프로세스"} <= tags


def test_lunr_patch_is_appended_once_and_aliases_go_to_titles():
    once = search.patched("lunr();", "/* obsidian_kb: Korean search */ x();")
    assert search.patched(once, "/* obsidian_kb: Korean search */ x();") == once
    index = {"docs": [{"location": "a/", "title": "스레드", "text": ""},
                      {"location": "a/#h", "title": "H", "text": ""}]}
    out = search.with_aliases(index, {"a/": ("thread", "<쓰레드>")})
    assert out["docs"][0]["title"].startswith("스레드 <small")
    assert "&lt;쓰레드&gt;" in out["docs"][0]["title"]
    assert out["docs"][1]["title"] == "H"
    assert search.with_aliases(out, {"a/": ("thread",)})["docs"][0]["title"].count("<small") == 1


def test_index_config_gets_code_separator_and_boosts_only_where_material_defaults_stand(tmp_path):
    import json
    import re

    import search_eval

    stock = {"lang": ["ko", "en"], "separator": search.STOCK_SEPARATOR, "pipeline": [" "],
             "fields": {name: {"boost": b} for name, b in search.STOCK_FIELDS.items()}}
    tuned = search.tuned_config(stock)
    assert tuned["separator"] == search.CODE_SEPARATOR
    assert {n: f["boost"] for n, f in tuned["fields"].items()} == search.KB_FIELDS
    assert stock["fields"]["tags"]["boost"] == 1e6, "the input must not be changed in place"
    words = [w for w in re.split(tuned["separator"], "sys.setrecursionlimit(10) SharedMemory 3.14") if w]
    assert words == ["sys", "setrecursionlimit", "10", "Shared", "Memory", "3.14"]
    # A separator or boosts chosen in mkdocs.yml are the author's: left alone.
    custom = dict(stock, separator=r"[\s]+", fields={"title": {"boost": 5.0}, "text": {"boost": 1.0}})
    assert search.tuned_config(custom) == custom
    # The browser evaluation's "stock" state undoes exactly what the build changed.
    (tmp_path / "search").mkdir()
    index = tmp_path / "search" / "search_index.json"
    docs = [{"location": "a/", "title": "스레드", "text": ""}]
    index.write_text(json.dumps({"config": stock, "docs": docs}), encoding="utf-8")
    search.patch_index(index, {"a/": ("thread",)})
    assert json.loads(index.read_text(encoding="utf-8"))["config"] == tuned
    lunr = tmp_path / "assets" / "javascripts" / "lunr" / "min"
    lunr.mkdir(parents=True)
    search_eval.restore_stock_search(tmp_path)
    restored = json.loads(index.read_text(encoding="utf-8"))
    assert restored["config"] == stock and restored["docs"][0]["title"] == "스레드"
