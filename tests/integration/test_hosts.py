"""One ``mkdocs.yml``, three hosts: MkDocs, ProperDocs (a drop-in fork) and Zensical.

ProperDocs must give the same site as MkDocs; Zensical (which runs no plugins,
only Markdown extensions) must give the same links, embeds, callouts and
snippet output on every note, and its wrapper must fail on a vault with problems.
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

pytest.importorskip("zensical")
pytest.importorskip("properdocs")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "vault"
BROKEN_NOTES = ["노트/깨진 링크.md", "노트/깨진 속성.md", "노트/순환 A.md", "노트/순환 B.md"]
SNIPPET = 'import os\n\nif __name__ == "__main__":\n    print(f"hello from pid {os.getpid()}")\n'

CONFIG = """\
site_name: 세 호스트
theme:
  name: material
  language: ko
  font: false
extra_css: [_kb/assets/kb.css, _kb/assets/snippets.css, _kb/assets/kb-reader.css]
extra_javascript: [_kb/assets/kb-graph.js, _kb/assets/kb-preview.js]
plugins:
  - search
  - obsidian-kb:
      fresh: true
markdown_extensions:
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}
  - attr_list
  - footnotes
  - tables
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight
  - pymdownx.tasklist: {custom_checkbox: true}
  - pymdownx.tilde
  # Zensical runs no plugins: this extension is the engine there (a no-op under MkDocs)
  - obsidian_kb.zensical_host:
      fresh: true
