"""스레드와 프로세스를 만드는 비용, 그리고 두 실행 흐름 사이를 오가는(문맥 전환) 비용을 잰다.

- 만들기: 아무 일도 안 하는 스레드 / fork 프로세스 / spawn 프로세스를 하나씩 만들고 끝날 때까지
  (start + join) 걸린 시간. 같은 실행에서 잰 스레드 시간을 기준(1.0)으로 비율을 보여 준다.
- 오가기: 두 흐름이 메시지 하나를 주고받는 왕복(ping-pong) 시간. 스레드끼리는 queue.Queue,
  프로세스끼리는 os.pipe. 한 번 왕복에 문맥 전환이 적어도 두 번 일어난다.
절대값은 기계와 부하에 따라 크게 달라지므로, 검사는 같은 실행 안의 비율로만 한다.
"""

# /// kb
# alone = true
# timeout = 120
# [[expect]]
# name = "fork 프로세스 하나를 만드는 데 스레드 하나보다 3배 넘게 걸린다"
# pattern = 'create fork process\s+[\d.]+ ms\s+([\d.]+)x'
# all = "> 3"
# [[expect]]
# name = "spawn 프로세스는 fork 프로세스보다 3배 넘게 비싸다 (새 인터프리터를 띄운다)"
# pattern = 'spawn/fork=([\d.]+)'
# all = "> 3"
# ///
import multiprocessing as mp
import os
import queue
import statistics
import sys
import threading
import time

N_CREATE = {"thread": 200, "fork process": 40, "spawn process": 8}
ROUND_TRIPS = 2000


def nothing() -> None:
    pass


def per_item_ms(make, n: int) -> float:
    """make()가 돌려준 것을 start/join 하는 데 걸린 시간의 중앙값 (ms)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        w = make()
        w.start()
        w.join()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def thread_ping_pong(n: int) -> float:
    ping, pong = queue.Queue(), queue.Queue()

    def echo() -> None:
        for _ in range(n):
            pong.put(ping.get())

    t = threading.Thread(target=echo)
    t.start()
    t0 = time.perf_counter()
    for i in range(n):
        ping.put(i)
        pong.get()
    elapsed = time.perf_counter() - t0
    t.join()
    return elapsed / n * 1e6


def process_ping_pong(n: int) -> float:
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:  # 자식: 받은 바이트를 그대로 돌려보낸다
        for _ in range(n):
            os.write(w2, os.read(r1, 1))
        os._exit(0)
    t0 = time.perf_counter()
    for _ in range(n):
        os.write(w1, b"x")
        os.read(r2, 1)
    elapsed = time.perf_counter() - t0
    os.waitpid(pid, 0)
    for fd in (r1, w1, r2, w2):
        os.close(fd)
    return elapsed / n * 1e6


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}  CPUs={os.cpu_count()}")
    fork, spawn = mp.get_context("fork"), mp.get_context("spawn")
    makers = {
        "thread": lambda: threading.Thread(target=nothing),
        "fork process": lambda: fork.Process(target=nothing),
        "spawn process": lambda: spawn.Process(target=nothing),
    }
    costs = {name: per_item_ms(make, N_CREATE[name]) for name, make in makers.items()}
    base = costs["thread"]
    print(f"{'create (start+join, median)':<28} {'time':>10} {'vs thread':>10}")
    for name, ms in costs.items():
        print(f"create {name:<21} {ms:8.3f} ms {ms / base:9.1f}x")
    print(f"spawn/fork={costs['spawn process'] / costs['fork process']:.1f}")

    t_us = thread_ping_pong(ROUND_TRIPS)
    p_us = process_ping_pong(ROUND_TRIPS)
    print(f"round trip between two threads (queue.Queue): {t_us:8.1f} us")
    print(f"round trip between two processes (os.pipe):   {p_us:8.1f} us")
    print(f"thread/process round trip={t_us / p_us:.2f}")
