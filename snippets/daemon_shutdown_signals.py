"""데몬 스레드, 인터프리터 종료 순서, 시그널이 메인 스레드에서만 처리된다는 것을 보여 준다.

- 종료 순서: 메인 스레드의 코드가 끝나면 인터프리터는 (1) 데몬이 아닌 스레드가 모두 끝나기를 기다리고
  (2) atexit 처리기를 부르고 (3) 데몬 스레드는 기다리지 않고 그냥 멈춘다 (finally도 돌지 않는다).
  이것은 자식 인터프리터를 띄워 그 출력 순서로 확인한다.
- 시그널: signal.signal()은 메인 스레드에서만 부를 수 있고 (다른 스레드에서는 ValueError),
  처리기(handler)도 언제나 메인 스레드에서 실행된다. 다른 스레드가 자기 프로세스에 시그널을 보내도 그렇다.
"""

# /// kb
# [[expect]]
# name = "데몬이 아닌 스레드는 끝까지 돈다: 인터프리터가 그 스레드를 기다린다"
# pattern = 'non-daemon finished: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "atexit 처리기는 데몬이 아닌 스레드가 끝난 뒤에 불린다"
# pattern = 'atexit ran after the non-daemon thread: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "데몬 스레드는 종료 때 그냥 멈춘다: 작업도 finally도 끝나지 않는다"
# pattern = 'daemon finished or ran finally: (\w+)'
# all = '== "False"'
# [[expect]]
# name = "메인이 아닌 스레드에서 signal.signal()을 부르면 ValueError가 난다"
# pattern = 'signal.signal\(\) in a worker thread -> (\w+)'
# all = '== "ValueError"'
# [[expect]]
# name = "다른 스레드가 보낸 시그널도 처리기는 메인 스레드에서 돈다"
# pattern = 'handler ran in: (\S+)'
# all = '== "MainThread"'
# ///
import os
import signal
import subprocess
import sys
import threading
import time

CHILD = r"""
import atexit, threading, time
atexit.register(lambda: print("atexit", flush=True))

def slow(name, seconds):
    try:
        time.sleep(seconds)
        print(name, "finished", flush=True)
    finally:
        print(name, "finally", flush=True)

threading.Thread(target=slow, args=("daemon", 2.0), daemon=True).start()
threading.Thread(target=slow, args=("non-daemon", 0.3)).start()
print("main code done", flush=True)
"""

if __name__ == "__main__":
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=30).stdout
    lines = out.strip().splitlines()
    print("자식 인터프리터가 출력한 순서:", " | ".join(lines))
    print(f"non-daemon finished: {'non-daemon finished' in lines}")
    order_ok = {"atexit", "non-daemon finally"} <= set(lines) and (
        lines.index("non-daemon finally") < lines.index("atexit")
    )
    print(f"atexit ran after the non-daemon thread: {order_ok}")
    print(f"daemon finished or ran finally: {'daemon finished' in lines or 'daemon finally' in lines}")

    result = []

    def try_install() -> None:
        try:
            signal.signal(signal.SIGUSR1, lambda *_: None)
            result.append("installed")
        except ValueError as exc:
            result.append(type(exc).__name__)
            print(f"  ({exc})")

    t = threading.Thread(target=try_install)
    t.start()
    t.join()
    print(f"signal.signal() in a worker thread -> {result[0]}")

    seen: list[str] = []
    signal.signal(signal.SIGUSR1, lambda signum, frame: seen.append(threading.current_thread().name))
    sender = threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGUSR1), name="sender")
    sender.start()
    sender.join()
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.01)  # 처리기는 메인 스레드가 다음 바이트코드를 실행할 때 불린다
    print(f"handler ran in: {seen[0] if seen else '(not run)'}")
