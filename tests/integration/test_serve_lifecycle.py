"""Under ``mkdocs serve`` a failed build must not leave its snippets running.

A real server: the first build is good; then a note makes a plugin (a hook of
the test project) raise while a slow snippet of that build is running; then the
note is fixed and the next build is good. The failed build's snippet process
must be gone long before its own 120 s timeout, and the good build must work.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

FAILER = '''\
import time
from pathlib import Path

PIDS = Path({pids!r})


def on_page_markdown(markdown, page, config, files):
    if "BOOM" in markdown:
        end = time.monotonic() + 60
        while not PIDS.exists() and time.monotonic() < end:  # the slow snippet has started
            time.sleep(0.05)
        raise RuntimeError("boom: a plugin failed")
    return markdown
'''

SLOW = '''\
# /// kb
# timeout = 120
# ///
import os
import time

if __name__ == "__main__":
    if os.path.exists({flag!r}):
        with open({pids!r}, "a") as f:
            f.write(f"{{os.getpid()}}\\n")
        time.sleep(110)
    print("quick run")
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, check: Callable[[], bool], timeout: float, log: Path) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}\n{log.read_text(encoding='utf-8')[-4000:]}")


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_failed_build_leaves_no_snippet_process(tmp_path):
    flag, pids = tmp_path / "slow.flag", tmp_path / "pids.txt"
    docs = tmp_path / "docs"
    (docs / "snippets").mkdir(parents=True)
    (docs / "snippets" / "slow.py").write_text(SLOW.format(flag=str(flag), pids=str(pids)), encoding="utf-8")
    note = docs / "index.md"
    note.write_text("# 홈\n\n![[slow.py#output]]\n", encoding="utf-8")
    (tmp_path / "failer.py").write_text(FAILER.format(pids=str(pids)), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: material\nplugins:\n  - obsidian-kb:\n      fresh: true\n"
        "hooks:\n  - failer.py\n", encoding="utf-8")
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{_free_port()}"]
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        built = lambda n: log.read_text(encoding="utf-8").count("Documentation built") >= n  # noqa: E731
        _wait("the first build", lambda: built(1), 120, log)

        flag.touch()
        note.write_text("# 홈\n\nBOOM\n\n![[slow.py#output]]\n", encoding="utf-8")
        _wait("the failed build's snippet", lambda: pids.exists() and pids.read_text().strip() != "", 60, log)
        pid = int(pids.read_text().split()[0])
        _wait("the failed build", lambda: "boom: a plugin failed" in log.read_text(encoding="utf-8"), 60, log)
        _wait("the snippet of the failed build to be killed", lambda: not _alive(pid), 15, log)

        flag.unlink()
        note.write_text("# 홈\n\n고쳤다\n\n![[slow.py#output]]\n", encoding="utf-8")
        _wait("the good build", lambda: built(2), 120, log)
        assert not _alive(pid)
        leftovers = [p for p in psutil.Process(server.pid).children(recursive=True)
                     if "slow.py" in " ".join(p.cmdline())]
        assert leftovers == []
        assert pids.read_text().split() == [str(pid)]  # the good build ran it quickly, once
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
