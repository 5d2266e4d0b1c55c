"""프로세스끼리 상태를 나누는 세 가지: Value/Array(공유 메모리), Manager(서버 프로세스의 객체), mmap.

- Value('i')와 Array('i')는 공유 메모리에 놓인 C 값이다. Value의 += 는 읽기-쓰기 두 단계라서
  get_lock()으로 감싸야 한다 (감싸지 않은 쪽은 손실이 날 수 있다).
- Manager().dict()는 별도의 관리자 프로세스 안에 진짜 dict가 있고, 다른 프로세스는 프록시로
  메시지를 보내 고친다. 편하지만 연산 하나가 IPC 왕복 하나다.
- mmap.mmap(-1, n)은 이름 없는 공유 매핑(MAP_SHARED)이다. fork 전에 만들면 자식과 부모가 같은 페이지를 본다.
"""

# /// kb
# timeout = 90
# [[expect]]
# name = "get_lock()으로 감싼 Value 증가는 4개 프로세스 × 2000번 = 8000으로 정확하다"
# pattern = 'Value with get_lock\(\): (\d+)'
# all = "== 8000"
# [[expect]]
# name = "Array는 자식 4개가 각자 자기 칸에 쓴 값을 부모가 모두 본다"
# pattern = 'Array after children: \[([\d, ]+)\]'
# all = '== "1, 4, 9, 16"'
# [[expect]]
# name = "Manager dict에는 자식 4개가 넣은 키가 모두 있다"
# pattern = 'Manager dict keys=(\d+)'
# all = "== 4"
# [[expect]]
# name = "fork 전에 만든 mmap에 자식이 쓴 바이트를 부모가 읽는다"
# pattern = 'mmap parent reads: (\S+)'
# all = '== "hello-from-child"'
# [[expect]]
# name = "Manager 프록시 연산은 Value 연산보다 5배 넘게 느리다 (연산마다 IPC 왕복)"
# pattern = 'manager/value per operation=([\d.]+)x'
# all = "> 5"
# ///
import mmap
import multiprocessing as mp
import os
import time

ROUNDS = 2000


def add_locked(v) -> None:
    for _ in range(ROUNDS):
        with v.get_lock():  # += 는 읽고 쓰는 두 단계: 락으로 한 덩어리로 만든다
            v.value += 1


def fill(arr, i: int) -> None:
    arr[i] = (i + 1) ** 2


def put(d, i: int) -> None:
    d[f"worker{i}"] = os.getpid()


def write_mmap(buf) -> None:
    buf[:16] = b"hello-from-child"


def per_op_us(fn, n: int = 2000) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n * 1e6


def run_all(target, args_list) -> None:
    procs = [mp.Process(target=target, args=a) for a in args_list]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0


if __name__ == "__main__":
    print(f"start method: {mp.get_start_method()}")
    v = mp.Value("i", 0)
    run_all(add_locked, [(v,)] * 4)
    print(f"Value with get_lock(): {v.value} (기대 {4 * ROUNDS})")

    arr = mp.Array("i", 4)
    run_all(fill, [(arr, i) for i in range(4)])
    print(f"Array after children: {list(arr)}")

    with mp.Manager() as manager:
        d = manager.dict()
        run_all(put, [(d, i) for i in range(4)])
        print(f"Manager dict keys={len(d)} -> {sorted(d.keys())}")
        value_us = per_op_us(lambda: v.value)
        manager_us = per_op_us(lambda: d.get("worker0"))
    print(f"per read: Value {value_us:.2f} us, Manager dict {manager_us:.1f} us")
    print(f"manager/value per operation={manager_us / value_us:.0f}x")

    if hasattr(os, "fork"):
        buf = mmap.mmap(-1, 64)  # 이름 없는 공유 매핑: fork 한 자식과 같은 물리 페이지
        ctx = mp.get_context("fork")
        p = ctx.Process(target=write_mmap, args=(buf,))
        p.start()
        p.join()
        print(f"mmap parent reads: {buf[:16].decode()}")
