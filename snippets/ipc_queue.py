"""multiprocessing.Queue: 여러 생산자 프로세스가 한 소비자에게 보낸다. 보낸 쪽 PID를 함께 싣는다."""

# /// kb
# [[expect]]
# name = "생산자 프로세스 3개의 PID는 모두 다르다"
# pattern = 'producer pid=(\d+)'
# distinct = true
# [[expect]]
# name = "소비자(부모)는 메시지 6개를 모두 받는다"
# pattern = 'consumer received=(\d+)'
# all = "== 6"
# ///
import multiprocessing as mp
import os


def producer(q, n: int) -> None:
    for i in range(2):
        q.put((n, i, os.getpid()))


if __name__ == "__main__":
    q = mp.Queue()
    procs = [mp.Process(target=producer, args=(q, n)) for n in range(3)]
    for p in procs:
        p.start()
    got = [q.get(timeout=20) for _ in range(6)]  # join 전에 꺼내야 교착이 없다
    for p in procs:
        p.join()
    print(f"consumer pid={os.getpid()}")
    for n in range(3):
        pid = next(pid for m, _, pid in got if m == n)
        print(f"producer {n}: producer pid={pid}")
    print(f"consumer received={len(got)}")
