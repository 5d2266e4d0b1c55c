"""자식 프로세스가 리스트를 바꿔도 부모의 리스트는 그대로라는 것을 보여 준다.

fork 로 만든 자식은 부모 메모리의 '복사본'(copy-on-write)을, spawn/forkserver 로 만든
자식은 새 인터프리터를 받는다. 어느 쪽이든 두 프로세스는 메모리를 공유하지 않는다.
"""

# /// kb
# [[expect]]
# name = "자식은 리스트에 4개를 더 넣은 것을 본다"
# pattern = 'child sees len=(\d+)'
# all = "== 7"
# [[expect]]
# name = "부모의 리스트 길이는 그대로 3이다"
# pattern = 'parent sees len=(\d+)'
# all = "== 3"
# ///
import multiprocessing as mp
import os

shared = [1, 2, 3]  # 모듈 전역: 자식도 (복사본으로) 갖는다


def child(conn) -> None:
    shared.extend([4, 5, 6, 7])
    conn.send((os.getpid(), len(shared), id(shared)))
    conn.close()


if __name__ == "__main__":
    parent_conn, child_conn = mp.Pipe()
    p = mp.Process(target=child, args=(child_conn,))
    p.start()
    child_pid, child_len, child_id = parent_conn.recv()
    p.join()
    print(f"start method: {mp.get_start_method()}")
    print(f"child  pid={child_pid} child sees len={child_len}")
    print(f"parent pid={os.getpid()} parent sees len={len(shared)} -> {shared}")
    print(f"id(shared) 자식={child_id:#x} 부모={id(shared):#x}  (같아 보여도 다른 주소 공간의 값)")
    assert child_len == 7
    assert shared == [1, 2, 3], "자식의 변경이 부모에게 보이면 안 된다"
    assert p.exitcode == 0
