"""queue.Queue로 생산자 스레드와 소비자 스레드를 잇고, 소비자마다 센티널(sentinel) 하나로 끝낸다.

큐가 락과 조건 변수를 안에 갖고 있으므로 공유 리스트와 락을 직접 다룰 필요가 없다.
- 생산자 2개가 작업 10개씩 넣는다.다 넣은 뒤 메인 스레드가 소비자 수(3)만큼 센티널을 넣는다.
- 소비자는 센티널을 꺼내면 끝난다. 센티널이 소비자마다 하나씩이라 모두 빠짐없이 끝난다.
- task_done()/join()으로 '넣은 것이 모두 처리되었다' 를 기다린다.
"""

# /// kb
# [[expect]]
# name = "넣은 작업 20개가 모두 한 번씩 처리된다"
# pattern = 'processed=(\d+) unique=\d+'
# all = "== 20"
# [[expect]]
# name = "같은 작업을 두 번 처리한 소비자는 없다"
# pattern = 'processed=\d+ unique=(\d+)'
# all = "== 20"
# [[expect]]
# name = "소비자 3개가 모두 센티널을 받고 끝난다"
# pattern = 'consumers stopped by sentinel=(\d+)'
# all = "== 3"
# [[expect]]
# name = "q.join()이 끝난 뒤 처리되지 않은 작업(unfinished_tasks)은 0이다"
# pattern = 'unfinished after join=(\d+)'
# all = "== 0"
# ///
import queue
import threading
import time

PRODUCERS, CONSUMERS, ITEMS = 2, 3, 10
STOP = object()  # 센티널: 어떤 작업과도 헷갈릴 수 없는 유일한 객체

q: queue.Queue = queue.Queue(maxsize=4)  # 크기 제한: 생산자가 너무 앞서가면 put에서 기다린다
done: list[tuple[str, str]] = []
stopped: list[str] = []
record = threading.Lock()


def producer(name: str) -> None:
    for i in range(ITEMS):
        q.put(f"{name}-{i}")  # 큐가 가득 차면 자리가 날 때까지 막힌다


def consumer(name: str) -> None:
    while True:
        item = q.get()
        try:
            if item is STOP:
                with record:
                    stopped.append(name)
                return
            time.sleep(0.001)  # 일하는 흉내
            with record:
                done.append((item, name))
        finally:
            q.task_done()  # 꺼낸 것 하나마다 한 번


if __name__ == "__main__":
    # daemon: 센티널을 빠뜨린 소비자가 있어도 이 데모가 영원히 멈추지는 않게 (검사가 대신 실패한다)
    consumers = [threading.Thread(target=consumer, args=(f"C{i}",), daemon=True) for i in range(CONSUMERS)]
    producers = [threading.Thread(target=producer, args=(f"P{i}",)) for i in range(PRODUCERS)]
    for t in consumers + producers:
        t.start()
    for t in producers:
        t.join()
    for _ in consumers:
        q.put(STOP)  # 소비자마다 하나
    q.join()  # 넣은 것(센티널 포함)이 모두 task_done 될 때까지
    print(f"unfinished after join={q.unfinished_tasks}")
    for t in consumers:
        t.join(timeout=5)
    print(f"processed={len(done)} unique={len({item for item, _ in done})}")
    per = {c: sum(1 for _, who in done if who == c) for c in sorted({w for _, w in done})}
    print(f"per consumer: {per}")
    print(f"consumers stopped by sentinel={len(stopped)} -> {sorted(stopped)}")
