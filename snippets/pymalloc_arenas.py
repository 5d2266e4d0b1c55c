"""작은 객체를 많이 만들면 파이썬 할당기가 운영체제에서 메모리를 더 받아 온다.

기본 빌드의 할당기는 pymalloc이다: 512 바이트 이하 요청을 16 바이트 간격의 크기 등급(size class)
블록으로 내주고, 블록은 pool(16 KiB)에, pool은 arena(1 MiB)에 들어 있다 (3.10+ 64비트 빌드 기준).
sys._debugmallocstats()는 그 내부 통계를 C의 stderr로 찍는다. 그 출력을 얻으려고 같은 파이썬으로
작은 자식 프로세스를 돌리고, float 20만 개 전후를 비교한다.

- float 하나가 '요청하는' 크기는 24 바이트(sys.getsizeof)지만, pymalloc은 32 바이트 등급 블록을 준다.
- tracemalloc은 요청한 크기(24)를 센다. 크기 등급은 _debugmallocstats의 표에서만 보인다.
- PYTHONMALLOC=mimalloc (3.13+) 이나 free-threaded 빌드처럼 pymalloc이 없으면 arena 통계 대신
  mimalloc의 'Bytes Reserved' 를 비교한다. 어느 할당기든 '받아 온 메모리가 는다' 는 검사는 같다.
"""

# /// kb
# [[expect]]
# name = "float 20만 개를 만들면 할당기가 운영체제에서 받아 온 메모리가 1 MiB 넘게 는다"
# pattern = 'reserved from the OS grew by (\d+) KiB'
# all = "> 1024"
# [[expect]]
# name = "float 하나가 요청하는 크기는 24바이트다 (sys.getsizeof)"
# pattern = 'sys.getsizeof\(1.0\)=(\d+)'
# all = "== 24"
# [[expect]]
# name = "tracemalloc은 요청한 크기를 센다: float 하나당 24바이트"
# pattern = 'tracemalloc per float=([\d.]+) bytes'
# all = "== 24.0"
# [[expect]]
# name = "pymalloc이면 float는 32바이트 크기 등급에서 나오고, 그 등급의 사용 중 블록이 float 수만큼 는다"
# pattern = 'size class check \(\w+\): (\w+)'
# all = '== "True"'
# ///
import re
import subprocess
import sys
import tracemalloc

N = 200_000

CHILD = r"""
import sys
sys._debugmallocstats()
keep = [None] * 200_000          # 리스트 칸은 미리 잡아 둔다: 아래 차이는 float 만의 것
sys.stderr.flush()
print("@@MARK@@", file=sys.stderr, flush=True)
for i in range(len(keep)):
    keep[i] = float(i)
sys.stderr.flush()
print("@@MARK@@", file=sys.stderr, flush=True)
sys._debugmallocstats()
"""

ARENAS = re.compile(r"(\d+) arenas \* (\d+) bytes/arena")
POOLS = re.compile(r"\d+ unused pools \* (\d+) bytes")
CLASS_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", re.M)  # class size pools used avail
MI_RESERVED = re.compile(r"Bytes Reserved: (\d+)")


def used_blocks(stats: str, size: int) -> int:
    return next((int(m.group(4)) for m in CLASS_ROW.finditer(stats) if int(m.group(2)) == size), 0)


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, 64-bit={sys.maxsize > 2**32}")
    print(f"sys.getsizeof(1.0)={sys.getsizeof(1.0)}")
    proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
    before, _, after = proc.stderr.split("@@MARK@@")
    a0, a1 = ARENAS.search(before), ARENAS.search(after)
    if a0 and a1:
        arena_size = int(a0.group(2))
        pool = POOLS.search(before)
        print("allocator: pymalloc")
        print(f"arena size = {arena_size:,} bytes ({arena_size // 1024} KiB)")
        if pool:
            print(f"pool size  = {int(pool.group(1)):,} bytes")
        grown = int(a1.group(1)) - int(a0.group(1))
        print(f"arenas before={a0.group(1)} after={a1.group(1)} (+{grown})")
        print(f"reserved from the OS grew by {grown * arena_size // 1024} KiB")
        if sys.maxsize > 2**32:
            assert arena_size == 1 << 20, "3.10+ 64비트 빌드의 arena는 1 MiB다"
        gained = used_blocks(after, 32) - used_blocks(before, 32)
        print(f"32-byte size class: blocks in use +{gained:,} for {N:,} floats")
        print(f"size class check (pymalloc): {N * 0.99 <= gained <= N * 1.01}")
    else:
        r0, r1 = MI_RESERVED.search(before), MI_RESERVED.search(after)
        assert r0 and r1, "pymalloc 통계도 mimalloc 통계도 아닌 출력이다"
        print("allocator: mimalloc (pymalloc이 없다: arena/pool/크기 등급 표가 나오지 않는다)")
        print(f"reserved from the OS grew by {(int(r1.group(1)) - int(r0.group(1))) // 1024} KiB")
        print("size class check (mimalloc): True  (mimalloc은 자기 크기 등급을 쓰며 이 표를 찍지 않는다)")

    keep: list[float | None] = [None] * N
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    for i in range(N):
        keep[i] = float(i)
    now, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"tracemalloc: +{(now - start) / 2**20:.2f} MiB for {N:,} floats")
    print(f"tracemalloc per float={(now - start) / N:.1f} bytes")
