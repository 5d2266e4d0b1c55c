"""What the Markdown extension needs to know about the page being rendered.

A host (the MkDocs hook, or a test) sets ``page`` before each page renders.
Embeds push the embedded note so that its links resolve from its own folder,
while hrefs stay relative to the page that is actually being written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from markdown import Markdown

from ..problems import Problem
from ..resolver import Resolution, Resolver
from ..urls import relative_source_path, relative_url, with_anchor
from ..vault import VaultFile, VaultIndex
from ..wikilink import LinkSpec

SnippetRenderer = Callable[[VaultFile, str, str], str]  # (file, fragment, source note) -> HTML
TagHref = Callable[[str], str | None]  # tag -> href relative to the site root


@dataclass
class RenderContext:
    index: VaultIndex
    resolver: Resolver = field(init=False)
    page: VaultFile | None = None
    #: site path -> URL as the site serves it (MkDocs ``File.url``); used inside embeds.
    urls: Mapping[str, str] = field(default_factory=dict)
    #: site path -> what final hrefs on that page are relative to, when not its URL: Zensical
    #: reads relative hrefs from the source file's folder (it maps "x.md" -> "x.md").
    href_bases: Mapping[str, str] | None = None
    snippet_html: SnippetRenderer | None = None
    tag_href: TagHref | None = None
    markdown_factory: Callable[[], Markdown] | None = None
    max_embed_depth: int = 8
    #: Characters of embedded Markdown one page may expand, nested embeds included (each
    #: embed also costs ``EMBED_COST``): a small vault must not make a huge page.
    max_embed_chars: int = 500_000
    embedded_chars: int = 0  # spent on the page being rendered
    embeds_cut: bool = False  # the page hit the cap: every later embed on it is cut
    #: True when output is final HTML that the host will not rewrite (notebook pages).
    final_urls: bool = False
    #: (note path, part key) of what is being shown: the page, then each embed inside it
    stack: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: block ids (``^id``) the page being written already holds: its own, then each embed's
    block_ids: set[str] = field(default_factory=set)
    _markdowns: dict[int, Markdown] = field(default_factory=dict)
    #: source note -> link -> resolution. Nested, not keyed by (link, source) pairs: a
    #: pair per link is a tuple the collector must track, 75,000 at 5,000 notes.
    _resolved: dict[str, dict[LinkSpec, Resolution]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.index)
        self._resolved = {}

    def remember(self, resolutions: Iterable[Resolution]) -> None:
        """Reuse what the pre-scan resolved (same index, same resolver) while pages render."""
        for r in resolutions:
            self._resolved.setdefault(r.source, {})[r.spec] = r

    # -- where we are -------------------------------------------------------
    def set_page(self, page: VaultFile | None) -> None:
        self.page = page
        self.embedded_chars, self.embeds_cut = 0, False
        self.stack = [(page.path, "")] if page is not None else []
        note = self.index.notes.get(page.path) if page is not None else None
        self.block_ids = {"^" + b.id for b in note.scan.blocks} if note is not None else set()

    @property
    def source(self) -> str:
        """Vault path links resolve from: the innermost embedded note, else the page."""
        if self.stack:
            return self.stack[-1][0]
        return self.page.path if self.page is not None else ""

    @property
    def nested(self) -> bool:
        return len(self.stack) > 1

    def resolve(self, spec: LinkSpec) -> Resolution:
        source = self.source
        found = self._resolved.get(source, {}).get(spec)
        return found if found is not None else self.resolver.resolve(spec, source)

    # -- hrefs ----------------------------------------------------------------
    def href(self, target: VaultFile, anchor: str | None = None, *, rewritten: bool = True) -> str | None:
        """An href from the page being written, or None when the file is not published.

        ``rewritten``: the host rewrites this attribute (MkDocs does ``<a href>`` and
        ``<img src>`` only); ``<audio>``, ``<video>`` and ``<iframe>`` get the final URL.
        """
        if target.site_path is None:
            return None
        page = self.page
        if page is None or page.site_path is None:
            return with_anchor(target.site_path, anchor)
        if target.site_path == page.site_path and anchor:
            return "#" + anchor
        if (self.nested or self.final_urls or not rewritten) and self.urls:
            # Raw HTML is not rewritten by the host, so write the final URL.
            url = self.urls.get(target.site_path)
            base = self.href_base(page.site_path)
            if url is not None and base is not None:
                return with_anchor(relative_url(url, base), anchor)
        # In the page's own tree the host (MkDocs) rewrites and checks ".md" paths.
        return with_anchor(relative_source_path(target.site_path, page.site_path), anchor)

    def href_base(self, site_path: str) -> str | None:
        return (self.href_bases if self.href_bases is not None else self.urls).get(site_path)

    def report(self, problem: Problem) -> None:
        self.problems.append(problem)

    # -- nested rendering for embeds -----------------------------------------
    def render_nested(self, note_path: str, key: str, text: str) -> str:
        depth = len(self.stack)
        md = self._markdowns.get(depth)
        if md is None:
            if self.markdown_factory is None:
                raise RuntimeError("RenderContext.markdown_factory is needed to render embeds")
            md = self._markdowns[depth] = self.markdown_factory()
        md.reset()
        self.stack.append((note_path, key))
        try:
            return md.convert(text)
        finally:
            self.stack.pop()
