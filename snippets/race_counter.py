"""락 없이 공유 카운터를 갱신하면 갱신 손실(lost update)이 생기고, Lock을 쓰면 생기지 않는다.

네 가지 방식을 비교한다.
  bare   : counter += 1                  (CPython 3.10+ 에서는 거의 경합이 드러나지 않는다)
  call   : 읽기 -> 파이썬 함수 호출 -> 쓰기 (호출 시작점이 스레드 전환 지점이라 경합이 드러난다)
  sleep0 : 읽기 -> time.sleep(0) -> 쓰기   (GIL을 내놓는다. 다른 스레드가 가져갈 기회가 생길 뿐, 전환이 보장되지는 않는다)
  locked : sleep0과 같지만 with lock: 으로 감싼다
"""

# /// kb
# repeat = 15
# [[expect]]
# name = "GIL 빌드의 CPython에서 맨 counter += 1은 한 번도 손실되지 않는다 (구현의 성질이지 언어의 약속이 아니다)"
# pattern = 'bare counter \+= 1: expected=\d+ lost=(\d+)'
# all = "== 0"
# [[expect]]
# name = "락 없이 읽기와 쓰기 사이에 sleep(0)이 끼면 갱신 손실이 생긴다"
# pattern = 'without lock: lost=(\d+)'
# all = "> 0"
# [[expect]]
# name = "읽기와 쓰기 사이에 함수 호출만 끼어도 손실이 생길 수 있다 (전환 요청이 호출 안에서 확인될 때만이라 매번은 아니다)"
# pattern = 'read/call/write: lost=(\d+)'
# any = "> 0"
# [[expect]]
# name = "락이 있으면 손실이 없다"
# pattern = 'with lock: lost=(\d+)'
# all = "== 0"
# ///
import threading
import time

THREADS = 4
ROUNDS = 2_000  # sleep0/locked 스레드 하나당 증가 횟수
BARE_ROUNDS = 200_000

counter = 0
lock = threading.Lock()


def bare(n: int) -> None:
    global counter
    for _ in range(n):
        counter += 1


def identity(x: int) -> int:
    return x


def call(n: int) -> None:
    global counter
    for _ in range(n):
        current = counter  # 1) 읽기
        current = identity(current)  # 2) 함수 호출: 여기(RESUME)서 GIL을 넘겨줄 수 있다
        counter = current + 1  # 3) 쓰기


def sleep0(n: int) -> None:
    global counter
    for _ in range(n):
        current = counter  # 1) 읽기
        time.sleep(0)  # 2) GIL을 내놓는다: 다른 스레드가 끼어들 기회 (보장은 아니다)
        counter = current + 1  # 3) 오래된 값으로 쓰기 -> 그 사이의 증가분이 사라진다


def locked(n: int) -> None:
    global counter
    for _ in range(n):
        with lock:  # 읽기-쓰기 전체를 한 번에 한 스레드만
            current = counter
            time.sleep(0)
            counter = current + 1


def run(target, n: int) -> tuple[int, int]:
    global counter
    counter = 0
    threads = [threading.Thread(target=target, args=(n,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * n
    return expected, expected - counter


if __name__ == "__main__":
    exp, lost = run(bare, BARE_ROUNDS)
    print(f"bare counter += 1: expected={exp} lost={lost}")
    exp, lost = run(call, BARE_ROUNDS)
    print(f"read/call/write: lost={lost} (expected {exp})")
    exp, lost = run(sleep0, ROUNDS)
    print(f"read/sleep(0)/write without lock: lost={lost} (expected {exp}, got {exp - lost})")
    exp, lost_locked = run(locked, ROUNDS)
    print(f"read/sleep(0)/write with lock: lost={lost_locked} (expected {exp})")
    assert lost_locked == 0
