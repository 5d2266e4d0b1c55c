"""The vault index: every file scanned once, before any page renders.

Holds what link resolution, backlinks, the graph and the link report need, so
nothing is ever computed per link by walking the file system.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .headings import Slugify, default_slugify
from .names import fold, is_note, nfc, stem
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

    def add(self, file: VaultFile, text: str | None = None, slugify: Slugify = default_slugify,
            known: NoteScan | None = None) -> None:
        """``known``: the scan of this note from an earlier build, reused when its text is ``text``."""
        self.files[file.path] = file
        self.by_key[file.key] = file
        self.by_name[fold(file.name)].append(file)
        if file.site_path is not None:
            self.by_site_path[file.site_path] = file
        if file.is_note:
            if text is None:
                text = file.abs_path.read_text(encoding="utf-8", errors="replace")
            scan = known if known is not None and known.text == text else scan_note(text, slugify)
            self.notes[file.path] = Note(file, scan)

    def finish(self) -> VaultIndex:
        """Order same-named files by Obsidian's tie-break: shortest path, then name."""
        for files in self.by_name.values():
            files.sort(key=lambda f: (len(f.path), f.path))
        return self

    def note(self, path: str) -> Note | None:
        return self.notes.get(path)

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


def walk_vault(root: Path, *, skip_dot: bool = True) -> Iterator[tuple[str, Path, str]]:
    """All files under ``root`` except dot-folders (``.obsidian``, ``.trash``, ``.git``)."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if skip_dot and any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_file():
            yield rel, path, rel
