"""Parse a snippet's ``# /// kb`` header into a :class:`SnippetSpec`.

Pure functions only: nothing here runs the snippet. Every error carries the
vault path and the line *in the snippet file* so ``mkdocs build --strict``
can point authors at ``snippets/x.py:LINE``.
"""

from __future__ import annotations

import operator
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import Problem as Problem  # re-exported: the one problem type

DEFAULTS: dict[str, Any] = {
    "timeout": 30.0,
    "repeat": 1,
    "alone": False,
    "memory_mb": 2048,
    "max_procs": 256,
    "output_limit": 200_000,
    "exit": 0,
    "signal": None,
}
_TOP_KEYS = frozenset(DEFAULTS) | {"expect"}
_EXPECT_KEYS = frozenset(
    {"name", "pattern", "stream", "any", "all", "distinct", "same", "min_runs"}
)
KINDS = ("any", "all", "distinct", "same")

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
# Longest operators first so ">=" is not read as ">" followed by "=".
_CMP_RE = re.compile(r"^\s*(==|!=|>=|<=|>|<)\s*(.*?)\s*$")
_OPEN_RE = re.compile(r"^# /// kb\s*$")
_CLOSE_RE = re.compile(r"^# ///\s*$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Comparison:
    """``op value`` such as ``> 0`` or ``== "fork"``; numbers compare numerically."""

    op: str
    value: float | int | str

    def holds(self, captured: str) -> bool:
        if isinstance(self.value, str):
            return _OPS[self.op](captured, self.value)
        try:
            number = float(captured)
        except ValueError:
            return False  # a non-number never satisfies a numeric comparison
        return _OPS[self.op](number, self.value)

    def __str__(self) -> str:
        shown = repr(self.value) if isinstance(self.value, str) else str(self.value)
        return f"{self.op} {shown}"


@dataclass(frozen=True)
class Expect:
    """One ``[[expect]]`` claim about captured values."""

    name: str
    pattern: str
    kind: str  # one of KINDS
    comparison: Comparison | None = None  # for "any" / "all"
    stream: str = "stdout"
    min_runs: int = 1
    line: int | None = None  # line of its ``# [[expect]]`` in the snippet


@dataclass(frozen=True)
class SnippetSpec:
    """Everything needed to run and judge one snippet."""

    path: Path  # absolute file path
    vault_path: str  # e.g. "snippets/x.py", used in messages
    source: str
    timeout: float = 30.0
    repeat: int = 1
    alone: bool = False
    memory_mb: int = 2048
    max_procs: int = 256
    output_limit: int = 200_000
    exit: int = 0
    signal: int | None = None
    expects: tuple[Expect, ...] = field(default_factory=tuple)
    header_line: int | None = None  # line of ``# /// kb``

    def settings(self) -> dict[str, Any]:
        """The run-relevant settings as plain JSON data (used in the cache key)."""
        return {
            "timeout": self.timeout,
            "repeat": self.repeat,
            "alone": self.alone,
            "memory_mb": self.memory_mb,
            "max_procs": self.max_procs,
            "output_limit": self.output_limit,
            "exit": self.exit,
            "signal": self.signal,
            "expects": [
                {
                    "name": e.name,
                    "pattern": e.pattern,
                    "kind": e.kind,
                    "comparison": None if e.comparison is None else str(e.comparison),
                    "stream": e.stream,
                    "min_runs": e.min_runs,
                }
                for e in self.expects
            ],
        }


class SpecError(Exception):
    """A header the runner refuses to guess about."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = tuple(problems)


def parse_comparison(text: str) -> Comparison:
    """Parse ``"> 0"``, ``'== "fork"'``, ``"<= 1.5"``; raise ValueError otherwise."""
    m = _CMP_RE.match(text)
    if not m:
        raise ValueError(f"comparison {text!r} must start with one of == != > >= < <=")
    op, raw = m.groups()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return Comparison(op, raw[1:-1])
    try:
        return Comparison(op, int(raw))
    except ValueError:
        pass
    try:
        return Comparison(op, float(raw))
    except ValueError:
        raise ValueError(
            f"comparison {text!r}: value must be a number or a quoted string"
        ) from None


def find_header(source: str) -> tuple[int, list[str]] | None:
    """Return (line of ``# /// kb``, TOML lines) or None; raise SpecError on bad framing."""
    lines = source.splitlines()
    start: int | None = None
    body: list[str] = []
    found: tuple[int, list[str]] | None = None
    for number, line in enumerate(lines, start=1):
        if start is None:
            if _OPEN_RE.match(line):
                if found is not None:
                    raise SpecError([Problem.snippet("", number, "a second '# /// kb' block")])
                start, body = number, []
            continue
        if _CLOSE_RE.match(line):
            found, start = (start, body), None
            continue
        if line == "#":
            body.append("")
        elif line.startswith("# "):
            body.append(line[2:])
        else:
            raise SpecError(
                [Problem.snippet("", number, "'# /// kb' block: every line must start with '# '"
                         " and the block must end with '# ///'")]
            )
    if start is not None:
        raise SpecError([Problem.snippet("", start, "'# /// kb' block is never closed by '# ///'")])
    return found


def parse_spec(path: Path, source: str, vault_path: str) -> SnippetSpec:
    """Parse ``source`` (the text of ``path``); raise :class:`SpecError` with located problems."""
    try:
        header = find_header(source)
    except SpecError as err:
        raise SpecError([Problem.snippet(vault_path, p.line, p.message) for p in err.problems]) from None
    if header is None:
        return SnippetSpec(path=path, vault_path=vault_path, source=source)
    start, body = header

    def at(body_index: int | None) -> int | None:
        # body line i (0-based) sits on file line start + 1 + i
        return None if body_index is None else start + 1 + body_index

    try:
        data = tomllib.loads("\n".join(body))
    except tomllib.TOMLDecodeError as err:
        m = _TOML_LINE_RE.search(str(err))
        # tomllib says "at end of document" when a value is cut off: blame the last line
        line = at(int(m.group(1)) - 1) if m else at(max(0, len(body) - 1))
        raise SpecError([Problem.snippet(vault_path, line, f"malformed kb header: {err}")]) from None

    problems: list[Problem] = []
    locate = _Locator(body)

    for key in data:
        if key not in _TOP_KEYS:
            problems.append(Problem.snippet(vault_path, at(locate.key(key)), f"unknown key {key!r} in "
                                    f"kb header (known: {', '.join(sorted(_TOP_KEYS))})"))
    values = dict(DEFAULTS)
    for key in DEFAULTS:
        if key not in data:
            continue
        value = data[key]
        invalid = _check_value(key, value)
        if invalid:
            problems.append(Problem.snippet(vault_path, at(locate.key(key)), invalid))
        else:
            values[key] = float(value) if key == "timeout" else value

    expects: list[Expect] = []
    raw_expects = data.get("expect", [])
    if not isinstance(raw_expects, list):
        problems.append(Problem.snippet(vault_path, at(locate.key("expect")),
                                "'expect' must be written as [[expect]] tables"))
        raw_expects = []
    for index, table in enumerate(raw_expects):
        table_line = locate.table(index)
        try:
            expects.append(_parse_expect(table, at(table_line)))
        except _ExpectError as err:
            key_line = locate.key(err.key, after=table_line) if err.key else table_line
            problems.append(Problem.snippet(vault_path, at(key_line), err.message))

    if problems:
        raise SpecError(problems)
    return SnippetSpec(
        path=path,
        vault_path=vault_path,
        source=source,
        expects=tuple(expects),
        header_line=start,
        **values,
    )


def _check_value(key: str, value: Any) -> str | None:
    if key == "alone":
        return None if isinstance(value, bool) else "'alone' must be true or false"
    if key == "timeout":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
        return None if ok else "'timeout' must be a positive number of seconds"
    if key == "signal":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65
        return None if ok else "'signal' must be a signal number such as 11"
    if key == "exit":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 256
        return None if ok else "'exit' must be an exit code 0..255"
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    return None if ok else f"{key!r} must be a positive integer"


class _ExpectError(Exception):
    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _parse_expect(table: Any, line: int | None) -> Expect:
    if not isinstance(table, dict):
        raise _ExpectError(None, "[[expect]] must be a table")
    for key in table:
        if key not in _EXPECT_KEYS:
            raise _ExpectError(key, f"unknown key {key!r} in [[expect]] "
                                    f"(known: {', '.join(sorted(_EXPECT_KEYS))})")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _ExpectError("name" if "name" in table else None, "[[expect]] needs a 'name'")
    pattern = table.get("pattern")
    if not isinstance(pattern, str):
        raise _ExpectError("pattern" if "pattern" in table else None,
                           f"[[expect]] {name!r} needs a 'pattern' string")
    try:
        groups = re.compile(pattern).groups
    except re.error as err:
        raise _ExpectError("pattern", f"[[expect]] {name!r}: bad regex: {err}") from None
    if groups != 1:
        raise _ExpectError("pattern", f"[[expect]] {name!r}: pattern must have exactly one "
                                      f"capture group, found {groups}")
    kinds = [k for k in KINDS if k in table]
    if len(kinds) != 1:
        raise _ExpectError(kinds[1] if len(kinds) > 1 else None,
                           f"[[expect]] {name!r} needs exactly one of any/all/distinct/same")
    kind = kinds[0]
    comparison = None
    if kind in ("any", "all"):
        if not isinstance(table[kind], str):
            raise _ExpectError(kind, f"[[expect]] {name!r}: {kind} must be a string like \"> 0\"")
        try:
            comparison = parse_comparison(table[kind])
        except ValueError as err:
            raise _ExpectError(kind, f"[[expect]] {name!r}: {err}") from None
    elif table[kind] is not True:
        raise _ExpectError(kind, f"[[expect]] {name!r}: {kind} must be true")
    stream = table.get("stream", "stdout")
    if stream not in ("stdout", "stderr"):
        raise _ExpectError("stream", f"[[expect]] {name!r}: stream must be stdout or stderr")
    min_runs = table.get("min_runs", 1)
    if "min_runs" in table:
        if kind != "any":
            raise _ExpectError("min_runs", f"[[expect]] {name!r}: min_runs only goes with 'any'")
        if not isinstance(min_runs, int) or isinstance(min_runs, bool) or min_runs < 1:
            raise _ExpectError("min_runs", f"[[expect]] {name!r}: min_runs must be >= 1")
    return Expect(name=name, pattern=pattern, kind=kind, comparison=comparison,
                  stream=stream, min_runs=min_runs, line=line)


class _Locator:
    """Find the body line where a key or the n-th ``[[expect]]`` is written."""

    def __init__(self, body: list[str]) -> None:
        self.body = body

    def table(self, index: int) -> int | None:
        seen = -1
        for i, line in enumerate(self.body):
            if re.match(r"^\s*\[\[\s*expect\s*\]\]", line):
                seen += 1
                if seen == index:
                    return i
        return None

    def key(self, key: str, after: int | None = None) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        begin = 0 if after is None else after + 1
        for i in range(begin, len(self.body)):
            line = self.body[i]
            if after is not None and re.match(r"^\s*\[", line):
                break  # the next table starts: the key is not in this one
            if pattern.match(line):
                return i
            if after is None and re.match(r"^\s*\[", line):
                break  # top-level keys come before the first table
        if key == "expect":
            return self.table(0)
        return after
