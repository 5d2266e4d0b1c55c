"""One build's part in incremental rebuilds: which pages it renders, and what it leaves
for the next build.

A host that rebuilds in place (``mkdocs serve``) keeps a :class:`RebuildMemory`
between builds and makes a :class:`Rebuild` once the session has resolved every
link (after ``BuildSession.start``). The host asks :meth:`Rebuild.must_render`
for each page and tells :meth:`Rebuild.rendered` which ones it did render; the
link report stays complete because problems found while rendering a page are
kept and reported again while that page is not rendered.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from dataclasses import replace

from .dependents import (
    LinkInput,
    PageInputs,
    RebuildMemory,
    RebuildPlan,
    digest,
    plan_rebuild,
    vault_state,
)
from .session import BuildSession
from .wikilink import WIKILINK_RE, parse_wikilink


class Rebuild:
    def __init__(self, session: BuildSession, memory: RebuildMemory, *, layout: Hashable,
                 incremental: bool, generated: Mapping[str, str] | None = None) -> None:
        """``generated``: site path -> Markdown of the pages the host generated (graph, tags);
        ``incremental`` False renders every page (and still remembers for the next build)."""
        assert session.graph is not None, "make the Rebuild after BuildSession.start"
        self.session = session
        self.memory = memory
        self.previous = memory.state if incremental else None
        state = vault_state(session.index, session.graph, layout=layout,
                            panels=session.settings.panels, tags_page=session.tags_page)
        pages = dict(state.pages)
        for site_path, text in (generated or {}).items():
            pages[site_path] = PageInputs(text=text, links=())
        pages.update(self._notebooks())
        self.state = replace(state, pages=pages)
        self.plan: RebuildPlan = plan_rebuild(self.previous, self.state)
        self._tagged = {site_path for site_path, _, _ in self.state.tags}
        self._rendered: set[str] = set()
        self._decided: dict[str, bool] = {}
        self._digests: dict[str, str] = {}

    def _notebooks(self) -> dict[str, PageInputs]:
        """Notebook pages: their JSON and how the wikilinks in their Markdown cells resolve."""
        index, resolver = self.session.index, self.session.context.resolver
        found = {}
        for file in index.files.values():
            if file.suffix != ".ipynb" or file.site_path is None:
                continue
            try:
                text = file.abs_path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            links: list[LinkInput] = []
            for match in WIKILINK_RE.finditer(_markdown_cells(text)):
                r = resolver.resolve(parse_wikilink(match.group(2), embed=bool(match.group(1))), file.path)
                target = r.file
                links.append((r.spec, target.path if target else None,
                              target.site_path if target else None, r.anchor, r.problem))
            found[file.site_path] = PageInputs(text=text, links=tuple(links))
        return found

    @property
    def full(self) -> bool:
        return self.plan.full

    def summary(self) -> str:
        if self.plan.full:
            return f"rendering every page ({self.plan.reason})"
        return f"rendering {len(self.plan.pages)} of {len(self.state.pages)} page(s) that changed"

    # -- during the build ----------------------------------------------------------
    def must_render(self, site_path: str) -> bool:
        decided = self._decided.get(site_path)
        if decided is None:
            decided = self._decided[site_path] = self._decide(site_path)
        return decided

    def _decide(self, site_path: str) -> bool:
        # A tag on a page links into the host's listing only when the listing page is read
        # in the same build: render it with any tagged page.
        if (not self.plan.full and site_path == self.state.tags_page
                and self.session.settings.tag_anchors is not None
                and self._tagged & (self._rendered | self.plan.pages)):
            return True
        return self.plan.must_render(site_path, self.state, self.previous, self._report_digest)

    def _report_digest(self, snippet: str) -> str:
        found = self._digests.get(snippet)
        if found is None:
            report = self.session.snippet_report(snippet)
            found = self._digests[snippet] = digest(report) if report is not None else ""
        return found

    def rendered(self, site_path: str) -> None:
        self._rendered.add(site_path)

    @property
    def rendered_pages(self) -> frozenset[str]:
        return frozenset(self._rendered)

    # -- after the pages -------------------------------------------------------------
    def report_kept_problems(self) -> None:
        """Before the report is written: problems of pages not rendered this time."""
        for site_path, problems in self.memory.page_problems.items():
            if site_path not in self._rendered and site_path in self.state.pages:
                for problem in problems:
                    self.session.warn(problem)

    def remember(self) -> None:
        """After the snippets finished: what the next build compares with."""
        kept = {p: v for p, v in self.memory.page_problems.items()
                if p not in self._rendered and p in self.state.pages}
        for site_path in self._rendered:
            found = tuple(self.session.page_problems.get(site_path, ()))
            if found:
                kept[site_path] = found
        snippets = {s for inputs in self.state.pages.values() for s in inputs.snippets}
        digests = {s: self._report_digest(s) for s in sorted(snippets)}
        self.memory.state = replace(self.state, snippets=digests)
        self.memory.page_problems = kept


def _markdown_cells(text: str) -> str:
    """The Markdown cells of a notebook, one after another (empty when it is not JSON)."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return ""
    parts = []
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            parts.append("".join(source) if isinstance(source, list) else str(source))
    return "\n".join(parts)
