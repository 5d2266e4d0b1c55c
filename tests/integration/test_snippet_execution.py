"""Real MkDocs builds: who decides that programs run, which ones, and how Ctrl-C ends them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def env_for(vault: Path, site: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, KB_VAULT=str(vault), KB_SITE_DIR=str(site), NO_MKDOCS_2_WARNING="1",
               KB_SNIPPETS_FRESH="1", **extra)
    for key in ("KB_EXECUTE", "KB_SNIPPETS"):
        if key not in extra:
            env.pop(key, None)
    return env


def build(vault: Path, site: Path, *, strict: bool = True, **extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(REPO / "mkdocs.yml")]
    return subprocess.run(cmd + (["--strict"] if strict else []), env=env_for(vault, site, **extra),
                          capture_output=True, text=True, timeout=300)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def marker_program(marker: Path) -> str:
    return f"open({str(marker)!r}, 'a').write('ran\\n')\nprint('I ran')\n"


def make_vault(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    vault, snippets = tmp_path / "vault", tmp_path / "vault" / "snippets"
    (vault / ".obsidian").mkdir(parents=True)
    markers = [tmp_path / f"ran-{name}" for name in ("embedded", "folder", "notebook")]
    write(vault / "index.md", "# 홈\n\n![[code/tool.py]]\n\n![[code/tool.py#output]]\n")
    write(vault / "code" / "tool.py", marker_program(markers[0]))
    write(snippets / "lonely.py", marker_program(markers[1]))  # in snippets/, embedded nowhere
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(marker_program(markers[2]))]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, vault / "노트북.ipynb")
    return vault, snippets, markers


def test_kb_execute_0_runs_nothing_and_fails_nothing(tmp_path: Path) -> None:
    vault, _, markers = make_vault(tmp_path)
    result = build(vault, tmp_path / "site", KB_EXECUTE="0")
    assert result.returncode == 0, result.stderr
    assert not any(m.exists() for m in markers), "a program ran although KB_EXECUTE=0"
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert page.count("이 빌드는 프로그램을 실행하지 않았다") == 2  # both views say so
    assert page.count('class="kb-snippet-code"') == 1 and "kb-stdout" not in page  # code, no output
    assert "TCP without encryption" not in result.stderr


def test_by_default_the_vaults_programs_run(tmp_path: Path) -> None:
    # the control for the test above: the same vault does run all three kinds of program
    vault, _, markers = make_vault(tmp_path)
    result = build(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert all(m.exists() for m in markers), [m.name for m in markers if not m.exists()]
    assert "TCP without encryption" not in result.stderr  # the kernel's loopback warning


def test_nested_vault_does_not_run_the_outer_vaults_snippets(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    (outer / ".obsidian").mkdir(parents=True)
    marker = tmp_path / "outer-ran"
    write(outer / "snippets" / "outer.py", marker_program(marker))
    write(outer / "inner" / "index.md", "# 안쪽 볼트\n")
    result = build(outer / "inner", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "the outer vault's snippet ran"


def test_ctrl_c_kills_running_snippets_at_once(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    pids = tmp_path / "pids.txt"
    write(vault / "index.md", "# 홈\n\n![[hang.py]]\n")
    write(vault / "snippets" / "hang.py", f"""\
        # /// kb
        # timeout = 120
        # ///
        import os, subprocess, time
        child = subprocess.Popen(["sleep", "300"])
        with open({str(pids)!r}, "w") as f:
            f.write(f"{{os.getpid()}} {{child.pid}}\\n")
        time.sleep(300)
        """)
    (vault / ".obsidian").mkdir()
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(REPO / "mkdocs.yml")]
    proc = subprocess.Popen(cmd, env=env_for(vault, tmp_path / "site"), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (pids.exists() and pids.read_text().endswith("\n")):
            assert proc.poll() is None and time.monotonic() < deadline, "snippet never started"
            time.sleep(0.1)
        snippet_pids = [int(p) for p in pids.read_text().split()]
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)  # what the terminal sends to mkdocs on Ctrl-C
        proc.wait(timeout=30)
        assert time.monotonic() - t0 < 15, "mkdocs waited for the snippet's timeout"
        assert proc.returncode != 0
        for pid in snippet_pids:  # no orphan: dead, or a zombie waiting for a non-reaping init
            with contextlib.suppress(psutil.NoSuchProcess):
                assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, f"{pid} survived"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if pids.exists():
            for pid in pids.read_text().split():
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)


def test_page_keeps_the_exact_text(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    write(vault / "index.md", "# 홈\n\n![[bar.py#output]]\n")
    write(vault / "snippets" / "bar.py", """\
        import sys
        print()
        for pct in (0, 50, 100):
            sys.stdout.write(f"\\rprogress {pct:3d}%")
        print("\\nend with spaces   ")
        """)
    result = build(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # a leading blank line (one extra newline: HTML drops the first after <pre>), the final
    # state of the \r progress line, trailing spaces
    assert "<pre>\n\nprogress 100%\nend with spaces   \n</pre>" in page
    assert "표준 출력 (stdout)" in page and "자식의 python3도 같은 인터프리터" in page


def test_sidecar_accepts_a_meant_failure_and_an_orphan_sidecar_is_a_warning(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    write(vault / "index.md", "# 홈\n\n![[demo/fails.py#output]]\n")
    write(vault / "snippets" / "demo" / "fails.py", "raise SystemExit('일부러 실패')\n")
    write(vault / "snippets" / "demo" / "fails.kb.toml", "exit = 1\n")
    result = build(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "일부러 실패" in page and "kb-snippet-failed" not in page
    write(vault / "snippets" / "demo" / "gone.kb.toml", "exit = 1\n")
    result = build(vault, tmp_path / "site2")
    assert result.returncode != 0
    assert "snippets/demo/gone.kb.toml: no gone.py beside this sidecar" in result.stderr
