"""Check every link in the vault once, before any page renders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from .embed_cycles import Embed, find_embed_cycles
from .problems import Problem
from .resolver import Resolution, Resolver
from .scan import LinkOccurrence, NoteScan
from .vault import VaultIndex
from .wikilink import LinkSpec


@dataclass(frozen=True)
class ResolvedLink(Resolution):
    """A resolution with the occurrence it was made for: one object per link of the vault,
    not two (the collector walks every one of them in each full collection)."""

    occurrence: LinkOccurrence = field(kw_only=True)

    @property
    def resolution(self) -> Resolution:
        return self

    @classmethod
    def of(cls, resolution: Resolution, occurrence: LinkOccurrence) -> ResolvedLink:
        r = resolution
        return cls(r.spec, r.source, r.file, r.heading, r.block, r.problem, r.missing,
                   occurrence=occurrence)


@dataclass(frozen=True)
class LinkGraph:
    """Every link resolved once: the link report, backlinks and the graph all read this."""

    links: tuple[ResolvedLink, ...]
    problems: tuple[Problem, ...]
    backlinks: dict[str, tuple[ResolvedLink, ...]]


def resolve_vault(index: VaultIndex, resolver: Resolver | None = None) -> LinkGraph:
    resolver = resolver or Resolver(index)
    links: list[ResolvedLink] = []
    problems: list[Problem] = []
    incoming: dict[str, list[ResolvedLink]] = defaultdict(list)
    embeds: dict[str, list[Embed]] = defaultdict(list)
    for note in index:
        for problem in note.scan.problems:
            problems.append(Problem(note.path, problem.line, "frontmatter", problem.message))
        for occ in note.scan.links:
            spec = occ.spec
            if not spec.path and not spec.headings and spec.block is None:
                continue
            link = ResolvedLink.of(resolver.resolve(spec, note.path), occ)
            resolution = link.resolution
            links.append(link)
            if not resolution.ok:
                # Markdown links too: the page shows them unresolved, so MkDocs never sees them.
                kind = "embed" if spec.embed else "link"
                problems.append(Problem(note.path, occ.line, kind, resolution.problem or "", spec.written))
                continue
            target = resolution.file
            if target is not None and target.path != note.path:
                incoming[target.path].append(link)
            if (spec.embed and spec.style == "wiki" and target is not None and target.is_note
                    and not occ.in_frontmatter):
                embeds[note.path].append((occ.line, occ.column, spec.written, resolution))
    problems.extend(find_embed_cycles(index, embeds))
    return LinkGraph(
        links=tuple(links),
        problems=tuple(sorted(problems)),
        backlinks={k: tuple(v) for k, v in incoming.items()},
    )


class KnownResolutions(Resolver):
    """A resolver that gives back the previous build's answer while it must still hold:
    the same files exist, and a link into a note whose scan was reused (its text did not
    change) finds the same heading or block."""

    def __init__(self, index: VaultIndex, known: Mapping[tuple[LinkSpec, str], Resolution],
                 scans: Mapping[str, NoteScan]) -> None:
        super().__init__(index)
        self.known = known
        self.scans = scans

    def resolve(self, spec: LinkSpec, source: str) -> Resolution:
        found = self.known.get((spec, source))
        if found is not None:
            target = found.file
            if target is None or target.path not in self.index.notes:
                return found  # which file a path names depends on the files only
            if self.scans.get(target.path) is self.index.notes[target.path].scan:
                return found
        return super().resolve(spec, source)


def known_resolutions(previous_index: VaultIndex | None, previous_graph: LinkGraph | None,
                      index: VaultIndex) -> Resolver | None:
    """A :class:`KnownResolutions` when the vault holds the same files as before, else None."""
    if previous_index is None or previous_graph is None:
        return None
    if previous_index.files != index.files:  # a file added, removed, renamed or republished
        return None
    known = {(link.occurrence.spec, link.source): link.resolution for link in previous_graph.links}
    scans = {path: note.scan for path, note in previous_index.notes.items()}
    return KnownResolutions(index, known, scans)
