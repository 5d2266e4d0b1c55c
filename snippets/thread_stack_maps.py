"""스레드를 하나 만들 때마다 /proc/self/maps에 그 스레드의 스택 매핑이 새로 생긴다 (리눅스 전용).

Event를 기다리며 멈춰 있는 스레드 4개를 띄우고, 매핑 수를 전후로 세고, 각 스레드의
스택 포인터(/proc/self/task/<tid>/syscall)가 어느 매핑 안에 있는지 찾는다.
"""

# /// kb
# [[expect]]
# name = "스레드 4개를 띄우면 매핑이 스레드마다 2개(스택 + 가드 페이지) 이상, 모두 8개 이상 늘어난다"
# pattern = 'mappings added: (\d+)'
# all = ">= 8"
# [[expect]]
# name = "스레드 4개 모두 스레드를 띄우기 전에는 없던 자기만의 스택 매핑을 갖는다"
# pattern = 'threads with their own new stack mapping=(\d+)'
# all = "== 4"
# [[expect]]
# name = "각 스레드 스택 바로 아래(낮은 주소)에는 접근 금지(---p) 가드 페이지가 붙어 있다"
# pattern = 'guard page right below: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "메인 스레드의 스택 포인터는 [stack] 매핑 안에 있다"
# pattern = 'main SP=0x[0-9a-f]+ -> (\S+)'
# all = '== "[stack]"'
# [[expect]]
# name = "각 스레드의 스택 포인터는 서로 다른 익명 매핑 안에 있다"
# pattern = 'stack mapping start=(0x[0-9a-f]+)'
# distinct = true
# ///
import sys
import threading
import time

import _maps

N = 4

if __name__ == "__main__":
    if not _maps.available():
        print(f"이 데모는 리눅스의 /proc/self/maps가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)

    before = _maps.read_maps()
    release = threading.Event()
    threads = [threading.Thread(target=release.wait, name=f"T{i}") for i in range(N)]
    for t in threads:
        t.start()
    # 모든 스레드가 futex 대기(시스템 콜)에 들어갈 때까지 잠깐 기다린다
    sps: dict[str, int] = {}
    deadline = time.monotonic() + 5
    while len(sps) < N and time.monotonic() < deadline:
        for t in threads:
            sp = _maps.thread_stack_pointer(t.native_id)
            if sp is not None:
                sps[t.name] = sp
        time.sleep(0.01)
    after = _maps.read_maps()

    print(f"mappings before: {len(before)}  after: {len(after)}")
    print(f"mappings added: {len(after) - len(before)}")
    main_sp = _maps.thread_stack_pointer(threading.get_native_id())
    if main_sp is not None:
        m = _maps.find(main_sp, after)
        print(f"main SP={main_sp:#x} -> {m.label} ({_maps.kib(m.size)})")
    old = set(before)
    own: set[int] = set()
    for name in sorted(sps):
        m = _maps.find(sps[name], after)
        assert m is not None and m.anonymous, "스레드 스택은 이름 없는 mmap 영역이다"
        guard = next((g for g in after if g.end == m.start), None)
        print(
            f"{name}: SP={sps[name]:#x} -> stack mapping start={m.start:#x} "
            f"size={_maps.kib(m.size)} perms={m.perms} {m.label} new={m not in old} "
            f"guard page right below: {guard is not None and guard.perms == '---p'}"
        )
        if m not in old:
            own.add(m.start)
    print(f"threads with their own new stack mapping={len(own)}")
    print("새로 생긴 매핑 (권한, 크기):")
    for m in after:
        if m not in old:
            note = {"---p": "접근 금지(가드 페이지 또는 예약만 한 영역)", "rw-p": "읽기/쓰기"}.get(
                m.perms, ""
            )
            print(f"  {m.start:#x} {m.perms} {_maps.kib(m.size):>12} {m.label} {note}")
    release.set()
    for t in threads:
        t.join()
    assert len(after) - len(before) >= 2 * N
