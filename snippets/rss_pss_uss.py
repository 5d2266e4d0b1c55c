"""메모리 숫자 네 가지: VSZ(가상 크기), RSS, PSS, USS가 각각 무엇을 세는지 잰다 (리눅스 전용).

- VSZ (/proc/self/status의 VmSize): 예약한 주소 공간 전체. 건드리지 않은 페이지도 센다.
- RSS (Rss): 지금 물리 메모리에 올라와 있는 페이지. 다른 프로세스와 함께 쓰는 페이지도 통째로 센다.
- PSS (Pss): 함께 쓰는 페이지는 나눠 쓰는 프로세스 수로 나눠서 센다. 모든 프로세스의 PSS를 더하면 실제 사용량.
- USS (Private_Clean + Private_Dirty): 이 프로세스만 쓰는 페이지.이 프로세스가 죽으면 돌아오는 양.
순서: 256 MiB를 예약만 하고, 그중 64 MiB를 건드리고, fork 한 자식이 그 64 MiB를 읽기만 한 상태에서 잰다.
"""

# /// kb
# [[expect]]
# name = "256 MiB를 예약만 하면 VSZ는 256 MiB 가까이 늘지만 RSS는 거의 그대로다"
# pattern = 'reserve 256 MiB: VSZ \+(\d+) MiB'
# all = ">= 250"
# [[expect]]
# name = "예약만 한 메모리는 RSS를 8 MiB도 늘리지 않는다"
# pattern = 'reserve 256 MiB: VSZ \+\d+ MiB, RSS \+(\d+) MiB'
# all = "< 8"
# [[expect]]
# name = "64 MiB를 건드리면 RSS가 64 MiB 가까이 는다"
# pattern = 'touch 64 MiB: RSS \+(\d+) MiB'
# all = ">= 60"
# [[expect]]
# name = "fork한 자식이 읽기만 한 페이지는 자식의 RSS에는 있지만 USS에는 없다"
# pattern = 'child: shared part of RSS=(\d+) MiB'
# all = ">= 60"
# [[expect]]
# name = "자식의 PSS는 USS + 공유 부분의 절반과 같다 (두 프로세스가 나눠 쓴다, 10% 이내)"
# pattern = 'child: Pss / \(USS \+ shared/2\)=([\d.]+)'
# all = "<= 1.1"
# [[expect]]
# name = "자식의 PSS는 USS + 공유 부분의 절반보다 10% 넘게 작지 않다"
# pattern = 'child: Pss / \(USS \+ shared/2\)=([\d.]+)'
# all = ">= 0.9"
# ///
import mmap
import os
import sys

MiB = 1024 * 1024


def status_kib(key: str) -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key + ":"))


def rollup() -> dict[str, int]:
    with open("/proc/self/smaps_rollup") as f:
        rows = [line.split() for line in f if line.rstrip().endswith("kB")]
    return {r[0].rstrip(":"): int(r[1]) for r in rows}


if __name__ == "__main__":
    if not os.path.exists("/proc/self/smaps_rollup"):
        print(f"이 데모는 리눅스의 /proc/self/smaps_rollup이 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    vsz0, rss0 = status_kib("VmSize"), rollup()["Rss"]
    area = mmap.mmap(-1, 256 * MiB, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)  # 주소만 예약
    vsz1, rss1 = status_kib("VmSize"), rollup()["Rss"]
    print(f"reserve 256 MiB: VSZ +{(vsz1 - vsz0) // 1024} MiB, RSS +{(rss1 - rss0) // 1024} MiB")
    for off in range(0, 64 * MiB, mmap.PAGESIZE):
        area[off] = 1  # 페이지마다 한 바이트: 이제 물리 메모리가 붙는다
    rss2 = rollup()["Rss"]
    print(f"touch 64 MiB: RSS +{(rss2 - rss1) // 1024} MiB")

    r, w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        total = sum(area[off] for off in range(0, 64 * MiB, mmap.PAGESIZE))  # 읽기만 한다
        m = rollup()
        os.write(w, f"{m['Rss']} {m['Pss']} {m['Private_Clean'] + m['Private_Dirty']} {total}".encode())
        os.read(go_r, 1)  # 부모가 잴 때까지 살아 있는다 (페이지를 계속 나눠 쓰게)
        os._exit(0)
    os.close(w)
    rss, pss, uss, total = (int(x) for x in os.read(r, 200).split())
    parent = rollup()
    os.write(go_w, b"x")
    os.waitpid(pid, 0)
    shared = rss - uss
    print(f"child: Rss={rss // 1024} MiB Pss={pss // 1024} MiB USS={uss // 1024} MiB (읽은 페이지 {total:,}개)")
    print(f"child: shared part of RSS={shared // 1024} MiB")
    print(f"child: Pss / (USS + shared/2)={pss / (uss + shared / 2):.3f}")
    print(f"parent while child alive: Rss={parent['Rss'] // 1024} MiB Pss={parent['Pss'] // 1024} MiB")
