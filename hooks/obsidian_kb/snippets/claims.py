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
from .runner import RunResult
from .spec import Expect, Problem, SnippetSpec

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
    """All values of the capture group in the chosen stream (ANSI colours ignored)."""
    text = run.stdout if expect.stream == "stdout" else run.stderr
    return [m.group(1) for m in re.finditer(expect.pattern, strip_ansi(text))]


def check_claim(expect: Expect, runs: tuple[RunResult, ...]) -> ClaimOutcome:
    """Evaluate one claim over all runs."""
    n = len(runs)
    values = [captured(expect, r) for r in runs]

    def outcome(passed: bool, detail: str) -> ClaimOutcome:
        return ClaimOutcome(expect.name, passed, detail, expect.line)

    if n == 0:
        return outcome(False, "no run to check")
    cmp = expect.comparison
    if expect.kind == "any":
        assert cmp is not None
        hits = sum(1 for vs in values if any(cmp.holds(v) for v in vs))
        seen = sum(len(vs) for vs in values)
        detail = f"observed in {hits} of {n} runs"
        if expect.min_runs > 1:
            detail += f" (needs {expect.min_runs})"
        if seen == 0:
            detail += f"; pattern {expect.pattern!r} never matched {expect.stream}"
        elif hits < expect.min_runs:
            detail += f"; no captured value was {cmp} (saw {_sample(values)})"
        return outcome(hits >= expect.min_runs, detail)
    if expect.kind == "all":
        assert cmp is not None
        for i, vs in enumerate(values, start=1):
            if not vs:
                return outcome(False, f"run {i} of {n}: pattern {expect.pattern!r} "
                                      f"never matched {expect.stream}")
            bad = [v for v in vs if not cmp.holds(v)]
            if bad:
                return outcome(False, f"run {i} of {n}: {bad[0]!r} is not {cmp}")
        total = sum(len(vs) for vs in values)
        return outcome(True, f"held for all {total} values in {n} runs")
    # distinct / same compare values within each run
    for i, vs in enumerate(values, start=1):
        if len(vs) < 2:
            return outcome(False, f"run {i} of {n}: needs at least 2 matches of "
                                  f"{expect.pattern!r}, found {len(vs)}")
        if expect.kind == "distinct" and len(set(vs)) != len(vs):
            dup = next(v for v, c in Counter(vs).items() if c > 1)
            return outcome(False, f"run {i} of {n}: {dup!r} appears more than once")
        if expect.kind == "same" and len(set(vs)) != 1:
            return outcome(False, f"run {i} of {n}: values differ ({_sample([vs])})")
    word = "distinct" if expect.kind == "distinct" else "equal"
    return outcome(True, f"all values {word} within each of {n} runs")


def run_problems(spec: SnippetSpec, run: RunResult, index: int) -> list[Problem]:
    """Problems with how one run ended (exit code, signal, timeout, limits)."""
    where = f" (run {index} of {spec.repeat})" if spec.repeat > 1 else ""
    line = last_snippet_line(run.stderr, spec.path)
    if run.timed_out or run.killed_reason:
        return [Problem.snippet(spec.vault_path, line, f"{run.status_text}{where}")]
    expected = f"signal {_signame(spec.signal)}" if spec.signal else f"exit {spec.exit}"
    if spec.signal:
        if run.signal == spec.signal:
            return []
    elif run.signal is None and run.exit_code == spec.exit:
        return []
    tail = _last_line(run.stderr)
    message = f"{run.status_text}, expected {expected}{where}"
    if tail:
        message += f": {tail}"
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
            found.append(Problem.snippet(spec.vault_path, c.line, f"claim failed: {c.name}: {c.detail}"))
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
        f"{len(runs)} runs; duration min {min(durations):.3f} s, "
        f"median {statistics.median(durations):.3f} s, max {max(durations):.3f} s"
    ]
    states = Counter(r.status_text for r in runs)
    lines.append("exit: " + ", ".join(f"{s} ×{c}" for s, c in states.most_common()))
    for e in spec.expects:
        if e.kind in ("distinct", "same"):
            continue  # PIDs differ per run: a histogram of them tells nothing
        vals = [v for r in runs for v in captured(e, r)]
        if not vals:
            lines.append(f"{e.name}: no values")
            continue
        counts = Counter(vals)
        text = ", ".join(f"{v} ×{c}" for v, c in counts.most_common(8))
        if len(counts) > 8:
            text += f", … ({len(counts)} distinct values)"
        nums = _numbers(vals)
        if nums is not None:
            text += (f" (min {_fmt(min(nums))}, median {_fmt(statistics.median(nums))},"
                     f" max {_fmt(max(nums))})")
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


def _last_line(text: str) -> str:
    for line in reversed(text.strip().splitlines()):
        if line.strip() and not line.startswith("[… output truncated"):
            return line.strip()[:200]
    return ""


def _signame(num: int | None) -> str:
    import signal

    try:
        return signal.Signals(num or 0).name
    except ValueError:
        return str(num)
