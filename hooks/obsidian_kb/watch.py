"""What a file watcher should ignore: everything in a vault that is not content.

Obsidian writes ``.obsidian/workspace.json`` whenever the author clicks around,
``.trash/`` takes deleted notes, ``.git/`` changes on every commit, and the
snippet cache and ``__pycache__`` change on every build. None of them is ever
published, so none of them may start a rebuild.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

NOT_CONTENT = frozenset({"__pycache__"})
#: Dot-files that navigation plugins read (mkdocs-awesome-nav, mkdocs-awesome-pages): never
#: published, but they change every page's navigation. Other dot-files (an editor's swap
#: file, ``.DS_Store``) change nothing.
NAV_FILES = frozenset({".nav.yml", ".nav.yaml", ".pages"})


def is_content(path: str | os.PathLike[str], root: str | os.PathLike[str],
               ignored: Iterable[str | os.PathLike[str]] = ()) -> bool:
    """Whether a change of ``path`` (under the watched ``root``) can change the site:
    not inside a dot-folder or ``__pycache__`` below ``root``, not a dot-file other than
    a nav plugin's file, nor inside one of the ``ignored`` folders (a snippet cache set up
    elsewhere)."""
    target = Path(os.path.abspath(path))
    for folder in ignored:
        folder = Path(os.path.abspath(folder))
        if target == folder or folder in target.parents:
            return False
    try:
        parts = target.relative_to(os.path.abspath(root)).parts
    except ValueError:
        return True  # not below the root: the watcher has its reasons
    *folders, name = parts or ("",)
    if name in NOT_CONTENT or any(part.startswith(".") or part in NOT_CONTENT for part in folders):
        return False
    return not name.startswith(".") or name in NAV_FILES


def is_nav_file(path: str | os.PathLike[str]) -> bool:
    """A nav plugin's file: its change is a change of every page."""
    return Path(path).name in NAV_FILES
