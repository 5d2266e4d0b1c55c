"""The runner captures what running the file directly prints.

Each program is a typical concurrency example (thread pool, process pool under
every start method, multiprocessing.Pool, a queue between processes, a child
process); its stdout and stderr through the runner must equal a plain
``python file.py`` run of the same file, byte for byte (the programs print no
PIDs or timings, so nothing needs masking).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner

PROGRAMS = {
    "thread_pool_map.py": """
        from concurrent.futures import ThreadPoolExecutor

        def square(x):
            return x * x

        with ThreadPoolExecutor(max_workers=4) as pool:
            for value in pool.map(square, range(8)):
                print("square", value)
        """,
    "process_pools.py": """
        import multiprocessing as mp
        import sys
        from concurrent.futures import ProcessPoolExecutor

        def cube(x):
            return x ** 3

        if __name__ == "__main__":
            for method in ("fork", "spawn", "forkserver"):
                with ProcessPoolExecutor(2, mp_context=mp.get_context(method)) as pool:
                    print(method, list(pool.map(cube, range(5))))
            print("done", file=sys.stderr)
        """,
    "mp_pool_and_queue.py": """
        import multiprocessing as mp

        def producer(q, n):
            for i in range(n):
                q.put(f"item {i}")
            q.put(None)

        if __name__ == "__main__":
            with mp.Pool(2) as pool:
                print(sorted(pool.map(abs, [-3, -2, -1, 0, 1])))
            q = mp.Queue()
            p = mp.Process(target=producer, args=(q, 4))
            p.start()
            while (item := q.get()) is not None:
                print("got", item)
            p.join()
            print("exit code", p.exitcode)
        """,
    "child_process.py": """
        import subprocess
        import sys

        print("parent says hi", flush=True)
        child = "import sys; print('child says hi'); print('child err', file=sys.stderr)"
        subprocess.run([sys.executable, "-c", child])
        print("parent done")
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_runner_output_equals_direct_run(name: str, tmp_path: Path) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    path = snippets / name
    path.write_text(textwrap.dedent(PROGRAMS[name]).lstrip(), encoding="utf-8")
    cwd = tmp_path / "direct"
    cwd.mkdir()
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONUTF8="1")
    direct = subprocess.run([sys.executable, str(path)], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert direct.returncode == 0, direct.stderr
    with SnippetRunner(snippets, tmp_path / "cache", fresh=True, jobs=1) as runner:
        report = runner.report(path)
    assert report.ok, [str(p) for p in report.problems]
    run = report.runs[0]
    assert run.stdout == direct.stdout
    assert run.stderr == direct.stderr
