"""Backlinks: which notes link to a note, with the sentence around each link.

Read from the :class:`~.checks.LinkGraph` (the resolver every link went
through), never from pages rendered so far. Pure: graph + URL map in, HTML out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import NamedTuple

from .checks import LinkGraph
from .graph import display_title
from .urls import relative_url
from .vault import VaultIndex
from .wikilink import iter_markdown_links, iter_wikilinks, parse_wikilink

#: Line markers that mean nothing out of place: list bullets, quotes, headings, callout heads.
_LINE_MARKER = re.compile(r"^(?:[ \t]*(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}[ \t]+))+")
_CALLOUT_HEAD = re.compile(r"^\[![^\]]+\][+-]?[ \t]*")
#: Inline Markdown markers a reader does not see: code ticks, bold, highlight.
_INLINE_MARKERS = re.compile(r"`+|\*\*|==")
MAX_CONTEXT = 220  # characters of context kept around the first link
MAX_CONTEXTS = 5  # lines quoted per linking note; a note with thousands of links stays one entry


class Segment(NamedTuple):
    """A piece of a quoted line. Short-lived: only each line's HTML is cached, because a
    string is not tracked by the cycle collector and a NamedTuple is (CPython 3.11
    untracks only exact tuples; 155k cached Segments at 5,000 notes made full collections
    walk them over and over)."""

    text: str
    is_link: bool = False


@dataclass(frozen=True)
class Backlink:
    """One note linking here, with each distinct line that holds such a link."""

    source: str  # vault path
    title: str
    url: str  # site-root relative URL of the linking page
    contexts: tuple[str, ...]  # each quoted line as HTML (``context_html``), escaped
    more: int = 0  # further distinct lines that link here, not quoted


def plain_segments(line: str) -> tuple[Segment, ...]:
    """A source line as a reader reads it: link syntax gone, link text marked."""
    line = _CALLOUT_HEAD.sub("", _LINE_MARKER.sub("", line)).strip()
    segments: list[Segment] = []
    pos = 0
    matches = sorted(
        [(m.start(), m.end(), parse_wikilink(m.group("inner"), embed=bool(m.group("embed"))).display)
         for m in iter_wikilinks(line)]
        + [(m.start(), m.end(), m.group(2)) for m in iter_markdown_links(line)]
    )
    for start, end, text in matches:
        if start < pos:  # a Markdown link inside a wikilink alias, say: keep the first
            continue
        if start > pos:
            segments.append(Segment(_INLINE_MARKERS.sub("", line[pos:start])))
        segments.append(Segment(text, True))
        pos = end
    if pos < len(line):
        segments.append(Segment(_INLINE_MARKERS.sub("", line[pos:])))
    return _shorten(tuple(segments))


def _shorten(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Keep long paragraphs readable: cut plain text far from the first link."""
    total = sum(len(s.text) for s in segments)
    if total <= MAX_CONTEXT:
        return segments
    out: list[Segment] = []
    budget = MAX_CONTEXT
    seen_link = False
    for i, seg in enumerate(segments):
        if seg.is_link:
            seen_link = True
            out.append(seg)
            budget -= len(seg.text)
            continue
        text = seg.text
        if not seen_link and i + 1 < len(segments) and len(text) > MAX_CONTEXT // 3:
            text = "…" + text[-(MAX_CONTEXT // 3) :]
        if len(text) > budget:
            text = text[: max(budget, 0)] + "…"
        out.append(Segment(text))
        budget -= len(text)
        if budget <= 0:
            break
    return tuple(out)


def collect_backlinks(
    graph: LinkGraph, index: VaultIndex, urls: Mapping[str, str], target: str
) -> list[Backlink]:
    """Backlinks of the note at vault path ``target``, one entry per published linking note."""
    by_source: dict[str, list[str]] = {}
    note_urls: dict[str, str] = {}
    lines: dict[str, set[int]] = {}
    for link in graph.backlinks.get(target, ()):
        note = index.notes.get(link.source)
        if note is None or note.file.site_path is None or note.file.site_path not in urls:
            continue
        note_urls[link.source] = urls[note.file.site_path]
        contexts = by_source.setdefault(link.source, [])
        seen = lines.setdefault(link.source, set())
        if link.occurrence.line in seen:
            continue
        seen.add(link.occurrence.line)
        if len(contexts) >= MAX_CONTEXTS:
            continue  # counted in ``more``, never parsed: the work stays bounded
        html = context_html(link.occurrence.context)
        if html not in contexts:
            contexts.append(html)
    found = [
        Backlink(src, display_title(index.notes[src]), note_urls[src], tuple(ctx),
                 more=max(0, len(lines[src]) - len(ctx)))
        for src, ctx in by_source.items()
    ]
    return sorted(found, key=lambda b: (b.title.casefold(), b.source))


def segments_html(segments: tuple[Segment, ...]) -> str:
    """A quoted line's paragraph: link text marked, every piece escaped."""
    parts = [f"<mark>{escape(seg.text, quote=False)}</mark>" if seg.is_link else escape(seg.text, quote=False)
             for seg in segments]
    return f'<p class="kb-backlink-context">{"".join(parts)}</p>'


@lru_cache(maxsize=1 << 16)  # a line is quoted under every note it links to
def context_html(line: str) -> str:
    """``line`` quoted as a reader reads it (:func:`plain_segments`), as HTML."""
    return segments_html(plain_segments(line))


def render_backlinks(backlinks: list[Backlink], page_url: str) -> str:
    """The backlinks section, hrefs relative to ``page_url``; empty string when none.

    Written as text with every value escaped: it goes under each of thousands of notes,
    and an element tree's serializer measured as most of the engine's own build time."""
    if not backlinks:
        return ""
    # data-search-exclude: Material's search must not find a note by the words of other notes.
    out = ['<section class="kb-backlinks" aria-labelledby="kb-backlinks-title" data-search-exclude="">',
           '<h2 id="kb-backlinks-title" data-search-exclude="">'
           f"이 노트를 링크하는 노트 ({len(backlinks)})</h2><ul>"]
    for backlink in backlinks:
        href = escape(relative_url(backlink.url, page_url))
        out.append(f'<li><a href="{href}" class="kb-backlink">{escape(backlink.title, quote=False)}</a>')
        out.extend(backlink.contexts)
        if backlink.more:
            out.append(f'<p class="kb-backlink-more">외 {backlink.more}곳</p>')
        out.append("</li>")
    out.append("</ul></section>")
    return "".join(out)
