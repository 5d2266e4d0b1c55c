"""파이썬 객체가 실제로 어느 메모리 영역에 놓이는지 /proc/self/maps로 확인한다 (리눅스 전용).

CPython에서 id(obj)는 객체의 주소다. 그 주소를 담은 매핑을 찾아 보면
  - 작은 객체(512 바이트 이하): pymalloc의 arena = 이름 없는(익명) mmap 영역
  - 중간 크기 객체(512 바이트 초과 ~ 약 128 KiB): glibc malloc -> 보통 [heap] (brk 영역)
  - 큰 객체(수 MiB): malloc이 따로 mmap 한 익명 영역
  - None, True, 작은 정수 같은 일부 객체: 실행 파일/libpython의 데이터 영역(정적 객체)
할당기가 mimalloc이면 (PYTHONMALLOC=mimalloc, free-threaded 빌드) 크기와 상관없이 mimalloc 이
mmap으로 잡은 큰 익명 영역에서 나오므로, 중간 크기 객체도 [heap]이 아니라 익명 매핑에 있다.
"""

# /// kb
# [[expect]]
# name = "작은 객체(float, 작은 list, 작은 dict)는 [heap]이 아니라 익명 매핑(pymalloc arena 또는 mimalloc 영역)에 있다"
# pattern = 'small \S+ +-> (\S+)'
# all = '== "anon"'
# [[expect]]
# name = "1000바이트 bytes는 할당기가 정한 곳에 있다: pymalloc이면 glibc malloc을 거쳐 [heap], mimalloc이면 익명 매핑"
# pattern = 'medium bytes\(1000\) is where the allocator puts it: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "None, True, 작은 정수는 실행 파일이나 libpython의 데이터 영역에 있는 정적 객체다"
# pattern = '(?:None|True|int 7) +-> (\S+)'
# all = '!= "anon"'
# [[expect]]
# name = "16 MiB bytes는 익명 매핑에 있다"
# pattern = 'large bytes\(16 MiB\) +-> (\S+)'
# all = '== "anon"'
# ///
import os
import sys

import _maps


def allocator_name() -> str:
    """pymalloc / mimalloc / malloc (3.13+ 은 인터프리터에게 직접 묻고, 그 전에는 환경 변수로 판단)."""
    try:
        import _testinternalcapi

        return _testinternalcapi.pymem_getallocatorsname().removesuffix("_debug")
    except (ImportError, AttributeError, RuntimeError):
        env = os.environ.get("PYTHONMALLOC", "")
        return "malloc" if env.startswith("malloc") else "pymalloc"  # 3.12 이하에는 mimalloc이 없다


def where(obj) -> tuple[str, _maps.Mapping | None]:
    m = _maps.find(id(obj))
    if m is None:
        return "?", None
    if m.anonymous:
        return "anon", m
    if m.path.startswith("["):
        return m.path, m
    return os.path.basename(m.path), m


if __name__ == "__main__":
    if not _maps.available():
        print(f"이 데모는 리눅스의 /proc/self/maps가 필요하다 (지금: {sys.platform}). 건너뛴다.")
        sys.exit(0)
    allocator = allocator_name()
    print(f"python {sys.version.split()[0]}  allocator={allocator}")

    samples = {
        "small float": 3.14159 * len(sys.argv),  # 실행 중에 새로 만든 float
        "small list": [1, 2, 3],
        "small dict": {"a": 1},
        "medium bytes(1000)": os.urandom(1000),
        "large bytes(16 MiB)": bytes(16 * 1024 * 1024),
        "None": None,
        "True": True,
        "int 7": 7,
    }
    for name, obj in samples.items():
        kind, m = where(obj)
        size = _maps.kib(m.size) if m else "?"
        print(f"{name:<20} -> {kind:<22} id={id(obj):#x}  mapping size={size}")

    # 512 바이트를 넘는 요청: pymalloc은 glibc malloc에 넘기고(메인 스레드 -> [heap]),
    # mimalloc은 자기 영역(익명 mmap)에서 직접 준다.
    predicted = {"pymalloc": "[heap]", "mimalloc": "anon"}.get(allocator)
    medium = where(samples["medium bytes(1000)"])[0]
    print(f"allocator {allocator} predicts medium bytes(1000) in {predicted or '?'}; it is in {medium}")
    print(f"medium bytes(1000) is where the allocator puts it: {medium == predicted}")
    heap = next((m for m in _maps.read_maps() if m.path == "[heap]"), None)
    if heap:
        print(f"[heap] 세그먼트: {heap.start:#x}-{heap.end:#x} ({_maps.kib(heap.size)})")
    assert where(samples["large bytes(16 MiB)"])[1].size >= 16 * 1024 * 1024
