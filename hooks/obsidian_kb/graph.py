"""The note graph (nodes = published notes, edges = resolved note-to-note links).

Built from the :class:`~.checks.LinkGraph`, so the graph can never disagree
with the links on the pages. The browser script ``assets/kb-graph.js`` draws
both the global graph page and each note's local graph from ``_kb/graph.json``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from urllib.parse import unquote

from .checks import LinkGraph
from .headings import plain_heading_text
from .urls import site_relative
from .vault import Note, VaultIndex

GRAPH_JSON = "_kb/graph.json"
GRAPH_PAGE = "graph.md"
GRAPH_TITLE = "그래프"


@dataclass(frozen=True)
class GraphNode:
    id: int
    title: str
    url: str  # site-root relative, not percent-encoded (a third of the size for Korean names)
    tags: tuple[str, ...]
    group: str  # top-level folder, used for colour


@dataclass(frozen=True)
class GraphEdge:
    source: int
    target: int


@dataclass(frozen=True)
class NoteGraph:
    nodes: tuple[GraphNode, ...]
    links: tuple[GraphEdge, ...]

    def to_json(self) -> str:
        # A shallow dict per item: ``asdict`` deep-copies and costs seconds on a large vault.
        # Links as [source, target] pairs: a 1,000-note vault has ~15,000 of them.
        links = [[e.source, e.target] for e in self.links]
        data = {"nodes": [_shallow(n) for n in self.nodes], "links": links}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _shallow(item: GraphNode | GraphEdge) -> dict[str, object]:
    """``asdict`` for these flat records (``tags`` stays a tuple: JSON writes it as a list)."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def display_title(note: Note) -> str:
    """The file name, as Obsidian shows it; a folder's ``index``/``README`` shows its first H1."""
    if note.title.casefold() in ("index", "readme"):
        for heading in note.scan.headings:
            if heading.level == 1:  # as a reader sees it: no code ticks, entities read
                return html.unescape(plain_heading_text(heading.text))
    return note.title


def build_note_graph(graph: LinkGraph, index: VaultIndex, urls: Mapping[str, str]) -> NoteGraph:
    ids: dict[str, int] = {}
    nodes: list[GraphNode] = []
    for note in sorted(index, key=lambda n: n.path):
        site_path = note.file.site_path
        if site_path is None or site_path not in urls:
            continue
        ids[note.path] = len(nodes)
        group = site_path.split("/", 1)[0] if "/" in site_path else ""
        url = site_relative(unquote(urls[site_path]))  # decoded: a third of the size for Korean
        nodes.append(GraphNode(len(nodes), display_title(note), url, note.scan.tags, group))
    seen: set[tuple[int, int]] = set()
    edges: list[GraphEdge] = []
    for link in graph.links:
        target = link.resolution.file
        if not link.resolution.ok or target is None:
            continue
        a, b = ids.get(link.source), ids.get(target.path)
        if a is None or b is None or a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        edges.append(GraphEdge(a, b))
    return NoteGraph(tuple(nodes), tuple(edges))


def graph_page_markdown(root: str, title: str = GRAPH_TITLE) -> str:
    """The generated global graph page; ``root`` is the site root relative to it."""
    return (
        f"# {title}\n\n"
        '<div class="kb-graph kb-graph-global" data-kb-graph="global" '
        f'data-kb-root="{html.escape(root)}" role="img" aria-label="모든 노트와 링크의 그래프"></div>\n\n'
        '<p class="kb-graph-help">노드를 누르면 그 노트로 갑니다. '
        "끌어서 옮기고, 휠로 확대합니다.</p>\n"
    )


def local_graph_html(root: str, node_url: str) -> str:
    """The container for one note's local graph; ``root`` is the site root relative to the page."""
    return (
        '<div class="kb-graph kb-graph-local" data-kb-graph="local" data-search-exclude '
        f'data-kb-root="{html.escape(root)}" data-kb-node="{html.escape(site_relative(unquote(node_url)))}" '
        'role="img" aria-label="이 노트와 이웃 노트의 그래프"></div>'
    )


def linked_notes(graph: LinkGraph) -> set[str]:
    """Vault paths of notes with at least one link to or from another note: only they
    get a local graph (an isolated note would show a single dot)."""
    found: set[str] = set()
    for link in graph.links:
        target = link.resolution.file
        if link.resolution.ok and target is not None and target.is_note and target.path != link.source:
            found.update((link.source, target.path))
    return found
