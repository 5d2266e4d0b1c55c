"""The vault index: every file scanned once, before any page renders.

Holds what link resolution, backlinks, the graph and the link report need, so
nothing is ever computed per link by walking the file system.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .decoding import read_note
from .headings import Slugify, default_slugify
from .names import fold, is_note, nfc, stem
from .problems import Problem
from .scan import NoteScan, scan_note


@dataclass(frozen=True)
class VaultFile:
    """One file of the vault. ``path`` is vault-relative, POSIX, as stored on disk."""

    path: str
    abs_path: Path
    site_path: str | None = None  # source path MkDocs knows it by; None if not published

    @property
    def key(self) -> str:
        return fold(self.path)

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)

    @property
    def is_note(self) -> bool:
        return is_note(self.path)

    @cached_property  # asked for on every link and backlink; frozen, so compute once
    def title(self) -> str:
        return nfc(stem(self.path))

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.path)[1].lower()


@dataclass(frozen=True)
class Note:
    file: VaultFile
    scan: NoteScan

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def title(self) -> str:
        return self.file.title


@dataclass
class VaultIndex:
    files: dict[str, VaultFile] = field(default_factory=dict)  # by vault path
    notes: dict[str, Note] = field(default_factory=dict)
    by_key: dict[str, VaultFile] = field(default_factory=dict)  # folded vault path
    by_name: dict[str, list[VaultFile]] = field(default_factory=lambda: defaultdict(list))
    by_site_path: dict[str, VaultFile] = field(default_factory=dict)
    #: Problems met reading files (bad bytes, unreadable files), for the host to report.
    problems: list[Problem] = field(default_factory=list)

    def add(self, file: VaultFile, text: str | None = None, slugify: Slugify = default_slugify,
            known: NoteScan | None = None) -> None:
        """``known``: the scan of this note from an earlier build, reused when its text is ``text``."""
        self.files[file.path] = file
        self.by_key[file.key] = file
        self.by_name[fold(file.name)].append(file)
        if file.site_path is not None:
            self.by_site_path[file.site_path] = file
        if file.is_note:
            if text is None:  # read and decoded here only, for the index and the page alike
                decoded = read_note(file.abs_path)
                text = decoded.text
                self.problems.extend(Problem(file.path, p.line, "encoding", p.message)
                                     for p in decoded.problems)
            scan = known if known is not None and known.text == text else scan_note(text, slugify)
            self.notes[file.path] = Note(file, scan)

    def finish(self) -> VaultIndex:
        """Order same-named files by Obsidian's tie-break: shortest path, then name."""
        for files in self.by_name.values():
            files.sort(key=lambda f: (len(f.path), f.path))
        return self

    def for_site_path(self, site_path: str) -> VaultFile | None:
        return self.by_site_path.get(site_path)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes.values())


def build_index(
    files: Iterable[tuple[str, Path, str | None]],
    slugify: Slugify = default_slugify,
) -> VaultIndex:
    """Index ``(vault path, absolute path, site path)`` triples."""
    index = VaultIndex()
    for path, abs_path, site_path in files:
        index.add(VaultFile(path.replace("\\", "/"), abs_path, site_path), slugify=slugify)
    return index.finish()


@dataclass(frozen=True)
class Skipped:
    """A vault entry that is not published, and why (a symlink out of the vault, a loop...)."""

    path: str  # vault-relative, as the entry appears in the vault
    reason: str


@dataclass(frozen=True)
class VaultWalk:
    files: tuple[str, ...]  # relative to the folder walked, POSIX, in walk order
    skipped: tuple[Skipped, ...] = ()
    #: Dot-files (``.nav.yml``) outside dot-folders: handed to the host, which never publishes
    #: them (MkDocs excludes ``.*``) but lets plugins read them, as its own walk would.
    hidden: tuple[str, ...] = ()


def _is_dot(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _symlink_problem(link: Path, root: str, is_dir: bool) -> str | None:
    """Why the symlink ``link`` is not published, or None when its target is a vault file."""
    try:
        st = link.stat()  # follows the link
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: skipped"
        return f"broken symlink ({exc.strerror or exc}): skipped"
    real = os.path.realpath(link)
    what = "folder" if is_dir else "file"
    if not _inside(real, root):
        return f"symlink to a {what} outside the vault: not published"
    rel = Path(real).relative_to(root).as_posix() if real != root else ""
    if rel and _is_dot(rel):
        return f"symlink into a dot-folder ('{rel}'): not published"
    if is_dir:
        if _inside(os.path.realpath(link.parent), real):
            return f"symlink loop: points to '{rel or '.'}/', which contains it; skipped"
        # Obsidian ignores a symlink from one vault folder to another (files would exist twice).
        return f"symlink to the vault folder '{rel}/': skipped (its notes are published where they are)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file: skipped"
    return None


def walk_published(folder: Path, root: Path | None = None, *, skip_dot: bool = True) -> VaultWalk:
    """The files under ``folder`` that are published, and the entries that are not.

    Only the vault is published: nothing whose real path is outside ``root`` (the vault
    root, default ``folder``), nothing whose real path is in a dot-folder (``.obsidian``,
    ``.trash``, ``.git``), no folder reached through a symlink (which is how loops and
    duplicates arise; Obsidian ignores those too), nothing that is not a regular file
    (reading a FIFO would hang the build). Symlinked files into the vault are kept.
    """
    folder = folder.resolve()
    root_real = os.path.realpath(root or folder)
    prefix = "" if str(folder) == root_real else folder.relative_to(root_real).as_posix() + "/"
    files: list[str] = []
    skipped: list[Skipped] = []
    hidden: list[str] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or folder)
        rel = where.relative_to(folder).as_posix() if _inside(str(where), str(folder)) else where.name
        skipped.append(Skipped(prefix + rel, f"cannot be read ({exc.strerror or exc}): skipped"))

    for current, dirnames, filenames in os.walk(folder, onerror=unreadable):
        base = Path(current)
        rel_dir = base.relative_to(folder).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        kept = []
        for name in sorted(dirnames):
            if skip_dot and name.startswith("."):
                continue
            if (base / name).is_symlink():
                reason = _symlink_problem(base / name, root_real, is_dir=True)
                skipped.append(Skipped(prefix + rel_dir + name, reason or "symlinked folder: skipped"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = base / name
            if skip_dot and name.startswith("."):
                if not path.is_symlink() and path.is_file():
                    hidden.append(rel_dir + name)
                continue
            if path.is_symlink():
                reason = _symlink_problem(path, root_real, is_dir=False)
            else:
                try:
                    reason = None if stat.S_ISREG(path.lstat().st_mode) else "not a regular file: skipped"
                except OSError as exc:
                    reason = f"cannot be read ({exc.strerror or exc}): skipped"
            if reason is not None:
                skipped.append(Skipped(prefix + rel_dir + name, reason))
                continue
            files.append(rel_dir + name)
    return VaultWalk(tuple(files), tuple(skipped), tuple(hidden))


def walk_vault(root: Path, *, skip_dot: bool = True) -> Iterator[tuple[str, Path, str]]:
    """``(vault path, absolute path, site path)`` of every published file, for :func:`build_index`."""
    root = root.resolve()
    for rel in walk_published(root, skip_dot=skip_dot).files:
        yield rel, root / rel, rel
