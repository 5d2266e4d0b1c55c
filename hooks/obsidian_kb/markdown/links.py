"""``[[wikilinks]]`` and ``![[embeds]]`` as a Python-Markdown inline processor.

Running inside the Markdown parser (after code spans and escapes) is what keeps
``[[0]]`` in code and ``\\[\\[x\\]\\]`` untouched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.inlinepatterns import InlineProcessor

from ..resolver import Resolution
from ..wikilink import INLINE_RE, parse_wikilink
from .context import RenderContext
from .embeds import render_embed


class WikilinkProcessor(InlineProcessor):
    """Runs before code spans and escapes and matches those too (``INLINE_RE``), so the
    construct that opens first wins: a code span or ``\\[`` is left to Python-Markdown,
    a wikilink holding backticks stays one link."""

    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(INLINE_RE.pattern, md)
        self.compiled_re = INLINE_RE
        self.context = context

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        inner = m.group("inner")
        if inner is None:  # an escape or a code span opened first
            return None, None, None
        spec = parse_wikilink(inner, embed=bool(m.group("embed")))
        if not spec.path and not spec.headings and spec.block is None:
            return None, None, None  # "[[ ]]" or "[[|x]]" is not a link in Obsidian
        resolution = self.context.resolve(spec)
        if spec.embed:
            return render_embed(self.context, self.md, resolution), m.start(0), m.end(0)
        return link_element(self.context, resolution), m.start(0), m.end(0)


def link_element(context: RenderContext, resolution: Resolution) -> etree.Element:
    spec = resolution.spec
    text = util.AtomicString(spec.display)
    href = None
    if resolution.ok and resolution.file is not None:
        href = context.href(resolution.file, resolution.anchor)
    if href is None:
        el = etree.Element("span")
        if resolution.ok:
            el.set("class", "wikilink wikilink-file")
            el.set("title", resolution.file.path if resolution.file else "")
            el.text = text
            return el
        el.text = text
        return unresolved_element(resolution, el)
    el = etree.Element("a", {"href": href, "class": "wikilink"})
    if resolution.file is not None and resolution.file.is_note:
        el.set("data-note", resolution.file.path)
    el.text = text
    return el


def unresolved_element(resolution: Resolution, content: etree.Element) -> etree.Element:
    """A link that does not resolve: its text, no href (wikilinks and Markdown links alike)."""
    el = etree.Element("span", {"class": "wikilink wikilink-unresolved",
                                "title": f"연결되지 않은 링크: {resolution.problem}"})
    el.text = content.text
    el.extend(list(content))
    return el
