"""Scheduling, cache and progress of SnippetRunner, with real subprocesses."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner, render_snippet_html

Write = Callable[[str, str], Path]


def counting_snippet(log: Path, extra: str = "") -> str:
    # appends one line per real execution to an absolute path outside the vault
    return f"""
        {extra}
        with open({str(log)!r}, "a") as f:
            f.write("ran\\n")
        print("value=1")
    """


def executions(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_cache_hit_executes_nothing(write: Write, snippets_dir: Path, cache_dir: Path,
                                    tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    path = write("count.py", counting_snippet(log))
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        first = runner.report(path)
    assert first.ok and not first.from_cache and executions(log) == 1
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        second = runner.report(path)
    assert executions(log) == 1
    assert second.ok and second.from_cache and second.runs[0].from_cache
    assert second.runs[0].stdout == first.runs[0].stdout
    assert "· 캐시된 결과</div>" in render_snippet_html(second)
    assert "· 이번 빌드에서 실행</div>" in render_snippet_html(first)


def test_cache_invalidated_by_local_module_edit(write: Write, snippets_dir: Path,
                                                cache_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    write("helper.py", "from deeper import N\n")
    write("deeper.py", "N = 1\n")
    path = write("count.py", counting_snippet(log, extra="import helper"))
    for expected in (1, 1):
        with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
            assert runner.report(path).ok
        assert executions(log) == expected
    write("deeper.py", "N = 2\n")  # imported through helper: must invalidate too
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        assert not runner.report(path).from_cache
    assert executions(log) == 2


def test_fresh_env_forces_a_run(write: Write, snippets_dir: Path, cache_dir: Path,
                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log.txt"
    path = write("count.py", counting_snippet(log))
    monkeypatch.delenv("KB_SNIPPETS_FRESH", raising=False)
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        runner.report(path)
    monkeypatch.setenv("KB_SNIPPETS_FRESH", "1")
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        assert not runner.report(path).from_cache
    assert executions(log) == 2
    monkeypatch.delenv("KB_SNIPPETS_FRESH")
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        assert runner.report(path).from_cache
    assert executions(log) == 2


def test_failed_reports_are_cached_until_the_code_changes(
        write: Write, snippets_dir: Path, cache_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    path = write("count.py", counting_snippet(log).rstrip(" ") + "        import sys; sys.exit(3)\n")
    reports = []
    for _ in range(2):
        with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
            reports.append(runner.report(path))
    first, second = reports
    assert executions(log) == 1  # the failure was not run again
    for report in reports:
        assert not report.ok and "종료 코드 3, 기대한 것은 종료 코드 0" in report.problems[0].message
    # shown and reported the same way, plus a line saying when it ran
    assert not first.from_cache and second.from_cache
    assert second.problems[:-1] == first.problems
    assert first.runs[0].started_at in second.problems[-1].message
    assert "캐시된 결과" in second.problems[-1].message
    assert "kb-snippet-failed" in render_snippet_html(second)
    write("count.py", counting_snippet(log))  # the fix: a new key, a real run
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        fixed = runner.report(path)
    assert fixed.ok and not fixed.from_cache and executions(log) == 2


def test_timed_out_reports_are_cached(write: Write, snippets_dir: Path, cache_dir: Path,
                                      tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    path = write("slow.py", f"""
        # /// kb
        # timeout = 1
        # repeat = 3
        # ///
        import time
        with open({str(log)!r}, "a") as f:
            f.write("ran\\n")
        time.sleep(30)
    """)
    for _ in range(2):
        with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
            report = runner.report(path)
        assert report.runs[0].timed_out and not report.ok
    assert executions(log) == 1


def test_repeat_gives_n_runs_and_a_distribution(write: Write, snippets_dir: Path,
                                                cache_dir: Path) -> None:
    path = write("rep.py", """
        # /// kb
        # repeat = 4
        # [[expect]]
        # name = "pid is positive"
        # pattern = 'pid=(\\d+)'
        # all = "> 0"
        # ///
        import os
        print(f"pid={os.getpid()}")
    """)
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        report = runner.report(path)
    assert report.ok, report.problems
    assert len(report.runs) == 4
    assert len({r.stdout for r in report.runs}) == 4  # four separate processes
    assert report.claims[0].detail == "4회 실행의 값 4개 모두 성립"
    html = render_snippet_html(report)
    assert "4회 실행 중 첫 번째 실행의 출력" in html
    assert '<ul class="kb-distribution"><li>4회 실행; 소요 시간 최소' in html
    assert "종료: 종료 코드 0 ×4" in html


def test_alone_never_overlaps(write: Write, snippets_dir: Path, cache_dir: Path,
                              tmp_path: Path) -> None:
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    body = """
        import time
        start = time.time()
        time.sleep(0.6)
        open({path!r}, "w").write(f"{{start}} {{time.time()}}")
    """
    names = ["a.py", "b.py", "c.py", "solo.py", "d.py"]
    for name in names:
        header = "# /// kb\n# alone = true\n# ///\n" if name == "solo.py" else ""
        write(name, header + body.format(path=str(stamps / name)).replace("\n        ", "\n"))
    with SnippetRunner(snippets_dir, cache_dir, jobs=2) as runner:
        runner.start(snippets_dir / n for n in names)
        reports = runner.wait_all()
    assert all(r.ok for r in reports.values()), [r.problems for r in reports.values()]
    spans = {n: tuple(map(float, (stamps / n).read_text().split())) for n in names}
    solo = spans.pop("solo.py")
    for name, (s, e) in spans.items():
        assert e <= solo[0] or s >= solo[1], f"{name} overlapped the alone snippet"
    # and the others did run in parallel, so the check above is not vacuous
    others = sorted(spans.values())
    assert any(b[0] < a[1] for a, b in pairwise(others))


def test_missing_file_and_bad_header_are_reports(write: Write, snippets_dir: Path,
                                                 cache_dir: Path) -> None:
    bad = write("bad.py", "# /// kb\n# timeout = 1\n# wat = 2\n# ///\nprint(1)\n")
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        missing = runner.report("snippets/nope.py")
        header = runner.report(bad)
    assert [str(p) for p in missing.problems] == ["snippets/nope.py: 스니펫 파일이 없다"]
    assert str(header.problems[0]).startswith("snippets/bad.py:3: unknown key 'wat'")
    assert header.runs == ()
    html = render_snippet_html(header)
    assert 'class="kb-snippet-error"' in html and "snippets/bad.py:3" in html
    assert "print" in html  # the code is still shown next to the error
    assert "kb-snippet-error" in render_snippet_html(missing)


def test_path_forms_share_one_report(write: Write, snippets_dir: Path, cache_dir: Path) -> None:
    path = write("x.py", "print('x')\n")
    with SnippetRunner(snippets_dir, cache_dir) as runner:
        a = runner.report("snippets/x.py")
        b = runner.report("x.py")
        c = runner.report(path)
        assert a is b is c
        assert list(runner.wait_all()) == [path.resolve()]


def test_progress_messages(write: Write, snippets_dir: Path, cache_dir: Path) -> None:
    for i in range(3):
        write(f"p{i}.py", f"print({i})\n")
    messages: list[str] = []
    with SnippetRunner(snippets_dir, cache_dir, progress=messages.append) as runner:
        runner.start(sorted(snippets_dir.glob("*.py")))
        runner.wait_all()
    assert messages[-1] == "snippets: 3/3 done, 0 cached"
    assert len(messages) <= 2  # at most once a second, plus the end
    messages.clear()
    with SnippetRunner(snippets_dir, cache_dir, fresh=False, progress=messages.append) as runner:
        runner.start(sorted(snippets_dir.glob("*.py")))
        runner.wait_all()
    assert messages[-1] == "snippets: 3/3 done, 3 cached"


def test_cache_files_are_json_with_figures_beside(program: Callable[[str], Path],
                                                  snippets_dir: Path, cache_dir: Path) -> None:
    path = program("plot.py")
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        first = runner.report(path)
    (entry,) = cache_dir.glob("*.json")
    data = json.loads(entry.read_text())
    assert data["runs"][0]["figures"][0]["name"] == "square.png"
    assert len(list((cache_dir / "figures").glob("*.png"))) == 1
    with SnippetRunner(snippets_dir, cache_dir, fresh=False) as runner:
        second = runner.report(path)
    assert second.from_cache and second.runs[0].figures == first.runs[0].figures


def test_concurrent_report_calls_run_once(write: Write, snippets_dir: Path, cache_dir: Path,
                                          tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    log = tmp_path / "log.txt"
    path = write("count.py", counting_snippet(log))
    with SnippetRunner(snippets_dir, cache_dir, fresh=True) as runner, \
            ThreadPoolExecutor(8) as callers:
        reports = list(callers.map(runner.report, [path, "count.py", "snippets/count.py"] * 4))
    assert all(r is reports[0] for r in reports)
    assert executions(log) == 1


def test_cache_key_covers_the_folders_data_files_only(tmp_path: Path) -> None:
    import sys

    from obsidian_kb.snippets import cache_key, parse_spec, probe_interpreter

    root = tmp_path / "snippets"
    sub = root / "thirdparty"
    sub.mkdir(parents=True)
    python = probe_interpreter(sys.executable)

    def key(path: Path) -> str:
        return cache_key(parse_spec(path, path.read_text(), path.name), root, python)

    top = root / "top.py"
    top.write_text("print(open('data.txt').read())\n")
    (root / "data.txt").write_text("1\n")
    script = sub / "main.py"
    script.write_text("import subprocess; subprocess.run(['python3', 'worker.py'])\n")
    (sub / "worker.py").write_text("print(1)\n")
    before = key(top), key(script)
    (root / "other_snippet.py").write_text("print('another program')\n")
    (sub / "__pycache__").mkdir()
    (sub / "__pycache__" / "worker.cpython-311.pyc").write_bytes(b"\0")
    assert (key(top), key(script)) == before  # another snippet, a bytecode cache: no re-run
    (root / "data.txt").write_text("2\n")
    (sub / "worker.py").write_text("print(2)\n")
    after = key(top), key(script)
    assert after[0] != before[0] and after[1] != before[1]  # the data and the sibling count
