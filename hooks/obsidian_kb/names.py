"""Name normalisation shared by the index and the resolver.

Obsidian compares file names and link targets case-insensitively. macOS may
store Korean names decomposed (NFD) while authors type them composed (NFC), so
every comparison key is NFC first, then case-folded.
"""

from __future__ import annotations

import posixpath
import unicodedata

NOTE_SUFFIX = ".md"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Comparison key: NFC + case fold (Obsidian matches names case-insensitively)."""
    return nfc(text).casefold()


def is_note(path: str) -> bool:
    return path.lower().endswith(NOTE_SUFFIX)


def stem(path: str) -> str:
    """File name without folder and without the ``.md`` suffix (other suffixes stay)."""
    name = posixpath.basename(path)
    return name[: -len(NOTE_SUFFIX)] if is_note(name) else name
