"""같은 두 가지 일을 asyncio, 스레드, 프로세스로 돌려 비교한다.

- 기다리는 일: 0.1초 대기 10개. asyncio는 asyncio.sleep을 await 하고, 스레드와 프로세스는 time.sleep.
- 계산하는 일: 순수 파이썬 반복문 2개.
- 실수 하나: 코루틴 안에서 asyncio.sleep 대신 time.sleep(블로킹 호출)을 부르면 이벤트 루프 전체가 멈춘다.
비율은 같은 실행에서 잰 순차 시간 대비다. asyncio는 스레드 하나에서 도는 협력적 멀티태스킹이다:
await 하는 곳에서만 다른 코루틴으로 넘어간다.
"""

# /// kb
# alone = true
# timeout = 120
# [[expect]]
# name = "기다리는 일 10개: asyncio는 순차 시간의 0.3배 미만에 끝난다"
# pattern = 'wait\s+asyncio\s+[\d.]+s\s+([\d.]+)x'
# all = "< 0.3"
# [[expect]]
# name = "기다리는 일 10개: 스레드도 순차 시간의 0.3배 미만에 끝난다"
# pattern = 'wait\s+threads\s+[\d.]+s\s+([\d.]+)x'
# all = "< 0.3"
# [[expect]]
# name = "코루틴 안의 time.sleep은 루프를 막아 순차 실행과 같아진다 (0.9배 이상)"
# pattern = 'wait\s+asyncio\+time.sleep\s+[\d.]+s\s+([\d.]+)x'
# all = ">= 0.9"
# [[expect]]
# name = "계산하는 일: asyncio는 스레드 하나에서 돌므로 코어를 1.2개 넘게 쓰지 못한다"
# pattern = 'cpu asyncio cores used=([\d.]+)'
# all = "< 1.2"
# [[expect]]
# name = "asyncio의 코루틴은 모두 한 스레드에서 돈다"
# pattern = 'asyncio threads used=(\d+)'
# all = "== 1"
# ///
import asyncio
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

WAITS, WAIT = 10, 0.1
CPU_TASKS, LOOPS = 2, 2_000_000


def blocking_wait(seconds: float) -> None:
    time.sleep(seconds)


def cpu(n: int = LOOPS) -> int:
    total = 0
    for i in range(n):
        total += i % 7
    return total


async def async_wait(seconds: float, seen: set[int]) -> None:
    seen.add(threading.get_ident())
    await asyncio.sleep(seconds)  # 여기서 루프가 다른 코루틴으로 넘어간다


async def wrong_wait(seconds: float) -> None:
    time.sleep(seconds)  # 블로킹: 루프 전체가 이 동안 아무것도 못 한다


async def async_cpu() -> None:
    cpu()  # await가 없으니 끝날 때까지 다른 코루틴으로 넘어가지 않는다


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


async def gather(coros) -> None:
    await asyncio.gather(*coros)


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}  CPUs={os.cpu_count()}")
    seen: set[int] = set()
    with ThreadPoolExecutor(max_workers=WAITS) as threads, ProcessPoolExecutor(max_workers=CPU_TASKS) as procs:
        list(procs.map(blocking_wait, [0.01] * CPU_TASKS))  # 워커 프로세스를 미리 띄운다
        rows = {
            ("wait", "serial"): timed(lambda: [blocking_wait(WAIT) for _ in range(WAITS)]),
            ("wait", "asyncio"): timed(lambda: asyncio.run(gather(async_wait(WAIT, seen) for _ in range(WAITS)))),
            ("wait", "asyncio+time.sleep"): timed(lambda: asyncio.run(gather(wrong_wait(WAIT) for _ in range(WAITS)))),
            ("wait", "threads"): timed(lambda: list(threads.map(blocking_wait, [WAIT] * WAITS))),
            ("cpu", "serial"): timed(lambda: [cpu() for _ in range(CPU_TASKS)]),
            ("cpu", "asyncio"): timed(lambda: asyncio.run(gather(async_cpu() for _ in range(CPU_TASKS)))),
            ("cpu", "threads"): timed(lambda: list(threads.map(cpu, [LOOPS] * CPU_TASKS))),
            ("cpu", "processes"): timed(lambda: list(procs.map(cpu, [LOOPS] * CPU_TASKS))),
        }
    print(f"{'work':<5} {'how':<19} {'seconds':>8} {'vs serial':>9}")
    for (work, how), sec in rows.items():
        print(f"{work:<5} {how:<19} {sec:7.2f}s {sec / rows[(work, 'serial')]:.2f}x")
    print(f"asyncio threads used={len(seen)}")
    t0, c0 = time.perf_counter(), time.process_time()
    asyncio.run(gather(async_cpu() for _ in range(CPU_TASKS)))
    print(f"cpu asyncio cores used={(time.process_time() - c0) / (time.perf_counter() - t0):.2f}"
          " (CPU 시간 / 벽시계 시간: 기계가 바빠도 1을 넘지 않는다)")
