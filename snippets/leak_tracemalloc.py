"""GC가 고칠 수 없는 누수: 계속 커지는 캐시 dict. tracemalloc으로 찾고 lru_cache로 고친다.

캐시에 들어간 값은 아직 '도달 가능' 하므로 참조 카운팅도 순환 GC도 회수하지 않는다.
스냅숏 두 장을 compare_to('lineno')로 비교하면 가장 많이 늘어난 줄이 바로 누수 지점이다.
"""

# /// kb
# [[expect]]
# name = "compare_to의 1위 줄이 누수가 일어나는 바로 그 줄이다"
# pattern = 'top line is the leaking line: (\w+)'
# all = '== "True"'
# [[expect]]
# name = "누수 버전은 요청 2만 번에 수 MiB가 늘어난다"
# pattern = 'leaky: \+(\d+) KiB'
# all = "> 2000"
# [[expect]]
# name = "크기 제한 lru_cache 버전은 거의 늘지 않는다"
# pattern = 'bounded: \+(\d+) KiB'
# all = "< 300"
# ///
import functools
import gc
import inspect
import tracemalloc

_cache: dict[int, bytes] = {}


def render_leaky(user_id: int) -> bytes:
    if user_id not in _cache:
        _cache[user_id] = f"<profile {user_id}>".encode() * 20  # LEAK: 지우는 곳이 없다
    return _cache[user_id]


@functools.lru_cache(maxsize=256)  # 가장 오래 안 쓴 항목부터 버린다
def render_bounded(user_id: int) -> bytes:
    return f"<profile {user_id}>".encode() * 20


def serve(render, requests: int) -> None:
    for i in range(requests):
        render(i)  # 사용자마다 한 번씩: 캐시 적중이 거의 없는 최악의 패턴


def grow(render, requests: int = 20_000) -> tuple[int, tracemalloc.Statistic]:
    gc.collect()
    snap1 = tracemalloc.take_snapshot()
    serve(render, requests)
    gc.collect()  # GC를 돌려도 줄지 않는다는 것을 보이려고
    snap2 = tracemalloc.take_snapshot()
    stats = snap2.compare_to(snap1, "lineno")
    return sum(s.size_diff for s in stats), stats[0]


if __name__ == "__main__":
    tracemalloc.start()
    leak_line = (
        next(i for i, line in enumerate(inspect.getsource(render_leaky).splitlines()) if "# LEAK" in line)
        + render_leaky.__code__.co_firstlineno
    )

    total, top = grow(render_leaky)
    frame = top.traceback[0]
    print(f"leaky: +{total // 1024} KiB, cache entries={len(_cache)}")
    print(
        f"top stat: {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} "
        f"size_diff=+{top.size_diff // 1024} KiB count_diff=+{top.count_diff}"
    )
    print(f"  -> {str(top).replace(frame.filename, frame.filename.rsplit('/', 1)[-1])}")
    print(f"top line is the leaking line: {frame.lineno == leak_line} (line {leak_line})")

    _cache.clear()
    total, top = grow(render_bounded)
    print(f"bounded: +{total // 1024} KiB, {render_bounded.cache_info()}")
    tracemalloc.stop()
