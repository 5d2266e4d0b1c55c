"""한 프로세스 안의 스레드들은 PID 하나를 함께 쓰고, 스레드마다 커널 스레드 ID가 따로 있다.

또 여러 스레드가 append 하는 리스트는 '하나의' 객체이고, threading.local() 값은 스레드마다
따로 있다는 것을 보여 준다.
"""

# /// kb
# [[expect]]
# name = "모든 스레드가 같은 PID를 보고한다"
# pattern = 'thread pid=(\d+)'
# same = true
# [[expect]]
# name = "네이티브 스레드 ID는 스레드마다 다르다"
# pattern = 'native_id=(\d+)'
# distinct = true
# [[expect]]
# name = "공유 리스트에는 모든 스레드가 넣은 값이 모여 있다"
# pattern = 'shared list len=(\d+)'
# all = "== 4"
# [[expect]]
# name = "리눅스에서 메인 스레드의 TID는 PID와 같다"
# pattern = 'main thread TID == PID: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "새 스레드의 TID는 PID와 다르다"
# pattern = 'worker TIDs differ from PID: (\w+)'
# all = '== "True"'
# ///
import os
import sys
import threading

shared: list[str] = []  # 모든 스레드가 보는 단 하나의 리스트
local = threading.local()  # 스레드마다 따로 있는 값
barrier = threading.Barrier(4)  # 네 스레드가 동시에 살아 있도록 (ID 재사용 방지)
lock = threading.Lock()
reports = []


def work(name: str) -> None:
    local.name = name  # 다른 스레드가 덮어쓸 수 없다
    barrier.wait()
    with lock:
        shared.append(name)
        reports.append(
            f"{name}: thread pid={os.getpid()} native_id={threading.get_native_id()} "
            f"id(shared)={id(shared):#x} local.name={local.name}"
        )
    barrier.wait()
    assert local.name == name


if __name__ == "__main__":
    main_tid = threading.get_native_id()
    print(f"main  : pid={os.getpid()} native_id(main)={main_tid}")
    if sys.platform.startswith("linux"):  # 다른 OS 에서는 스레드 ID 체계가 다르다
        print(f"main thread TID == PID: {main_tid == os.getpid()}")
    threads = [threading.Thread(target=work, args=(f"T{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for line in sorted(reports):
        print(line)
    print(f"shared list len={len(shared)} -> {sorted(shared)}")
    tids = {int(r.split("native_id=")[1].split()[0]) for r in reports}
    if sys.platform.startswith("linux"):
        print(f"worker TIDs differ from PID: {os.getpid() not in tids}")
    print(f"main의 local.name 있음? {hasattr(local, 'name')}")
    assert not hasattr(local, "name"), "메인 스레드의 local 에는 아무도 값을 넣지 않았다"
    assert len({r.split("id(shared)=")[1].split()[0] for r in reports}) == 1
