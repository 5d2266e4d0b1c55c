"""Obsidian callouts: ``> [!type]+ Title`` blockquotes become Material admonitions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor

_HEADER = re.compile(r"^[ ]{0,3}>[ ]?\[!(?P<type>[^\]\s]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*)$")
_QUOTED = re.compile(r"^[ ]{0,3}>")
_UNQUOTE = re.compile(r"^[ ]{0,3}>[ ]?")

#: Obsidian's callout types and aliases -> the Material admonition style used.
TYPES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}
#: Material has no "todo" style; Obsidian draws it like "info".
STYLE = {"todo": "info"}
TITLES: dict[str, str] = {
    "note": "노트", "abstract": "요약", "info": "정보", "todo": "할 일", "tip": "팁",
    "success": "성공", "question": "질문", "warning": "주의", "failure": "실패",
    "danger": "위험", "bug": "버그", "example": "예시", "quote": "인용",
}


def _header_line(lines: list[str]) -> int | None:
    """Index of a line that opens a callout: ``> [!type]`` not inside an ongoing quote."""
    for i, line in enumerate(lines):
        if _HEADER.match(line) and (i == 0 or not _QUOTED.match(lines[i - 1])):
            return i
    return None


class CalloutProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return _header_line(block.split("\n")) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        start = _header_line(lines)
        assert start is not None
        if start:  # text before the callout, e.g. the paragraph of an enclosing callout
            self.parser.parseBlocks(parent, ["\n".join(lines[:start])])
            lines = lines[start:]
        end = next((i for i, line in enumerate(lines) if not _QUOTED.match(line)), len(lines))
        if end < len(lines):
            blocks.insert(0, "\n".join(lines[end:]))
        header = _HEADER.match(lines[0])
        assert header is not None
        written = header.group("type").lower()
        kind = TYPES.get(written)
        style = STYLE.get(kind or "", kind) or "note"
        title = header.group("title").strip() or TITLES.get(kind or "", written.capitalize())
        classes = f"{style} kb-callout"
        fold = header.group("fold")
        if fold:
            box = etree.SubElement(parent, "details", {"class": classes, "data-callout": written})
            if fold == "+":
                box.set("open", "open")
            etree.SubElement(box, "summary").text = title
        else:
            box = etree.SubElement(parent, "div", {"class": f"admonition {classes}",
                                                   "data-callout": written})
            etree.SubElement(box, "p", {"class": "admonition-title"}).text = title
        body = "\n".join(_UNQUOTE.sub("", line, count=1) for line in lines[1:end])
        self.parser.parseChunk(box, body)
