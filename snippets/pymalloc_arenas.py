"""작은 객체를 많이 만들면 pymalloc 이 arena(64비트에서 1 MiB) 를 더 받아 온다.

sys._debugmallocstats() 는 pymalloc 의 내부 통계를 C 의 stderr 로 찍는다. 그 출력을 얻으려고
같은 파이썬으로 작은 자식 프로세스를 돌리고, 작은 객체 20만 개 전후의 arena 수를 비교한다.
tracemalloc 으로 같은 할당을 파이썬 쪽에서 잰 값도 함께 보여 준다.
"""

# /// kb
# [[expect]]
# name = "작은 객체 20만 개를 만들면 arena 수가 늘어난다"
# pattern = 'arenas grew by (\d+)'
# all = "> 0"
# [[expect]]
# name = "tracemalloc 이 잰 증가량은 수 MiB 다"
# pattern = 'tracemalloc: \+([\d.]+) MiB'
# all = "> 2"
# ///
import re
import subprocess
import sys
import tracemalloc

CHILD = r"""
import sys
sys._debugmallocstats()
keep = [float(i) for i in range(200_000)]
sys.stderr.flush()
print("@@MARK@@", file=sys.stderr, flush=True)
sys._debugmallocstats()
"""

ARENAS = re.compile(r"(\d+) arenas \* (\d+) bytes/arena")
POOLS = re.compile(r"\d+ unused pools \* (\d+) bytes")

if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, 64-bit={sys.maxsize > 2**32}")
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    before, _, after = proc.stderr.partition("@@MARK@@")
    a0, a1 = ARENAS.search(before), ARENAS.search(after)
    if a0 is None or a1 is None:
        # free-threaded 빌드는 pymalloc 대신 mimalloc 을 쓰므로 이 통계가 없다
        print("pymalloc arena 통계를 찾지 못했다 (pymalloc 을 쓰지 않는 빌드이거나 설정).")
    else:
        arena_size = int(a0.group(2))
        pool = POOLS.search(before)
        print(f"arena size = {arena_size:,} bytes ({arena_size // 1024} KiB)")
        if pool:
            print(f"pool size  = {int(pool.group(1)):,} bytes")
        print(f"arenas before={a0.group(1)} after={a1.group(1)}")
        print(f"arenas grew by {int(a1.group(1)) - int(a0.group(1))}")
        if sys.maxsize > 2**32:
            assert arena_size == 1 << 20, "3.10+ 64비트 빌드의 arena 는 1 MiB 다"

    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    keep = [float(i) for i in range(200_000)]
    now, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"tracemalloc: +{(now - start) / 2**20:.1f} MiB for {len(keep):,} floats "
        f"(float 하나 {sys.getsizeof(1.0)} bytes + 리스트 칸 8 bytes)"
    )
