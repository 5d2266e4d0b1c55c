"""Judge runs against a snippet's claims: pure functions over recorded runs.

A report is *ok* when every run ended as the header says (``exit``/``signal``,
no timeout, no limit hit) and every ``[[expect]]`` holds. Each failure becomes
a :class:`Problem` located in the snippet: the ``[[expect]]`` line for a claim,
the last traceback frame inside the snippet for a crash.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .ansi import strip_ansi
from .runner import TRUNCATED_MARK, RunResult
from .spec import Expect, Problem, SnippetSpec
from .terminal import final_state

_FRAME_RE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)


@dataclass(frozen=True)
class ClaimOutcome:
    """Whether one ``[[expect]]`` held, with a sentence saying why."""

    name: str
    passed: bool
    detail: str
    line: int | None = None


@dataclass(frozen=True)
class SnippetReport:
    """Everything known about one snippet after its runs (or after failing to run)."""

    spec: SnippetSpec
    runs: tuple[RunResult, ...] = ()
    claims: tuple[ClaimOutcome, ...] = ()
    problems: tuple[Problem, ...] = ()
    executed: bool = True  # False when the build does not run programs (``KB_EXECUTE=0``)

    @property
    def ok(self) -> bool:
        return not self.problems and all(c.passed for c in self.claims)

    @property
    def from_cache(self) -> bool:
        return bool(self.runs) and all(r.from_cache for r in self.runs)

    @property
    def vault_path(self) -> str:
        return self.spec.vault_path


def captured(expect: Expect, run: RunResult) -> list[str]:
    """All values of the capture group in the chosen stream, as the page shows it
    (the terminal's final state of ``\\r`` lines, ANSI colours ignored)."""
    text = run.stdout if expect.stream == "stdout" else run.stderr
    return [m.group(1) for m in re.finditer(expect.pattern, strip_ansi(final_state(text)))]


def check_claim(expect: Expect, runs: tuple[RunResult, ...]) -> ClaimOutcome:
    """Evaluate one claim over all runs."""
    n = len(runs)
    values = [captured(expect, r) for r in runs]

    def outcome(passed: bool, detail: str) -> ClaimOutcome:
        return ClaimOutcome(expect.name, passed, detail, expect.line)

    if n == 0:
        return outcome(False, "확인할 실행이 없다")
    cmp = expect.comparison
    if expect.kind == "any":
        assert cmp is not None
        hits = sum(1 for vs in values if any(cmp.holds(v) for v in vs))
        seen = sum(len(vs) for vs in values)
        detail = f"{n}회 실행 중 {hits}회 관찰"
        if expect.min_runs > 1:
            detail += f" (최소 {expect.min_runs}회 필요)"
        if seen == 0:
            detail += f"; 패턴 {expect.pattern!r}이 {expect.stream}에 한 번도 나오지 않았다"
        elif hits < expect.min_runs:
            detail += f"; {cmp}인 값이 없었다 (본 값: {_sample(values)})"
        return outcome(hits >= expect.min_runs, detail)
    if expect.kind == "all":
        assert cmp is not None
        for i, vs in enumerate(values, start=1):
            if not vs:
                return outcome(False, f"{n}회 중 {i}번째 실행: 패턴 {expect.pattern!r}이 "
                                      f"{expect.stream}에 나오지 않았다")
            bad = [v for v in vs if not cmp.holds(v)]
            if bad:
                return outcome(False, f"{n}회 중 {i}번째 실행: {bad[0]!r}은 {cmp}이 아니다")
        total = sum(len(vs) for vs in values)
        return outcome(True, f"{n}회 실행의 값 {total}개 모두 성립")
    # distinct / same compare values within each run
    for i, vs in enumerate(values, start=1):
        if len(vs) < 2:
            return outcome(False, f"{n}회 중 {i}번째 실행: {expect.pattern!r}이 2번 이상 "
                                  f"나와야 하는데 {len(vs)}번 나왔다")
        if expect.kind == "distinct" and len(set(vs)) != len(vs):
            dup = next(v for v, c in Counter(vs).items() if c > 1)
            return outcome(False, f"{n}회 중 {i}번째 실행: {dup!r}이 두 번 이상 나왔다")
        if expect.kind == "same" and len(set(vs)) != 1:
            return outcome(False, f"{n}회 중 {i}번째 실행: 값이 서로 다르다 ({_sample([vs])})")
    word = "서로 다르다" if expect.kind == "distinct" else "모두 같다"
    return outcome(True, f"{n}회 실행 모두 각 실행 안의 값이 {word}")


def run_problems(spec: SnippetSpec, run: RunResult, index: int) -> list[Problem]:
    """Problems with how one run ended (exit code, signal, timeout, limits)."""
    where = f" ({spec.repeat}회 중 {index}번째 실행)" if spec.repeat > 1 else ""
    line = last_snippet_line(run.stderr, spec.path)
    if run.timed_out or run.killed_reason:
        return [Problem.snippet(spec.vault_path, line, f"{run.status_text}{where}")]
    expected = f"{_signame(spec.signal)} 시그널" if spec.signal else f"종료 코드 {spec.exit}"
    if spec.signal:
        if run.signal == spec.signal:
            return []
    elif run.signal is None and run.exit_code == spec.exit:
        return []
    reason = failure_reason(run.stderr)
    message = f"{run.status_text}, 기대한 것은 {expected}{where}"
    if reason:
        message += f": {reason}"
    return [Problem.snippet(spec.vault_path, line, message)]


def judge(spec: SnippetSpec, runs: tuple[RunResult, ...],
          problems: tuple[Problem, ...] = ()) -> SnippetReport:
    """Build the report: run problems, claim outcomes, and a problem per failed claim."""
    found = list(problems)
    for i, run in enumerate(runs, start=1):
        found.extend(run_problems(spec, run, i))
    outcomes = tuple(check_claim(e, runs) for e in spec.expects) if runs else ()
    for c in outcomes:
        if not c.passed:
            found.append(Problem.snippet(spec.claims_path, c.line, f"주장 실패: {c.name}: {c.detail}"))
    return SnippetReport(spec=spec, runs=runs, claims=outcomes, problems=tuple(found))


def last_snippet_line(stderr: str, snippet: Path) -> int | None:
    """Line of the last traceback frame that lies in the snippet file itself."""
    target = str(snippet)
    line = None
    for m in _FRAME_RE.finditer(stderr):
        if m.group("file") == target:
            line = int(m.group("line"))
    return line


def summarize(spec: SnippetSpec, runs: tuple[RunResult, ...]) -> tuple[str, ...]:
    """Distribution text over repeated runs: durations, exit states, captured values."""
    if not runs:
        return ()
    durations = [r.duration_s for r in runs]
    lines = [
        f"{len(runs)}회 실행; 소요 시간 최소 {min(durations):.3f} s, "
        f"중앙값 {statistics.median(durations):.3f} s, 최대 {max(durations):.3f} s"
    ]
    states = Counter(r.status_text for r in runs)
    lines.append("종료: " + ", ".join(f"{s} ×{c}" for s, c in states.most_common()))
    for e in spec.expects:
        if e.kind in ("distinct", "same"):
            continue  # PIDs differ per run: a histogram of them tells nothing
        vals = [v for r in runs for v in captured(e, r)]
        if not vals:
            lines.append(f"{e.name}: 값 없음")
            continue
        counts = Counter(vals)
        text = ", ".join(f"{v} ×{c}" for v, c in counts.most_common(8))
        if len(counts) > 8:
            text += f", … (서로 다른 값 {len(counts)}개)"
        nums = _numbers(vals)
        if nums is not None:
            text += (f" (최소 {_fmt(min(nums))}, 중앙값 {_fmt(statistics.median(nums))},"
                     f" 최대 {_fmt(max(nums))})")
        lines.append(f"{e.name}: {text}")
    return tuple(lines)


def _numbers(vals: list[str]) -> list[float] | None:
    try:
        return [float(v) for v in vals]
    except ValueError:
        return None


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _sample(values: list[list[str]], limit: int = 5) -> str:
    flat = [v for vs in values for v in vs]
    shown = ", ".join(repr(v) for v in flat[:limit])
    return shown + (", …" if len(flat) > limit else "")


_TRACEBACK = "Traceback (most recent call last):"
# the first line of a compile error (no "Traceback" header for the main script)
_COMPILE_ERROR_RE = re.compile(r"^(SyntaxError|IndentationError|TabError): .*$", re.MULTILINE)


def failure_reason(stderr: str) -> str:
    """The exception line of the last traceback on stderr, else a compile error, else "".

    Never an arbitrary last line: a script that printed a warning last would
    otherwise be blamed on a line of source code.
    """
    lines = [ln for ln in stderr.splitlines() if not ln.startswith(TRUNCATED_MARK)]
    starts = [i for i, ln in enumerate(lines) if ln.rstrip().endswith(_TRACEBACK)]
    if starts:
        for ln in lines[starts[-1] + 1:]:
            if ln.strip() and not ln[:1].isspace():
                return ln.strip()[:200]  # the first unindented line after the frames
    found = list(_COMPILE_ERROR_RE.finditer("\n".join(lines)))
    return found[-1].group(0).strip()[:200] if found else ""


def _signame(num: int | None) -> str:
    import signal

    try:
        return signal.Signals(num or 0).name
    except ValueError:
        return str(num)
