"""Claim checking over recorded runs (pure: runs are plain records here)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from obsidian_kb.snippets import Expect, RunResult, SnippetSpec, check_claim, judge, summarize
from obsidian_kb.snippets.claims import failure_reason, last_snippet_line
from obsidian_kb.snippets.spec import parse_comparison


def record(stdout: str = "", stderr: str = "", exit_code: int | None = 0,
           signal: int | None = None, timed_out: bool = False) -> RunResult:
    return RunResult(
        vault_path="snippets/x.py", stdout=stdout, stderr=stderr, exit_code=exit_code,
        signal=signal, timed_out=timed_out, duration_s=0.1, peak_rss_kb=1000,
        tree_peak_rss_kb=1000, started_at="2026-01-01T00:00:00+00:00",
        python_version="3.11.7 (main)", python_implementation="CPython",
        platform="Linux", cpu_count=2, start_method="fork",
        killed_reason="제한 시간 2 s 초과" if timed_out else None,
    )


def expect(kind: str, cmp: str | None = None, pattern: str = r"v=(\S+)", **kw) -> Expect:
    comparison = parse_comparison(cmp) if cmp else None
    return Expect(name="claim", pattern=pattern, kind=kind, comparison=comparison, line=7, **kw)


def runs(*outputs: str) -> tuple[RunResult, ...]:
    return tuple(record(stdout=o) for o in outputs)


@pytest.mark.parametrize(
    ("claim", "outputs", "passed", "detail"),
    [
        (expect("any", "> 0"), ["v=0 v=0", "v=0 v=3"], True, "2회 실행 중 1회 관찰"),
        (expect("any", "> 0"), ["v=0", "v=0"], False, "2회 실행 중 0회 관찰"),
        (expect("any", "> 0"), ["nothing", ""], False, "한 번도 나오지 않았다"),
        (expect("any", "> 0", min_runs=2), ["v=1", "v=0", "v=5"], True, "3회 실행 중 2회 관찰"),
        (expect("any", "> 0", min_runs=3), ["v=1", "v=0", "v=5"], False, "(최소 3회 필요)"),
        (expect("all", "== 0"), ["v=0 v=0", "v=0"], True, "2회 실행의 값 3개 모두 성립"),
        (expect("all", "== 0"), ["v=0", "v=2"], False, "2회 중 2번째 실행: '2'은 == 0이 아니다"),
        (expect("all", "== 0"), ["v=0", "none"], False, "2회 중 2번째 실행: 패턴"),
        (expect("all", ">= 1.5"), ["v=1.5 v=2.25"], True, "모두 성립"),
        (expect("all", "< 1.5"), ["v=abc"], False, "< 1.5이 아니다"),
        (expect("all", "== 'fork'"), ["v=fork v=fork"], True, "모두 성립"),
        (expect("any", "== 'spawn'"), ["v=fork v=spawn"], True, "1회 실행 중 1회 관찰"),
        (expect("all", "!= 'fork'"), ["v=spawn v=fork"], False, "'fork'은 != 'fork'이 아니다"),
        (expect("distinct"), ["v=1 v=2 v=3", "v=4 v=5"], True, "2회 실행 모두 각 실행 안의 값이 서로 다르다"),
        (expect("distinct"), ["v=1 v=2 v=1"], False, "'1'이 두 번 이상 나왔다"),
        (expect("distinct"), ["v=1"], False, "2번 이상 나와야"),
        (expect("same"), ["v=7 v=7 v=7", "v=8 v=8"], True, "2회 실행 모두 각 실행 안의 값이 모두 같다"),
        (expect("same"), ["v=7 v=8"], False, "값이 서로 다르다"),
        (expect("same"), ["v=7"], False, "2번 이상 나와야"),
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
        "snippets/x.py:7: 주장 실패: claim: 1회 중 1번째 실행: '1'은 == 0이 아니다"
    ]


def test_judge_exit_and_signal_expectations() -> None:
    assert judge(spec_with(), (record(exit_code=0),)).ok
    assert not judge(spec_with(), (record(exit_code=1),)).ok
    assert judge(spec_with(exit=1), (record(exit_code=1),)).ok
    assert judge(spec_with(signal=11), (record(exit_code=None, signal=11),)).ok
    bad = judge(spec_with(), (record(exit_code=None, signal=11),))
    assert "SIGSEGV 시그널로 종료, 기대한 것은 종료 코드 0" in bad.problems[0].message
    timeout = judge(spec_with(), (record(exit_code=None, signal=15, timed_out=True),))
    assert "강제 종료: 제한 시간 2 s 초과" in timeout.problems[0].message


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
    assert lines[0].startswith("4회 실행; 소요 시간 최소 0.100 s")
    assert lines[1] == "종료: 종료 코드 0 ×4"
    assert lines[2] == "claim: 0 ×2, 3 ×1, 9 ×1 (최소 0, 중앙값 1.5, 최대 9)"


def test_claims_declared_in_a_sidecar_are_located_there() -> None:
    spec = replace(spec_with(expect("all", "== 0")), sidecar="snippets/x.kb.toml")
    assert str(judge(spec, runs("v=1")).problems[0]).startswith("snippets/x.kb.toml:7: 주장 실패")


@pytest.mark.parametrize(
    ("stderr", "reason"),
    [
        # a warning printed after the traceback's end is not the error
        ("Traceback (most recent call last):\n  File \"/v/x.py\", line 3, in <module>\n"
         "    f()\n    ^^^\nValueError: bad value\n"
         "/v/x.py:9: DeprecationWarning: old\n  warnings.warn('old', DeprecationWarning)\n",
         "ValueError: bad value"),
        # chained: the last traceback's exception line
        ("Traceback (most recent call last):\n  File \"a\", line 1\nKeyError: 'k'\n\n"
         "During handling of the above exception, another exception occurred:\n\n"
         "Traceback (most recent call last):\n  File \"a\", line 2\nRuntimeError: wrapped\n",
         "RuntimeError: wrapped"),
        ("Exception in thread Thread-1 (work):\nTraceback (most recent call last):\n"
         "  File \"a\", line 2\nweakref.ReferenceError: weakly-referenced object no longer exists\n",
         "weakref.ReferenceError: weakly-referenced object no longer exists"),
        ('  File "/v/x.py", line 1\n    x = (\n        ^\nSyntaxError: \'(\' was never closed\n',
         "SyntaxError: '(' was never closed"),
        # only a warning and no traceback: no reason is better than a line of source code
        ("/v/x.py:9: DeprecationWarning: old\n  warnings.warn('old', DeprecationWarning)\n", ""),
    ],
)
def test_failure_reason_is_the_exception_line(stderr: str, reason: str) -> None:
    assert failure_reason(stderr) == reason
