"""multiprocessing.shared_memory: 두 프로세스가 '같은 물리 메모리' 를 본다. 복사도 직렬화도 없다.

부모가 만든 공유 메모리 블록에 자식이 이름으로 붙어서 값을 쓰고, 부모는 그 값을 그대로 읽는다.
대신 동시에 쓰면 경쟁 조건이 생기므로 필요하면 Lock으로 보호해야 한다.
"""

# /// kb
# [[expect]]
# name = "공유 메모리를 쓰는 두 프로세스의 PID는 다르다"
# pattern = 'pid=(\d+)'
# distinct = true
# [[expect]]
# name = "자식이 쓴 바이트를 부모가 그대로 읽는다"
# pattern = 'parent reads: (\S+)'
# all = '== "written-by-child"'
# ///
import multiprocessing as mp
import os
from multiprocessing import shared_memory


def child(name: str, done) -> None:
    shm = shared_memory.SharedMemory(name=name)  # 이름으로 같은 블록에 붙는다
    payload = b"written-by-child"
    shm.buf[: len(payload)] = payload
    shm.buf[32:40] = os.getpid().to_bytes(8, "little")
    shm.close()  # 붙은 쪽은 close만 (unlink는 만든 쪽이)
    done.set()


if __name__ == "__main__":
    shm = shared_memory.SharedMemory(create=True, size=64)
    try:
        done = mp.Event()
        p = mp.Process(target=child, args=(shm.name, done))
        p.start()
        done.wait(20)
        p.join()
        text = bytes(shm.buf[:16]).decode()
        child_pid = int.from_bytes(bytes(shm.buf[32:40]), "little")
        print(f"block name={shm.name!r} size={shm.size}")
        print(f"creator  pid={os.getpid()}")
        print(f"attacher pid={child_pid}")
        print(f"parent reads: {text}")
    finally:
        shm.close()
        shm.unlink()  # /dev/shm의 파일을 지운다
