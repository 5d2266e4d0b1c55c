"""Small pieces of Obsidian syntax: comments, highlights, tags, ATX headings that
need a space, and the lone ``-`` line that Python-Markdown misreads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from ..mask import code_ranges, remove_comments
from ..scan import SETEXT_RE, TAG_RE, ends_paragraph, normalise_tag, setext_start
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
        if "``" in text or "~~" in text:
            out = dedent_fences(out)
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


_FENCE = re.compile(r"^(?P<prefix>(?:[ ]{0,3}>[ ]?)*)(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def dedent_fences(lines: list[str]) -> list[str]:
    """A fence indented by 1-3 spaces (``>  ```md`` in a callout) is still a fence when its
    lines are indented less (CommonMark, Obsidian); SuperFences then reads it as inline code.
    Remove the fence's indentation from its own lines, as CommonMark does."""
    out = list(lines)
    i, n = 0, len(lines)
    while i < n:
        m = _FENCE.match(lines[i]) if "``" in lines[i] or "~~" in lines[i] else None
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        prefix, indent, fence = m.group("prefix"), len(m.group("indent")), m.group("fence")
        closer = re.compile(r"^[ ]{0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        j = i + 1
        # the fence's lines keep its quote prefix (a top-level fence holds any line)
        while j < n and lines[j].startswith(prefix) and not closer.match(lines[j][len(prefix):]):
            j += 1
        closed = j < n and lines[j].startswith(prefix)
        in_list = not prefix and i > 0 and _LIST_ITEM.match(lines[i - 1]) is not None
        if indent and closed and not in_list:
            for k in range(i, j + 1):
                body = lines[k][len(prefix):]
                out[k] = prefix + body[min(indent, len(body) - len(body.lstrip(" "))):]
        i = j + 1 if closed else j  # an unclosed fence runs to the end of its quote (linear)
    return out


class ObsidianHashHeaderProcessor(HashHeaderProcessor):
    """``# Title`` is a heading; ``#태그`` (no space) is a tag, as in Obsidian."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:[ \t](?:\\.|[^\\])*?)?)#*(?:\n|$)")


class SetextHeadingProcessor(BlockProcessor):
    """A paragraph of several lines over ``===`` or ``---`` is one heading (CommonMark,
    Obsidian); Python-Markdown's own processor takes one line and leaves ``<p>`` + ``<hr>``.
    The paragraph is found by the scan's own rule, so ids line up with the index."""

    def _split(self, block: str) -> tuple[list[str], list[str], int, list[str]] | None:
        lines = block.split("\n")
        for i, line in enumerate(lines):
            if i and SETEXT_RE.match(line):
                # a stashed block (a fence) ends a paragraph like a blank line does
                plain = ["" if util.STX in x else x for x in lines[:i]]
                first = setext_start(plain, i)
                if first is None or (first and plain[first - 1] and not ends_paragraph(plain[first - 1])):
                    return None
                level = 1 if line.strip().startswith("=") else 2
                return lines[:first], lines[first:i], level, lines[i + 1 :]
            if not line.strip():
                return None
        return None

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._split(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        split = self._split(blocks.pop(0))
        assert split is not None
        before, text, level, rest = split
        if rest:
            blocks.insert(0, "\n".join(rest))
        if before:
            self.parser.parseBlocks(parent, ["\n".join(before)])
        heading = etree.SubElement(parent, f"h{level}")
        heading.text = "\n".join(line.strip() for line in text)


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
