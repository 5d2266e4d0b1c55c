"""A new user's own project: ``site_name``, ``theme: material`` and one plugin line.

The same vault is built twice, by that three-line ``mkdocs.yml`` and by this
repository's ``mkdocs.yml`` (hook form); links, embeds, snippet output,
backlinks, the graph and tags must come out the same.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from kbtest import Node, parse_html

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "vault"
BROKEN_NOTES = ["노트/깨진 링크.md", "노트/깨진 속성.md", "노트/순환 A.md", "노트/순환 B.md"]
MINIMAL = "site_name: 내 노트\ntheme: material\nplugins:\n  - obsidian-kb\n"
SNIPPET = 'import os\n\nif __name__ == "__main__":\n    print(f"hello from pid {os.getpid()}")\n'


def _vault(root: Path) -> Path:
    docs = root / "docs"
    shutil.copytree(FIXTURE, docs)
    for rel in BROKEN_NOTES:
        (docs / rel).unlink()
    (docs / "snippets").mkdir()  # the vault root is docs/ (it holds .obsidian/)
    (docs / "snippets" / "hello.py").write_text(SNIPPET, encoding="utf-8")
    with (docs / "index.md").open("a", encoding="utf-8") as f:
        f.write("\n\n스니펫:\n\n![[hello.py]]\n")
    return docs


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", **env}
    env.pop("KB_SNIPPETS", None)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    own = tmp_path_factory.mktemp("own")
    _vault(own)
    (own / "mkdocs.yml").write_text(MINIMAL, encoding="utf-8")
    result = _run([sys.executable, "-m", "mkdocs", "build", "--strict"], own, {"KB_SNIPPETS_FRESH": "1"})
    assert result.returncode == 0, result.stderr
    ours = tmp_path_factory.mktemp("ours")
    docs = _vault(ours)
    result = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
                   "-d", str(ours / "site")], ours, {"KB_VAULT": str(docs), "KB_SNIPPETS_FRESH": "1"})
    assert result.returncode == 0, result.stderr
    return own / "site", ours / "site"


def _pages(site: Path) -> dict[str, Node]:
    out = {}
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search", "_kb", "tags", "graph")):
            continue
        out["" if rel == "." else rel + "/"] = parse_html(page.read_text(encoding="utf-8"))
    return out


def _target(site: Path, url: str, href: str) -> tuple[str, str]:
    absolute = urlsplit(urljoin("http://site/" + url, href))
    return unquote(absolute.path), unquote(absolute.fragment)


def _features(site: Path) -> dict[str, dict[str, object]]:
    """What a reader gets on each note, with every href resolved to (site path, fragment)."""
    found = {}
    for url, page in _pages(site).items():
        article = page.find("article")
        found[url] = {
            "links": sorted((a.text, _target(site, url, a.attrs["href"] or ""))
                            for a in article.find_all("a", **{"class": "wikilink"})),
            "broken": sorted(s.text for s in article.find_all(
                "span", **{"class": "wikilink wikilink-unresolved"})),
            "embeds": [d.attrs["data-embed"] for d in article.find_all("div", **{"class": "kb-embed"})],
            "snippets": [len(re.findall(r"hello from pid \d+", d.text))
                         for d in article.find_all("div", **{"class": "kb-snippet"})],
            "backlinks": sorted((a.text, _target(site, url, a.attrs["href"] or ""))
                                for s in page.find_all("section", **{"class": "kb-backlinks"})
                                for a in s.find_all("a")),
            "graph": len(page.find_all(**{"class": "kb-graph kb-graph-local"})),
            "tags": sorted(t.attrs["data-tag"] or "" for t in article.find_all(**{"class": "kb-tag"})),
        }
    return found


def test_own_project_builds_the_same_links_embeds_snippets_and_panels(sites):
    own, ours = sites
    mine, theirs = _features(own), _features(ours)
    assert mine.keys() == theirs.keys()
    assert mine == theirs
    assert sum(len(f["links"]) for f in mine.values()) >= 20  # the fixture's wikilinks outside embeds
    assert sum(len(f["backlinks"]) for f in mine.values()) >= 15
    assert mine[""]["snippets"] == [1]  # real output of the embedded snippet
    assert any(f["embeds"] for f in mine.values())


def test_own_project_has_the_same_graph(sites):
    own, ours = sites
    graph = json.loads((own / "_kb" / "graph.json").read_text(encoding="utf-8"))
    assert graph == json.loads((ours / "_kb" / "graph.json").read_text(encoding="utf-8"))
    assert len(graph["nodes"]) >= 15 and len(graph["links"]) >= 15
    assert (own / "graph" / "index.html").is_file()


def test_own_project_assets_are_registered(sites):
    own, _ = sites
    home = (own / "index.html").read_text(encoding="utf-8")
    for asset in ("kb.css", "snippets.css", "kb-reader.css", "kb-graph.js", "kb-preview.js"):
        assert f"_kb/assets/{asset}" in home, asset
        assert (own / "_kb" / "assets" / asset).is_file(), asset


def test_own_project_tags_link_to_their_entry(sites):
    """Without Material's tags plugin the engine writes the tags page itself."""
    own, _ = sites
    tags_page = parse_html((own / "tags" / "index.html").read_text(encoding="utf-8"))
    checked = 0
    for url, page in _pages(own).items():
        for tag in page.find("article").find_all("a", **{"class": "kb-tag"}):
            path, fragment = _target(own, url, tag.attrs["href"] or "")
            assert path == "/tags/", (url, tag.attrs)
            entry = tags_page.by_id(fragment)
            assert entry is not None and entry.tag == "h2", fragment
            checked += 1
    assert checked >= 2


def test_missing_extensions_are_named_when_not_added(tmp_path):
    _vault(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: material\nplugins:\n  - obsidian-kb:\n      add_extensions: false\n"
        "      execute: false\n", encoding="utf-8")
    result = _run([sys.executable, "-m", "mkdocs", "build", "--strict"], tmp_path, {})
    assert result.returncode != 0
    for name in ("footnotes", "pymdownx.superfences", "pymdownx.tasklist"):
        assert f"markdown_extensions lacks {name}" in result.stderr, result.stderr
