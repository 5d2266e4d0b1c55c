"""`counter += 1`과 '읽기 -> 함수 호출 -> 쓰기' 의 바이트코드를 비교한다.

CPython 3.10+ 의 GIL 빌드에서 스레드 전환(GIL 넘겨주기)은 아무 명령어에서나 일어나지 않고,
'eval breaker' 를 검사하는 지점(루프의 뒤로 점프, 함수 호출의 시작 RESUME 등)에서만 일어난다.
counter를 읽는 명령과 쓰는 명령 사이에 그런 지점이 있는지 센다.
"""

# /// kb
# [[expect]]
# name = "counter += 1은 읽기와 쓰기 사이에 호출/점프가 없다"
# pattern = 'bare: switch points between load and store=(\d+)'
# all = "== 0"
# [[expect]]
# name = "읽기-호출-쓰기는 그 사이에 호출이 있다"
# pattern = 'call: switch points between load and store=(\d+)'
# all = ">= 1"
# ///
import dis

counter = 0


def bare() -> None:
    global counter
    counter += 1


def identity(x: int) -> int:
    return x


def call() -> None:
    global counter
    current = counter
    current = identity(current)
    counter = current + 1


def between(func) -> list[str]:
    ops = list(dis.get_instructions(func))
    load = next(i for i, op in enumerate(ops) if op.opname == "LOAD_GLOBAL" and op.argval == "counter")
    store = next(i for i, op in enumerate(ops) if op.opname == "STORE_GLOBAL" and op.argval == "counter")
    return [op.opname for op in ops[load : store + 1]]


def switch_points(names: list[str]) -> int:
    return sum(1 for n in names if n.startswith(("CALL", "JUMP_BACKWARD", "RESUME")))


if __name__ == "__main__":
    for name, func in (("bare", bare), ("call", call)):
        names = between(func)
        print(f"{name}: {' '.join(names)}")
        print(f"{name}: switch points between load and store={switch_points(names)}")
