"""Small pieces of Obsidian syntax: comments, highlights, tags, ATX headings that
need a space, and the lone ``-`` line that Python-Markdown misreads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from ..mask import code_ranges, remove_comments
from ..scan import TAG_RE, normalise_tag
from .context import RenderContext

_LONE_DASH = re.compile(r"^([ \t]*)-[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


class ObsidianPreprocessor(Preprocessor):
    """Drop ``%%comments%%`` (never inside code) and keep a lone ``-`` an empty list item."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "%%" in text:
            text = remove_comments(text)
        out = text.split("\n")
        if not any(_LONE_DASH.match(line) for line in out):
            return out
        inside_code = code_ranges(text)
        offsets, pos = [], 0
        for line in out:
            offsets.append(pos)
            pos += len(line) + 1
        fixed: list[str] = []
        for i, line in enumerate(out):
            m = _LONE_DASH.match(line)
            in_code = any(a <= offsets[i] < b for a, b in inside_code)
            if m and i > 0 and out[i - 1].strip() and not in_code:
                # Obsidian shows an empty bullet; Python-Markdown would make an <h2> of the line above.
                if not _LIST_ITEM.match(out[i - 1]):
                    fixed.append("")
                line = f"{m.group(1)}- &#8203;"
            fixed.append(line)
        return fixed


class ObsidianHashHeaderProcessor(HashHeaderProcessor):
    """``# Title`` is a heading; ``#태그`` (no space) is a tag, as in Obsidian."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:[ \t](?:\\.|[^\\])*?)?)#*(?:\n|$)")


class HighlightProcessor(InlineProcessor):
    """``==text==``, also right before a Korean particle (``==힙==은``)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(r"==(?=[^\s=])(.+?)(?<=[^\s=])==", md)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        el = etree.Element("mark")
        el.text = m.group(1)
        return el, m.start(0), m.end(0)


class TagProcessor(InlineProcessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(TAG_RE.pattern, md)
        self.context = context

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        if data[: m.start(0)].rstrip().endswith("{"):
            # ``{ #id }`` is an attr_list id (Material's tags listing writes such headings).
            return None, None, None
        tag = normalise_tag(m.group(1))
        href = self.context.tag_href(tag) if self.context.tag_href else None
        el = etree.Element("a" if href else "span", {"class": "kb-tag", "data-tag": tag})
        if href:
            el.set("href", href)
        el.text = util.AtomicString("#" + tag)
        return el, m.start(0), m.end(0)
