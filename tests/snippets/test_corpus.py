"""Third-party-style scripts, unedited, show exactly what a direct run in their folder prints.

Each script of ``corpus/`` lives in a folder with the files it ships with
(data read by relative path, ``ls``, a sibling started as ``python3``, a child
printing after its parent exited, scripts that fail on purpose and say so in a
sidecar ``x.kb.toml``). Each runs through the runner and then as
``python3 script.py`` in its folder, the way a reader would try it; stdout,
stderr and the exit status must be identical, byte for byte. The runner goes
first and must leave the folder as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner

CORPUS = Path(__file__).parent / "corpus"
SCRIPTS = sorted(p.relative_to(CORPUS) for p in CORPUS.glob("*/*.py")
                 if p.name not in {"worker.py"})  # started by main.py, not on its own


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def direct_run(script: Path) -> subprocess.CompletedProcess[bytes]:
    """``python3 script.py`` in the script's folder, with this interpreter first on PATH
    and unbuffered output (what a terminal shows: a pipe would reorder parent and child)."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ.get("PATH", os.defpath)]),
               PYTHONUNBUFFERED="1", PYTHONUTF8="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    return subprocess.run(["python3", script.name], cwd=script.parent, env=env,
                          capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("rel", SCRIPTS, ids=[p.as_posix() for p in SCRIPTS])
def test_page_shows_what_a_direct_run_prints(rel: Path, tmp_path: Path) -> None:
    snippets = tmp_path / "vault" / "snippets"
    shutil.copytree(CORPUS, snippets / "corpus")
    script = snippets / "corpus" / rel
    before = snapshot(script.parent)
    with SnippetRunner(snippets, tmp_path / "cache", fresh=True, jobs=1) as runner:
        report = runner.report(script)
    assert snapshot(script.parent) == before, "the run wrote into the vault"
    assert report.ok, [str(p) for p in report.problems]
    run = report.runs[0]
    direct = direct_run(script)
    assert run.stdout.encode() == direct.stdout
    assert run.stderr.encode() == direct.stderr
    status = -run.signal if run.signal is not None else run.exit_code
    assert status == direct.returncode


def test_interpreter_on_path_is_the_build_interpreter(tmp_path: Path) -> None:
    snippets = tmp_path / "snippets"
    shutil.copytree(CORPUS / "sibling", snippets)
    with SnippetRunner(snippets, tmp_path / "cache", fresh=True) as runner:
        report = runner.report(snippets / "main.py")
    assert "same interpreter: True" in report.runs[0].stdout
    assert report.runs[0].same_python_on_path


def test_late_output_is_kept_and_a_meant_failure_needs_its_sidecar(tmp_path: Path) -> None:
    snippets = tmp_path / "snippets"
    shutil.copytree(CORPUS, snippets)
    with SnippetRunner(snippets, tmp_path / "cache", fresh=True) as runner:
        late = runner.report(snippets / "late_child" / "parent.py")
        assert late.runs[0].stdout.endswith("child: printed after the parent exited\n")
        assert late.ok
    (snippets / "demo_traceback" / "weak_demo.kb.toml").unlink()
    with SnippetRunner(snippets, tmp_path / "cache2", fresh=True) as runner:
        undeclared = runner.report(snippets / "demo_traceback" / "weak_demo.py")
    assert not undeclared.ok
    problem = undeclared.problems[0]
    assert problem.line == 15  # ``print(proxy.anything)``
    assert problem.message == ("종료 코드 1, 기대한 것은 종료 코드 0: ReferenceError: "
                               "weakly-referenced object no longer exists")
