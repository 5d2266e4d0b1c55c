"""Run one snippet once, in a fresh interpreter, and record what happened.

Isolation, and its limits (say them plainly):

- The file runs as ``python x.py`` in its folder's copy, so ``__main__`` is the
  file and multiprocessing works under fork, spawn and forkserver alike.
- ``cwd`` is a throw-away copy of the script's own folder (see :mod:`.workdir`),
  and the script runs from there as ``python script.py``: relative reads, globs,
  ``ls`` and sibling scripts behave as in a direct run, while relative writes
  land in the copy and are deleted with it. The copy's path is written back as
  the original folder's path in the captured output, so tracebacks and printed
  paths read as a direct run's. Absolute paths cannot be prevented without a
  sandbox; the snippet runs with the builder's user rights.
- The build interpreter's ``bin`` folder comes first on ``PATH``, so a child
  started as ``python3`` is the same Python (the provenance line says whether
  that held).
- The environment is built from scratch (only PATH and HOME pass through) so
  output does not depend on the author's shell.
- Memory: ``RLIMIT_AS`` (address space) = ``memory_mb`` is applied with
  ``prlimit`` right after the child starts (microseconds of start-up run
  unlimited; children inherit the limit). We avoid ``preexec_fn`` because it is
  unsafe when the build runs several threads.
- Processes: ``RLIMIT_NPROC`` counts every process of the *user*, so instead we
  sample the child's descendants every 100 ms and kill the tree once it holds
  more than ``max_procs`` processes. A fork bomb faster than the sample rate
  can briefly overshoot.
- Timeouts kill the whole process group (SIGTERM, 0.5 s grace, SIGKILL) plus
  every descendant we have seen, including ones that left the group with
  ``setsid``. A descendant that both left the group and was orphaned before a
  sample saw it cannot be found.
- After the child exits, output is read until every pipe of the tree closes
  (a child may print after its parent is gone), bounded by the same timeout;
  a process still holding a pipe then is killed and the run counts as timed
  out. Whatever is left of the group is killed, so nothing outlives a run.
- ``peak_rss_kb`` is ``ru_maxrss`` from ``os.wait4`` on the direct child: the
  largest peak of the child and of descendants it reaped itself (a maximum,
  not a sum; Linux reports both for ``wait4``). Caveat,
  measured: Linux carries the *launching* process's high-water mark across
  fork+exec, so the figure is never below the builder's own peak RSS at launch
  (``launcher_rss_kb``). When ``peak_rss_kb <= launcher_rss_kb`` it is only an
  upper bound (``peak_rss_exact`` is False). ``tree_peak_rss_kb`` is the sum
  over the tree, sampled every 100 ms (misses short peaks, 0 for fast runs).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from . import interrupt
from .spec import SnippetSpec
from .workdir import copy_folder, plan_copy

RUNNER_VERSION = "2"  # bump when a change alters what a run records
FIGURE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".gif")
KILL_GRACE_S = 0.5  # SIGTERM -> SIGKILL
PIPE_GRACE_S = 1.0  # reading what killed writers left in the pipes
SAMPLE_FIRST_S = 0.05  # trivial snippets finish before the first sample: no overhead
SAMPLE_EVERY_S = 0.1
INTERRUPT_POLL_S = 0.25  # how soon a run notices Ctrl-C when nothing else wakes it
_READ_SIZE = 65536
TRUNCATED_MARK = "[… 출력이 잘림:"


class RunnerError(Exception):
    """The runner could not start the interpreter at all."""


@dataclass(frozen=True)
class Figure:
    """An image the snippet saved into ``$KB_FIGURES_DIR``."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Interpreter:
    """Facts about the interpreter that runs snippets, asked from that interpreter."""

    executable: str
    version: str  # sys.version
    implementation: str
    platform: str
    cpu_count: int | None
    start_method: str  # multiprocessing default in a fresh child


