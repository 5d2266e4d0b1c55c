"""Which pages a change reaches: the dependents of an edit, for incremental rebuilds.

A note page's HTML is a function of a few inputs: its own text, how each of its
links resolved, the notes it embeds (transitively, with their links), the
snippets it shows, the links pointing at it (its backlinks panel) and whether
it has any link at all (its local graph). :func:`vault_state` collects those
inputs for every page from one build's index and link graph; :func:`plan_rebuild`
compares two builds and names the pages whose inputs differ. Comparing inputs
rather than guessing how a change spreads covers every case at once: a renamed
heading changes the resolution of every link to it, a created note can take
over a bare name, a reworded sentence changes the backlinks of every note it
links to.

Whatever the host draws on every page (its navigation) is not known here: the
host passes a ``layout`` value, and any change to it means a full build.
Pure: records in, records out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from .checks import LinkGraph, ResolvedLink
from .graph import display_title, linked_notes
from .problems import Problem
from .vault import Note, VaultIndex

#: (link as parsed, target vault path, target site path, anchor id, problem)
LinkInput = tuple[Hashable, str | None, str | None, str | None, str | None]
#: (linking note, its title, its site path, the source line holding the link)
BacklinkInput = tuple[str, str, str | None, str]


@dataclass(frozen=True)
class PageInputs:
    """Everything a note page's HTML depends on besides the host's navigation."""

    text: str
    links: tuple[LinkInput, ...]
    #: (vault path, text, links) of every note embedded, directly or through other embeds
    embeds: tuple[tuple[str, str, tuple[LinkInput, ...]], ...] = ()
    #: vault paths of the snippets the page shows, directly or through embeds
    snippets: tuple[str, ...] = ()
    backlinks: tuple[BacklinkInput, ...] = ()
    linked: bool = False


@dataclass(frozen=True)
class VaultState:
    """What one build knew, kept until the next build to compare with."""

    pages: Mapping[str, PageInputs]  # by site path
    layout: Hashable = None  # the host's navigation; any change means a full build
    #: the tags listing's inputs: (site path, title, tags) of every tagged page
    tags: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    tags_page: str | None = None
    #: snippet vault path -> digest of its report (filled in once the reports are in)
    snippets: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RebuildPlan:
    full: bool
    reason: str
    pages: frozenset[str] = frozenset()  # site paths to render, besides snippet-driven ones
    removed: frozenset[str] = frozenset()  # site paths gone since the previous build

    def must_render(self, site_path: str, state: VaultState, previous: VaultState | None,
                    report_digest: Callable[[str], str]) -> bool:
        """Also render a page when a snippet it shows reports differently (asked lazily:
        ``report_digest`` may wait for that snippet, and only that one)."""
        if self.full or site_path in self.pages:
            return True
        inputs = state.pages.get(site_path)
        if inputs is None:
            return True  # not a note: nothing here says what it depends on
        old = previous.snippets if previous is not None else {}
        return any(report_digest(s) != old.get(s) for s in inputs.snippets)


@dataclass
class RebuildMemory:
    """What one build leaves for the next."""

    state: VaultState | None = None
    page_problems: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    def forget(self) -> None:
        """The next build renders everything."""
        self.state = None
        self.page_problems = {}


def digest(value: object) -> str:
    """A short stable digest of a record's ``repr`` (dataclasses, tuples, strings)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _link_input(link: ResolvedLink) -> LinkInput:
    r = link.resolution
    file = r.file
    return (r.spec, file.path if file else None, file.site_path if file else None, r.anchor, r.problem)


def _embedded(start: str, by_source: Mapping[str, list[ResolvedLink]]) -> list[str]:
    """Vault paths of notes reachable from ``start`` through embeds (cycles stop)."""
    seen = {start}
    order: list[str] = []
    stack = [start]
    while stack:
        source = stack.pop()
        for link in by_source.get(source, ()):
            target = link.resolution.file
            if (link.occurrence.spec.embed and target is not None and target.is_note
                    and target.path not in seen):
                seen.add(target.path)
                order.append(target.path)
                stack.append(target.path)
    return sorted(order)


def _snippets(paths: Iterable[str], by_source: Mapping[str, list[ResolvedLink]]) -> tuple[str, ...]:
    found = {link.resolution.file.path for p in paths for link in by_source.get(p, ())
             if link.occurrence.spec.embed and link.resolution.file is not None
             and link.resolution.file.suffix == ".py"}
    return tuple(sorted(found))


def _backlinks(graph: LinkGraph, sources: Mapping[str, tuple[str, str | None]],
               target: str) -> tuple[BacklinkInput, ...]:
    """``sources``: vault path -> (title, site path) of every note."""
    found = []
    for link in graph.backlinks.get(target, ()):
        source = sources.get(link.source)
        if source is not None:
            found.append((link.source, source[0], source[1], link.occurrence.context))
    return tuple(found)


def vault_state(index: VaultIndex, graph: LinkGraph, *, layout: Hashable = None, panels: bool = True,
                tags_page: str | None = None) -> VaultState:
    """The inputs of every published note page of one build."""
    by_source: dict[str, list[ResolvedLink]] = {}
    for link in graph.links:
        by_source.setdefault(link.source, []).append(link)
    links = {path: tuple(_link_input(link) for link in found) for path, found in by_source.items()}
    linked = linked_notes(graph) if panels else set()
    sources = {n.path: (display_title(n), n.file.site_path) for n in index} if panels else {}
    pages: dict[str, PageInputs] = {}
    tagged: list[tuple[str, str, tuple[str, ...]]] = []
    for note in index:
        site_path = note.file.site_path
        if site_path is None:
            continue
        embeds = _embedded(note.path, by_source)
        pages[site_path] = PageInputs(
            text=note.scan.text,
            links=links.get(note.path, ()),
            embeds=tuple((p, _text(index.notes[p]), links.get(p, ())) for p in embeds),
            snippets=_snippets([note.path, *embeds], by_source),
            backlinks=_backlinks(graph, sources, note.path) if panels else (),
            linked=note.path in linked,
        )
        if note.scan.tags:
            tagged.append((site_path, display_title(note), note.scan.tags))
    return VaultState(pages, layout, tuple(sorted(tagged)), tags_page)


def _text(note: Note) -> str:
    return note.scan.text


def plan_rebuild(previous: VaultState | None, current: VaultState) -> RebuildPlan:
    """The pages whose output may differ from the previous build's."""
    if previous is None:
        return RebuildPlan(True, "first build")
    if previous.layout != current.layout:
        return RebuildPlan(True, "pages were added, removed or renamed, or the navigation changed")
    if previous.tags_page != current.tags_page:
        return RebuildPlan(True, "the tags page moved")
    changed = {path for path, inputs in current.pages.items() if previous.pages.get(path) != inputs}
    if current.tags_page is not None and previous.tags != current.tags:
        changed.add(current.tags_page)
    removed = frozenset(previous.pages.keys() - current.pages.keys())
    return RebuildPlan(False, f"{len(changed)} page(s) changed", frozenset(changed), removed)
