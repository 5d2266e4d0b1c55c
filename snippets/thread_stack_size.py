"""새 스레드의 C 스택 크기: 기본값은 pthread 기본값이고, threading.stack_size()로 '요청' 할 수 있다.

리눅스 glibc의 pthread 기본 스택 크기는 프로세스가 시작할 때의 RLIMIT_STACK(`ulimit -s`)이고,
제한이 없으면(unlimited) 2 MiB다 (x86_64의 ARCH_STACK_DEFAULT_SIZE). musl 같은 다른 C 라이브러리는
훨씬 작은 값을 쓴다. threading.stack_size(n)은 그 뒤에 만드는 스레드에 n을 요청할 뿐이다:
glibc는 끝난 스레드의 스택을 캐시해 두었다가, 요청보다 크지만 너무 크지 않은(4배 이하) 스택을
다시 쓸 수 있다. 그래서 여기서는 두 스레드를 '동시에' 살려 둔 채로 잰다 (앞 스레드의 스택이
캐시에서 재사용되지 않게). 스택 포인터가 든 매핑은 /proc/self/maps로 찾는다 (리눅스 전용).
"""

# /// kb
# [[expect]]
# name = "stack_size(1 MiB)로 띄운 스레드의 스택 매핑은 약 1 MiB다"
# pattern = 'custom thread stack mapping=(\d+) KiB'
# all = "<= 1100"
# [[expect]]
# name = "기본 스레드의 스택 매핑은 그보다 크다"
# pattern = 'default thread stack mapping=(\d+) KiB'
# all = "> 1100"
# [[expect]]
# name = "glibc에서 기본 스레드 스택은 RLIMIT_STACK이고, 제한이 없으면 2 MiB다 (이 프로세스, 4 MiB 제한, 무제한)"
# pattern = 'glibc rule holds: (\w+)'
# all = '== "True"'
# ///
import os
import platform
import resource
import subprocess
import sys
import threading
import time

import _maps

MiB = 1024 * 1024


def stack_mappings(sizes: list[int]) -> list[int | None]:
    """sizes 마다 stack_size(size)로 스레드를 띄워 모두 살려 둔 채 스택 매핑 크기(바이트)를 잰다."""
    release = threading.Event()
    threads = []
    for size in sizes:
        threading.stack_size(size)
        t = threading.Thread(target=release.wait)
        t.start()
        threads.append(t)
    threading.stack_size(0)  # 다음 스레드부터는 다시 기본값
    found: list[int | None] = []
    for t in threads:
        sp = None
        for _ in range(500):
            sp = _maps.thread_stack_pointer(t.native_id)
            if sp is not None:
                break
            time.sleep(0.01)
        m = _maps.find(sp) if sp is not None else None
        found.append(m.size if m else None)
    release.set()
    for t in threads:
        t.join()
    return found


def expected_default(soft_limit: int) -> int:
    return 2 * MiB if soft_limit == resource.RLIM_INFINITY else soft_limit


def child_default(limit: int) -> int | None:
    """RLIMIT_STACK을 limit으로 둔 새 인터프리터에서 기본 스레드 스택 크기를 잰다."""

    def set_limit() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (limit, resource.getrlimit(resource.RLIMIT_STACK)[1]))

    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child"], preexec_fn=set_limit,
            capture_output=True, text=True, check=True,
        ).stdout
    except (subprocess.CalledProcessError, ValueError, OSError):
        return None
    return int(out) if out.strip().isdigit() else None


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(stack_mappings([0])[0] or "")
        sys.exit(0)
    print(f"threading.stack_size() 기본값 = {threading.stack_size()} (0 = 플랫폼 기본값)")
    if not _maps.available():
        print(f"매핑 확인은 리눅스의 /proc가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    default, custom = stack_mappings([0, 1 * MiB])
    assert default is not None and custom is not None, "스레드의 스택 포인터를 읽지 못했다"
    print(f"default thread stack mapping={default // 1024} KiB")
    print(f"custom thread stack mapping={custom // 1024} KiB  (요청 1024 KiB, 두 스레드가 동시에 살아 있을 때)")

    libc, _ = platform.libc_ver()
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    print(f"C library: {libc or '?'}  RLIMIT_STACK soft={'unlimited' if soft == resource.RLIM_INFINITY else soft // 1024}")
    if libc != "glibc":
        print("glibc가 아니므로 아래 규칙은 재지 않는다 (musl 등은 기본값이 다르다)")
        sys.exit(0)
    cases = [("this process", soft, default)]
    for limit in (4 * MiB, resource.RLIM_INFINITY):
        if hard != resource.RLIM_INFINITY and (limit == resource.RLIM_INFINITY or limit > hard):
            print(f"RLIMIT_STACK을 {limit} 로 올릴 수 없다 (hard limit {hard}): 건너뛴다")
            continue
        cases.append((f"child with ulimit -s {'unlimited' if limit == resource.RLIM_INFINITY else limit // 1024}",
                       limit, child_default(limit)))
    for name, limit, measured in cases:
        want = expected_default(limit)
        ok = measured is not None and abs(measured - want) <= 64 * 1024
        got = "?" if measured is None else f"{measured // 1024} KiB"
        print(f"{name}: default thread stack {got}, expected {want // 1024} KiB -> glibc rule holds: {ok}")
