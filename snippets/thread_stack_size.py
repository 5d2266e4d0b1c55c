"""threading.stack_size() 로 새 스레드의 C 스택 크기를 정할 수 있다 (매핑 확인은 리눅스 전용).

기본값 0 은 '플랫폼 기본값' 이라는 뜻이다 (리눅스 glibc 는 보통 ulimit -s, 흔히 8 MiB).
1 MiB 로 바꾼 뒤 띄운 스레드의 스택 포인터가 들어 있는 매핑 크기를 /proc/self/maps 로 잰다.
"""

# /// kb
# [[expect]]
# name = "stack_size(1 MiB) 로 띄운 스레드의 스택 매핑은 약 1 MiB 다"
# pattern = 'custom thread stack mapping=(\d+) KiB'
# all = "<= 1100"
# [[expect]]
# name = "기본 스레드의 스택 매핑은 그보다 크다"
# pattern = 'default thread stack mapping=(\d+) KiB'
# all = "> 1100"
# ///
import sys
import threading
import time

import _maps


def mapping_of_thread(size: int) -> int | None:
    """stack_size(size) 로 스레드를 띄우고 그 스택 매핑 크기(바이트)를 돌려준다."""
    threading.stack_size(size)
    release = threading.Event()
    t = threading.Thread(target=release.wait)
    t.start()
    threading.stack_size(0)  # 다음 스레드부터는 다시 기본값
    sp = None
    for _ in range(500):
        sp = _maps.thread_stack_pointer(t.native_id)
        if sp is not None:
            break
        time.sleep(0.01)
    m = _maps.find(sp) if sp is not None else None
    release.set()
    t.join()
    return m.size if m else None


if __name__ == "__main__":
    print(f"threading.stack_size() 기본값 = {threading.stack_size()} (0 = 플랫폼 기본값)")
    if not _maps.available():
        print(f"매핑 확인은 리눅스의 /proc 가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    default = mapping_of_thread(0)
    custom = mapping_of_thread(1024 * 1024)
    assert default is not None and custom is not None, "스레드의 스택 포인터를 읽지 못했다"
    print(f"default thread stack mapping={default // 1024} KiB")
    print(f"custom thread stack mapping={custom // 1024} KiB  (요청 1024 KiB)")
