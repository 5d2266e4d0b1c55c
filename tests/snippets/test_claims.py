"""Claim checking over recorded runs (pure: runs are plain records here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from obsidian_kb.snippets import Expect, RunResult, SnippetSpec, check_claim, judge, summarize
from obsidian_kb.snippets.claims import last_snippet_line
from obsidian_kb.snippets.spec import parse_comparison


def record(stdout: str = "", stderr: str = "", exit_code: int | None = 0,
           signal: int | None = None, timed_out: bool = False) -> RunResult:
    return RunResult(
        vault_path="snippets/x.py", stdout=stdout, stderr=stderr, exit_code=exit_code,
        signal=signal, timed_out=timed_out, duration_s=0.1, peak_rss_kb=1000,
        tree_peak_rss_kb=1000, started_at="2026-01-01T00:00:00+00:00",
        python_version="3.11.7 (main)", python_implementation="CPython",
        platform="Linux", cpu_count=2, start_method="fork",
        killed_reason="timeout after 2 s" if timed_out else None,
    )


def expect(kind: str, cmp: str | None = None, pattern: str = r"v=(\S+)", **kw) -> Expect:
    comparison = parse_comparison(cmp) if cmp else None
    return Expect(name="claim", pattern=pattern, kind=kind, comparison=comparison, line=7, **kw)


def runs(*outputs: str) -> tuple[RunResult, ...]:
    return tuple(record(stdout=o) for o in outputs)


@pytest.mark.parametrize(
    ("claim", "outputs", "passed", "detail"),
    [
        (expect("any", "> 0"), ["v=0 v=0", "v=0 v=3"], True, "observed in 1 of 2 runs"),
        (expect("any", "> 0"), ["v=0", "v=0"], False, "observed in 0 of 2 runs"),
        (expect("any", "> 0"), ["nothing", ""], False, "never matched"),
        (expect("any", "> 0", min_runs=2), ["v=1", "v=0", "v=5"], True, "observed in 2 of 3"),
        (expect("any", "> 0", min_runs=3), ["v=1", "v=0", "v=5"], False, "(needs 3)"),
        (expect("all", "== 0"), ["v=0 v=0", "v=0"], True, "held for all 3 values in 2 runs"),
        (expect("all", "== 0"), ["v=0", "v=2"], False, "run 2 of 2: '2' is not == 0"),
        (expect("all", "== 0"), ["v=0", "none"], False, "run 2 of 2: pattern"),
        (expect("all", ">= 1.5"), ["v=1.5 v=2.25"], True, "held"),
        (expect("all", "< 1.5"), ["v=abc"], False, "is not < 1.5"),
        (expect("all", "== 'fork'"), ["v=fork v=fork"], True, "held"),
        (expect("any", "== 'spawn'"), ["v=fork v=spawn"], True, "observed in 1 of 1"),
        (expect("all", "!= 'fork'"), ["v=spawn v=fork"], False, "'fork' is not != 'fork'"),
        (expect("distinct"), ["v=1 v=2 v=3", "v=4 v=5"], True, "distinct within each of 2"),
        (expect("distinct"), ["v=1 v=2 v=1"], False, "'1' appears more than once"),
        (expect("distinct"), ["v=1"], False, "needs at least 2 matches"),
        (expect("same"), ["v=7 v=7 v=7", "v=8 v=8"], True, "equal within each of 2"),
        (expect("same"), ["v=7 v=8"], False, "values differ"),
        (expect("same"), ["v=7"], False, "needs at least 2 matches"),
    ],
)
def test_claims(claim: Expect, outputs: list[str], passed: bool, detail: str) -> None:
    outcome = check_claim(claim, runs(*outputs))
    assert outcome.passed is passed
    assert detail in outcome.detail, outcome.detail


def test_stderr_stream_and_ansi_ignored() -> None:
    claim = expect("all", "== 0", stream="stderr")
    run = record(stdout="v=9", stderr="\x1b[31mv=0\x1b[0m")
    assert check_claim(claim, (run,)).passed


def spec_with(*expects: Expect, **kw) -> SnippetSpec:
    return SnippetSpec(path=Path("/v/snippets/x.py"), vault_path="snippets/x.py", source="",
                       expects=expects, **kw)


def test_judge_turns_failures_into_located_problems() -> None:
    spec = spec_with(expect("all", "== 0"))
    report = judge(spec, runs("v=1"))
    assert not report.ok
    assert [str(p) for p in report.problems] == [
        "snippets/x.py:7: claim failed: claim: run 1 of 1: '1' is not == 0"
    ]


def test_judge_exit_and_signal_expectations() -> None:
    assert judge(spec_with(), (record(exit_code=0),)).ok
    assert not judge(spec_with(), (record(exit_code=1),)).ok
    assert judge(spec_with(exit=1), (record(exit_code=1),)).ok
    assert judge(spec_with(signal=11), (record(exit_code=None, signal=11),)).ok
    bad = judge(spec_with(), (record(exit_code=None, signal=11),))
    assert "killed by SIGSEGV, expected exit 0" in bad.problems[0].message
    timeout = judge(spec_with(), (record(exit_code=None, signal=15, timed_out=True),))
    assert "timeout after 2 s" in timeout.problems[0].message


def test_last_snippet_line_takes_last_frame_in_the_file() -> None:
    stderr = (
        'Traceback (most recent call last):\n'
        '  File "/v/snippets/x.py", line 9, in <module>\n'
        '  File "/v/snippets/helper.py", line 3, in f\n'
        '  File "/v/snippets/x.py", line 5, in g\n'
        '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads\n'
        'ValueError: boom\n'
    )
    assert last_snippet_line(stderr, Path("/v/snippets/x.py")) == 5
    assert last_snippet_line("no traceback", Path("/v/snippets/x.py")) is None


def test_summarize_distribution() -> None:
    spec = spec_with(expect("any", "> 0"), repeat=4)
    lines = summarize(spec, runs("v=0", "v=0", "v=3", "v=9"))
    assert lines[0].startswith("4 runs; duration min 0.100 s")
    assert lines[1] == "exit: exit 0 ×4"
    assert lines[2] == "claim: 0 ×2, 3 ×1, 9 ×1 (min 0, median 1.5, max 9)"
