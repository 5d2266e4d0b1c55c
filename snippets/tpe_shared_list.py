"""ThreadPoolExecutor의 워커 스레드 여러 개가 Lock 아래에서 하나의 리스트에 결과를 모은다.

with 블록을 빠져나오면(= shutdown(wait=True)) 모든 작업이 끝났음이 보장되므로,
그 뒤에 리스트를 읽으면 빠짐없이 들어 있다. 그것을 보이려고 블록 안에서는 result()를 부르지 않는다
(result()를 기다리는 것만으로도 모든 작업이 끝나므로, 그러면 with 블록이 한 일을 보여 줄 수 없다).
"""

# /// kb
# [[expect]]
# name = "result()를 한 번도 부르지 않아도, with 블록이 끝난 뒤 리스트에는 작업 20개의 결과가 모두 있다"
# pattern = 'after with-block, before any result\(\): len=(\d+)'
# all = "== 20"
# [[expect]]
# name = "with 블록이 끝난 뒤 모든 Future가 끝난 상태다"
# pattern = 'futures done after with-block=(\d+)/20'
# all = "== 20"
# [[expect]]
# name = "실제로 일한 워커 스레드는 max_workers(4) 이하이다"
# pattern = 'worker threads used=(\d+)'
# all = "<= 4"
# ///
import threading
import time
from concurrent.futures import ThreadPoolExecutor

results: list[tuple[int, str]] = []
results_lock = threading.Lock()


def fetch(task_id: int) -> int:
    time.sleep(0.01)  # 네트워크/디스크 대기 흉내 (GIL을 놓는다)
    value = task_id * task_id
    with results_lock:  # list.append 하나는 GIL 덕에 안전하지만, 여러 단계를 묶으려면 락이 필요하다
        results.append((task_id, threading.current_thread().name))
    return value


if __name__ == "__main__":
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="pool")
    with pool:  # 블록을 나갈 때 pool.shutdown(wait=True)
        futures = [pool.submit(fetch, i) for i in range(20)]
        print(f"right after submit: len={len(results)} (아직 비어 있을 수 있다)")
    # 여기서는 모든 워커가 끝났다. result()는 아직 한 번도 부르지 않았다
    print(f"after with-block, before any result(): len={len(results)}")
    print(f"futures done after with-block={sum(f.done() for f in futures)}/20")
    squares = [f.result() for f in futures]  # 제출 순서대로 결과를 받는다
    print(f"task ids all present: {sorted(t for t, _ in results) == list(range(20))}")
    used = sorted({name for _, name in results})
    print(f"worker threads used={len(used)} -> {used}")
    print(f"first 5 appended (완료 순서): {results[:5]}")
    print(f"squares (제출 순서): {squares[:6]} ...")
    assert sorted(t for t, _ in results) == list(range(20))
    assert squares == [i * i for i in range(20)]