@dataclass(frozen=True)
class RunResult:
    """One execution of one snippet."""

    vault_path: str
    stdout: str
    stderr: str
    exit_code: int | None  # None when killed by a signal
    signal: int | None
    timed_out: bool
    duration_s: float
    peak_rss_kb: int
    tree_peak_rss_kb: int
    started_at: str  # UTC ISO 8601
    python_version: str
    python_implementation: str
    platform: str
    cpu_count: int | None
    start_method: str
    figures: tuple[Figure, ...] = ()
    launcher_rss_kb: int = 0  # the runner's own peak RSS when it launched the child
    stdout_dropped: int = 0  # bytes over output_limit, not kept
    stderr_dropped: int = 0
    killed_reason: str | None = None  # "제한 시간 2 s 초과", "프로세스 64개 초과"
    from_cache: bool = False
    same_python_on_path: bool = True  # ``python3`` on the snippet's PATH is this interpreter
    interrupted: bool = False  # killed because the build was interrupted (never cached)

    @property
    def stdout_truncated(self) -> bool:
        return self.stdout_dropped > 0

    @property
    def stderr_truncated(self) -> bool:
        return self.stderr_dropped > 0

    @property
    def peak_rss_exact(self) -> bool:
        # below the launcher's high-water mark the kernel figure is the launcher's
        return self.peak_rss_kb > self.launcher_rss_kb

    @property
    def signal_name(self) -> str | None:
        if self.signal is None:
            return None
        try:
            return signal.Signals(self.signal).name
        except ValueError:
            return f"signal {self.signal}"

    @property
    def status_text(self) -> str:
        """How the run ended, in the site's language (Korean)."""
        if self.interrupted:
            return "빌드 중단으로 종료"
        if self.timed_out or self.killed_reason:
            return f"강제 종료: {self.killed_reason or '제한 시간 초과'}"
        if self.signal is not None:
            return f"{self.signal_name} 시그널로 종료"
        return f"종료 코드 {self.exit_code}"


_probe_lock = threading.Lock()
#: keyed on the interpreter's path and its file's identity: a rebuild under ``mkdocs serve``
#: after the interpreter was upgraded or replaced probes the new one, not a stale answer
_probe_cache: dict[tuple[str, int, int], Interpreter] = {}
_PROBE = (
    "import json, multiprocessing, os, platform, sys;"
    "print(json.dumps([sys.version, platform.python_implementation(), platform.platform(),"
    " os.cpu_count(), multiprocessing.get_start_method()]))"
)


