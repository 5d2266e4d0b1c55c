"""A real MkDocs build of a small vault whose notes embed real snippets."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]

pytestmark = pytest.mark.slow


def build(vault: Path, snippets: Path, site: Path, *, strict: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, KB_VAULT=str(vault), KB_SNIPPETS=str(snippets), KB_SITE_DIR=str(site),
               NO_MKDOCS_2_WARNING="1", KB_SNIPPETS_FRESH="1")
    cmd = [*MKDOCS, "build", "-f", str(REPO / "mkdocs.yml")] + (["--strict"] if strict else [])
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture()
def vault(tmp_path: Path) -> tuple[Path, Path]:
    vault, snippets = tmp_path / "vault", tmp_path / "snippets"
    write(vault / "index.md", """\
        # 홈

        워커 PID:

        ![[pids.py]]

        출력만:

        ![[pids.py#output]]

        코드만:

        ![[pids.py#code]]
        """)
    write(snippets / "pids.py", """\
        # /// kb
        # [[expect]]
        # name = "워커 PID는 서로 다르다"
        # pattern = 'worker pid=(\\d+)'
        # distinct = true
        # ///
        import os
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing as mp

        def pid(_):
            import time
            time.sleep(0.2)
            return os.getpid()

        if __name__ == "__main__":
            with ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as pool:
                for p in sorted(set(pool.map(pid, range(4)))):
                    print(f"worker pid={p}")
            print(f"parent pid={os.getpid()}")
        """)
    return vault, snippets


def test_embedded_snippet_shows_real_output(vault, tmp_path):
    result = build(*vault, tmp_path / "site", strict=True)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="kb-snippet"') == 3
    assert "worker pid=" in page and "parent pid=" in page
    assert "ProcessPoolExecutor" in page  # the code view
    assert "snippets:" in result.stderr  # progress in the build log


def test_failing_snippet_fails_strict_build_with_both_locations(vault, tmp_path):
    v, snippets = vault
    write(snippets / "broken.py", """\
        import sys

        def main():
            assert 1 + 1 == 3, "산수가 틀렸다"

        main()
        """)
    write(v / "notes" / "깨진 예제.md", "# 깨진 예제\n\n설명\n\n![[broken.py]]\n")
    result = build(v, snippets, tmp_path / "site", strict=True)
    assert result.returncode != 0
    err = result.stderr
    assert "notes/깨진 예제.md:5" in err, err
    assert "broken.py:4" in err, err  # the failing line inside the snippet
    # without --strict (as under `mkdocs serve`) the page is written and shows the error in place
    result = build(v, snippets, tmp_path / "site2", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site2" / "notes" / "깨진 예제" / "index.html").read_text(encoding="utf-8")
    assert "kb-snippet-failed" in html and "AssertionError" in html


def test_failing_notebook_cell_fails_the_build(tmp_path):
    import nbformat

    vault = tmp_path / "vault"
    write(vault / "index.md", "# 홈\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("링크: [[index]]"),
                nbformat.v4.new_code_cell("raise RuntimeError('셀 실패')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, vault / "실패.ipynb")
    result = build(vault, tmp_path / "none", tmp_path / "site", strict=False)
    assert result.returncode != 0
    assert "셀 실패" in result.stderr or "RuntimeError" in result.stderr
