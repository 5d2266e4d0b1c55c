"""Ordinary Markdown links and images, resolved the way Obsidian resolves them.

Obsidian reads ``[text](Note%20name.md#Heading)`` with the same rules as a
wikilink (shortest path, ``.md`` optional, heading text as the fragment). MkDocs
only knows paths relative to the page, so a link that Obsidian finds anywhere
in the vault is rewritten here to the real file and to the id the site emits.
A link that does not resolve looks exactly like an unresolved wikilink (no
href; the pre-scan reports it at ``path:line``), and a missing image gets the
same "cannot be found" box as a broken embed.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from ..problems import Problem
from ..resolver import Resolution
from ..wikilink import LinkSpec, parse_markdown_link
from .context import RenderContext
from .embeds import missing_box
from .links import unresolved_element

#: Links other extensions (and we) write; the author wrote none of them as ``[text](url)``.
_OURS = {"wikilink", "kb-tag", "headerlink", "footnote-ref", "footnote-backref"}


class MarkdownLinkProcessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context
        self._ids: set[str | None] = set()

    def run(self, root: etree.Element) -> None:
        if self.context.page is None:
            return
        self._ids = {el.get("id") for el in root.iter() if el.get("id")}
        # (parent, link) pairs first: an unresolved link is replaced in its parent
        found = [(parent, child) for parent in root.iter() for child in parent
                 if child.tag in ("a", "img")]
        for parent, el in found:
            self._link(parent, list(parent).index(el), el)

    def _link(self, parent: etree.Element, i: int, el: etree.Element) -> None:
        attr = "href" if el.tag == "a" else "src"
        url = el.get(attr)
        if not url or _OURS.intersection((el.get("class") or "").split()):
            return
        if url.startswith("#") and url[1:] in self._ids:
            return  # an id this page already has (a permalink, a footnote, an attr_list id)
        text = "".join(el.itertext()) if el.tag == "a" else el.get("alt", "")
        spec = parse_markdown_link(url, text, embed=el.tag == "img")
        if spec is None or not (spec.path or spec.headings or spec.block):
            return
        resolution = self.context.resolve(spec)
        if resolution.ok and resolution.file is not None:
            href = self.context.href(resolution.file, resolution.anchor)
            if href is not None:
                el.set(attr, href)
            return
        if not resolution.ok:
            self._report_unscanned(spec, resolution)
            img = el.tag == "img"
            replacement = missing_box(resolution) if img else unresolved_element(resolution, el)
            replacement.tail = el.tail
            parent[i] = replacement

    def _report_unscanned(self, spec: LinkSpec, resolution: Resolution) -> None:
        """A link the pre-scan did not see (reference-style ``[text][ref]``, ``]`` in the
        text) is reported here, at the first line that names its URL."""
        note = self.context.index.notes.get(self.context.source)
        if note is None or any(o.spec.style == "markdown" and o.spec.raw == spec.raw
                               for o in note.scan.links):
            return
        lines = note.scan.text.split("\n")
        line = next((i + 1 for i, text in enumerate(lines) if spec.raw in text), 0)
        kind = "embed" if spec.embed else "link"
        self.context.report(Problem(note.path, line, kind, resolution.problem or "", spec.written))
