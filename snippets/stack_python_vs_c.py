"""CPython 3.11+ 에서 파이썬 함수 호출은 C 스택을 거의 쓰지 않는다 (리눅스 전용).

파이썬→파이썬 호출 5만 단계를 쌓아도 메인 스레드의 C 스택 매핑 [stack]은 자라지 않는다.
3.11 부터 파이썬 프레임(_PyInterpreterFrame)은 스레드마다 따로 있는 '데이터 스택' 청크
(힙 쪽의 익명 메모리)에 놓이고, 인터프리터는 C 함수를 재귀 호출하지 않고 같은 평가 루프 안에서
다음 프레임으로 넘어가기 때문이다. 반대로 호출 사이에 C 함수(map)가 끼면 단계마다 C 스택이 쌓인다.
"""

# /// kb
# [[expect]]
# name = "파이썬 재귀 5만 단계에도 [stack]은 256 KiB 넘게 자라지 않는다"
# pattern = 'python recursion 50000: \[stack\] grew by (\d+) KiB'
# all = "< 256"
# [[expect]]
# name = "C 함수(map)를 끼운 재귀는 단계마다 C 스택을 200 바이트 넘게 쓴다"
# pattern = 'C stack per level=(\d+) bytes'
# all = "> 200"
# ///
import sys

import _maps


def stack_size() -> int:
    return next(m.size for m in _maps.read_maps() if m.path == "[stack]")


def anon_total() -> int:
    return sum(m.size for m in _maps.read_maps() if m.anonymous)


def python_recursion(n: int) -> tuple[int, int]:
    if n == 0:
        return stack_size(), anon_total()  # 가장 깊은 곳에서 잰다
    return python_recursion(n - 1)


def c_recursion(n: int) -> int:
    if n == 0:
        return stack_size()
    return next(map(c_recursion, [n - 1]))  # map(C) -> c_recursion(파이썬) -> map(C) ...


if __name__ == "__main__":
    if not _maps.available():
        print(f"이 데모는 리눅스의 /proc/self/maps가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    sys.setrecursionlimit(100_000)
    base, anon0 = stack_size(), anon_total()
    print(f"python {sys.version.split()[0]}  시작할 때 [stack] = {base // 1024} KiB")
    deep, anon1 = python_recursion(50_000)
    print(f"python recursion 50000: [stack] grew by {(deep - base) // 1024} KiB")
    print(f"  그동안 익명 매핑 합계는 {(anon1 - anon0) / 2**20:+.1f} MiB (프레임이 놓인 데이터 스택 등)")
    for levels in (3000, 1000, 300):  # 3.12 처럼 C 재귀 한도가 낮은 버전에서는 더 얕게
        try:
            deep_c = c_recursion(levels)
            break
        except RecursionError:
            continue
    print(f"recursion through C {levels}: [stack] grew by {(deep_c - base) // 1024} KiB")
    print(f"C stack per level={(deep_c - base) // levels} bytes")
