"""``SnippetRunner.close(cancel=True)``: what a failed build or a shutdown calls."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import psutil
from obsidian_kb.snippets import SnippetRunner

Write = Callable[[str, str], Path]


def _sleeper(pids: Path, repeat: int = 1) -> str:
    return f"""
        # /// kb
        # timeout = 60
        # repeat = {repeat}
        # ///
        import os, subprocess, sys, time
        if __name__ == "__main__":
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}} {{child.pid}}\\n")
            time.sleep(60)
    """


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_for(path: Path) -> list[int]:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if path.exists() and path.read_text().strip():
            return [int(p) for p in path.read_text().split()]
        time.sleep(0.05)
    raise AssertionError("the snippet never started")


def test_cancel_kills_running_snippets_and_their_children(write: Write, snippets_dir: Path,
                                                          cache_dir: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids.txt"
    path = write("sleeper.py", _sleeper(pids, repeat=3))
    runner = SnippetRunner(snippets_dir, cache_dir, fresh=True)
    runner.start([path])
    started = _wait_for(pids)
    t0 = time.monotonic()
    runner.close(cancel=True)
    assert time.monotonic() - t0 < 20  # far below the snippet's 60 s
    assert not any(_alive(pid) for pid in started)
    assert len(pids.read_text().splitlines()) == 1  # no further repeat started after the cancel

