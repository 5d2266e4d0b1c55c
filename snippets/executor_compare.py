"""ThreadPoolExecutor와 ProcessPoolExecutor를 CPU 작업과 I/O(대기) 작업에서 비교한다.

이 빌드 기계에서 실제로 잰 벽시계 시간을 표로 출력하고, 막대그래프를 KB_FIGURES_DIR에 저장한다.
풀은 미리 띄워 두고 일을 맡기는 시간만 잰다. 풀을 띄우는 비용(특히 spawn/forkserver 의
프로세스 시작 비용)은 따로 재서 함께 보여 준다.
"""

# /// kb
# timeout = 120
# alone = true
# [[expect]]
# name = "I/O 대기 작업에서 스레드 풀은 순차 실행의 절반도 안 걸린다"
# pattern = 'io\s+thread_pool\s+[\d.]+s\s+([\d.]+)x'
# all = "< 0.5"
# [[expect]]
# name = "I/O 대기 작업 4개를 워커 4개에 맡기면 이상적인 1/4에 가깝다 (스레드 풀 0.4 미만)"
# pattern = 'io\s+thread_pool\s+[\d.]+s\s+([\d.]+)x'
# all = "< 0.4"
# [[expect]]
# name = "GIL 빌드에서 CPU 작업은 스레드 풀로 빨라지지 않는다 (라운드 비율의 중앙값 0.8 이상)"
# pattern = 'cpu thread_pool/serial \(median of rounds\)=([\d.]+)'
# all = ">= 0.8"
# [[expect]]
# name = "CPU 작업에서 프로세스 풀은 그 라운드에 쓸 수 있던 코어 k개를 거의 다 동시에 쓴다 (가장 좋은 라운드의 쓴 코어 ÷ k가 0.75 이상)"
# pattern = 'cpu process_pool: best cores used / available=([\d.]+)'
# all = ">= 0.75"
# ///
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import _cpuidle

TASKS = 4
WORKERS = 4
LOOPS = 1_000_000
WAIT = 0.15


def cpu_task(n: int) -> float:
    """순수 파이썬 반복문. 이 작업이 쓴 CPU 시간(초)을 돌려준다."""
    t0 = time.thread_time()
    total = 0
    for i in range(n):
        total += i * i % 13
    return time.thread_time() - t0


def io_task(seconds: float) -> float:
    time.sleep(seconds)  # 네트워크 응답을 기다리는 흉내: 자는 동안 GIL을 놓는다
    return seconds


def run(kind: str, fn, arg, pools) -> float:
    t0 = time.perf_counter()
    if kind == "serial":
        [fn(arg) for _ in range(TASKS)]
    else:
        list(pools[kind].map(fn, [arg] * TASKS))
    return time.perf_counter() - t0


def start_pool(pool_cls) -> tuple[object, float]:
    t0 = time.perf_counter()
    pool = pool_cls(max_workers=WORKERS)
    list(pool.map(time.sleep, [0.05] * WORKERS))  # 워커가 모두 뜰 때까지
    return pool, time.perf_counter() - t0 - 0.05


