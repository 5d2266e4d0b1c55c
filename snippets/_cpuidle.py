"""기계 전체의 '놀고 있는 코어 수' 를 재는 도우미 (스니펫이 아니라 측정 스니펫이 import 하는 모듈).

/proc/stat의 idle + iowait 시간을 벽시계 시간으로 나눈 값이다. 병렬 속도 향상은 빈 코어가
있을 때만 보여 줄 수 있으므로, 측정 스니펫은 이 값으로 '판단할 수 있는 라운드' 를 고른다.
리눅스가 아니면 None을 돌려준다.
"""

from __future__ import annotations

import os
import time


def _idle_seconds() -> float | None:
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    idle = int(fields[4]) + (int(fields[5]) if len(fields) > 5 else 0)
    return idle / os.sysconf("SC_CLK_TCK")


def run_and_idle(fn):
    """fn()을 실행하고 (반환값, 벽시계 시간, 그동안 놀던 코어 수 또는 None)을 돌려준다."""
    i0, t0 = _idle_seconds(), time.perf_counter()
    value = fn()
    wall = time.perf_counter() - t0
    i1 = _idle_seconds()
    idle = None if i0 is None or i1 is None or wall <= 0 else (i1 - i0) / wall
    return value, wall, idle
