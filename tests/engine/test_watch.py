"""Which file changes may start a rebuild (``obsidian_kb.watch.is_content``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from obsidian_kb.watch import is_content

ROOT = Path("/vault")


@pytest.mark.parametrize(("path", "expected"), [
    ("노트.md", True),
    ("폴더/하위/그림.png", True),
    ("snippets/race.py", True),
    (".obsidian/workspace.json", False),  # Obsidian saves it while the author clicks around
    (".obsidian/plugins/x/data.json", False),
    (".trash/지운 노트.md", False),
    (".git/index", False),
    ("폴더/.hidden.md", False),  # a dot-file is never published either
    ("폴더/.노트.md.swp", False),  # an editor's swap file
    (".nav.yml", True),  # ...but a nav plugin reads its own (every page's navigation)
    ("폴더/.pages", True),
    (".obsidian/.nav.yml", False),
    ("snippets/__pycache__/_helpers.cpython-311.pyc", False),
    (".cache/snippets/abc.json", False),
    ("사람.obsidian.md", True),  # only a leading dot hides a name
])
def test_changes_under_dot_folders_and_caches_are_not_content(path, expected):
    assert is_content(ROOT / path, ROOT) is expected


def test_a_cache_folder_set_up_elsewhere_is_ignored():
    assert not is_content(ROOT / "cache" / "x.json", ROOT, ignored=[ROOT / "cache"])
    assert is_content(ROOT / "cached.md", ROOT, ignored=[ROOT / "cache"])


def test_the_watched_root_may_itself_sit_in_a_dot_folder(tmp_path):
    root = tmp_path / ".local" / "vault"
    assert is_content(root / "노트.md", root)
    assert not is_content(root / ".obsidian" / "app.json", root)
