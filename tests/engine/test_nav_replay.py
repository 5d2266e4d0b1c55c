"""Dirty builds replay a nav plugin's navigation instead of running it again
(``obsidian_kb.mkdocs_rebuild.replay_nav_makers``), with real MkDocs objects and the
real mkdocs-awesome-nav plugin."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation
from obsidian_kb.mkdocs_rebuild import SiteMemory, _NavReplay, nav_data, replay_nav_makers

pytest.importorskip("mkdocs_awesome_nav")

NAV = 'nav:\n  - index.md\n  - "제목 있는 노트": b/둘.md\n  - 외부: https://example.org/\n  - "*"\n'


def _vault(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    for rel, text in {"index.md": "# 홈\n", "a/하나.md": "# 하나\n", "b/둘.md": "# 둘\n",
                      "b/셋.md": "# 셋\n"}.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text, encoding="utf-8")
    (docs / ".nav.yml").write_text(NAV, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: 시험\nplugins:\n  - awesome-nav\n", encoding="utf-8")
    return docs


class Counted:
    def __init__(self, replay: _NavReplay) -> None:
        self.calls = 0
        self.method = replay.method
        replay.method = self

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.method(*args, **kwargs)


def _build(tmp_path: Path, memory: SiteMemory, *, partial: bool, counter: list[Counted]):
    """One build's config, files and navigation up to ``on_nav``; ``counter`` collects how often
    the plugin itself ran."""
    config = load_config(str(tmp_path / "mkdocs.yml"))
    memory.partial = False
    replay_nav_makers(config, memory)
    replays = [m for m in config.plugins.events["nav"] if isinstance(m, _NavReplay)]
    assert len(replays) == 1
    counter.append(Counted(replays[0]))
    memory.partial = partial
    files = get_files(config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    return config, files, nav


def _shape(nav) -> list:
    def item(x):
        if x.is_section:
            return ("section", x.title, [item(c) for c in x.children])
        if x.is_page:
            return ("page", x.file.src_uri, x.title, x.url, x.parent.title if x.parent else None)
        return ("link", x.title, x.url)
    pages = [(p.file.src_uri, p.previous_page and p.previous_page.file.src_uri,
              p.next_page and p.next_page.file.src_uri) for p in nav.pages]
    return [item(x) for x in nav.items] + pages


def test_a_partial_build_with_the_same_files_replays_the_navigation(tmp_path):
    docs = _vault(tmp_path)
    memory, counters = SiteMemory(), []
    _, _, made = _build(tmp_path, memory, partial=False, counter=counters)
    assert counters[-1].calls == 1
    _, files2, replayed = _build(tmp_path, memory, partial=True, counter=counters)
    assert counters[-1].calls == 0, "the same layout: the plugin's navigation is replayed"
    assert _shape(replayed) == _shape(made)
    # the replayed navigation holds this build's pages, not the previous build's
    assert all(files2.get_file_from_path(p.file.src_uri).page is p for p in replayed.pages)

    # a full build runs the plugin, and so does a changed nav file or a new note
    _build(tmp_path, memory, partial=False, counter=counters)
    assert counters[-1].calls == 1
    (docs / ".nav.yml").write_text(NAV.replace('  - "*"\n', '  - a\n'), encoding="utf-8")
    _, _, changed = _build(tmp_path, memory, partial=True, counter=counters)
    assert counters[-1].calls == 1
    assert _shape(changed) != _shape(made)
    (docs / "a" / "넷.md").write_text("# 넷\n", encoding="utf-8")
    _, _, grown = _build(tmp_path, memory, partial=True, counter=counters)
    assert counters[-1].calls == 1
    assert "a/넷.md" in [p.file.src_uri for p in grown.pages]


def test_nav_data_is_what_mkdocs_nav_config_gives_back(tmp_path):
    _vault(tmp_path)
    memory, counters = SiteMemory(), []
    config, files, made = _build(tmp_path, memory, partial=False, counter=counters)
    data = nav_data(made.items)
    assert {"제목 있는 노트": "b/둘.md"} in data  # a title the nav file gave is kept
    assert {"외부": "https://example.org/"} in data
    assert "index.md" in data  # a page titled by its content stays untitled here
    config.nav = data
    for f in files.documentation_pages():
        f.page = None
    assert _shape(get_navigation(files, config)) == _shape(made)
