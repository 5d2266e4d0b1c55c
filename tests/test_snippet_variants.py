"""Each snippet's claims can fail: a broken variant of the real snippet must fail the named claim.

A variant is the real snippet with a few source substitutions (each must match, so a
variant never silently stops applying) and, optionally, a shell line run before the
interpreter (``ulimit``, an environment switch): the runner pins the environment, so
switches go through a small wrapper script passed as the snippet interpreter.
``tests/test_snippet_claims.py`` shows the unmodified snippets pass; this file shows the
same checks reject a world where the claim is false.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from obsidian_kb.snippets import SnippetRunner

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets"


@dataclass(frozen=True)
class Variant:
    """A snippet changed so that one claim is false, and the claim that must notice."""

    snippet: str
    breaks: str  # what the change makes untrue, in words
    claim: str  # a substring of the claim name (``name = ...`` in the snippet header)
    replace: tuple[tuple[str, str], ...] = ()
    shell: str = ""  # run by the wrapper before exec'ing the interpreter
    problem: str = ""  # instead of a claim: a substring of the problem the runner must report
    cores: int = 1  # usable CPUs the broken world needs to show (a parallel speed-up needs two)


FEWER_RUNS = ("# repeat = 15", "# repeat = 3")
# Busy for {0} seconds of *this thread's* CPU time: holds the GIL, so threads cannot overlap it.
SPIN = "t_end = time.thread_time() + {0}\n{1}while time.thread_time() < t_end:\n{1}    pass"

VARIANTS = [
    Variant("tpe_shared_list.py", "no shutdown(wait=True): the list is read while tasks still run",
            "result()를 한 번도 부르지 않아도",
            (("    with pool:  # 블록을 나갈 때 pool.shutdown(wait=True)",
              "    if True:  # shutdown 없음"),)),
    Variant("race_counter.py", "a call between read and write of the bare counter", "맨 counter += 1",
            (FEWER_RUNS, ("        counter += 1\n", "        counter = identity(counter) + 1\n"))),
    Variant("race_counter.py", "no call between read and write", "함수 호출만 끼어도",
            (FEWER_RUNS, ("current = identity(current)  #", "current = current  #"))),
    Variant("race_counter.py", "the 'locked' version without its lock", "락이 있으면 손실이 없다",
            (FEWER_RUNS, ("        with lock:  # 읽기-쓰기 전체를", "        if True:  # 읽기-쓰기 전체를"))),
    Variant("gc_refcount_cycles.py", "no cycle: del alone frees both nodes", "순환을 회수하고",
            (("a.other, b.other = b, a  # a <-> b 순환", "pass"),)),
    Variant("gc_refcount_cycles.py", "the opposite version story for immortal None", "불멸 객체",
            (("immortal = sys.version_info >= (3, 12)", "immortal = sys.version_info < (3, 12)"),)),
    Variant("thread_stack_maps.py", "every thread reported on the first thread's stack", "자기만의 스택 매핑",
            (("                sps[t.name] = sp\n",
              "                sps[t.name] = _maps.thread_stack_pointer(threads[0].native_id) or sp\n"),)),
    Variant("thread_ids.py", "the main thread's Python ident instead of its kernel TID", "TID는 PID와 같다",
            (("main_tid = threading.get_native_id()", "main_tid = threading.get_ident()"),)),
    Variant("memory_layout_maps.py", "a pymalloc object instead of the static None", "None(정적 C 변수",
            (("m = _maps.find(id(None), maps)", "m = _maps.find(id(object()), maps)"),)),
    Variant("memory_layout_maps.py", "a 64 KiB buffer, below glibc's mmap threshold", "32 MiB bytearray",
            (("big = bytearray(32 * 1024 * 1024)", "big = bytearray(64 * 1024)"),)),
    Variant("process_memory_isolation.py", "a thread instead of a child process",
            "부모의 리스트 길이는 그대로",
            (("import multiprocessing as mp\n", "import multiprocessing as mp\nimport threading\n"),
             ("    p = ctx.Process(target=child, args=(child_conn,))\n",
              "    p = threading.Thread(target=child, args=(child_conn,))\n    p.exitcode = 0\n"))),
    Variant("pymalloc_arenas.py", "73-byte bytes objects (80-byte class) instead of floats",
            "32바이트 크기 등급",
            (("keep[i] = float(i)", "keep[i] = bytes(40)"),)),
    Variant("pymalloc_arenas.py", "bytes objects instead of floats: tracemalloc sees another request size",
            "tracemalloc은 요청한 크기", (("keep[i] = float(i)", "keep[i] = bytes(40)"),)),
    Variant("heap_where_objects_live.py", "PYTHONMALLOC=malloc: small objects come from glibc's [heap]",
            "작은 객체", shell="export PYTHONMALLOC=malloc"),
    Variant("thread_stack_size.py",
            "threads measured one after another under ulimit -s 4096 (stack cache reuse)",
            "stack_size(1 MiB)로 띄운",
            (("default, custom = stack_mappings([0, 1 * MiB])",
              # glibc reuses a stack only once the kernel has cleared the exited thread's tid;
              # Thread.join() returns before that, so wait for the task itself to go
              "default = stack_mappings([0])[0]\n"
              "    for _ in range(500):\n"
              "        if len(os.listdir('/proc/self/task')) == 1:\n"
              "            break\n"
              "        time.sleep(0.01)\n"
              "    custom = stack_mappings([1 * MiB])[0]"),),
            shell="ulimit -s 4096"),
    Variant("pickle_lambda.py", "the opposite version story for nested functions", "중첩 함수",
            (("expected = pickle.PicklingError if sys.version_info >= (3, 14) else AttributeError",
              "expected = AttributeError if sys.version_info >= (3, 14) else pickle.PicklingError"),)),
    Variant("gil_cpu_vs_io.py", "the 'sleeping' threads spin and hold the GIL", "잠자는 스레드 4개는",
            (("        time.sleep(SLEEP_SECONDS)\n",
              "        " + SPIN.format("SLEEP_SECONDS", "        ") + "\n"),)),
    Variant("gil_cpu_vs_io.py", "the threads do a quarter of the work, as if they ran faster",
            "순차 실행보다 빠르지 않다",
            (("cpu.append(cpu_work())", "cpu.append(cpu_work(LOOPS // 4))"),)),
    Variant("gil_cpu_vs_io.py", "the process pool has one worker: the tasks run one after another",
            "프로세스는 그 라운드에 쓸 수 있던 코어 k개",
            (("pool = ProcessPoolExecutor(max_workers=CPU_TASKS)",
              "pool = ProcessPoolExecutor(max_workers=1)"),),
            cores=2),
    Variant("executor_compare.py", "the process pool has one worker: the tasks run one after another",
            "프로세스 풀은",
            (('("process_pool", ProcessPoolExecutor)',
              '("process_pool", lambda max_workers: ProcessPoolExecutor(max_workers=1))'),),
            cores=2),
    Variant("executor_compare.py", "the I/O tasks spin and hold the GIL", "I/O 대기 작업 4개를",
            (("    time.sleep(seconds)  #", "    " + SPIN.format("seconds", "    ") + "  #"),)),
    Variant("ipc_pipe.py", "the child reports its parent's PID", "파이프 양 끝의 PID",
            (('"?", "pid": os.getpid()})', '"?", "pid": os.getppid()})'),)),
    Variant("process_pids.py", "every worker reports its parent's PID as its own", "워커 프로세스의 PID는",
            (("queue.put((idx, os.getpid(), os.getppid()))",
              "queue.put((idx, os.getppid(), os.getppid()))"),)),
    Variant("ipc_shared_memory.py", "the child writes into a private buffer, not the shared block",
            "자식이 쓴 바이트를 부모가",
            (("    shm.buf[: len(payload)] = payload", "    bytearray(64)[: len(payload)] = payload"),)),
    Variant("ipc_queue.py", "every producer reports the same PID", "생산자 프로세스 3개의 PID",
            (("q.put((n, i, os.getpid()))", "q.put((n, i, 0))"),)),
    Variant("ipc_socketpair.py", "the child echoes without upper-casing", "대문자로 바꿔",
            (("sock.sendall(data.upper() +", "sock.sendall(data +"),)),
    Variant("leak_tracemalloc.py", "the cache keeps one entry: no leak", "누수 버전은",
            (("        _cache[user_id] = f\"<profile",
              "        _cache.clear()\n        _cache[user_id] = f\"<profile"),)),
    Variant("leak_weakref_listeners.py", "a closure that keeps the method alive instead of WeakMethod",
            "WeakMethod로 등록하면",
            (("weak_listeners.append(weakref.WeakMethod(self.on_event))",
              "weak_listeners.append((lambda m: (lambda: m))(self.on_event))"),)),
    Variant("race_bytecode.py", "a call inside the bare increment", "counter += 1은 읽기와 쓰기 사이에",
            (("    global counter\n    counter += 1\n",
              "    global counter\n    counter += identity(1)\n"),)),
    Variant("stack_recursion_limit.py", "the recursion stops at depth 500 by itself", "한도에 가깝다",
            (("    dive(n + 1)\n", "    if n < 500:\n        dive(n + 1)\n"),)),
    Variant("stack_python_vs_c.py", "every tenth Python call goes through map()", "파이썬 재귀 5만 단계에도",
            (("    return python_recursion(n - 1)\n",
              "    if n % 10 == 0:\n        return next(map(python_recursion, [n - 1]))\n"
              "    return python_recursion(n - 1)\n"),)),
    Variant("thread_exception.py", "no excepthook installed", "excepthook이 예외를 받았다",
            (("    threading.excepthook = hook", "    pass"),)),
    Variant("thread_os_exit.py", "SystemExit in the thread ends only that thread", "",
            (("    os._exit(3)\n", "    raise SystemExit(3)\n"),),
            problem="종료 코드 0, 기대한 것은 종료 코드 3"),
    # the snippets of the notes added in the second edition
    Variant("queue_producer_consumer.py", "one sentinel too few", "센티널을 받고 끝난다",
            (("    for _ in consumers:\n        q.put(STOP)",
              "    for _ in consumers[1:]:\n        q.put(STOP)"),)),
    Variant("sync_deadlock_tools.py", "the 'opposite order' case takes the locks in the same order", "교착",
            (("two_locks((l1, l2), (l2, l1))", "two_locks((l1, l2), (l1, l2))"),)),
    Variant("sync_deadlock_tools.py", "a plain Lock where the RLock should be", "RLock은 같은 스레드가",
            (("lock, rlock = threading.Lock(), threading.RLock()",
              "lock, rlock = threading.Lock(), threading.Lock()"),)),
    Variant("create_switch_cost.py", "the 'fork process' is really a thread", "fork 프로세스 하나를",
            (('"fork process": lambda: fork.Process(target=nothing)',
              '"fork process": lambda: threading.Thread(target=nothing)'),)),
    Variant("daemon_shutdown_signals.py", "the 'daemon' thread is not a daemon", "데몬 스레드는 종료 때",
            (('args=("daemon", 2.0), daemon=True', 'args=("daemon", 2.0), daemon=False'),)),
    Variant("asyncio_threads_processes.py", "the coroutine blocks in time.sleep",
            "asyncio는 순차 시간의 0.3배",
            (("    await asyncio.sleep(seconds)  #", "    time.sleep(seconds)  #"),)),
    Variant("cow_fork_gc_freeze.py", "no gc.freeze() before fork", "gc.freeze()를 하면",
            (("        gc.freeze()  #", "        pass  #"),)),
    Variant("mp_shared_state.py", "a private mapping instead of a shared one", "fork 전에 만든 mmap",
            (("buf = mmap.mmap(-1, 64)",
              "buf = mmap.mmap(-1, 64, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)"),)),
    Variant("rss_pss_uss.py", "the 64 MiB is never touched", "64 MiB를 건드리면",
            (("        area[off] = 1  #", "        pass  #"),)),
    Variant("interpreters_and_gil.py", "the code runs in the main interpreter instead",
            "서브인터프리터에서 만든",
            (("    mod.run_string(interp, code)", "    exec(code, vars(sys.modules['__main__']))"),)),
]


def _wrapper(tmp: Path, shell: str) -> str | None:
    """A tiny interpreter wrapper that runs ``shell`` first (the runner pins the environment)."""
    if not shell:
        return None
    script = tmp / "python-variant"
    script.write_text(f"#!/bin/sh\n{shell}\nexec {shlex.quote(sys.executable)} \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def _run_variant(tmp: Path, variant: Variant):
    folder = tmp / "snippets"
    folder.mkdir()
    for helper in SNIPPETS.glob("_*.py"):
        shutil.copy(helper, folder / helper.name)
    source = (SNIPPETS / variant.snippet).read_text(encoding="utf-8")
    for old, new in variant.replace:
        assert old in source, f"{variant.snippet}: the variant no longer applies: {old!r} is gone"
        source = source.replace(old, new)
    target = folder / variant.snippet
    target.write_text(source, encoding="utf-8")
    python = _wrapper(tmp, variant.shell)
    with SnippetRunner(folder, tmp / "cache", fresh=True, jobs=1, python=python) as runner:
        return runner.report(target)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the variants use /proc and fork")
@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{v.snippet}:{v.breaks}" for v in VARIANTS])
def test_broken_variant_fails_its_claim(variant: Variant, tmp_path: Path) -> None:
    if len(os.sched_getaffinity(0)) < variant.cores:
        pytest.skip(f"needs {variant.cores} usable CPUs")
    report = _run_variant(tmp_path, variant)
    if variant.problem:  # a header expectation such as ``exit = 3`` rather than an [[expect]]
        problems = [str(p) for p in report.problems]
        assert any(variant.problem in p for p in problems), problems
        return
    named = [c for c in report.claims if variant.claim in c.name]
    assert named, f"no claim named like {variant.claim!r} in {variant.snippet}"
    assert any(not c.passed for c in named), (
        f"{variant.snippet} with '{variant.breaks}' still passes "
        + "; ".join(f"{c.name}: {c.detail}" for c in named)
    )


def _mimalloc_python() -> str | None:
    """A 3.13+ interpreter that accepts PYTHONMALLOC=mimalloc (KB_MIMALLOC_PYTHON names one)."""
    names = [os.environ.get("KB_MIMALLOC_PYTHON", ""), sys.executable, "python3.14", "python3.13"]
    for name in filter(None, names):
        path = shutil.which(name)
        if path is None:
            continue
        probe = subprocess.run([path, "-c", "import sys; assert sys.version_info >= (3, 13)"],
                               env={**os.environ, "PYTHONMALLOC": "mimalloc"}, capture_output=True)
        if probe.returncode == 0:
            return path
    return None


@pytest.mark.parametrize("name", ["pymalloc_arenas.py", "heap_where_objects_live.py"])
def test_heap_snippets_hold_under_mimalloc(name: str, tmp_path: Path) -> None:
    python = _mimalloc_python()
    if python is None:
        pytest.skip("no Python 3.13+ here to run with PYTHONMALLOC=mimalloc (set KB_MIMALLOC_PYTHON)")
    wrapper = tmp_path / "python-mimalloc"
    wrapper.write_text(f"#!/bin/sh\nexport PYTHONMALLOC=mimalloc\nexec {shlex.quote(python)} \"$@\"\n",
                       encoding="utf-8")
    wrapper.chmod(0o755)
    with SnippetRunner(SNIPPETS, tmp_path / "cache", fresh=True, jobs=1, python=str(wrapper)) as runner:
        report = runner.report(SNIPPETS / name)
    failed = "\n".join(f"✘ {c.name}: {c.detail}" for c in report.claims if not c.passed)
    assert report.ok, f"{name} under mimalloc:\n" + "\n".join(map(str, report.problems)) + failed
    assert "mimalloc" in report.runs[0].stdout


NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "노트북으로 보는 프로세스.ipynb"


def _first_code_cell() -> str:
    import json

    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


@pytest.mark.parametrize("broken", [False, True], ids=["as written", "kernel reported as its own parent"])
def test_notebook_pid_check_can_fail(broken: bool) -> None:
    """The notebook's first cell asserts the kernel is a child of its parent; a variant must fail it."""
    source = _first_code_cell()
    old = "kernel, parent = os.getpid(), os.getppid()"
    assert old in source
    if broken:
        source = source.replace(old, "kernel, parent = os.getppid(), os.getppid()")
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=60)
    assert (done.returncode != 0) == broken, done.stdout + done.stderr


def test_every_snippet_has_a_broken_variant() -> None:
    """A new snippet needs a variant here too: a claim nobody has seen fail is not yet a check."""
    programs = {p.name for p in SNIPPETS.glob("*.py") if not p.name.startswith("_")}
    assert sorted(programs - {v.snippet for v in VARIANTS}) == []
