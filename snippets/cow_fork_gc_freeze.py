"""fork 뒤의 copy-on-write: 파이썬은 객체를 '읽기만 해도' 공유 페이지를 더럽힌다 (리눅스 전용).

부모가 리스트 30만 개(GC가 추적하는 컨테이너)를 만든 뒤 fork 한다. 자식은 처음에 부모와 같은 물리
페이지를 함께 쓰다가, 어떤 페이지에 쓰는 순간 그 페이지만 자기 것으로 복사한다. 자식의 '자기만의 더러운
페이지'(smaps_rollup의 Private_Dirty)가 얼마나 느는지 잰다.
  read      : for x in data: pass  -> 참조 카운트를 올렸다 내리며 객체 머리(header)에 쓴다
  gc        : gc.collect()         -> 추적 중인 모든 컨테이너의 GC 머리에 쓴다
  gc+freeze : 부모가 fork 전에 gc.freeze() -> 그 객체들은 영구 세대로 옮겨져 자식의 GC가 건드리지 않는다
마지막으로, 다른 스레드가 락을 쥔 순간 fork 하면 자식에서 그 락은 영원히 잠긴 채로 남는다는 것을 보인다.
"""

# /// kb
# timeout = 90
# [[expect]]
# name = "자식이 객체를 읽기만 해도 자기만의 더러운 페이지가 수 MiB 는다 (참조 카운트 쓰기)"
# pattern = 'read\s+: private dirty \+([\d.]+) MiB'
# all = "> 4"
# [[expect]]
# name = "자식의 gc.collect()도 공유 페이지를 수 MiB 더럽힌다"
# pattern = 'gc\s+: private dirty \+([\d.]+) MiB'
# all = "> 4"
# [[expect]]
# name = "부모가 fork 전에 gc.freeze()를 하면 자식의 gc.collect()가 더럽히는 양이 1/4 아래로 준다"
# pattern = 'gc\+freeze/gc=([\d.]+)'
# all = "< 0.25"
# [[expect]]
# name = "다른 스레드가 쥐고 있던 락은 fork한 자식에서 풀리지 않는다 (그 스레드는 자식에 없다)"
# pattern = 'child could acquire the lock held by a thread at fork time: (\w+)'
# all = '== "False"'
# [[expect]]
# name = "스레드가 있는 프로세스의 fork에 3.12+는 DeprecationWarning을 내고, 3.11은 내지 않는다"
# pattern = 'fork-with-threads warning as this version does: (\w+)'
# all = '== "True"'
# ///
import gc
import os
import sys
import threading
import time
import warnings

N = 300_000


def private_dirty_kib() -> int:
    with open("/proc/self/smaps_rollup") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Private_Dirty:"))


def child_growth(data, action: str, freeze: bool) -> float:
    """fork 한 자식에서 action 전후의 Private_Dirty 증가량(MiB)을 파이프로 받아 온다."""
    gc.collect()
    if freeze:
        gc.freeze()  # 지금까지의 객체를 영구 세대로: 이후 GC가 보지 않는다
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        before = private_dirty_kib()
        if action == "read":
            for x in data:
                pass
        else:
            gc.collect()
        os.write(w, str(private_dirty_kib() - before).encode())
        os._exit(0)
    os.close(w)
    kib = int(os.read(r, 64))
    os.close(r)
    os.waitpid(pid, 0)
    if freeze:
        gc.unfreeze()
    return kib / 1024


def fork_while_thread_holds_lock() -> tuple[bool, bool]:
    lock = threading.Lock()
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with lock:
            holding.set()
            release.wait()

    t = threading.Thread(target=holder)
    t.start()
    holding.wait()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pid = os.fork()
        if pid == 0:
            got = lock.acquire(timeout=1)  # 자식에는 holder 스레드가 없다: 아무도 풀어 주지 않는다
            os._exit(1 if got else 0)
    _, status = os.waitpid(pid, 0)
    release.set()
    t.join()
    warned = any(issubclass(w.category, DeprecationWarning) and "fork" in str(w.message) for w in caught)
    return os.waitstatus_to_exitcode(status) == 1, warned


if __name__ == "__main__":
    if not os.path.exists("/proc/self/smaps_rollup"):
        print(f"이 데모는 리눅스의 /proc/self/smaps_rollup이 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    data = [[i] for i in range(N)]  # GC가 추적하는 작은 리스트 30만 개
    print(f"python {sys.version.split()[0]}  objects={N:,} lists")
    read = child_growth(data, "read", freeze=False)
    plain = child_growth(data, "gc", freeze=False)
    frozen = child_growth(data, "gc", freeze=True)
    print(f"read      : private dirty +{read:.1f} MiB")
    print(f"gc        : private dirty +{plain:.1f} MiB")
    print(f"gc+freeze : private dirty +{frozen:.1f} MiB")
    print(f"gc+freeze/gc={frozen / plain:.3f}")

    t0 = time.perf_counter()
    got, warned = fork_while_thread_holds_lock()
    print(f"child could acquire the lock held by a thread at fork time: {got} ({time.perf_counter() - t0:.1f}s)")
    expected = sys.version_info >= (3, 12)
    print(f"DeprecationWarning about fork with threads: {warned} (3.12+ 에서 기대: {expected})")
    print(f"fork-with-threads warning as this version does: {warned == expected}")
