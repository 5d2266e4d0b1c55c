"""Rebuilds reuse the previous build's scans and link resolutions only while they must
still hold: after every edit of the dependents table, resolving with what the previous
build knew gives exactly what resolving from scratch gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from obsidian_kb.checks import KnownResolutions, known_resolutions, resolve_vault
from obsidian_kb.vault import VaultFile, VaultIndex
from test_dependents import BASE, CASES, DELETE, dedent


def index_of(files, previous: VaultIndex | None = None) -> VaultIndex:
    index = VaultIndex()
    for path, text in files.items():
        text = None if text is None else dedent(text)
        known = previous.notes.get(path) if previous is not None else None
        index.add(VaultFile(path, Path(path), path), text if text is not None or not path.endswith(".md")
                  else "", known=known.scan if known else None)
    return index.finish()


def answers(graph):
    return [(link.source, link.occurrence.spec, link.resolution.file, link.resolution.anchor,
             link.resolution.problem) for link in graph.links]


@pytest.mark.parametrize("edit", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_reused_resolutions_equal_fresh_ones(edit):
    before = index_of(BASE)
    graph = resolve_vault(before)
    after_files = {k: v for k, v in {**BASE, **edit}.items() if v != DELETE}
    after = index_of(after_files, before)
    resolver = known_resolutions(before, graph, after)
    if set(after_files) != set(BASE):
        assert resolver is None  # other files: nothing may be reused
        return
    assert isinstance(resolver, KnownResolutions)
    assert answers(resolve_vault(after, resolver)) == answers(resolve_vault(after))


def test_an_unchanged_note_keeps_its_scan_and_a_changed_one_does_not():
    before = index_of(BASE)
    after = index_of({**BASE, "외딴 노트.md": "바뀐 문장.\n"}, before)
    assert after.notes["index.md"].scan is before.notes["index.md"].scan
    assert after.notes["외딴 노트.md"].scan is not before.notes["외딴 노트.md"].scan