"""


def _project(root: Path, *, broken: bool = False) -> Path:
    shutil.copytree(FIXTURE, root / "docs")
    if not broken:
        for rel in BROKEN_NOTES:
            (root / "docs" / rel).unlink()
    (root / "docs" / "snippets").mkdir()
    (root / "docs" / "snippets" / "hello.py").write_text(SNIPPET, encoding="utf-8")
    with (root / "docs" / "index.md").open("a", encoding="utf-8") as f:
        f.write("\n\n스니펫:\n\n![[hello.py]]\n\n출력만:\n\n![[hello.py#output]]\n")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return root


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    for name in ("KB_SNIPPETS", "KB_VAULT", "KB_SITE_DIR"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for host, args in [("mkdocs", ["mkdocs", "build", "--strict"]),
                       ("properdocs", ["properdocs", "build", "--strict"]),
                       ("zensical", ["obsidian_kb.zensical_host", "build"])]:
        root = _project(tmp_path_factory.mktemp(host))
        result = _run(args, root)
        assert result.returncode == 0, f"{host}:\n{result.stderr[-4000:]}"
        out[host] = root / "site"
    return out


def _pages(site: Path) -> dict[str, Node]:
    found = {}
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search", "_kb", "graph", "tags", "snippets")):
            continue
        found["" if rel == "." else rel + "/"] = parse_html(page.read_text(encoding="utf-8"))
    return found


def _target(url: str, href: str) -> tuple[str, str]:
    absolute = urlsplit(urljoin("http://site/" + url, href))
    return unquote(absolute.path), unquote(absolute.fragment)


def _notes(site: Path) -> dict[str, dict[str, object]]:
    """Per note: every wikilink and embed target, callouts, snippet output lines."""
    notes = {}
    for url, page in _pages(site).items():
        article = page.find("article")
        notes[url] = {
            "links": sorted((a.text, _target(url, a.attrs["href"] or ""))
                            for a in article.find_all("a", **{"class": "wikilink"})),
            "unresolved": sorted(s.text for s in article.find_all(
                "span", **{"class": "wikilink wikilink-unresolved"})),
            "embeds": [d.attrs["data-embed"] for d in article.find_all("div", **{"class": "kb-embed"})],
            "media": sorted(_target(url, el.attrs["src"] or "") for el in article.iter()
                            if el.tag in ("img", "audio", "video")
                            and (el.attrs.get("class") or "").startswith("kb-embed")),
            "callouts": [(el.tag, el.attrs.get("class"), el.attrs["data-callout"]) for el in article.iter()
                         if el.attrs.get("data-callout") is not None],
            "snippets": [len(re.findall(r"hello from pid \d+", d.text))
                         for d in article.find_all("div", **{"class": "kb-snippet"})],
            "backlinks": sorted((a.text, _target(url, a.attrs["href"] or ""))
                                for s in page.find_all("section", **{"class": "kb-backlinks"})
                                for a in s.find_all("a")),
        }
    return notes


def test_properdocs_builds_the_same_site(sites):
    mkdocs, proper = sites["mkdocs"], sites["properdocs"]
    assert _notes(proper) == _notes(mkdocs)
    for name in ("graph.json", "link-report.json"):
        assert (proper / "_kb" / name).read_text(encoding="utf-8") == (mkdocs / "_kb" / name).read_text(
            encoding="utf-8")
    # the articles themselves, byte for byte (pids and run times differ between runs: masked)
    article = re.compile(r"<article.*?</article>", re.S)

    def masked(path: Path) -> list[str]:
        text = re.sub(r"pid \d+", "pid N", path.read_text(encoding="utf-8"))
        return article.findall(re.sub(r'<div class="kb-provenance">.*?</div>', "", text))

    for url in _pages(mkdocs):
        assert masked(proper / url / "index.html") == masked(mkdocs / url / "index.html"), url


def test_zensical_gives_the_same_links_embeds_callouts_and_snippets(sites):
    mkdocs, zensical = _notes(sites["mkdocs"]), _notes(sites["zensical"])
    assert zensical.keys() == mkdocs.keys()
    for url in mkdocs:
        assert zensical[url] == mkdocs[url], url
    assert sum(len(n["links"]) for n in mkdocs.values()) >= 20
    assert any(n["callouts"] for n in mkdocs.values())
    assert mkdocs[""]["snippets"] == [1, 1]


def test_zensical_writes_graph_report_and_assets(sites):
    site = sites["zensical"]
    graph = json.loads((site / "_kb" / "graph.json").read_text(encoding="utf-8"))
    assert graph == json.loads((sites["mkdocs"] / "_kb" / "graph.json").read_text(encoding="utf-8"))
    report = json.loads((site / "_kb" / "link-report.json").read_text(encoding="utf-8"))
    assert report == {"count": 0, "problems": []}
    assert (site / "_kb" / "assets" / "kb.css").is_file()


def test_zensical_wrapper_fails_on_problems_and_names_them(tmp_path):
    root = _project(tmp_path, broken=True)
    result = _run(["obsidian_kb.zensical_host", "build"], root)
    assert result.returncode == 1, result.stderr
    assert "노트/깨진 링크.md:3: [[없는 노트]]" in result.stderr
    report = json.loads((root / "site" / "_kb" / "link-report.json").read_text(encoding="utf-8"))
    assert report["count"] == 8


def test_zensical_index_is_reused_then_rebuilt_when_the_vault_changes(tmp_path, monkeypatch):
    """Zensical's own render function, in this process: pages share one index until a
    file of the vault changes."""
    import time

    from zensical.config import parse_config
    from zensical.markdown.render import render

    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\n[[b]]\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - obsidian_kb.zensical_host:\n      execute: false\n",
        encoding="utf-8")
    config = parse_config(str(tmp_path / "mkdocs.yml"))

    def page_a() -> Node:
        return parse_html(render("# A\n\n[[b]]\n", "a.md", "a/")["content"])

    assert page_a().find("span", **{"class": "wikilink wikilink-unresolved"}).text == "b"
    session = config["__obsidian_kb__"].session
    assert page_a().find_all("a", **{"class": "wikilink"}) == []
    assert config["__obsidian_kb__"].session is session  # reused, not rescanned per page
    (tmp_path / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    time.sleep(1.1)  # the host looks at the vault at most once a second
    link = page_a().find("a", **{"class": "wikilink"})
    assert link.text == "b" and link.attrs["href"] == "b/"  # relative to a.md's folder
    assert config["__obsidian_kb__"].session is not session
