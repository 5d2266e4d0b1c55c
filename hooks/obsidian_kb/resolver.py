"""Resolve a wikilink exactly as Obsidian does. The one place these rules live.

Links, embeds, backlinks, the graph and the link report all ask this module,
so they can never disagree.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .headings import heading_key
from .names import NOTE_SUFFIX, fold
from .scan import Block, Heading
from .vault import Note, VaultFile, VaultIndex
from .wikilink import LinkSpec


@dataclass(frozen=True)
class Resolution:
    spec: LinkSpec
    source: str
    file: VaultFile | None = None
    heading: Heading | None = None
    block: Block | None = None
    problem: str | None = None
    #: what could not be found: "file", "heading" or "block" (None when resolved)
    missing: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def anchor(self) -> str | None:
        """The id our renderer emits for the heading or block this link targets."""
        if self.heading is not None:
            return self.heading.id
        if self.block is not None:
            return "^" + self.block.id
        return None


def _candidates(key: str) -> tuple[str, ...]:
    # Obsidian tries "name.md" before "name": [[v1.2]] is the note "v1.2.md".
    return (key,) if key.endswith(NOTE_SUFFIX) else (key + NOTE_SUFFIX, key)


class Resolver:
    def __init__(self, index: VaultIndex) -> None:
        self.index = index

    def find_file(self, path: str, source: str, *, relative_first: bool = False) -> VaultFile | None:
        """The file a link path names, from the note at vault path ``source``.

        ``relative_first``: Markdown links written with Obsidian's "relative path"
        setting (``sub/x.md``) name a file next to the source before the vault root.
        """
        if not path:
            return self.index.files.get(source)
        target = path.replace("\\", "/")
        if relative_first and not target.startswith(("./", "../", "/")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            found = self._exact(fold(joined))
            if found is not None:
                return found
        if target.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if joined.startswith("../"):
                return None
            return self._exact(fold(joined))
        target = target.lstrip("/")
        key = fold(target)
        exact = self._exact(key)
        if exact is not None:
            return exact
        for candidate in _candidates(key):
            files = self.index.by_name.get(posixpath.basename(candidate), ())
            if "/" in candidate:  # a partial path matches as a suffix of the vault path
                files = [f for f in files if f.key.endswith("/" + candidate)]
            if not files:
                continue
            # A file in the linking note's own folder wins; with one candidate it wins anyway,
            # so folders are compared only when names clash (once per link, 75k at 5k notes).
            if len(files) > 1:
                folder_key = fold(posixpath.dirname(source))
                for f in files:
                    if fold(f.folder) == folder_key:
                        return f
            return files[0]  # else the shortest path (the list is sorted so)
        return None

    def _exact(self, key: str) -> VaultFile | None:
        for candidate in _candidates(key):
            found = self.index.by_key.get(candidate)
            if found is not None:
                return found
        return None

    def resolve(self, spec: LinkSpec, source: str) -> Resolution:
        file = self.find_file(spec.path, source, relative_first=spec.style == "markdown")
        if file is None:
            return Resolution(spec, source, problem=f"no note or file named '{spec.path}'",
                              missing="file")
        note = self.index.notes.get(file.path)
        if note is None or not (spec.headings or spec.block):
            return Resolution(spec, source, file)
        if spec.block is not None:
            block = find_block(note, spec.block)
            if block is None:
                return Resolution(spec, source, file,
                                  problem=f"'{file.path}' has no block '^{spec.block}'", missing="block")
            return Resolution(spec, source, file, block=block)
        heading = find_heading(note, spec.headings)
        if heading is None:
            return Resolution(spec, source, file,
                              problem=f"'{file.path}' has no heading '{'#'.join(spec.headings)}'",
                              missing="heading")
        return Resolution(spec, source, file, heading=heading)


def find_heading(note: Note, chain: tuple[str, ...]) -> Heading | None:
    """Obsidian's walk for ``#A#B``: in document order, the first heading matching A, then
    the first later heading matching B that is deeper than A, and so on. B need not lie
    inside A's section (``# A``, ``# C``, ``## B`` still finds B)."""
    keys = [heading_key(part) for part in chain]
    found: Heading | None = None
    for h in note.scan.headings:
        if h.key == keys[0] and (found is None or h.level > found.level):
            found = h
            keys.pop(0)
            if not keys:
                return found
    return None


def find_block(note: Note, block_id: str) -> Block | None:
    wanted = block_id.casefold()
    return next((b for b in note.scan.blocks if b.id.casefold() == wanted), None)
