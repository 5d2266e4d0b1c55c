"""살아 있는 파이썬 프로세스의 /proc/self/maps로 교과서의 메모리 레이아웃 그림을 검증한다 (리눅스 전용).

text / data / bss / heap / mmap / stack 영역을 실제 주소로 찾고, 힙은 위로, 스택은 아래로
자라는지 보고, ASLR 때문에 새 프로세스마다 주소가 바뀌는지 확인한다.
실제 주소로 그린 그림을 KB_FIGURES_DIR에 memory_layout.png로 저장한다.
"""

# /// kb
# [[expect]]
# name = "C 함수(Py_IncRef)의 주소는 실행 권한이 있는 파일 매핑(text)에 있다"
# pattern = 'text: .* perms=(\S+)'
# all = '== "r-xp"'
# [[expect]]
# name = "None(정적 C 변수 _Py_NoneStruct)은 파일에 매핑된 쓰기 가능한 데이터 영역(rw-p)에 있다"
# pattern = 'data: .* file-backed=(\w+) perms=rw-p'
# all = '== "True"'
# [[expect]]
# name = "libpython(또는 실행 파일)의 데이터 영역 바로 뒤에 이름 없는 rw-p 영역(bss)이 붙어 있다"
# pattern = 'bss : 0x[0-9a-f]+-0x[0-9a-f]+ (\S+) rw-p'
# all = '== "anon"'
# [[expect]]
# name = "32 MiB bytearray의 버퍼는 32 MiB 이상인 익명 매핑 안에 있다 (malloc이 따로 mmap)"
# pattern = 'mmap: bytearray\(32 MiB\) buffer in anon mapping of (\d+) KiB'
# all = ">= 32768"
# [[expect]]
# name = "malloc을 많이 하면 [heap]의 끝 주소가 커진다 (위로 자란다)"
# pattern = 'heap end moved by \+(\d+) KiB'
# all = "> 0"
# [[expect]]
# name = "C 스택을 깊이 쓰면 [stack]의 시작 주소가 작아진다 (아래로 자란다)"
# pattern = 'stack start moved by -(\d+) KiB'
# all = "> 0"
# ///
import ctypes
import os
import platform
import subprocess
import sys

import _maps


def classify(m: _maps.Mapping, exe: str) -> str:
    if m.path.startswith("["):
        return m.path
    if not m.path:
        return "anon (mmap)"
    name = os.path.basename(m.path)
    if os.path.realpath(m.path) == exe:
        return "python exe"
    if name.startswith("libpython"):
        return "libpython"
    if ".so" in name:
        return "shared libs (.so)"
    return "other files"


def c_stack_use(n: int) -> int:
    if n == 0:
        return next(m.start for m in _maps.read_maps() if m.path == "[stack]")
    return next(map(c_stack_use, [n - 1]))  # 단계마다 C 스택 프레임이 쌓인다


CHILD = (
    "import re;t=open('/proc/self/maps').read();print(re.search(r'^(\\w+)-.*\\[stack\\]',t,re.M).group(1))"
)

