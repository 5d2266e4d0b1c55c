"""자식 프로세스가 리스트를 바꿔도 부모의 리스트는 그대로라는 것을 보여 준다.

fork로 만든 자식은 부모 메모리를 copy-on-write로 물려받는다: 처음에는 같은 물리 페이지를
함께 보다가, 어느 한쪽이 쓰는 순간 그 페이지만 복사된다. spawn은 새 인터프리터를 띄우고,
forkserver는 미리 띄운 서버 프로세스를 fork 한다. 어느 쪽이든 두 프로세스는 메모리를 공유하지 않는다.
마지막으로 fork를 직접 골라, 자식이 같은 주소(id)의 리스트를 보지만 내용은 따로라는 것을 확인한다.
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
# [[expect]]
# name = "fork로 만든 자식의 리스트는 부모와 같은 가상 주소(id)에 있다"
# pattern = 'fork: same id\(\) in child and parent: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "그래도 fork 자식이 바꾼 내용은 부모에게 보이지 않는다"
# pattern = 'fork: parent still sees len=(\d+)'
# all = "== 3"
# ///
import multiprocessing as mp
import os
import sys

shared = [1, 2, 3]  # 모듈 전역: 자식도 (복사본으로) 갖는다


def child(conn) -> None:
    shared.extend([4, 5, 6, 7])
    conn.send((os.getpid(), len(shared), id(shared)))
    conn.close()


def run_child(ctx) -> tuple[int, int, int, int]:
    parent_conn, child_conn = ctx.Pipe()
    p = ctx.Process(target=child, args=(child_conn,))
    p.start()
    child_pid, child_len, child_id = parent_conn.recv()
    p.join()
    return child_pid, child_len, child_id, p.exitcode


if __name__ == "__main__":
    child_pid, child_len, child_id, code = run_child(mp.get_context())
    print(f"start method: {mp.get_start_method()}")
    print(f"child  pid={child_pid} child sees len={child_len}")
    print(f"parent pid={os.getpid()} parent sees len={len(shared)} -> {shared}")
    print(f"id(shared) 자식={child_id:#x} 부모={id(shared):#x}")
    assert child_len == 7
    assert shared == [1, 2, 3], "자식의 변경이 부모에게 보이면 안 된다"
    assert code == 0

    if sys.platform.startswith("linux"):  # fork는 POSIX 전용이고 macOS 에서는 권하지 않는다
        _, fork_len, fork_id, code = run_child(mp.get_context("fork"))
        print(f"fork: child id={fork_id:#x} parent id={id(shared):#x} child len={fork_len}")
        print(f"fork: same id() in child and parent: {fork_id == id(shared)}")
        print(f"fork: parent still sees len={len(shared)}")
        assert code == 0
