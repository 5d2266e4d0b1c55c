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
from ..wikilink import WIKILINK_RE, LinkSpec, parse_wikilink
from .context import RenderContext
from .embeds import render_embed

_ESCAPED = re.compile(util.STX + r"(\d+)" + util.ETX)


def _unescape(text: str) -> str:
    # ``\|`` inside a table reaches us as an escape placeholder; Obsidian reads it as ``|``.
    return _ESCAPED.sub(lambda m: chr(int(m.group(1))), text)


class WikilinkProcessor(InlineProcessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(WIKILINK_RE.pattern, md)
        self.context = context

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str | None, int | None, int | None]:
        inner = _unescape(self.unescape(m.group(2)))
        spec = parse_wikilink(inner, embed=bool(m.group(1)))
        if not spec.path and not spec.headings and spec.block is None:
            return None, None, None  # "[[ ]]" or "[[|x]]" is not a link in Obsidian
        resolution = self.context.resolve(spec)
        if spec.embed:
            return render_embed(self.context, self.md, resolution), m.start(0), m.end(0)
        return link_element(self.context, resolution), m.start(0), m.end(0)


def display_text(spec: LinkSpec) -> str:
    if spec.alias:
        return spec.alias
    return spec.raw.replace("\\|", "|").split("|", 1)[0].strip()


def link_element(context: RenderContext, resolution: Resolution) -> etree.Element:
    spec = resolution.spec
    text = util.AtomicString(display_text(spec))
    href = None
    if resolution.ok and resolution.file is not None:
        href = context.href(resolution.file, resolution.anchor)
    if href is None:
        el = etree.Element("span")
        if resolution.ok:
            el.set("class", "wikilink wikilink-file")
            el.set("title", resolution.file.path if resolution.file else "")
        else:
            el.set("class", "wikilink wikilink-unresolved")
            el.set("title", f"연결되지 않은 링크: {resolution.problem}")
        el.text = text
        return el
    el = etree.Element("a", {"href": href, "class": "wikilink"})
    if resolution.file is not None and resolution.file.is_note:
        el.set("data-note", resolution.file.path)
    el.text = text
    return el
