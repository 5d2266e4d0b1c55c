"""재귀 한도(sys.getrecursionlimit)에 닿으면 RecursionError가 난다. 프로세스는 죽지 않는다.

한도는 '파이썬 프레임 수' 에 대한 안전장치다. 여기서는 기본 한도 그대로 얼마나 깊이 들어가는지
세고, 예외를 잡은 뒤에도 프로그램이 계속 돈다는 것을 보여 준다.
"""

# /// kb
# [[expect]]
# name = "RecursionError가 나기 전 도달한 깊이는 한도보다 작고, 한도에 가깝다 (50 이내)"
# pattern = 'gap to limit=(\d+)'
# all = "<= 50"
# [[expect]]
# name = "예외를 잡은 뒤에도 계속 실행된다"
# pattern = 'still running after RecursionError: (\w+)'
# all = '== "True"'
# ///
import sys

depth = 0


def dive(n: int) -> None:
    global depth
    depth = n
    dive(n + 1)


def current_depth() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        count, frame = count + 1, frame.f_back
    return count


if __name__ == "__main__":
    limit = sys.getrecursionlimit()
    print(f"sys.getrecursionlimit() = {limit}")
    print(f"지금 쌓여 있는 프레임 수 = {current_depth()}")
    try:
        dive(1)
    except RecursionError as exc:
        print(f"RecursionError: {exc}")
    print(f"reached depth={depth}  gap to limit={limit - depth}")
    assert 0 < limit - depth <= 50
    print(f"still running after RecursionError: {True}")
