"""Wikilinks in the Markdown cells of a Jupyter notebook page.

mkdocs-jupyter renders notebooks itself, so ``[[links]]`` reach us as text in
the finished HTML. We walk the text nodes of Markdown cells with an HTML parser
(never inside ``code`` or ``pre``) and resolve them with the same resolver.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement

from .markdown.context import RenderContext
from .markdown.links import link_element
from .problems import Problem
from .wikilink import WIKILINK_RE, parse_wikilink

_SKIP = {"code", "pre", "a", "script", "style"}


def _in_skipped(node: PageElement) -> bool:
    return any(parent.name in _SKIP for parent in node.parents)


def link_notebook(html_text: str, context: RenderContext, source: str) -> tuple[str, list[Problem]]:
    if "[[" not in html_text:
        return html_text, []
    soup = BeautifulSoup(html_text, "html.parser")
    problems: list[Problem] = []
    for cell_number, cell in enumerate(soup.select(".jp-MarkdownCell"), start=1):
        for node in list(cell.find_all(string=WIKILINK_RE)):
            if not isinstance(node, NavigableString) or _in_skipped(node):
                continue
            pieces, pos, text = [], 0, str(node)
            for m in WIKILINK_RE.finditer(text):
                spec = parse_wikilink(m.group(2), embed=bool(m.group(1)))
                resolution = context.resolve(spec)
                if not resolution.ok:
                    problems.append(Problem(source, 0, "link",
                                            f"{resolution.problem} (Markdown cell {cell_number})",
                                            spec.written))
                pieces.append(text[pos : m.start()])
                pieces.append(etree.tostring(link_element(context, resolution), encoding="unicode"))
                pos = m.end()
            pieces.append(text[pos:])
            node.replace_with(BeautifulSoup("".join(_escape_text(p) if i % 2 == 0 else p
                                                    for i, p in enumerate(pieces)), "html.parser"))
    return str(soup), problems


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)
