"""CPython의 메모리 회수는 두 단계다: 참조 카운팅(즉시)과 순환 참조를 찾는 GC(가끔).

1) 참조가 하나 늘 때마다 sys.getrefcount가 1 늘고, 마지막 참조가 사라지는 순간 객체가 회수된다
   (weakref.finalize 콜백이 del 직후 바로 불린다).
2) 서로를 가리키는 순환 참조는 del 해도 카운트가 0이 되지 않아 남아 있다가,
   gc.collect()가 돌 때 회수된다. gc.collect()는 찾아낸 '도달 불가능한 객체 수' 를 돌려준다.
"""

# /// kb
# [[expect]]
# name = "참조를 하나 더 만들면 refcount가 정확히 1 늘어난다"
# pattern = 'refcount delta after one more reference=(\d+)'
# all = "== 1"
# [[expect]]
# name = "순환이 없으면 del 하는 순간 회수된다"
# pattern = 'plain object finalized right after del: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "순환 참조는 del 만으로는 회수되지 않는다"
# pattern = 'cycle finalized after del: (\w+)'
# all = '== "False"'
# [[expect]]
# name = "순환을 만들기 전, 쓰레기를 비운 힙에서 gc.collect()는 0을 돌려준다"
# pattern = 'gc.collect\(\) on a clean heap returned (\d+)'
# all = "== 0"
# [[expect]]
# name = "그다음 gc.collect()가 순환을 회수하고, 찾은 객체 수(두 Node 포함, 2 이상)를 돌려준다"
# pattern = 'gc.collect\(\) after the cycle returned (\d+)'
# all = ">= 2"
# [[expect]]
# name = "3.12+에서는 None이 불멸 객체라 참조 1000개를 더 만들어도 refcount가 그대로이고, 3.11에서는 정확히 1000 늘어난다"
# pattern = 'None refcount behaves as this version promises: (\w+)'
# all = '== "True"'
# ///
import gc
import sys
import weakref


class Node:
    def __init__(self, name: str) -> None:
        self.name = name
        self.other = None


if __name__ == "__main__":
    gc.disable()  # 자동 GC가 끼어들지 않게 해서 타이밍을 보여 준다
    print(f"gc.get_threshold() = {gc.get_threshold()}  gc.get_count() = {gc.get_count()}")

    obj = Node("a")
    before = sys.getrefcount(obj)  # 인자로 넘기며 생기는 임시 참조 때문에 보통 실제보다 1 크다
    alias = obj
    after = sys.getrefcount(obj)
    print(f"getrefcount(obj)={before} -> alias 추가 후 {after}")
    print(f"refcount delta after one more reference={after - before}")
    del alias

    events: list[str] = []
    weakref.finalize(obj, events.append, "plain")
    del obj
    print(f"plain object finalized right after del: {'plain' in events}")

    gc.collect()  # 앞에서 생긴 다른 쓰레기를 먼저 비운다: 아래 숫자에 섞이지 않게
    print(f"gc.collect() on a clean heap returned {gc.collect()}")

    a, b = Node("a"), Node("b")
    a.other, b.other = b, a  # a <-> b 순환
    weakref.finalize(a, events.append, "cycle")
    del a, b
    print(f"cycle finalized after del: {'cycle' in events}")
    found = gc.collect()
    print(f"gc.collect() after the cycle returned {found}")
    print(f"cycle finalized after gc.collect(): {'cycle' in events}")
    assert "cycle" in events
    gc.enable()

    n0 = sys.getrefcount(None)
    refs = [None] * 1000  # None을 가리키는 참조 1000개
    delta = sys.getrefcount(None) - n0
    immortal = sys.version_info >= (3, 12)  # PEP 683: 3.12 부터 None은 불멸 객체
    print(f"None의 refcount = {n0}, 참조 1000개를 더 만든 뒤 변화 = {delta:+d} (immortal={immortal})")
    print(f"None refcount behaves as this version promises: {delta == (0 if immortal else len(refs))}")
