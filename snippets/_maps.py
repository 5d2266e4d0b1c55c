"""/proc/self/maps를 읽는 작은 도우미 (스니펫이 아니라 여러 스니펫이 import 하는 모듈).

리눅스 전용이다. 다른 운영체제에서는 ``available()``이 False를 돌려준다.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Mapping:
    start: int
    end: int
    perms: str
    offset: int
    inode: int
    path: str  # 익명 매핑이면 빈 문자열

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def anonymous(self) -> bool:
        return self.path == ""

    def contains(self, addr: int) -> bool:
        return self.start <= addr < self.end

    @property
    def label(self) -> str:
        return self.path or "(익명)"


def available() -> bool:
    return sys.platform.startswith("linux") and os.path.exists("/proc/self/maps")


def read_maps(pid: int | str = "self") -> list[Mapping]:
    result = []
    with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split(maxsplit=5)
            lo, hi = parts[0].split("-")
            path = parts[5].strip() if len(parts) > 5 else ""
            result.append(Mapping(int(lo, 16), int(hi, 16), parts[1], int(parts[2], 16), int(parts[4]), path))
    return result


def find(addr: int, maps: list[Mapping] | None = None) -> Mapping | None:
    for m in maps if maps is not None else read_maps():
        if m.contains(addr):
            return m
    return None


def thread_stack_pointer(native_id: int) -> int | None:
    """스레드가 시스템 콜 안에서 멈춰 있을 때 그 스택 포인터(SP)를 돌려준다.

    /proc/self/task/<tid>/syscall의 끝에서 두 번째 값이 SP다. 스레드가
    실행 중이면 "running" 이 나오므로 None을 돌려준다.
    """
    try:
        with open(f"/proc/self/task/{native_id}/syscall") as f:
            fields = f.read().split()
    except OSError:
        return None
    if len(fields) < 3 or fields[0] == "running":
        return None
    return int(fields[-2], 16)


def kib(n: int) -> str:
    return f"{n // 1024:,} KiB"
