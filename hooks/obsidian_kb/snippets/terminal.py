"""What a terminal finally shows for text with carriage returns and backspaces.

Progress lines (``10%\\r20%\\r100%\\n``) rewrite one line in place; a page that
shows the raw stream shows every state glued together. Here ``\\r`` moves the
cursor to column 0 and ``\\b`` one column left; later characters overwrite
earlier ones, and East Asian wide characters take two columns (overwriting
half of one blanks the other half, as terminals do). Escape sequences take
no column: they stay attached to the text after them.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_WIDE = {"W", "F"}


def final_state(text: str) -> str:
    """The text as the terminal leaves it; unchanged when it holds no ``\\r`` or ``\\b``."""
    if "\r" not in text and "\b" not in text:
        return text
    return "\n".join(_line(line) for line in text.split("\n"))


def _tokens(line: str) -> list[str]:
    """Characters, with each escape sequence glued to the character after it."""
    out: list[str] = []
    pending = ""
    pos = 0
    for m in _ESCAPE_RE.finditer(line):
        for ch in line[pos:m.start()]:
            out.append(pending + ch)
            pending = ""
        pending += m.group(0)
        pos = m.end()
    for ch in line[pos:]:
        out.append(pending + ch)
        pending = ""
    if pending:
        out.append(pending)  # trailing escapes: zero width, kept at the end
    return out


def _width(token: str) -> int:
    if _ESCAPE_RE.fullmatch(token):
        return 0
    ch = token[-1]
    return 2 if unicodedata.east_asian_width(ch) in _WIDE else 1


def _line(line: str) -> str:
    if "\r" not in line and "\b" not in line:
        return line
    cells: list[str | None] = []  # None: the right half of a wide character
    col = 0
    tail = ""
    for token in _tokens(line):
        ch = token[-1]
        if ch in "\r\b":
            tail += token[:-1]  # an escape before the control keeps its effect
            col = 0 if ch == "\r" else max(0, col - 1)
            continue
        width = _width(token)
        if width == 0:
            tail += token
            continue
        while len(cells) < col + width:
            cells.append(" ")
        for i in range(col, col + width):
            _clear(cells, i)
        cells[col] = token
        if width == 2:
            cells[col + 1] = None
        col += width
    return "".join(c for c in cells if c is not None) + tail


def _clear(cells: list[str | None], i: int) -> None:
    """Blank the wide character that covers cell ``i``, if any."""
    if cells[i] is None and i > 0:
        cells[i - 1] = " "
    else:
        here = cells[i]
        if i + 1 < len(cells) and cells[i + 1] is None and here is not None and _width(here) == 2:
            cells[i + 1] = " "
    cells[i] = " "
