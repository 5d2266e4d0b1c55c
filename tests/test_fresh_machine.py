"""A fresh clone must work on any machine: no tracked file names a path that only
exists on the machine it was written on (a venv outside the clone, a home or work
folder). System locations a Debian package installs to (``/usr``, ``/etc``,
``/proc``, ``/dev``) are the same everywhere and stay allowed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Folders that differ from machine to machine. ``/tmp/`` is included: a test that
#: names a fixed temp path collides with other runs; use ``tmp_path``.
MACHINE_PATH = re.compile(
    r"""(?<![\w.~-])(?:/(?:work|root|home|Users|opt|mnt|srv|tmp|var/folders)/[^\s'"`)\]]*"""
    r"""|[A-Za-z]:\\(?:Users|work)\\)"""
)
#: Only text we wrote: the vendored minified graph library is not ours to police; this
#: file holds the detector's own examples.
SKIP = {"hooks/obsidian_kb/assets/force-graph.min.js", "tests/test_fresh_machine.py"}


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p and p not in SKIP]


def machine_paths(text: str) -> list[str]:
    return [m.group(0) for m in MACHINE_PATH.finditer(text)]


def test_detector_finds_machine_paths() -> None:
    # The check itself must be able to fail.
    assert machine_paths('MKDOCS = Path("/work/venv/bin/mkdocs")') == ["/work/venv/bin/mkdocs"]
    assert machine_paths("see /root/.cache/pip and /home/me/vault") == ["/root/.cache/pip", "/home/me/vault"]
    assert machine_paths(r"C:\Users\me") == ["C:\\Users\\"]
    assert machine_paths("/usr/bin/env bash; /etc/passwd; ./work/x; docs/home/y") == []


def test_no_tracked_file_names_a_machine_path() -> None:
    found = []
    for rel in tracked_files():
        path = REPO / rel
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            found += [f"{rel}:{lineno}: {hit}" for hit in machine_paths(line)]
    assert not found, "paths that exist only on one machine:\n" + "\n".join(found)
