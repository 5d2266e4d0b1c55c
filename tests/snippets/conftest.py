"""Shared fixtures: a throw-away vault with a snippets folder and a cache dir."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetReport, SnippetRunner

PROGRAMS = Path(__file__).parent / "programs"


@pytest.fixture
def snippets_dir(tmp_path: Path) -> Path:
    d = tmp_path / "vault" / "snippets"
    d.mkdir(parents=True)
    (tmp_path / "vault" / "docs").mkdir()
    return d


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def write(snippets_dir: Path) -> Callable[[str, str], Path]:
    def _write(name: str, source: str) -> Path:
        path = snippets_dir / name
        path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def program(snippets_dir: Path) -> Callable[[str], Path]:
    """Copy a fixture program into the throw-away vault (the repo stays clean)."""

    def _copy(name: str) -> Path:
        target = snippets_dir / name
        shutil.copy(PROGRAMS / name, target)
        return target

    return _copy


@pytest.fixture
def run(snippets_dir: Path, cache_dir: Path) -> Callable[[Path], SnippetReport]:
    def _run(path: Path, **kwargs: object) -> SnippetReport:
        with SnippetRunner(snippets_dir, cache_dir, jobs=2, **kwargs) as runner:  # type: ignore[arg-type]
            return runner.report(path)

    return _run
