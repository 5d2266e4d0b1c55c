"""Header parsing: valid headers, located errors, comparisons."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from obsidian_kb.snippets import Comparison, SpecError, parse_spec
from obsidian_kb.snippets.spec import parse_comparison

FULL = r'''
"""docstring first is fine"""
# /// kb
# timeout = 60        # seconds, wall clock, default 30
# repeat = 20
# alone = true
# memory_mb = 1024
# max_procs = 64
# output_limit = 5000
# [[expect]]
# name = "락이 없으면 갱신 손실이 생긴다"
# pattern = 'without lock: lost=(\d+)'
# any = "> 0"
# min_runs = 3
# [[expect]]
# name = "락이 있으면 손실이 없다"
# pattern = 'with lock: lost=(\d+)'
# all = "== 0"
# stream = "stderr"
# [[expect]]
# name = "워커 PID는 서로 다르다"
# pattern = 'worker pid=(\d+)'
# distinct = true
# [[expect]]
# name = "모든 스레드의 PID가 같다"
# pattern = 'thread pid=(\d+)'
# same = true
# ///
print("hi")
'''


def parse(source: str):
    source = textwrap.dedent(source).lstrip("\n")
    return parse_spec(Path("/v/snippets/x.py"), source, "snippets/x.py")


def problems(source: str) -> list[tuple[int | None, str]]:
    with pytest.raises(SpecError) as info:
        parse(source)
    return [(p.line, p.message) for p in info.value.problems]


def test_full_header() -> None:
    spec = parse(FULL)
    assert (spec.timeout, spec.repeat, spec.alone) == (60.0, 20, True)
    assert (spec.memory_mb, spec.max_procs, spec.output_limit) == (1024, 64, 5000)
    assert spec.header_line == 2
    kinds = [(e.kind, e.line) for e in spec.expects]
    assert kinds == [("any", 9), ("all", 14), ("distinct", 19), ("same", 23)]
    first, second = spec.expects[:2]
    assert first.comparison == Comparison(">", 0) and first.min_runs == 3
    assert second.stream == "stderr" and second.comparison == Comparison("==", 0)
    assert first.pattern == r"without lock: lost=(\d+)"


def test_no_header_gives_defaults() -> None:
    spec = parse("print(1)\n")
    assert (spec.timeout, spec.repeat, spec.alone, spec.memory_mb) == (30.0, 1, False, 2048)
    assert (spec.max_procs, spec.output_limit, spec.exit, spec.signal) == (256, 200_000, 0, None)
    assert spec.expects == () and spec.header_line is None


def test_exit_and_signal_keys() -> None:
    assert parse("# /// kb\n# exit = 1\n# ///\n").exit == 1
    assert parse("# /// kb\n# signal = 11\n# ///\n").signal == 11


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("# /// kb\n# timeout = \n# ///\n", 2, "malformed kb header"),
        ("x = 1\n# /// kb\n# timeout = 5\n# repeat = [\n# ///\n", 4, "malformed"),
        ("# /// kb\n# timeout = 5\n# colour = 'red'\n# ///\n", 3, "unknown key 'colour'"),
        ("# /// kb\n# timeout = -1\n# ///\n", 2, "positive number"),
        ("# /// kb\n# repeat = 'many'\n# ///\n", 2, "'repeat' must be a positive integer"),
        ("# /// kb\n# alone = 1\n# ///\n", 2, "true or false"),
        ("# /// kb\n# timeout = 5\n", 1, "never closed"),
        ("# /// kb\nx = 1\n# ///\n", 2, "must start with '# '"),
        ("# /// kb\n# ///\n# /// kb\n# ///\n", 3, "second"),
        ("# /// kb\n# [[expect]]\n# name = 'a'\n# pattern = 'x=(\\d+)'\n# any = '> 0'\n"
         "# [[expect]]\n# name = 'b'\n# pattern = 'y'\n# bogus = 1\n# ///\n", 9,
         "unknown key 'bogus' in [[expect]]"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y'\n# any = '> 0'\n# ///\n", 4,
         "exactly one capture group"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y=(\\d+)'\n# ///\n", 2,
         "exactly one of any/all/distinct/same"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y=(\\d+)'\n# any = '> 0'\n"
         "# all = '> 0'\n# ///\n", 6, "exactly one of"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y=(\\d+)'\n# all = '> 0'\n"
         "# min_runs = 2\n# ///\n", 6, "min_runs only goes with 'any'"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y=(\\d+)'\n# any = '~ 3'\n# ///\n",
         5, "must start with one of"),
        ("# /// kb\n# [[expect]]\n# name = 'b'\n# pattern = 'y=(\\d+'\n# any = '> 3'\n# ///\n",
         4, "bad regex"),
        ("# /// kb\n# [[expect]]\n# pattern = 'y=(\\d+)'\n# any = '> 3'\n# ///\n", 2,
         "needs a 'name'"),
    ],
)
def test_header_errors_are_located(source: str, line: int, words: str) -> None:
    found = problems(source)
    assert any(ln == line and words in msg for ln, msg in found), found


def test_problem_str_names_file_and_line() -> None:
    with pytest.raises(SpecError) as info:
        parse("# /// kb\n# nope = 1\n# ///\n")
    assert str(info.value.problems[0]).startswith("snippets/x.py:2: unknown key 'nope'")


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("> 0", ">", 0),
        (">=1.5", ">=", 1.5),
        ("== 'fork'", "==", "fork"),
        ('!= "spawn"', "!=", "spawn"),
        ("< -3", "<", -3),
        ("<= 1e3", "<=", 1000.0),
    ],
)
def test_parse_comparison(text: str, op: str, value: object) -> None:
    cmp = parse_comparison(text)
    assert (cmp.op, cmp.value) == (op, value)
    assert type(cmp.value) is type(value)


@pytest.mark.parametrize("text", ["0", "> ", "> abc", "=> 1", "== 'unclosed"])
def test_bad_comparison(text: str) -> None:
    with pytest.raises(ValueError):
        parse_comparison(text)


@pytest.mark.parametrize(
    ("cmp", "value", "holds"),
    [
        (Comparison(">", 0), "3", True),
        (Comparison(">", 0), "0", False),
        (Comparison("==", 0), "0.0", True),
        (Comparison("<", 10), "9.5", True),
        (Comparison("!=", 5), "5", False),
        (Comparison(">", 0), "abc", False),
        (Comparison("==", "fork"), "fork", True),
        (Comparison("!=", "fork"), "spawn", True),
        (Comparison("==", "10"), "10.0", False),
    ],
)
def test_comparison_holds(cmp: Comparison, value: str, holds: bool) -> None:
    assert cmp.holds(value) is holds


SIDE = "snippets/corpus/x.kb.toml"


def sidecar_problems(text: str, source: str = "print(1)\n") -> list[str]:
    with pytest.raises(SpecError) as err:
        parse_spec(Path("/v/x.py"), source, "snippets/corpus/x.py", sidecar=textwrap.dedent(text),
                   sidecar_vault_path=SIDE)
    return [str(p) for p in err.value.problems]


def test_sidecar_declares_what_the_script_cannot() -> None:
    spec = parse_spec(Path("/v/x.py"), "raise SystemExit(3)\n", "snippets/corpus/x.py",
                      sidecar='exit = 3\ntimeout = 5\n\n[[expect]]\nname = "n"\n'
                              "pattern = 'v=(\\d+)'\nall = \"> 0\"\n", sidecar_vault_path=SIDE)
    assert (spec.exit, spec.timeout, spec.sidecar, spec.claims_path) == (3, 5.0, SIDE, SIDE)
    assert spec.expects[0].line == 4  # the sidecar's own line numbers
    assert spec.header_line is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exit = 1\nretries = 2\n", f"{SIDE}:2: unknown key 'retries'"),
        ("exit = 1\nsignal = 99\n", f"{SIDE}:2: 'signal' must be a signal number"),
        ("exit = [1\n", f"{SIDE}:1: malformed kb header"),
        ('[[expect]]\nname = "n"\npattern = "(a)(b)"\nall = "> 0"\n',
         f"{SIDE}:3: [[expect]] 'n': pattern must have exactly one capture group"),
    ],
)
def test_sidecar_errors_name_the_sidecar_line(text: str, expected: str) -> None:
    assert sidecar_problems(text)[0].startswith(expected)


def test_header_and_sidecar_together_is_an_error() -> None:
    problems = sidecar_problems("exit = 1\n", source="# /// kb\n# exit = 2\n# ///\n")
    assert problems == [f"{SIDE}: x.py already has a '# /// kb' header (line 1): "
                        "declare its settings in one place only"]
