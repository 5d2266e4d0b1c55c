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
    #: True when output is final HTML that the host will not rewrite (notebook pages).
    final_urls: bool = False
    stack: list[tuple[str, str]] = field(default_factory=list)  # (note path, subpath)
    problems: list[Problem] = field(default_factory=list)
    _markdowns: dict[int, Markdown] = field(default_factory=dict)
    _resolved: dict[tuple[LinkSpec, str], Resolution] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.index)
        self._resolved = {}

    def remember(self, resolutions: Iterable[Resolution]) -> None:
        """Reuse what the pre-scan resolved (same index, same resolver) while pages render."""
        self._resolved.update(((r.spec, r.source), r) for r in resolutions)

    # -- where we are -------------------------------------------------------
    def set_page(self, page: VaultFile | None) -> None:
        self.page = page
        self.stack = [(page.path, "")] if page is not None else []

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
        found = self._resolved.get((spec, source))
        return found if found is not None else self.resolver.resolve(spec, source)

    # -- hrefs ----------------------------------------------------------------
    def href(self, target: VaultFile, anchor: str | None = None) -> str | None:
        """An href from the page being written, or None when the file is not published."""
        if target.site_path is None:
            return None
        page = self.page
        if page is None or page.site_path is None:
            return with_anchor(target.site_path, anchor)
        if target.site_path == page.site_path and anchor:
            return "#" + anchor
        if (self.nested or self.final_urls) and self.urls:
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
    def render_nested(self, note_path: str, subpath: str, text: str) -> str:
        depth = len(self.stack)
        md = self._markdowns.get(depth)
        if md is None:
            if self.markdown_factory is None:
                raise RuntimeError("RenderContext.markdown_factory is needed to render embeds")
            md = self._markdowns[depth] = self.markdown_factory()
        md.reset()
        self.stack.append((note_path, subpath))
        try:
            return md.convert(text)
        finally:
            self.stack.pop()
