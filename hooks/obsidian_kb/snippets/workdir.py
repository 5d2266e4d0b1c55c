"""The working folder of a run: a throw-away copy of the script's own folder.

A direct ``python3 script.py`` runs in the script's folder, so published
scripts read data files by relative path, ``glob`` their neighbours, call
``ls`` or start a sibling script. Running them in an empty folder gives wrong
output that still exits 0. Running them in the vault folder itself would let
them write into the vault. So every run gets a fresh copy of the folder (with
its subfolders), bounded in size, and is deleted afterwards.

What is copied: regular files and folders; a symlink to a file is copied as
the file's content (writes never reach the link target); a symlink to a
folder and anything that is not a regular file (sockets, devices) is left
out. The walk counts first and copies only when the folder is within the
limits, so a huge folder costs a scan, not a copy.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_COPY_BYTES = 64 * 1024 * 1024
MAX_COPY_FILES = 4000


class WorkdirTooLarge(Exception):
    """The script's folder is over the copy limits; the message says what to do."""


@dataclass(frozen=True)
class FolderPlan:
    """What one copy will write: (source, relative target) pairs and their total size."""

    files: tuple[tuple[Path, str], ...]
    dirs: tuple[str, ...]
    total_bytes: int


def plan_copy(folder: Path, *, max_bytes: int = MAX_COPY_BYTES,
              max_files: int = MAX_COPY_FILES) -> FolderPlan:
    """Walk ``folder`` without following folder symlinks; raise when over the limits."""
    files: list[tuple[Path, str]] = []
    dirs: list[str] = []
    total = 0
    pending = [(folder, "")]
    while pending:
        current, rel = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            target = f"{rel}{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    dirs.append(target)
                    pending.append((Path(entry.path), target + "/"))
                    continue
                st = entry.stat(follow_symlinks=True)  # a file symlink is copied as its content
            except OSError:
                continue  # broken link, vanished file
            if not stat.S_ISREG(st.st_mode):
                continue
            files.append((Path(entry.path), target))
            total += st.st_size
            if len(files) > max_files or total > max_bytes:
                raise WorkdirTooLarge(
                    f"the script's folder is too large to copy for a run (more than "
                    f"{max_files} files or {max_bytes // (1024 * 1024)} MiB); move large data "
                    f"out of it or give the script a folder of its own")
    return FolderPlan(tuple(files), tuple(dirs), total)


def copy_folder(plan: FolderPlan, target: Path) -> None:
    """Write the planned copy under ``target`` (which must exist)."""
    for rel in plan.dirs:
        (target / rel).mkdir(parents=True, exist_ok=True)
    for source, rel in plan.files:
        try:
            shutil.copyfile(source, target / rel)  # contents only: no owner or mode surprises
            shutil.copymode(source, target / rel)  # but keep ``chmod +x`` for sibling scripts
        except OSError:
            continue  # vanished between plan and copy: the run sees what a direct run would
