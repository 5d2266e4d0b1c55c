"""Every program in the repo's ``snippets/`` folder runs and its claims hold.

The parametrisation is a glob at collection time: adding ``snippets/x.py``
adds a test case with no other edit. Runs use a fresh temporary cache, so the
claims are checked against real executions every time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"
# ``_name.py`` files are helper modules the snippets import, not programs (as in the build).
PROGRAMS = sorted(p for p in SNIPPETS.glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_snippet_claims_hold(path: Path, tmp_path: Path) -> None:
    with SnippetRunner(SNIPPETS, tmp_path / "cache", fresh=True, jobs=1) as runner:
        report = runner.report(path)
    problems = "\n".join(str(p) for p in report.problems)
    failed = "\n".join(f"✘ {c.name}: {c.detail}" for c in report.claims if not c.passed)
    assert report.ok, f"{report.vault_path} failed:\n{problems}\n{failed}"
