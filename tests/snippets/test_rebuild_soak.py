"""200 rebuilds in a row, as under ``mkdocs serve``: every one keys its snippets in
several threads at once (a fresh runner per build, as the session makes) and none
may report a spurious failure. Before the keying lock, CPython 3.11 raised
``SystemError: AST constructor recursion depth mismatch`` about once in 40
rebuilds; deep nesting in the imported module makes each parse recurse further.

This soak did not reproduce that error on demand here, even with the lock taken
out (three runs); the lock itself is checked by ``test_cache_keys.py``. What this
test can catch is any other spurious failure of a warm rebuild: a problem, or a
cache key that changes between identical builds so a snippet runs again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner

pytestmark = pytest.mark.slow

REBUILDS = 200
SNIPPETS = 12
# 40 nested functions: each parse goes deep into the AST constructor's recursion
DEEP = "".join(f"{'    ' * i}def f{i}():\n" for i in range(40)) + "    " * 40 + "return 1\n"


def test_two_hundred_warm_rebuilds_report_no_spurious_failure(tmp_path: Path) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "_deep.py").write_text(DEEP, encoding="utf-8")
    paths = []
    for i in range(SNIPPETS):
        path = snippets / f"s{i:02d}.py"
        path.write_text(f"import _deep\n\nif __name__ == '__main__':\n    print({i}, _deep.f0 is not None)\n",
                        encoding="utf-8")
        paths.append(path)
    cache = tmp_path / "cache"
    failures: list[str] = []
    for rebuild in range(REBUILDS):
        runner = SnippetRunner(snippets, cache, fresh=False, jobs=4)
        try:
            runner.start(paths)
            for path in paths:
                report = runner.report(path)
                if not report.ok:
                    failures += [f"rebuild {rebuild}: {p}" for p in report.problems]
                if rebuild and not all(r.from_cache for r in report.runs):
                    failures.append(f"rebuild {rebuild}: {path.name} ran again instead of its cached run")
        finally:
            runner.close()
    assert not failures, "\n".join(failures[:20])
