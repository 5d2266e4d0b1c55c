"""Ordinary Markdown links and images, resolved the way Obsidian resolves them.

Obsidian reads ``[text](Note%20name.md#Heading)`` with the same rules as a
wikilink (shortest path, ``.md`` optional, heading text as the fragment). MkDocs
only knows paths relative to the page, so a link that Obsidian finds anywhere
in the vault is rewritten here to the real file and to the id the site emits.
Links we cannot resolve are left for MkDocs to check and report.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from ..wikilink import parse_markdown_link
from .context import RenderContext


class MarkdownLinkProcessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        if self.context.page is None:
            return
        for el in [e for e in root.iter() if e.tag in ("a", "img")]:
            attr = "href" if el.tag == "a" else "src"
            url = el.get(attr)
            if not url or "wikilink" in (el.get("class") or ""):
                continue
            spec = parse_markdown_link(url, embed=el.tag == "img")
            if spec is None or not (spec.path or spec.headings or spec.block):
                continue
            resolution = self.context.resolve(spec)
            if resolution.ok and resolution.file is not None:
                href = self.context.href(resolution.file, resolution.anchor)
                if href is not None:
                    el.set(attr, href)
