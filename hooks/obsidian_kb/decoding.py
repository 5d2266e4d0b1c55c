"""Bytes of a note to text: the one place a note is decoded.

The vault index and the page renderer both read notes through here, so what
the link report checks is what the page shows. Bad bytes never stop a build:
UTF-16/32 with a byte-order mark are decoded as such (Windows editors write
them), invalid UTF-8 becomes U+FFFD, NUL bytes are dropped, and each of these
is a problem naming the first line it touches.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

#: Longest BOM first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_LINES_NAMED = 5  # lines listed in a message; the count says how many more


@dataclass(frozen=True)
class TextProblem:
    line: int  # 1-based; 0 when the file could not be read at all
    message: str


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as a reader would name it: "UTF-8", "UTF-16", ...
    problems: tuple[TextProblem, ...] = ()


def decode_note(data: bytes) -> Decoded:
    """Decode a note's bytes the way Obsidian shows them: never fails."""
    codec, name, body = "utf-8", "UTF-8", memoryview(data)
    for bom, bom_codec, bom_name in _BOMS:
        if data.startswith(bom):
            codec, name, body = bom_codec, bom_name, body[len(bom):]
            break
    text, bad_lines = _decode_replacing(body, codec)
    problems: list[TextProblem] = []
    if bad_lines:
        count = _count(len(bad_lines), "byte sequence")
        problems.append(TextProblem(bad_lines[0], f"invalid {name}: {count} on {_lines(bad_lines)} "
                                    "replaced by U+FFFD"))
    if "\x00" in text:
        nul_lines = _lines_of(text, "\x00")
        problems.append(TextProblem(nul_lines[0], f"{_count(text.count(chr(0)), 'NUL byte')} "
                                    f"on {_lines(nul_lines)} dropped"))
        text = text.replace("\x00", "")
    return Decoded(text, name, tuple(problems))


def read_note(path: Path) -> Decoded:
    """Read and decode one note; an unreadable file is an empty note and a problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Decoded("", "UTF-8", (TextProblem(0, f"cannot be read: {exc.strerror or exc}"),))
    return decode_note(data)


def _decode_replacing(body: memoryview, codec: str) -> tuple[str, list[int]]:
    """Like ``errors="replace"``, also returning the line of each replaced sequence.

    One decoding pass: the error handler marks each bad sequence with U+FFFF (a
    noncharacter, not found in real notes), whose lines are then counted and which is
    then replaced by U+FFFD. (Retrying after each error copies the rest of the input
    every time, which is quadratic on a file full of bad bytes.)
    """
    try:
        return str(body, codec), []
    except UnicodeDecodeError:
        pass
    text = str(body, codec, _MARK_ERRORS)
    if text.count(_MARK) == 0:
        return text, []
    lines = _lines_of(text, _MARK, every=True)
    return text.replace(_MARK, "\ufffd"), lines


_MARK = "\uffff"
_MARK_ERRORS = "obsidian_kb.mark"


def _mark(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return _MARK, exc.end


codecs.register_error(_MARK_ERRORS, _mark)


def _lines_of(text: str, char: str, *, every: bool = False) -> list[int]:
    """The line of each ``char`` (``every``) or of each line holding one."""
    found: list[int] = []
    line, pos = 1, 0
    at = text.find(char)
    while at >= 0:
        line += text.count("\n", pos, at)
        if every or not found or found[-1] != line:
            found.append(line)
        pos = at
        at = text.find(char, at + 1)
    return found


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("s" if n != 1 else "")


def _lines(lines: list[int]) -> str:
    distinct = sorted(set(lines))
    named = ", ".join(str(n) for n in distinct[:_LINES_NAMED])
    more = f" and {len(distinct) - _LINES_NAMED} more" if len(distinct) > _LINES_NAMED else ""
    return ("line " if len(distinct) == 1 else "lines ") + named + more
