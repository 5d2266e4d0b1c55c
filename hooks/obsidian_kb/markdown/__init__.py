"""The Obsidian syntax as one Python-Markdown extension.

Priorities are chosen against Python-Markdown's own: wikilinks (200) run before
code spans (190) and escapes (180) but match both, leaving them alone when they
open first; so code and ``\\[\\[escaped\\]\\]`` text are never touched, and a
link holding backticks (``[[#`fork()`]]``) stays a link.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown

from ..vault import VaultIndex
from .brackets import LinkFloodPreprocessor, register_linear_links
from .callouts import CalloutProcessor
from .context import RenderContext
from .fences import CloseFencePreprocessor
from .ids import IdProcessor
from .links import WikilinkProcessor
from .mdlinks import MarkdownLinkProcessor
from .syntax import (
    HighlightProcessor,
    ObsidianHashHeaderProcessor,
    ObsidianPreprocessor,
    SetextHeadingProcessor,
    TagProcessor,
)

__all__ = ["ObsidianExtension", "RenderContext", "makeExtension"]


class ObsidianExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.config: dict[str, list[Any]] = {}
        super().__init__(**kwargs)
        self.context = context or RenderContext(VaultIndex())

    def extendMarkdown(self, md: Markdown) -> None:
        ctx = self.context
        md.preprocessors.register(CloseFencePreprocessor(md), "kb_close_fence", 28)
        md.preprocessors.register(LinkFloodPreprocessor(md, ctx), "kb_link_flood", 26)
        md.preprocessors.register(ObsidianPreprocessor(md), "kb_obsidian", 27)
        md.parser.blockprocessors.register(ObsidianHashHeaderProcessor(md.parser), "hashheader", 70)
        md.parser.blockprocessors.register(SetextHeadingProcessor(md.parser), "setextheader", 60)
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "kb_callout", 21)
        md.inlinePatterns.register(WikilinkProcessor(md, ctx), "kb_wikilink", 200)
        register_linear_links(md)
        md.inlinePatterns.register(TagProcessor(md, ctx), "kb_tag", 115)
        md.inlinePatterns.register(HighlightProcessor(md), "kb_highlight", 68)
        md.treeprocessors.register(IdProcessor(md, ctx), "kb_ids", 6)
        # after inline links exist, before MkDocs rewrites relative paths (priority 0)
        md.treeprocessors.register(MarkdownLinkProcessor(md, ctx), "kb_mdlinks", 4)


def makeExtension(**kwargs: Any) -> ObsidianExtension:
    return ObsidianExtension(**kwargs)
