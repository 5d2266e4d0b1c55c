"""The host-neutral build session, driven the way a host drives it (no MkDocs here)."""

from __future__ import annotations

from pathlib import Path

from obsidian_kb.problems import Problem
from obsidian_kb.session import BuildSession, Settings, SourceFile


def _sources(docs: Path) -> list[SourceFile]:
    return [SourceFile(p, p.relative_to(docs).as_posix(), p.read_text(encoding="utf-8"))
            for p in sorted(docs.rglob("*.md"))]


def _vault(tmp_path: Path, notes: dict[str, str]) -> Path:
    docs = tmp_path / "docs"
    for name, text in notes.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    return docs


def test_a_build_and_the_next_one(tmp_path):
    docs = _vault(tmp_path, {"a.md": "# A\n\n[[b]] [[없음]]\n", "b.md": "# B\n"})
    warned: list[Problem] = []
    settings = Settings(docs_dir=docs, config_dir=tmp_path, execute=False)
    session = BuildSession(settings, warn=warned.append)
    session.index_files(_sources(docs))
    pages = [p.site_path for p in session.generated_pages(existing={"a.md", "b.md"})]
    assert pages == ["graph.md"]  # no tags in this vault: no tags page
    session.start({"a.md": "a/", "b.md": "b/", "graph.md": "graph/"})
    assert [(p.path, p.line, p.link) for p in warned] == [("a.md", 3, "[[없음]]")]
    out = session.finish(tmp_path / "site")
    assert (out / "link-report.txt").read_text(encoding="utf-8").startswith("a.md:3: [[없음]]")
    first_index = session.index

    (docs / "c.md").write_text("# C\n\n[[a]]\n", encoding="utf-8")
    session.restart(settings)
    assert session.previous_index is first_index and session.previous_graph is not None
    assert session.problems == [] and session.graph is None  # nothing of the last build's state
    session.index_files(_sources(docs))
    session.start({"a.md": "a/", "b.md": "b/", "c.md": "c/"})
    assert "c.md" in session.index.notes and "c.md" not in first_index.notes
    assert len(warned) == 2  # the broken link, reported again by the new build
    session.close()


def test_own_tags_page_when_the_host_has_no_tags_listing(tmp_path):
    docs = _vault(tmp_path, {"a.md": "# A\n\n#프로세스 #운영체제/스레드\n"})
    session = BuildSession(Settings(docs_dir=docs, config_dir=tmp_path, execute=False))
    session.index_files(_sources(docs))
    tags = {p.site_path: p for p in session.generated_pages(existing={"a.md"})}["tags.md"]
    text = tags.content("tags/")
    assert "{ #tag:프로세스 }" in text and "{ #tag:운영체제/스레드 }" in text and "(a.md)" in text
    session.start({"a.md": "a/", "tags.md": "tags/"})
    assert session.context.tag_href is not None


def test_build_records_leave_the_collector_walks_until_the_build_ends(tmp_path):
    """The page phase runs with the vault's records frozen (see obsidian_kb.collector): a
    finished build and a failed one (closed without finish) both give them back."""
    import gc

    docs = _vault(tmp_path, {"a.md": "# A\n\n[[b]]\n", "b.md": "# B\n"})
    settings = Settings(docs_dir=docs, config_dir=tmp_path, execute=False)
    session = BuildSession(settings)
    gc.unfreeze()
    enabled = gc.isenabled()
    session.index_files(_sources(docs))
    assert gc.get_freeze_count() == 0 and gc.isenabled() == enabled
    session.start({"a.md": "a/", "b.md": "b/"})
    frozen = gc.get_freeze_count()
    assert frozen > 0 and gc.is_tracked(session.graph) and gc.isenabled() == enabled
    session.finish(tmp_path / "site")
    assert gc.get_freeze_count() == 0 and gc.isenabled() == enabled

    session.restart(settings)
    session.index_files(_sources(docs))
    session.start({"a.md": "a/", "b.md": "b/"})
    assert gc.get_freeze_count() > 0
    session.close(cancel=True)  # what a host does when a page fails
    assert gc.get_freeze_count() == 0


def test_an_interrupted_build_ends_interrupted_even_if_its_keyboardinterrupt_was_lost(tmp_path, monkeypatch):
    """Ctrl-C kills the snippets and raises KeyboardInterrupt in the main thread; raised
    inside a finalizer it is only printed. finish() must not write the site as if done."""
    import gc

    import pytest
    from obsidian_kb.snippets import interrupt

    docs = _vault(tmp_path, {"a.md": "# A\n"})
    session = BuildSession(Settings(docs_dir=docs, config_dir=tmp_path, execute=False))
    session.index_files(_sources(docs))
    session.start({"a.md": "a/"})
    monkeypatch.setitem(interrupt._state, "stopping", True)  # what the handler sets
    with pytest.raises(KeyboardInterrupt):
        session.finish(tmp_path / "site")
    assert not (tmp_path / "site").exists() and gc.get_freeze_count() == 0
    session.close(cancel=True)
