"""교착 상태(deadlock)를 실제로 만들고(시간 제한으로 감지), 락 순서로 없애고, RLock/Semaphore/Condition을 쓴다.

1) 두 스레드가 락 두 개를 '반대 순서' 로 잡으면 서로를 영원히 기다린다. 여기서는 멈추지 않도록
   acquire(timeout=...)으로 기다리다가 포기하고, 포기했다는 사실을 출력한다.
2) 모든 스레드가 '같은 순서' 로 잡으면 교착이 생기지 않는다.
3) Lock은 같은 스레드가 두 번 잡을 수 없고(스스로 교착), RLock은 잡은 횟수만큼 풀면 된다.
4) Semaphore(2)는 동시에 들어가는 스레드를 2개로 제한한다.
5) Condition은 '조건이 참이 될 때까지 기다리기' 를 락과 함께 안전하게 해 준다.
"""

# /// kb
# [[expect]]
# name = "반대 순서로 락을 잡은 두 스레드는 둘 다 두 번째 락을 얻지 못한다 (교착)"
# pattern = 'opposite order: second lock acquired by (\d+) of 2 threads'
# all = "== 0"
# [[expect]]
# name = "같은 순서로 잡으면 두 스레드 모두 두 락을 얻는다"
# pattern = 'same order: both locks acquired by (\d+) of 2 threads'
# all = "== 2"
# [[expect]]
# name = "같은 스레드가 Lock을 다시 잡으려 하면 얻지 못한다"
# pattern = 'plain Lock re-acquired by the same thread: (\w+)'
# all = '== "False"'
# [[expect]]
# name = "RLock은 같은 스레드가 다시 잡을 수 있다"
# pattern = 'RLock re-acquired by the same thread: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "Semaphore(2) 안에 동시에 있던 스레드는 최대 2개다"
# pattern = 'max inside Semaphore\(2\)=(\d+)'
# all = "== 2"
# [[expect]]
# name = "Condition으로 기다린 소비자는 생산자가 넣은 5개를 모두 받는다"
# pattern = 'condition consumer got (\d+) items'
# all = "== 5"
# ///
import threading
import time

WAIT = 0.5  # 교착을 '감지' 하는 시간 제한


def two_locks(order_a, order_b) -> int:
    """두 스레드가 각자의 순서로 락 두 개를 잡는다. 두 번째 락까지 얻은 스레드 수를 돌려준다."""
    both_hold_first = threading.Barrier(2)
    both_tried = threading.Barrier(2)
    got = []

    def worker(first, second, same_order: bool) -> None:
        with first:
            if not same_order:
                both_hold_first.wait()  # 둘 다 첫 번째 락을 쥔 상태를 확실히 만든다
            if second.acquire(timeout=WAIT):  # 진짜 코드라면 timeout 없이 영원히 기다린다
                got.append(threading.current_thread().name)
                second.release()
            if not same_order:
                both_tried.wait()  # 둘 다 포기할 때까지 첫 번째 락을 놓지 않는다 (진짜 교착과 같은 상태)

    same = order_a == order_b
    a = threading.Thread(target=worker, args=(*order_a, same), name="A")
    b = threading.Thread(target=worker, args=(*order_b, same), name="B")
    a.start(), b.start()
    a.join(), b.join()
    return len(got)


if __name__ == "__main__":
    l1, l2 = threading.Lock(), threading.Lock()
    print(f"opposite order: second lock acquired by {two_locks((l1, l2), (l2, l1))} of 2 threads")
    print(f"same order: both locks acquired by {two_locks((l1, l2), (l1, l2))} of 2 threads")

    lock, rlock = threading.Lock(), threading.RLock()
    with lock:
        again = lock.acquire(timeout=0.1)
    print(f"plain Lock re-acquired by the same thread: {again}")
    with rlock:
        again = rlock.acquire(timeout=0.1)
        if again:
            rlock.release()  # 잡은 횟수만큼 풀어야 다른 스레드가 잡을 수 있다
    print(f"RLock re-acquired by the same thread: {again}")

    sem = threading.Semaphore(2)
    inside, peak, count_lock = 0, 0, threading.Lock()

    def limited() -> None:
        global inside, peak
        with sem:
            with count_lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.05)
            with count_lock:
                inside -= 1

    workers = [threading.Thread(target=limited) for _ in range(6)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    print(f"max inside Semaphore(2)={peak} (스레드 6개)")

    cond = threading.Condition()
    items: list[int] = []
    received: list[int] = []

    def consume() -> None:
        while len(received) < 5:
            with cond:
                cond.wait_for(lambda: items, timeout=5)  # 조건을 락 아래에서 다시 확인한다
                received.extend(items)
                items.clear()

    c = threading.Thread(target=consume)
    c.start()
    for i in range(5):
        with cond:
            items.append(i)
            cond.notify()
        time.sleep(0.01)
    c.join(timeout=10)
    print(f"condition consumer got {len(received)} items -> {received}")
