"""Schedule snippets in the background: ``start`` early, ``report`` when a page needs one.

Threads (not processes) are enough: each worker thread only waits on its own
subprocess. Concurrency is capped by ``jobs``; an ``alone = true`` snippet
takes every slot (a readers-writer lock with writers first), so its time and
memory figures are not disturbed by other snippets.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psutil

from .cache import RunCache, cache_key
from .claims import SnippetReport, judge
from .runner import RunResult, probe_interpreter, run_once
from .spec import Problem, SnippetSpec, SpecError, parse_spec

PROGRESS_EVERY_S = 1.0


class SlotLock:
    """Shared slots for normal snippets, all slots for ``alone`` ones; writers first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


class SnippetRunner:
    """Run snippets of one folder with a cache; thread-safe.

    Reports are keyed by the resolved absolute path of the snippet file.
    ``fresh=None`` reads ``KB_SNIPPETS_FRESH`` (``1`` = ignore cached runs).
    """

    def __init__(
        self,
        snippets_dir: Path,
        cache_dir: Path,
        *,
        vault_prefix: str = "snippets",
        jobs: int | None = None,
        fresh: bool | None = None,
        python: str | None = None,
        progress: Callable[[str], None] | None = None,
        execute: bool = True,
    ) -> None:
        self.snippets_dir = Path(snippets_dir).resolve()
        self.cache = RunCache(Path(cache_dir))
        self.vault_prefix = vault_prefix.strip("/")
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.fresh = os.environ.get("KB_SNIPPETS_FRESH") == "1" if fresh is None else fresh
        self.python = python or sys.executable
        self.progress = progress
        self.execute = execute  # False: show snippets without running them (the runner decides how)
        self._executor = ThreadPoolExecutor(max_workers=self.jobs,
                                            thread_name_prefix="kb-snippet")
        self._slots = SlotLock()
        self._lock = threading.Lock()
        self._futures: dict[Path, Future[SnippetReport]] = {}
        self._done = 0
        self._cached = 0
        self._last_progress = 0.0
        self._cancelled = False

    # -- public API -------------------------------------------------------------

    def start(self, paths: Iterable[Path | str]) -> None:
        """Schedule every path in the background and return at once."""
        for path in paths:
            self._submit(self._resolve(path))

    def report(self, path: Path | str) -> SnippetReport:
        """Block until the snippet is done (scheduling it first if needed)."""
        return self._submit(self._resolve(path)).result()

    def wait_all(self) -> dict[Path, SnippetReport]:
        """Block until everything scheduled so far is done."""
        with self._lock:
            futures = dict(self._futures)
        return {path: fut.result() for path, fut in futures.items()}

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the runs in flight; ``cancel`` (a failed build, a shutdown) drops the queued
        ones and kills the process group of each running snippet first."""
        if cancel:
            with self._lock:
                self._cancelled = True
                running = {str(p) for p, f in self._futures.items() if not f.done()}
            self._executor.shutdown(wait=False, cancel_futures=True)
            _kill_running(running)
        self._executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> SnippetRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def vault_path(self, path: Path) -> str:
        try:
            rel = path.relative_to(self.snippets_dir).as_posix()
        except ValueError:
            return path.as_posix()
        return f"{self.vault_prefix}/{rel}" if self.vault_prefix else rel

    # -- internals --------------------------------------------------------------

    def _resolve(self, path: Path | str) -> Path:
        p = Path(path)
        if not p.is_absolute():
            parts = p.parts
            if self.vault_prefix and parts[:1] == (self.vault_prefix,) and not (
                self.snippets_dir / p
            ).exists():
                p = Path(*parts[1:]) if len(parts) > 1 else Path()
            p = self.snippets_dir / p
        return p.resolve()

    def _submit(self, path: Path) -> Future[SnippetReport]:
        with self._lock:
            fut = self._futures.get(path)
            if fut is None:
                fut = self._executor.submit(self._safe_build, path)
                self._futures[path] = fut
            return fut

    def _safe_build(self, path: Path) -> SnippetReport:
        try:
            report = self._build(path)
        except Exception as err:  # a runner bug must not take the site build down
            spec = SnippetSpec(path=path, vault_path=self.vault_path(path), source="")
            report = SnippetReport(spec, problems=(
                Problem.snippet(spec.vault_path, None, f"snippet runner failed: {err!r}"),))
        self._finished(report)
        return report

    def _build(self, path: Path) -> SnippetReport:
        vault_path = self.vault_path(path)
        try:
            source = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            spec = SnippetSpec(path=path, vault_path=vault_path, source="")
            return SnippetReport(spec, problems=(
                Problem.snippet(vault_path, None, "snippet file not found"),))
        except (OSError, UnicodeDecodeError) as err:
            spec = SnippetSpec(path=path, vault_path=vault_path, source="")
            return SnippetReport(spec, problems=(
                Problem.snippet(vault_path, None, f"cannot read snippet: {err}"),))
        try:
            spec = parse_spec(path, source, vault_path)
        except SpecError as err:
            spec = SnippetSpec(path=path, vault_path=vault_path, source=source)
            return SnippetReport(spec, problems=err.problems)

        interpreter = probe_interpreter(self.python)
        key = cache_key(spec, self.snippets_dir, interpreter)
        if not self.fresh:
            cached = self.cache.load(key)
            if cached is not None and len(cached) == spec.repeat:
                report = judge(spec, cached)
                if report.ok:
                    return report
        runs = self._run(spec)
        report = judge(spec, runs)
        if report.ok:
            self.cache.store(key, runs)
        return report

    def _run(self, spec: SnippetSpec) -> tuple[RunResult, ...]:
        slot = self._slots.exclusive if spec.alone else self._slots.shared
        runs: list[RunResult] = []
        with slot():
            for _ in range(spec.repeat):
                if self._cancelled:
                    break  # the build is over: start nothing new
                run = run_once(spec, snippets_dir=self.snippets_dir, python=self.python)
                runs.append(run)
                if run.timed_out and spec.repeat > 1:
                    break  # each further run would also hang: fail fast
        return tuple(replace(r, from_cache=False) for r in runs)

    def _finished(self, report: SnippetReport) -> None:
        if self.progress is None:
            with self._lock:
                self._done += 1
                self._cached += report.from_cache
            return
        with self._lock:
            self._done += 1
            self._cached += report.from_cache
            total = len(self._futures)
            now = time.monotonic()
            final = self._done == total
            if not final and now - self._last_progress < PROGRESS_EVERY_S:
                return
            self._last_progress = now
            message = f"snippets: {self._done}/{total} done, {self._cached} cached"
        self.progress(message)


def _kill_running(paths: set[str]) -> None:
    """Kill the process group of every child interpreter running one of ``paths``.

    Each snippet leads its own session (``start_new_session``), so its pid is its
    group id; the run's own loop then reaps it and returns a killed result."""
    if not paths:
        return
    for child in psutil.Process().children():
        try:
            if not set(child.cmdline()[1:2]) & paths:
                continue
            os.killpg(child.pid, signal.SIGKILL)
        except (psutil.Error, ProcessLookupError, PermissionError):
            continue
