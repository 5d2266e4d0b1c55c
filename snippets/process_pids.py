"""프로세스마다 PID가 따로 있다는 것을 보여 준다.

부모 프로세스가 워커 프로세스 3개를 띄우고, 각 워커가 자기 PID와 부모 PID(PPID)를
보고한다. fork / spawn / forkserver 어느 시작 방식에서도 같은 결과가 나온다.
"""

# /// kb
# [[expect]]
# name = "워커 프로세스의 PID는 서로 모두 다르다"
# pattern = 'worker pid=(\d+)'
# distinct = true
# [[expect]]
# name = "워커의 부모(PPID)는 모두 같은 한 프로세스다 (시작 방식에 따라 이 프로세스 또는 fork 서버)"
# pattern = 'ppid=(\d+)'
# same = true
# ///
import multiprocessing as mp
import os


def report(idx: int, queue) -> None:
    queue.put((idx, os.getpid(), os.getppid()))


if __name__ == "__main__":
    print(f"start method: {mp.get_start_method()}")
    parent = os.getpid()
    print(f"parent pid={parent}")
    queue = mp.Queue()
    workers = [mp.Process(target=report, args=(i, queue)) for i in range(3)]
    for w in workers:
        w.start()
    results = sorted(queue.get(timeout=20) for _ in workers)
    for w in workers:
        w.join()
    for idx, pid, ppid in results:
        print(f"worker {idx}: worker pid={pid} ppid={ppid}")
    pids = {pid for _, pid, _ in results}
    assert parent not in pids, "워커 PID가 부모와 같을 수는 없다"
    if mp.get_start_method() == "forkserver":
        # forkserver 방식에서는 워커를 포크하는 것이 별도의 서버 프로세스다.
        print("forkserver: 워커의 부모는 이 프로세스가 아니라 fork 서버 프로세스다")
        assert all(ppid != parent for _, _, ppid in results)
    else:
        assert all(ppid == parent for _, _, ppid in results), "워커의 부모는 이 프로세스다"
    print("부모 PID와 같은 워커는 없다:", parent not in pids)