if __name__ == "__main__":
    if not _maps.available():
        print(f"이 데모는 리눅스의 /proc/self/maps가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    exe = os.path.realpath(sys.executable)
    maps = _maps.read_maps()
    print(f"python {sys.version.split()[0]} on {platform.machine()}, 매핑 {len(maps)}개")

    # text: C 함수의 주소
    fn_addr = ctypes.cast(ctypes.pythonapi.Py_IncRef, ctypes.c_void_p).value
    m = _maps.find(fn_addr, maps)
    print(f"text: Py_IncRef={fn_addr:#x} in {os.path.basename(m.path)} perms={m.perms}")
    # data: 초기값이 있는 전역 C 객체 (None은 _Py_NoneStruct 라는 정적 변수)
    m = _maps.find(id(None), maps)
    print(
        f"data: id(None)={id(None):#x} in {os.path.basename(m.path) or '(익명)'} "
        f"file-backed={not m.anonymous and not m.path.startswith('[')} perms={m.perms} (정적 객체)"
    )
    # bss: 라이브러리 data 바로 뒤의 이름 없는 rw-p 매핑 (0으로 초기화된 전역 변수 자리)
    for i, mm in enumerate(maps[:-1]):
        nxt = maps[i + 1]
        ours = "libpython" in mm.path or os.path.realpath(mm.path or "/") == exe
        if ours and mm.perms == "rw-p" and nxt.anonymous and nxt.start == mm.end:
            print(f"bss : {nxt.start:#x}-{nxt.end:#x} anon rw-p, {os.path.basename(mm.path)} data 바로 뒤")
            break

    # heap: brk로 늘어나는 [heap]
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    heap0 = next(x for x in maps if x.path == "[heap]")
    blocks = [libc.malloc(4000) for _ in range(2000)]  # 작은 malloc은 brk 영역에서
    heap1 = next(x for x in _maps.read_maps() if x.path == "[heap]")
    print(f"heap: malloc(4000)={blocks[-1]:#x} in {_maps.find(blocks[-1]).label}")
    print(
        f"heap end moved by +{(heap1.end - heap0.end) // 1024} KiB (start moved {heap1.start - heap0.start})"
    )
    for b in blocks:
        libc.free(b)

    # mmap: 큰 할당은 따로 mmap
    big = bytearray(32 * 1024 * 1024)
    buf = (ctypes.c_char * len(big)).from_buffer(big)
    m_buf = _maps.find(ctypes.addressof(buf))
    kind = "anon" if m_buf.anonymous else m_buf.label
    print(f"mmap: bytearray(32 MiB) buffer in {kind} mapping of {m_buf.size // 1024} KiB")
    del buf

    # stack: 아래로 자란다
    stack0 = next(x for x in _maps.read_maps() if x.path == "[stack]")
    sys.setrecursionlimit(10_000)
    try:
        deep_start = c_stack_use(2000)
    except RecursionError:  # 3.12 처럼 C 재귀 한도가 낮은 버전
        deep_start = c_stack_use(500)
    print(f"stack: [stack] {stack0.start:#x}-{stack0.end:#x}")
    print(f"stack start moved by -{(stack0.start - deep_start) // 1024} KiB, end unchanged")

    # 주소 순서: 실행 파일 < [heap] < 라이브러리/mmap < [stack]
    maps = _maps.read_maps()
    first_exe = min(x.start for x in maps if os.path.realpath(x.path or "/") == exe)
    heap = next(x for x in maps if x.path == "[heap]")
    libs = min(x.start for x in maps if ".so" in x.path)
    stack = next(x for x in maps if x.path == "[stack]")
    order_ok = first_exe < heap.start < libs < stack.start
    print(f"order exe < [heap] < libs < [stack]: {order_ok}")
    if platform.machine() in ("x86_64", "aarch64"):
        assert order_ok, "x86_64/aarch64 리눅스의 기본 배치와 다르다"

    # ASLR: 새 인터프리터 두 개의 [stack] 주소
    with open("/proc/sys/kernel/randomize_va_space") as f:
        aslr = f.read().strip()
    starts = [
        subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    print(f"ASLR randomize_va_space={aslr}; two fresh processes' [stack]: {starts[0]} vs {starts[1]}")
    if aslr == "2":
        assert starts[0] != starts[1], "ASLR이 켜져 있으면 새 프로세스마다 스택 주소가 달라진다"

    # 그림: 실제 주소 순서대로 (서수 배치, 위가 높은 주소)
    try:
        import matplotlib
    except ImportError:
        print("matplotlib이 없어서 그림은 건너뛴다")
        sys.exit(0)
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups: list[list] = []  # [label, start, end]
    for x in maps:
        label = classify(x, exe)
        if groups and groups[-1][0] == label:
            groups[-1][2] = x.end
        else:
            groups.append([label, x.start, x.end])
    colors = {
        "python exe": "#4c72b0",
        "libpython": "#55a868",
        "[heap]": "#c44e52",
        "anon (mmap)": "#dddddd",
        "shared libs (.so)": "#8172b2",
        "[stack]": "#dd8452",
        "[vdso]": "#937860",
        "[vvar]": "#937860",
        "[vvar_vclock]": "#937860",
        "[vsyscall]": "#937860",
    }
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(groups) + 1))
    for i, (label, lo, hi) in enumerate(groups):
        ax.barh(i, 1, color=colors.get(label, "#cccccc"), edgecolor="white")
        ax.text(
            0.02,
            i,
            f"{label}  {lo:#x}-{hi:#x}  ({(hi - lo) // 1024:,} KiB)",
            va="center",
            fontsize=7,
            family="monospace",
        )
    ax.set_yticks([])
    ax.set_xticks([])
    ax.set_title("/proc/self/maps of this snippet (bottom = low address, not to scale)")
    fig.tight_layout()
    out = os.path.join(os.environ.get("KB_FIGURES_DIR", "."), "memory_layout.png")
    fig.savefig(out, dpi=110)
    print(f"saved figure: {os.path.basename(out)} ({len(groups)} regions)")
