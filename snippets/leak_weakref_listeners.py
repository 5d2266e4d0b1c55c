"""전역 리스트가 붙잡고 있는 객체는 영원히 살아 있다: 이벤트 리스너 누수와 weakref로 고치기.

화면(Screen) 객체가 닫힌 뒤에도 전역 리스너 목록이 그 객체의 메서드를 강하게 참조하면
객체는 '도달 가능' 하므로 GC가 회수하지 않는다. weakref.WeakMethod로 바꾸면 회수된다.
"""

# /// kb
# [[expect]]
# name = "강한 참조 리스트에 등록된 화면 1000개는 gc.collect() 뒤에도 살아 있다"
# pattern = 'strong: alive after close=(\d+)'
# all = "== 1000"
# [[expect]]
# name = "WeakMethod로 등록하면 모두 회수된다"
# pattern = 'weak: alive after close=(\d+)'
# all = "== 0"
# ///
import gc
import weakref

strong_listeners: list = []
weak_listeners: list[weakref.WeakMethod] = []


class Screen:
    alive = 0

    def __init__(self, weak: bool) -> None:
        Screen.alive += 1
        self.buffer = bytearray(10_000)
        if weak:
            weak_listeners.append(weakref.WeakMethod(self.on_event))
        else:
            strong_listeners.append(self.on_event)  # 바운드 메서드가 self를 붙잡는다

    def on_event(self, name: str) -> None:
        pass

    def __del__(self) -> None:
        Screen.alive -= 1


def publish(name: str) -> None:
    for cb in strong_listeners:
        cb(name)
    for ref in list(weak_listeners):
        cb = ref()
        if cb is None:
            weak_listeners.remove(ref)  # 죽은 리스너 정리
        else:
            cb(name)


def open_and_close(weak: bool) -> int:
    Screen.alive = 0
    for _ in range(1000):
        Screen(weak)  # 만들자마자 버린다 (화면을 닫았다)
    gc.collect()
    publish("tick")
    return Screen.alive


if __name__ == "__main__":
    print(f"strong: alive after close={open_and_close(weak=False)}, listeners={len(strong_listeners)}")
    print(f"weak: alive after close={open_and_close(weak=True)}, listeners={len(weak_listeners)}")
    strong_listeners.clear()  # 진짜 해결: 등록한 쪽이 해제할 책임을 진다
    gc.collect()