def probe_interpreter(python: str) -> Interpreter:
    """Ask ``python`` once (cached per process) for its version and start method."""
    try:
        st = os.stat(python)
        key = (python, st.st_ino, st.st_mtime_ns)
    except OSError:
        key = (python, 0, 0)
    with _probe_lock:
        if key in _probe_cache:
            return _probe_cache[key]
        env = {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8"}
        try:
            out = subprocess.run(
                [python, "-c", _PROBE], env=env, capture_output=True, text=True,
                timeout=30, check=True, stdin=subprocess.DEVNULL,
            ).stdout
        except (OSError, subprocess.SubprocessError) as err:
            raise RunnerError(f"cannot run the snippet interpreter {python!r}: {err}") from err
        version, impl, plat, cpus, method = json.loads(out)
        info = Interpreter(python, version, impl, plat, cpus, method)
        _probe_cache[key] = info
        return info


def build_env(snippets_dir: Path, figures_dir: Path, python: str) -> dict[str, str]:
    """The pinned environment every snippet sees (pure apart from PATH/HOME)."""
    path = os.environ.get("PATH", os.defpath)
    # the build interpreter first: a child started as ``python3`` is the same Python
    path = os.pathsep.join([str(Path(python).parent), path])
    return {
        "PATH": path,
        "HOME": os.environ.get("HOME", str(figures_dir.parent)),
        "PYTHONHASHSEED": "0",
        "PYTHONUTF8": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(snippets_dir),
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "MPLBACKEND": "Agg",
        "KB_FIGURES_DIR": str(figures_dir),
    }


def same_python_on_path(python: str, path: str) -> bool:
    """Whether ``python3`` found on ``path`` is ``python``: the same binary in the same
    ``bin`` folder (a venv's ``python3`` and the base one are the same file, not the same
    Python)."""
    found = shutil.which("python3", path=path)
    if found is None:
        return False
    try:
        return Path(found).parent == Path(python).parent and os.path.samefile(found, python)
    except OSError:
        return False


def decode_output(data: bytes, dropped: int, limit: int) -> str:
    """UTF-8 with undecodable bytes shown as ``\\xff``; a visible marker when cut."""
    text = data.decode("utf-8", errors="backslashreplace")
    if dropped:
        if not text.endswith("\n"):
            text += "\n"
        text += f"{TRUNCATED_MARK} {dropped}바이트를 더 버림 (output_limit = {limit}) …]\n"
    return text


def run_once(spec: SnippetSpec, *, snippets_dir: Path, python: str | None = None,
             groups: set[int] | None = None) -> RunResult:
    """Execute ``spec.path`` once and return what it printed, how it ended and what it cost.

    ``groups``, when given, holds the run's process group id while it runs, so its owner
    (one runner of one build) can kill exactly its own runs.

    Raises :class:`~.workdir.WorkdirTooLarge` when the script's folder is over the copy limit.
    """
    python = python or sys.executable
    info = probe_interpreter(python)
    folder = spec.path.parent
    plan = plan_copy(folder)
    with tempfile.TemporaryDirectory(prefix="obsidian-kb-snippet-") as tmp:
        work = Path(tmp, "run", folder.name or "folder")
        figures_dir = Path(tmp, "figures")
        work.mkdir(parents=True)
        figures_dir.mkdir()
        copy_folder(plan, work)
        env = build_env(snippets_dir, figures_dir, python)
        same_python = same_python_on_path(python, env["PATH"])
        launcher_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        t0 = time.monotonic()
        if interrupt.stopping():
            raise RunnerError("the build was interrupted")
        try:
            proc = subprocess.Popen(
                [python, spec.path.name],  # as typed in a shell: ``python3 script.py``
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: one killpg ends the tree
                close_fds=True,
            )
        except OSError as err:
            raise RunnerError(f"cannot start {python!r}: {err}") from err
        interrupt.register(proc.pid)
        if groups is not None:
            groups.add(proc.pid)
        try:
            limit = spec.memory_mb * 1024 * 1024
            with contextlib.suppress(OSError):
                resource.prlimit(proc.pid, resource.RLIMIT_AS, (limit, limit))
            watch = _Watch(proc, spec, t0)
            watch.run()
        finally:
            interrupt.unregister(proc.pid)
            if groups is not None:
                groups.discard(proc.pid)
        figures = _collect_figures(figures_dir)
        streams = [_unmask(bytes(b), work, folder) for b in watch.buffers]
    code = watch.status
    return RunResult(
        vault_path=spec.vault_path,
        stdout=decode_output(streams[0], watch.dropped[0], spec.output_limit),
        stderr=decode_output(streams[1], watch.dropped[1], spec.output_limit),
        exit_code=code if code is not None and code >= 0 else None,
        signal=-code if code is not None and code < 0 else None,
        timed_out=watch.timed_out,
        duration_s=round(watch.duration, 4),
        peak_rss_kb=watch.peak_rss_kb,
        tree_peak_rss_kb=watch.tree_peak_rss_kb,
        launcher_rss_kb=launcher_rss_kb,
        started_at=started_at,
        python_version=info.version,
        python_implementation=info.implementation,
        platform=info.platform,
        cpu_count=info.cpu_count,
        start_method=info.start_method,
        figures=figures,
        stdout_dropped=watch.dropped[0],
        stderr_dropped=watch.dropped[1],
        killed_reason=watch.killed_reason,
        same_python_on_path=same_python,
        interrupted=interrupt.stopping() and code is not None and code == -signal.SIGKILL,
    )


def _unmask(data: bytes, copy: Path, original: Path) -> bytes:
    """Show the copy's path as the original folder's, as a direct run would print it."""
    for shown in {str(copy.resolve()), str(copy)}:
        data = data.replace(os.fsencode(shown), os.fsencode(str(original)))
    return data


class _Watch:
    """One select loop: drain both pipes, notice the exit, sample the tree, enforce limits."""

    def __init__(self, proc: subprocess.Popen[bytes], spec: SnippetSpec, t0: float) -> None:
        self.proc, self.spec, self.t0 = proc, spec, t0
        self.buffers = [bytearray(), bytearray()]
        self.dropped = [0, 0]
        self.status: int | None = None  # waitstatus_to_exitcode
        self.duration = 0.0
        self.peak_rss_kb = 0
        self.tree_peak_rss_kb = 0
        self.timed_out = False
        self.killed_reason: str | None = None
        self.seen: dict[int, psutil.Process] = {}  # every descendant ever sampled
        self.sel = selectors.DefaultSelector()
        self.open_streams = 0

    def run(self) -> None:
        proc = self.proc
        assert proc.stdout is not None and proc.stderr is not None
        for index, stream in enumerate((proc.stdout, proc.stderr)):
            os.set_blocking(stream.fileno(), False)
            self.sel.register(stream, selectors.EVENT_READ, index)
            self.open_streams += 1
        pidfd: int | None
        try:
            pidfd = os.pidfd_open(proc.pid)
            self.sel.register(pidfd, selectors.EVENT_READ, "exit")
        except (AttributeError, OSError):
            pidfd = None  # old kernel: poll with WNOHANG below
        try:
            self._loop(pidfd is not None)
        finally:
            self._finish()
            if pidfd is not None:
                with contextlib.suppress(KeyError, ValueError):
                    self.sel.unregister(pidfd)
                os.close(pidfd)
            self.sel.close()
            proc.stdout.close()
            proc.stderr.close()

    def _loop(self, have_pidfd: bool) -> None:
        deadline = self.t0 + self.spec.timeout
        next_sample = self.t0 + SAMPLE_FIRST_S
        while self.open_streams or self.status is None:
            now = time.monotonic()
            if interrupt.stopping():
                return  # Ctrl-C: _finish kills what is left, escaped descendants included
            if self.status is None and not have_pidfd:
                self._reap(os.WNOHANG)
                if self.status is not None:
                    continue
            if now >= deadline:
                self.timed_out = True
                if self.status is None:
                    self.killed_reason = f"제한 시간 {self.spec.timeout:g} s 초과"
                else:  # the script ended, a process it started still holds the output
                    self.killed_reason = (f"제한 시간 {self.spec.timeout:g} s 초과: 스크립트가 끝난 뒤에도 "
                                          f"자식 프로세스가 출력을 붙잡고 있었다")
                return
            if now >= next_sample and self.status is None:
                next_sample = now + SAMPLE_EVERY_S
                if not self._sample():
                    return
            wake = min(deadline, next_sample if self.status is None else deadline)
            if not have_pidfd and self.status is None:
                wake = min(wake, now + 0.01)
            wake = min(wake, now + INTERRUPT_POLL_S)
            for key, _ in self.sel.select(max(0.0, wake - now)):
                if key.data == "exit":
                    self.sel.unregister(key.fileobj)
                    self._reap(0)  # the pidfd is readable: wait4 returns at once
                else:
                    self._read(key)

    def _read(self, key: selectors.SelectorKey) -> None:
        index = key.data
        try:
            chunk = os.read(key.fd, _READ_SIZE)
        except BlockingIOError:
            return
        if not chunk:
            self.sel.unregister(key.fileobj)
            self.open_streams -= 1
            return
        buf = self.buffers[index]
        room = self.spec.output_limit - len(buf)
        if room > 0:
            buf += chunk[:room]
        # keep draining past the limit so the writer never blocks on a full pipe
        self.dropped[index] += max(0, len(chunk) - max(room, 0))

    def _reap(self, flags: int) -> None:
        try:
            pid, status, usage = os.wait4(self.proc.pid, flags)
        except ChildProcessError:
            return
        if pid == 0:
            return
        self.duration = time.monotonic() - self.t0
        self.status = os.waitstatus_to_exitcode(status)
        self.peak_rss_kb = usage.ru_maxrss  # KiB on Linux; the child's own peak
        self.proc.returncode = self.status  # we reaped it; keep Popen from trying again

    def _sample(self) -> bool:
        """Record descendants and their memory; False when the process limit is exceeded."""
        try:
            root = psutil.Process(self.proc.pid)
            kids = root.children(recursive=True)
        except psutil.Error:
            return True
        rss = 0
        for p in [root, *kids]:
            self.seen.setdefault(p.pid, p)
            with contextlib.suppress(psutil.Error):
                rss += p.memory_info().rss
        self.tree_peak_rss_kb = max(self.tree_peak_rss_kb, rss // 1024)
        if len(kids) + 1 > self.spec.max_procs:
            self.killed_reason = f"프로세스 {self.spec.max_procs}개 초과 (max_procs)"
            return False
        return True

    def _finish(self) -> None:
        """Kill whatever is left of the tree, reap the child, drain the pipes to EOF."""
        pgid = self.proc.pid
        leftovers = self.status is None or self.open_streams > 0 or _group_exists(pgid)
        if leftovers:
            _kill_tree(pgid, self._snapshot())
        if self.status is None:
            self._reap(0)
        # every writer is dead now (or escaped); read what they left, bounded in time
        end = time.monotonic() + PIPE_GRACE_S
        while self.open_streams and time.monotonic() < end:
            for key, _ in self.sel.select(max(0.0, end - time.monotonic())):
                if key.data != "exit":
                    self._read(key)

    def _snapshot(self) -> list[psutil.Process]:
        procs = dict(self.seen)
        with contextlib.suppress(psutil.Error):
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                procs.setdefault(p.pid, p)
        procs.pop(self.proc.pid, None)  # the child itself is killed via its group
        return list(procs.values())


def _group_exists(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _kill_tree(pgid: int, known: list[psutil.Process]) -> None:
    """SIGTERM the group and known descendants, wait briefly, then SIGKILL what lives."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, sig)
        for p in known:
            with contextlib.suppress(psutil.Error):
                if p.is_running():  # is_running() checks the create time: no pid reuse
                    p.send_signal(sig)
        if sig == signal.SIGKILL:
            break
        end = time.monotonic() + KILL_GRACE_S
        while time.monotonic() < end and (_alive(known) or _group_has_living(pgid)):
            time.sleep(0.01)


def _alive(procs: list[psutil.Process]) -> bool:
    for p in procs:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                return True
    return False


def _group_has_living(pgid: int) -> bool:
    # zombies (our reaped-later child, orphans under a non-reaping init) still answer
    # killpg(0); look at their states so the grace period ends as soon as all are dead
    if not _group_exists(pgid):
        return False
    for p in psutil.process_iter(["status"]):
        with contextlib.suppress(psutil.Error):
            if os.getpgid(p.pid) == pgid and p.info["status"] != psutil.STATUS_ZOMBIE:
                return True
    return False


def _collect_figures(figures_dir: Path) -> tuple[Figure, ...]:
    found = []
    for path in sorted(figures_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in FIGURE_SUFFIXES:
            found.append(Figure(path.relative_to(figures_dir).as_posix(), path.read_bytes()))
    return tuple(found)