if __name__ == "__main__":
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    print(
        f"python {sys.version.split()[0]}, usable CPUs={usable}, GIL enabled={gil}, "
        f"tasks={TASKS}, workers={WORKERS}"
    )
    kinds = ("serial", "thread_pool", "process_pool")
    pools, startup = {}, {}
    for kind, cls in (("thread_pool", ThreadPoolExecutor), ("process_pool", ProcessPoolExecutor)):
        pools[kind], startup[kind] = start_pool(cls)
    table: dict[str, dict[str, float]] = {}
    rounds: list[dict[str, float]] = []  # CPU 작업의 라운드별 측정
    serial_idle: list[float | None] = []  # 순차 실행 중 기계에서 놀던 코어 수
    pool_cores: list[float | None] = []  # 프로세스 풀이 도는 동안 쓸 수 있던 코어: 워커가 쓴 코어 + 놀던 코어
    pool_used: list[float] = []  # 그 가운데 워커가 쓴 코어
    need_idle = 0.7 * (min(usable, TASKS) - 1)

    def judgeable(idle: float | None) -> bool:
        return idle is None or idle >= need_idle

    def process_wins_clean() -> bool:
        return any(
            r["process_pool"] < r["thread_pool"]
            for r, idle in zip(rounds, serial_idle, strict=True)
            if judgeable(idle)
        )

    while len(rounds) < 3 or (len(rounds) < 6 and usable >= 2 and not process_wins_clean()):
        # 기본 3 라운드. 기계가 바빠서 판단할 라운드가 없으면 3 라운드까지 더 잰다.
        _, wall, idle = _cpuidle.run_and_idle(lambda: run("serial", cpu_task, LOOPS, pools))
        r = {"serial": wall}
        serial_idle.append(idle)
        r["thread_pool"] = run("thread_pool", cpu_task, LOOPS, pools)
        used, r["process_pool"], idle_p = _cpuidle.run_and_idle(
            lambda: sum(pools["process_pool"].map(cpu_task, [LOOPS] * TASKS)))
        pool_used.append(used / r["process_pool"])
        pool_cores.append(None if idle_p is None else pool_used[-1] + idle_p)
        rounds.append(r)
    table["cpu"] = {k: min(r[k] for r in rounds) for k in kinds}  # 표에는 라운드 중 가장 빠른 값
    table["io"] = {k: min(run(k, io_task, WAIT, pools) for _ in range(3)) for k in kinds}
    for pool in pools.values():
        pool.shutdown()
    print(f"{'work':<5} {'executor':<13} {'seconds':>8} {'vs serial':>10}")
    for work, times in table.items():
        for k in kinds:
            print(f"{work:<5} {k:<13} {times[k]:8.2f}s {times[k] / times['serial']:.2f}x")
    for kind, sec in startup.items():
        print(f"start {kind:<13} {sec:8.3f}s (워커 {WORKERS}개를 띄우는 데 든 시간)")

    ratios = sorted(r["thread_pool"] / r["serial"] for r in rounds)
    median = ratios[len(ratios) // 2]  # 중앙값: 라운드 하나가 흔들려도 판단이 뒤집히지 않는다
    print(f"cpu thread_pool/serial (median of rounds)={median:.2f}")
    cap = float(min(usable, TASKS, WORKERS))

    def available(idle: float | None, in_pool: float | None) -> float:
        """두 구간에서 잰 작은 쪽 (작업·워커·CPU 수가 상한): 순차 실행이 쓴 코어 1개 + 그동안 놀던 코어,
        그리고 풀의 워커가 쓴 코어 + 그동안 놀던 코어 (순차 구간에 비어 있던 코어를 다른 프로그램이 가져갈 수 있다)"""
        k = 1.0 + (cap - 1 if idle is None else idle)
        return max(1.0, min(cap, k, cap if in_pool is None else in_pool))

    ks = [available(idle, p) for idle, p in zip(serial_idle, pool_cores, strict=True)]
    print("cpu process_pool: 라운드별 k (쓸 수 있던 코어) = " + ", ".join(f"{k:.2f}" for k in ks))
    best = min(r["process_pool"] / r["serial"] * k for r, k in zip(rounds, ks, strict=True))
    print(f"cpu process_pool: best ratio x available cores={best:.2f}  (이상적이면 1.0)")
    # 벽시계 비율은 코어 하나하나의 속도에도 달려 있다 (두 vCPU가 한 물리 코어를 나눠 쓰면 함께 바쁠 때
    # 각자 느려진다): 검사는 동시에 쓴 코어 수로 한다 (gil_cpu_vs_io.py와 같은 기준).
    use = max(u / k for u, k in zip(pool_used, ks, strict=True))
    print(f"cpu process_pool: best cores used / available={use:.2f}  (이상적이면 1.0)")
    if gil:
        assert median >= 0.8, "GIL 빌드에서 CPU 스레드는 빨라지지 않는다"
        print(f"확인: GIL 빌드에서 CPU 작업은 스레드 풀로 빨라지지 않는다 (중앙값 {median:.2f} >= 0.8)")
    # 순차 실행 중 다른 코어가 놀고 있지 않았다면 다른 프로그램이 그 코어를 쓰고 있었던 것이다.
    clean = [r for r, idle in zip(rounds, serial_idle, strict=True) if judgeable(idle)]
    print(f"판단할 수 있는 라운드 (순차 실행 중 빈 코어 >= {need_idle:.1f}): {len(clean)}/{len(rounds)}")
    if usable >= 2 and clean:
        assert process_wins_clean(), "CPU 일은 프로세스 풀이 이긴다"
        print("확인: CPU 작업은 프로세스 풀이 스레드 풀보다 빠르다")
    elif usable >= 2:
        print("기계가 바빠서 프로세스 풀 속도 검사는 건너뛴다")

    try:
        import matplotlib
    except ImportError:
        print("matplotlib이 없어서 그림은 건너뛴다")
        sys.exit(0)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4))
    colors = ["#9e9e9e", "#1f77b4", "#ff7f0e"]
    for ax, (work, times) in zip(axes, table.items(), strict=True):
        bars = ax.bar(kinds, [times[k] for k in kinds], color=colors)
        ax.bar_label(bars, fmt="%.2fs")
        ax.set_title(f"{work}-bound, {TASKS} tasks (CPUs={usable}, warm pools)")
        ax.set_ylabel("wall seconds")
        ax.set_ylim(0, max(times.values()) * 1.25)
    fig.tight_layout()
    out = os.path.join(os.environ.get("KB_FIGURES_DIR", "."), "executor_compare.png")
    fig.savefig(out, dpi=110)
    print(f"saved figure: {os.path.basename(out)}")
