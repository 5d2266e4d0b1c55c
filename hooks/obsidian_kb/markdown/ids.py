"""Give headings the ids the vault index computed, and blocks their ``^id``.

Runs before ``toc``: ``toc`` keeps ids that are already set, so the ids in the
page are exactly the ones links were resolved to.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from ..headings import default_slugify
from .context import RenderContext

_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$")
_BLOCK_TARGETS = ("ul", "ol", "blockquote", "table", "div", "details", "pre")


class IdProcessor(Treeprocessor):
    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context
        self._page: object = None
        self._embedded = 0

    def run(self, root: etree.Element) -> None:
        self._block_ids(root)
        if not self.context.nested:
            self._heading_ids(root)
        else:
            self._embedded_heading_ids(root)

    def _embedded_heading_ids(self, root: etree.Element) -> None:
        """Embedded headings are not link targets (as in Obsidian): give them ids that can
        never take the id a link on the page (``[[#H]]``) jumps to, nor repeat each other."""
        if self._page is not self.context.page:
            self._page, self._embedded = self.context.page, 0
        depth = len(self.context.stack) - 1
        for el in root.iter():
            if el.tag in _HEADING_TAGS and "id" not in el.attrib:
                self._embedded += 1
                slug = default_slugify("".join(el.itertext()), "-")
                el.set("id", f"kb-embed-{depth}-{self._embedded}-{slug}")

    def _heading_ids(self, root: etree.Element) -> None:
        note = self.context.index.notes.get(self.context.source)
        if note is None:
            return
        pending = list(note.scan.headings)
        for el in root.iter():
            if el.tag not in _HEADING_TAGS or "id" in el.attrib:
                continue
            level = int(el.tag[1])
            # Skip index headings the renderer did not produce (e.g. inside raw HTML).
            while pending and pending[0].level != level:
                pending.pop(0)
            if not pending:
                return
            el.set("id", pending.pop(0).id)

    def _block_ids(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            for i, el in enumerate(children):
                if el.tag not in ("p", "li"):
                    continue
                found = _strip_trailing_id(el)
                if found is None:
                    continue
                empty = not (el.text or "").strip() and len(el) == 0
                if empty and el.tag == "p" and i > 0 and children[i - 1].tag in _BLOCK_TARGETS:
                    # "^id" alone on the line after a list, quote or table names that block.
                    children[i - 1].set("id", "^" + found)
                    parent.remove(el)
                elif "id" not in el.attrib:
                    el.set("id", "^" + found)


def _strip_trailing_id(el: etree.Element) -> str | None:
    """Remove a trailing ``^id`` from the element's last text; return the id."""
    if len(el):
        last = el[-1]
        if last.tag in ("ul", "ol", "p"):
            return None  # the id belongs to the nested block
        m = _BLOCK_ID.search(last.tail or "")
        if m:
            last.tail = (last.tail or "")[: m.start()].rstrip() or None
            return m.group(1)
        return None
    m = _BLOCK_ID.search(el.text or "")
    if m:
        el.text = (el.text or "")[: m.start()].rstrip()
        return m.group(1)
    return None
