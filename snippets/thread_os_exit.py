"""스레드 안에서 os._exit(3)을 부르면 프로세스 전체가 곧바로 끝난다.

os._exit는 예외가 아니라 시스템 콜(exit_group)이다. 메인 스레드가 아직 일하는 중이어도,
finally 블록도 atexit도 돌지 않고 종료 코드 3으로 끝난다. 그래서 이 스니펫의 기대 종료 코드는 3이다.
"""

# /// kb
# exit = 3
# [[expect]]
# name = "os._exit를 부른 스레드와 메인 스레드는 같은 프로세스(PID)다"
# pattern = 'pid=(\d+)'
# same = true
# ///
import atexit
import os
import sys
import threading

atexit.register(lambda: print("atexit ran (이 줄은 나오면 안 된다)"))


def killer(ready: threading.Event) -> None:
    ready.wait()
    print(f"worker: pid={os.getpid()} native_id={threading.get_native_id()} -> os._exit(3)", flush=True)
    os._exit(3)


if __name__ == "__main__":
    ready = threading.Event()
    threading.Thread(target=killer, args=(ready,), daemon=True).start()
    print(f"main  : pid={os.getpid()} native_id={threading.get_native_id()} 대기 중", flush=True)
    try:
        ready.set()
        threading.Event().wait(10)  # 여기서 기다리는 동안 프로세스가 사라진다
        print("main: 이 줄은 실행되지 않는다")
    finally:
        print("main: finally (이 줄도 나오지 않는다)")
    sys.exit(0)
