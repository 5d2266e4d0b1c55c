"""Cache keys under concurrency: ``ast.parse`` never runs in two threads at once.

CPython 3.11 keeps the AST constructor's recursion depth per interpreter, so
parses that overlap in threads raise ``SystemError: AST constructor recursion
depth mismatch`` now and then (seen about once in 40 rebuilds). The overlap is
hard to provoke on demand, so the stress test watches for it directly: a spy
around ``ast.parse`` holds each call open for a moment and records how many
threads were inside at once. Without the lock that number is the thread count.
"""

from __future__ import annotations

import ast
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from obsidian_kb.snippets import cache, cache_key, parse_spec, probe_interpreter

THREADS = 8
ROUNDS = 10


class ParseSpy:
    def __init__(self, real: Callable[..., ast.AST]) -> None:
        self.real, self.inside, self.most, self.calls = real, 0, 0, 0
        self.lock = threading.Lock()

    def __call__(self, *args: object, **kwargs: object) -> ast.AST:
        with self.lock:
            self.inside += 1
            self.calls += 1
            self.most = max(self.most, self.inside)
        try:
            time.sleep(0.001)  # widen the window another thread could enter
            return self.real(*args, **kwargs)
        finally:
            with self.lock:
                self.inside -= 1


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ParseSpy:
    watcher = ParseSpy(ast.parse)
    monkeypatch.setattr(cache.ast, "parse", watcher)
    return watcher


def _snippets(folder: Path) -> list[Path]:
    (folder / "helper_a.py").write_text("import helper_b\nVALUE = [(i, {i: i}) for i in range(3)]\n")
    (folder / "helper_b.py").write_text("def f(x):\n    return {k: v for k, v in x.items()}\n")
    paths = []
    for i in range(THREADS):
        path = folder / f"s{i}.py"
        path.write_text(f"import helper_a\nprint({i}, helper_a.VALUE)\n" + "x = ((((1))))\n" * i)
        paths.append(path)
    return paths


def test_keys_are_computed_one_parse_at_a_time(tmp_path: Path, spy: ParseSpy) -> None:
    paths = _snippets(tmp_path)
    interpreter = probe_interpreter(__import__("sys").executable)
    specs = [parse_spec(p, p.read_text(), p.name) for p in paths]
    expected = {s.path: cache_key(s, tmp_path, interpreter) for s in specs}
    barrier = threading.Barrier(THREADS)

    def keys(spec_index: int) -> list[str]:
        barrier.wait()  # start together
        spec = specs[spec_index]
        return [cache_key(spec, tmp_path, interpreter) for _ in range(ROUNDS)]

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(keys, range(THREADS)))
    assert spy.calls >= THREADS * ROUNDS * 3  # each key parses the snippet and two helpers
    assert spy.most == 1, f"{spy.most} threads were inside ast.parse at once"
    for spec, found in zip(specs, results, strict=True):
        assert set(found) == {expected[spec.path]}  # same inputs, same key, every time
