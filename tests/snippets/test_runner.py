"""The runner against real subprocesses: process trees, kills, output edge cases."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from obsidian_kb.snippets import SnippetReport, render_snippet_html

Run = Callable[..., SnippetReport]
Copy = Callable[[str], Path]


def test_process_pool_under_fork_spawn_forkserver(program: Copy, run: Run) -> None:
    report = run(program("pool_start_methods.py"))
    assert report.ok, report.problems
    out = report.runs[0].stdout
    parent = int(re.search(r"parent pid=(\d+)", out).group(1))
    for method in ("fork", "spawn", "forkserver"):
        workers = {int(p) for p in re.findall(rf"^{method} worker pid=(\d+)", out, re.M)}
        assert workers, f"no {method} worker output captured:\n{out}"
        assert parent not in workers
    assert [c.passed for c in report.claims] == [True, True, True]


def test_grandchild_output_is_captured(program: Copy, run: Run) -> None:
    report = run(program("grandchild.py"))
    assert report.ok, report.problems
    assert "child says hi" in report.runs[0].stdout
    assert "grandchild says hi" in report.runs[0].stdout
    assert "grandchild on stderr too" in report.runs[0].stderr
    assert "grandchild on stderr too" not in report.runs[0].stdout


def test_hang_is_killed_with_its_children(program: Copy, run: Run) -> None:
    t0 = time.monotonic()
    report = run(program("hang.py"))
    elapsed = time.monotonic() - t0
    result = report.runs[0]
    assert result.timed_out and not report.ok
    assert elapsed < 2 + 2.5, elapsed
    assert "제한 시간 2 s 초과" in str(report.problems[0])
    sleep_pid = int(re.search(r"sleep pid=(\d+)", result.stdout).group(1))
    try:
        proc = psutil.Process(sleep_pid)
        # reparented to an init that may not reap: a zombie is dead, not an orphan
        assert proc.status() == psutil.STATUS_ZOMBIE or proc.name() != "sleep"
    except psutil.NoSuchProcess:
        pass


def test_death_by_signal_is_named(program: Copy, run: Run) -> None:
    report = run(program("segfault.py"))
    result = report.runs[0]
    assert result.signal == 11 and result.exit_code is None
    assert result.signal_name == "SIGSEGV"
    assert "about to crash" in result.stdout
    assert not report.ok
    assert "SIGSEGV 시그널로 종료, 기대한 것은 종료 코드 0" in str(report.problems[0])


def test_expected_signal_and_exit_codes(write: Callable[[str, str], Path], run: Run) -> None:
    path = write("crash.py", """
        # /// kb
        # signal = 11
        # ///
        import os, signal
        os.kill(os.getpid(), signal.SIGSEGV)
    """)
    assert run(path).ok


def test_os_exit_from_thread_expected(program: Copy, run: Run) -> None:
    report = run(program("thread_exit.py"))
    assert report.runs[0].exit_code == 1
    assert report.ok, report.problems


def test_flood_is_truncated_without_deadlock(program: Copy, run: Run) -> None:
    t0 = time.monotonic()
    report = run(program("flood.py"))
    assert time.monotonic() - t0 < 15
    result = report.runs[0]
    assert report.ok, report.problems
    assert result.stdout_truncated
    assert result.stdout_dropped == 50 * 1024 * 1024 - 200_000
    assert len(result.stdout.encode()) < 200_000 + 200
    assert "출력이 잘림: 52228800바이트를 더 버림 (output_limit = 200000)" in result.stdout
    # stderr is drained and limited separately; its last line was kept
    assert not result.stderr_truncated and result.stderr.endswith("done\n")


def test_invalid_utf8_is_shown_as_escapes(program: Copy, run: Run) -> None:
    report = run(program("bad_utf8.py"))
    assert report.runs[0].stdout == "한글 ok \\xff\\xfe end\n"


def test_early_sys_exit_zero_is_fine(program: Copy, run: Run) -> None:
    report = run(program("early_exit.py"))
    assert report.ok
    assert report.runs[0].stdout == "before exit\n"


def test_traceback_problem_names_the_line(program: Copy, run: Run) -> None:
    report = run(program("traceback_line.py"))
    assert not report.ok
    (problem,) = report.problems
    assert problem.path == "snippets/traceback_line.py"
    assert problem.line == 5  # inside divide(), the last frame in the snippet
    assert problem.message.endswith("종료 코드 1, 기대한 것은 종료 코드 0: "
                                    "ZeroDivisionError: division by zero")


def test_pinned_environment_and_local_imports(program: Copy, run: Run) -> None:
    program("helper_mod.py")
    report = run(program("env_probe.py"))
    assert report.ok, report.problems
    out = report.runs[0].stdout
    for line in ("PYTHONHASHSEED=0", "TZ=UTC", "NO_COLOR=1", "LC_ALL=C.UTF-8", "COLUMNS=80",
                 "MPLBACKEND=Agg", "helper=42", "stdin_closed=True", "main=__main__"):
        assert line in out.splitlines(), out


def test_relative_writes_stay_out_of_the_vault(
    write: Callable[[str, str], Path], run: Run, snippets_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tempfile

    # a private temp root, so "../../docs" from the run's cwd stays inside tmp_path
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = write("writer.py", """
        import os
        open("x.txt", "w").write("local")
        os.makedirs("../../docs", exist_ok=True)
        open("../../docs/evil.md", "w").write("# evil")
        print(os.path.abspath("../../docs/evil.md"))
    """)
    report = run(path)
    assert report.ok, report.problems
    vault = snippets_dir.parent
    assert not (snippets_dir / "x.txt").exists()
    assert not (vault / "docs" / "evil.md").exists()
    landed = Path(report.runs[0].stdout.strip())
    assert landed.is_relative_to(scratch)  # beside the run's copy of the folder...
    assert not any(scratch.iterdir())  # ...and deleted with it
    assert sorted(p.name for p in snippets_dir.iterdir()) == ["writer.py"]


def test_memory_limit(program: Copy, run: Run) -> None:
    report = run(program("memory_hog.py"))
    assert not report.ok
    assert "MemoryError" in report.problems[0].message
    assert report.problems[0].line == 4


def test_process_limit(program: Copy, run: Run) -> None:
    t0 = time.monotonic()
    report = run(program("too_many_procs.py"))
    assert time.monotonic() - t0 < 5
    assert report.runs[0].killed_reason == "프로세스 5개 초과 (max_procs)"
    assert "프로세스 5개 초과" in str(report.problems[0])


def test_figures_from_matplotlib(program: Copy, run: Run) -> None:
    report = run(program("plot.py"))
    assert report.ok, report.problems
    (figure,) = report.runs[0].figures
    assert figure.name == "square.png"
    assert figure.data.startswith(b"\x89PNG\r\n\x1a\n")
    html = render_snippet_html(report)
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in html


def test_html_escapes_output_and_converts_ansi(program: Copy, run: Run) -> None:
    report = run(program("html_and_ansi.py"))
    assert report.ok
    html = render_snippet_html(report, show="output")
    assert "<script>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; done" in html
    assert '<span class="kb-ansi-red">red</span> plain ' in html
    assert '<span class="kb-ansi-green kb-ansi-bold">bold green</span>' in html
    assert '<span style="color: #ff0000">xterm</span>' in html
    assert "\x1b" not in html and "title" not in html


def test_leftover_background_process_is_killed_after_exit(
    write: Callable[[str, str], Path], run: Run
) -> None:
    path = write("leaky.py", """
        # /// kb
        # timeout = 2
        # ///
        import subprocess
        child = subprocess.Popen(["sleep", "1000"])  # keeps our stdout pipe open
        print(f"sleep pid={child.pid}", flush=True)
    """)
    t0 = time.monotonic()
    report = run(path)
    assert time.monotonic() - t0 < 2 + 2.5
    assert report.runs[0].exit_code == 0 and report.runs[0].timed_out
    # the page says so: the output may be incomplete
    assert not report.ok
    assert "스크립트가 끝난 뒤에도 자식 프로세스가 출력을 붙잡고 있었다" in str(report.problems[0])
    sleep_pid = int(re.search(r"sleep pid=(\d+)", report.runs[0].stdout).group(1))
    try:
        proc = psutil.Process(sleep_pid)
        assert proc.status() == psutil.STATUS_ZOMBIE or proc.name() != "sleep"
    except psutil.NoSuchProcess:
        pass


def test_python3_on_path_is_checked_not_assumed(tmp_path: Path) -> None:
    import os
    import sys

    from obsidian_kb.snippets.runner import build_env, same_python_on_path

    env = build_env(tmp_path, tmp_path, sys.executable)
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert same_python_on_path(sys.executable, env["PATH"])
    other = tmp_path / "bin"
    other.mkdir()
    fake = other / "python3"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert not same_python_on_path(sys.executable, str(other))  # another python3 first
    assert not same_python_on_path(sys.executable, str(tmp_path / "empty"))  # none at all


def test_interpreter_probe_notices_a_replaced_interpreter(tmp_path):
    """The probe cache lives as long as ``mkdocs serve``; a replaced interpreter is asked again."""
    import os

    from obsidian_kb.snippets import probe_interpreter

    fake = tmp_path / "python"

    def install(version: str, mtime: int) -> None:
        fake.write_text(f"#!/bin/sh\necho '[\"{version}\", \"CPython\", \"Linux\", 2, \"fork\"]'\n")
        fake.chmod(0o755)
        os.utime(fake, (mtime, mtime))

    install("3.11.0", 1_000_000)
    assert probe_interpreter(str(fake)).version == "3.11.0"
    install("3.13.0", 2_000_000)
    assert probe_interpreter(str(fake)).version == "3.13.0"
