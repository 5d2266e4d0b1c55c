"""Find the parts of a note that Obsidian never parses for links or comments.

Fenced code (backticks or tildes, also inside lists and quotes), indented
code, inline code spans and raw HTML blocks are *code ranges*; ``%%...%%``
outside them are *comment ranges*. Masking keeps every offset and line
number, so whatever is found in the masked text maps back to the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .wikilink import WIKILINK_RE

_FENCE_OPEN = re.compile(r"^(?P<prefix>(?:[ \t]*>)*[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_HTML_BLOCK_OPEN = re.compile(
    r"^<(?P<tag>address|article|aside|blockquote|details|dialog|div|dl|fieldset|figcaption|"
    r"figure|footer|form|h[1-6]|header|hr|iframe|main|nav|ol|p|pre|section|script|style|"
    r"table|ul|video|audio|canvas|svg|math|center|object|noscript)\b[^>]*>",
    re.I,
)

_NOT_NEWLINE = re.compile(r"[^\n]")
_BACKTICKS = re.compile(r"`+")
_BREAK = re.compile(r"\n(?=[ \t]*\n)")  # a line break before a blank line ends a paragraph

Range = tuple[int, int]


@dataclass(frozen=True)
class Masked:
    text: str
    code: tuple[Range, ...]
    comments: tuple[Range, ...]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _block_ranges(lines: list[str], starts: list[int], total: int) -> list[Range]:
    """Fenced code, indented code and HTML blocks, as character ranges."""
    ranges: list[Range] = []
    i, n = 0, len(lines)
    prev_blank, in_list = True, False
    while i < n:
        line = lines[i]
        m = _FENCE_OPEN.match(line)
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            fence = m.group("fence")
            closer = _fence_closer(fence)
            j = i + 1
            while j < n and not closer.match(lines[j]):
                j += 1
            end = starts[j + 1] if j + 1 < n else total
            ranges.append((starts[i], end))
            i, prev_blank = j + 1, False
            continue
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if indented and prev_blank and not in_list and not blank:
            j = i
            while j < n and (lines[j].startswith(("    ", "\t")) or not lines[j].strip()):
                j += 1
            end = starts[j] if j < n else total
            ranges.append((starts[i], end))
            i, prev_blank = j, True
            continue
        h = _HTML_BLOCK_OPEN.match(line) if prev_blank else None
        if h:
            closing = re.compile(r"</" + h.group("tag") + r"\s*>", re.I)
            j = i
            if not closing.search(line, h.end()):
                j = i + 1
                while j < n and not closing.search(lines[j]):
                    j += 1
            # like Python-Markdown, the block runs on to the next blank line
            while j + 1 < n and lines[j + 1].strip():
                j += 1
            end = starts[j + 1] if j + 1 < n else total
            ranges.append((starts[i], end))
            i, prev_blank = j + 1, False
            continue
        if not blank and not indented:
            in_list = bool(_LIST_ITEM.match(line))
        elif not blank and _LIST_ITEM.match(line):
            in_list = True
        prev_blank = blank
        i += 1
    return ranges


def _fence_closer(fence: str) -> re.Pattern[str]:
    return re.compile(r"^(?:[ \t]*>)*[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")


def closing_fence(text: str) -> str | None:
    """The line that closes a fence left open at the end of ``text``, else None.

    Obsidian shows everything after an unclosed fence as code, and so does the scan
    (it masks the rest of the note); a renderer handed this line shows the same.
    """
    lines = text.split("\n")
    blocks = _block_ranges(lines, _line_starts(text), len(text))
    if not blocks or blocks[-1][1] != len(text):
        return None
    start = text.count("\n", 0, blocks[-1][0])
    m = _FENCE_OPEN.match(lines[start])
    if m is None or (m.group("fence")[0] == "`" and "`" in m.group("info")):
        return None  # the last block is indented code or HTML, not a fence
    body = [line for line in lines[start + 1:]]
    while body and not body[-1].strip():
        body.pop()
    if body and _fence_closer(m.group("fence")).match(body[-1]):
        return None
    return m.group("prefix") + m.group("fence")


def _outside(ranges: list[Range], total: int) -> list[Range]:
    gaps, pos = [], 0
    for start, end in sorted(ranges):
        if start > pos:
            gaps.append((pos, start))
        pos = max(pos, end)
    if pos < total:
        gaps.append((pos, total))
    return gaps


def _blank(text: str, ranges: list[Range] | tuple[Range, ...]) -> str:
    """Every character inside a range becomes a space, except line breaks."""
    if not ranges:
        return text
    out, pos = [], 0
    for start, end in sorted(ranges):  # ranges may overlap (a comment around code)
        start = max(start, pos)
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def code_ranges(text: str) -> list[Range]:
    lines = text.split("\n")
    starts = _line_starts(text)
    blocks = _block_ranges(lines, starts, len(text))
    inline: list[Range] = []
    for start, end in _outside(blocks, len(text)):
        inline.extend(_inline_code(text, start, end))
    return sorted(blocks + inline)


def _inline_code(text: str, start: int, end: int) -> Iterator[Range]:
    """Code spans in ``text[start:end]``: what ``_INLINE_CODE`` finds, in linear time.

    A span opens with a run of backticks and closes at the next run of exactly the
    same length in the same paragraph (CommonMark's rule, and the pattern's). Tried as
    a regex from every backtick, an opener without a closer rescans the whole
    paragraph, which is quadratic on runs of unmatched backticks; pairing the runs
    by length looks at each run once.
    """
    pos = start
    for stop in (*(m.start() for m in _BREAK.finditer(text, start, end)), end):
        yield from _paired_runs(text, pos, stop)
        pos = stop + 1


def _paired_runs(text: str, start: int, end: int) -> Iterator[Range]:
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
    if not runs:
        return
    following: list[int | None] = [None] * len(runs)  # next run of the same length
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = last.get(length)
        last[length] = i
    # Wikilinks cannot hold ``[[``, so their non-overlapping matches are every candidate.
    links = [(m.start(), m.end()) for m in WIKILINK_RE.finditer(text, start, end)]
    pos, li, i = start, 0, 0
    while i < len(runs):
        tick = runs[i][0]
        if tick < pos:
            i += 1
            continue
        while li < len(links) and (links[li][0] < pos or links[li][1] <= tick):
            li += 1
        if li < len(links) and links[li][0] < tick:
            pos = links[li][1]  # a wikilink opened first: its backticks are part of the link
            li += 1
            continue
        j = following[i]
        if j is None:
            i += 1
            continue
        yield tick, runs[j][1]
        pos = runs[j][1]
        i = j + 1


def comment_ranges(text: str, code: list[Range]) -> list[Range]:
    """``%%...%%`` outside code; an unclosed ``%%`` comments out the rest (as in Obsidian)."""
    found: list[Range] = []
    visible = _blank(text, code)
    pos = 0
    while True:
        start = visible.find("%%", pos)
        if start < 0:
            break
        end = visible.find("%%", start + 2)
        stop = len(text) if end < 0 else end + 2
        found.append((start, stop))
        pos = stop
    return found


def mask(text: str) -> Masked:
    code = code_ranges(text)
    comments = comment_ranges(text, code)
    return Masked(_blank(text, code + comments), tuple(code), tuple(comments))


def remove_comments(text: str) -> str:
    """Drop ``%%comments%%`` outside code, keeping line breaks so blocks stay apart."""
    ranges = comment_ranges(text, code_ranges(text))
    if not ranges:
        return text
    out, pos = [], 0
    for start, end in ranges:
        out.append(text[pos:start])
        out.append("\n" * text.count("\n", start, end))
        pos = end
    out.append(text[pos:])
    return "".join(out)
