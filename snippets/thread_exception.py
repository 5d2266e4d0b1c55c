"""스레드 안에서 처리되지 않은 예외가 나도 프로세스는 죽지 않는다.

예외는 threading.excepthook으로 전달되고(기본 동작은 stderr에 traceback 출력),
그 스레드만 끝난다. 메인 스레드와 다른 스레드는 계속 돈다.
"""

# /// kb
# [[expect]]
# name = "excepthook이 예외를 받았다"
# pattern = 'excepthook got: (\w+)'
# all = '== "ZeroDivisionError"'
# [[expect]]
# name = "예외 뒤에도 메인 스레드는 끝까지 실행된다"
# pattern = 'main continues: (\w+)'
# all = '== "True"'
# ///
import os
import threading

seen = []


def hook(args: threading.ExceptHookArgs) -> None:
    seen.append(args.exc_type.__name__)
    print(f"excepthook got: {args.exc_type.__name__} in thread {args.thread.name}")


def boom() -> None:
    raise ZeroDivisionError("워커 스레드에서 일부러 낸 예외")


if __name__ == "__main__":
    threading.excepthook = hook
    t = threading.Thread(target=boom, name="worker")
    t.start()
    t.join()
    print(f"worker alive? {t.is_alive()}  pid={os.getpid()}")
    print(f"main continues: {seen == ['ZeroDivisionError']}")
    assert seen == ["ZeroDivisionError"]
