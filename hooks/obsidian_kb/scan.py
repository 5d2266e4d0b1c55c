"""Read one note once: frontmatter, headings, blocks, tags and links.

The scan works on the masked text (code and comments blanked, offsets kept),
so nothing inside code is ever taken for a link, tag or heading, and every
finding keeps its 1-based source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .headings import Slugify, default_slugify, heading_id, heading_key
from .mask import _blank, mask
from .wikilink import (
    MARKDOWN_LINK_RE,
    WIKILINK_RE,
    LinkSpec,
    iter_markdown_links,
    iter_wikilinks,
    parse_markdown_link,
    parse_wikilink,
)

#: libyaml's safe loader when PyYAML has it: the same constructors (so the same values) at a
#: seventh of the time per note (48 us against 337 us for a ``tags:`` line), which matters
#: for a vault whose every note has properties.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONTMATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_QUOTE_PREFIX = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)*")
_ATX_OPEN = re.compile(r"[ \t]{0,3}(#{1,6})(?=[ \t]|$)")
#: A setext underline (a lone ``-`` is an empty list item in Obsidian, see markdown/syntax.py).
SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-{2,})[ \t]*$")
#: A line that starts something other than paragraph text (list item, quote, table, fence).
STARTS_BLOCK_RE = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|\||```|~~~)")
_CALLOUT_TITLE = re.compile(r"^\[![^\]\s]+\]")
_RULE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BLOCK_BOUNDARY = re.compile(r"^[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|```|~~~|---[ \t]*$)")
#: ``^id`` ending a paragraph or list item, or alone on the line after a list, quote or table.
BLOCK_ID_RE = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$")
#: Obsidian tags: letters (Korean too), digits, ``_``, ``-``, ``/``; at least one non-digit.
TAG_RE = re.compile(r"(?<![^\s(\[{,;])#([\w\-/]*[^\W\d][\w\-/]*)", re.U)
#: Where TAG_RE could match once links are blanked (a link's last character, ``]`` or ``)``,
#: becomes a space): a line without such a place holds no tag, and skips the blanking.
_TAG_CANDIDATE = re.compile(r"(?<![^\s(\[{,;\])])#[\w\-/]*[^\W\d]", re.U)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    key: str
    id: str


@dataclass(frozen=True)
class Block:
    id: str
    line: int
    start: int  # first line of the paragraph / list / quote it names
    end: int    # last line (inclusive)


@dataclass(frozen=True)
class LinkOccurrence:
    spec: LinkSpec
    line: int
    column: int
    context: str  # the source line around the link, for backlinks
    in_frontmatter: bool = False


@dataclass(frozen=True)
class ScanProblem:
    line: int
    message: str


@dataclass(frozen=True)
class NoteScan:
    text: str
    body_start: int  # 0-based line where the body starts (after frontmatter)
    frontmatter: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    cssclasses: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    blocks: tuple[Block, ...] = ()
    links: tuple[LinkOccurrence, ...] = ()
    problems: tuple[ScanProblem, ...] = ()


def _as_list(value: Any) -> list[str]:
    """Frontmatter lists may be YAML lists or comma/space separated strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[,\s]+", value) if v]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return [str(value)]


def normalise_tag(tag: str) -> str:
    return tag.strip().lstrip("#").strip("/")


def split_frontmatter(text: str) -> tuple[dict[str, Any], int, ScanProblem | None]:
    """Return (data, number of lines it takes, problem)."""
    m = _FRONTMATTER.match(text)
    if not m:
        return {}, 0, None
    lines = text.count("\n", 0, m.end()) + (0 if m.group(0).endswith("\n") else 1)
    source, surrogate_line = _without_surrogate_escapes(m.group(1) or "")
    try:
        data = yaml.load(source, Loader=_LOADER) or {}  # _LOADER is a safe loader
    except RecursionError:  # PyYAML without libyaml recurses once per nesting level
        return {}, lines, ScanProblem(1, f"properties nested more than {MAX_PROPERTY_DEPTH} levels "
                                      "deep: the note's properties are ignored")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, lines, ScanProblem(line, f"invalid YAML frontmatter: {problem}")
    if not isinstance(data, dict):
        return {}, lines, ScanProblem(1, "frontmatter is not a mapping of properties")
    if (too_big := _unbounded(data)) is not None:
        return {}, lines, ScanProblem(1, f"{too_big}: the note's properties are ignored")
    if surrogate_line:
        return data, lines, ScanProblem(surrogate_line + 1, "a property holds a lone surrogate escape "
                                        "(\\uD800-\\uDFFF): replaced by U+FFFD")
    return data, lines, None


#: Obsidian's properties are flat: text, lists, numbers, dates. YAML can also nest without
#: end, hold an alias inside itself (``a: &x [*x]``, a cycle) or expand aliases of aliases a
#: billion times; every later reader of the properties (ours, the theme's, MkDocs' own YAML
#: reader of the page) would recurse out of the stack or run out of memory on them.
MAX_PROPERTY_DEPTH = 20
MAX_PROPERTY_VALUES = 10_000


def _unbounded(data: dict[str, Any]) -> str | None:
    """Why ``data`` is too deep or too large to hand on, or None. Walks without recursion,
    counting a value shared through an alias each time it is reached (as readers do)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_PROPERTY_VALUES:
            return f"more than {MAX_PROPERTY_VALUES:,} property values (aliases that expand?)"
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list | tuple | set):
            children = list(value)
        else:
            continue
        if depth >= MAX_PROPERTY_DEPTH and children:
            return (f"properties nested more than {MAX_PROPERTY_DEPTH} levels deep "
                    "(or a YAML alias inside itself)")
        stack.extend((child, depth + 1) for child in children)
    return None


#: ``\uD800``-``\uDFFF`` in a double-quoted YAML scalar (an even run of backslashes before it is
#: text). YAML reads it as a lone surrogate, which no UTF-8 file can hold: the page, graph.json
#: and MkDocs' own frontmatter reader would each fail on it.
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)(?:\\u|\\U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def _without_surrogate_escapes(source: str) -> tuple[str, int]:
    """The frontmatter with each surrogate escape written as U+FFFD, and the 1-based line of
    the first one (0 if none)."""
    first = _SURROGATE_ESCAPE.search(source)
    if first is None:
        return source, 0
    line = source.count("\n", 0, first.start()) + 1
    return _SURROGATE_ESCAPE.sub(lambda m: m.group(1) + "\\uFFFD", source), line


def _frontmatter_links(data: dict[str, Any], lines: list[str], fm_lines: int) -> list[LinkOccurrence]:
    """Obsidian properties may hold ``"[[links]]"``; they count for backlinks and checks."""
    found = []
    for i in range(1, max(fm_lines - 1, 1)):
        line = lines[i] if i < len(lines) else ""
        for m in WIKILINK_RE.finditer(line):
            spec = parse_wikilink(m.group("inner"), embed=bool(m.group("embed")))
            found.append(LinkOccurrence(spec, i + 1, m.start() + 1, link_context(line, m.start(), m.end()),
                                        True))
    return found


@dataclass(frozen=True)
class AtxHeading:
    level: int
    text: str


def match_atx(line: str) -> AtxHeading | None:
    """``## text ##`` as CommonMark reads it. String operations, not one pattern: the
    pattern ``[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`` backtracks quadratically on long runs of spaces."""
    m = _ATX_OPEN.match(line)
    if m is None:
        return None
    text = line[m.end():].strip()
    if text.endswith("#"):
        bare = text.rstrip("#")
        if bare.endswith((" ", "\t")):  # a closing sequence needs a space before it
            text = bare.rstrip(" \t")
    return AtxHeading(len(m.group(1)), text)


class _Paragraphs:
    """First line of the paragraph or list around each line, computed once per note
    (walking back from every block id is quadratic in a paragraph full of ids)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._start: list[int] | None = None

    def start(self, idx: int) -> int:
        if self._start is None:
            starts, lines = [0] * len(self.lines), self.lines
            for i in range(1, len(lines)):
                above = lines[i - 1]
                joined = above.strip() and not _BLOCK_BOUNDARY.match(above)
                starts[i] = starts[i - 1] if joined else i
            self._start = starts
        return self._start[idx]


def _block_extent(lines: list[str], idx: int, paragraphs: _Paragraphs | None = None) -> tuple[int, int]:
    """The paragraph/list containing line ``idx``; an id alone on its line names the block above."""
    own_line = lines[idx].strip().startswith("^")
    end = idx
    if own_line:
        end = idx - 1
        while end >= 0 and not lines[end].strip():
            end -= 1
        if end < 0:
            return idx, idx
    start = (paragraphs or _Paragraphs(lines)).start(end)
    return start, max(end, start)


def setext_start(lines: list[str], underline: int, depths: list[int] | None = None) -> int | None:
    """First line of the paragraph a setext underline turns into a heading, or None.

    Any number of lines counts (CommonMark, Obsidian): back to a blank line, a heading
    or a rule; a list item, quote or table line before it means the underline is not one.
    ``lines`` are quote-stripped when ``depths`` (quote depth per line) is given: the
    paragraph must lie inside the underline's own quote.
    """
    k = underline
    while k > 0 and lines[k - 1].strip() and not ends_paragraph(lines[k - 1]):
        if STARTS_BLOCK_RE.match(lines[k - 1]) or (depths and depths[k - 1] != depths[underline]):
            return None
        k -= 1
    return k if k < underline else None


def ends_paragraph(line: str) -> bool:
    """An ATX heading, a rule, an underline or a callout's title line: what follows
    starts afresh."""
    return bool(match_atx(line) or SETEXT_RE.match(line) or _RULE.match(line)
                or _CALLOUT_TITLE.match(line))


#: Characters of the source line kept on each side of a link for its backlink context.
CONTEXT_CHARS = 300


def link_context(line: str, start: int, end: int) -> str:
    """The source line around a link, bounded however long the line is."""
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(line), end + CONTEXT_CHARS)
    return line[lo:hi].strip()


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def scan_note(text: str, slugify: Slugify = default_slugify) -> NoteScan:
    data, fm_lines, fm_problem = split_frontmatter(text)
    problems = [fm_problem] if fm_problem else []
    masked_note = mask(text)
    masked = masked_note.text
    src_lines = text.split("\n")
    # Heading text keeps its inline code (Obsidian matches `fork()` headings); only comments go.
    visible = _blank(text, masked_note.comments).split("\n")
    lines = masked.split("\n")
    for k in range(min(fm_lines, len(lines))):
        lines[k] = " " * len(lines[k])

    headings: list[Heading] = []
    used_ids: set[str] = set()
    id_counters: dict[str, int] = {}
    blocks: list[Block] = []
    links: list[LinkOccurrence] = _frontmatter_links(data, src_lines, fm_lines)
    tags: list[str] = [normalise_tag(t) for t in _as_list(data.get("tags", data.get("tag")))]
    # quote-stripped lines and their quote depth, for setext headings inside quotes
    bodies = [_QUOTE_PREFIX.sub("", line, count=1) if ">" in line else line for line in lines]
    depths = [line[: len(line) - len(body)].count(">") for line, body in zip(lines, bodies, strict=True)]
    paragraphs = _Paragraphs(src_lines)
    for idx, line in enumerate(lines):
        lineno = idx + 1
        # (the guards skip regexes that cannot match: same results, less work per line)
        content = bodies[idx]
        atx = match_atx(content) if "#" in content else None
        if atx:
            atx = match_atx(_QUOTE_PREFIX.sub("", visible[idx], count=1)) or atx
            raw = atx.text
            headings.append(Heading(atx.level, raw, lineno, heading_key(raw),
                                    heading_id(raw, used_ids, slugify, id_counters)))
        elif SETEXT_RE.match(content) and (first := setext_start(bodies, idx, depths)) is not None:
            raw = "\n".join(_QUOTE_PREFIX.sub("", visible[k], count=1).strip() for k in range(first, idx))
            level = 1 if line.strip().startswith("=") else 2
            headings.append(Heading(level, raw, first + 1, heading_key(raw),
                                    heading_id(raw, used_ids, slugify, id_counters)))
        b = BLOCK_ID_RE.search(line) if "^" in line else None
        if b:
            start, end = _block_extent(src_lines, idx, paragraphs)
            blocks.append(Block(b.group(1), lineno, start + 1, end + 1))
        for m in iter_wikilinks(line) if "[[" in line else ():
            spec = parse_wikilink(m.group("inner"), embed=bool(m.group("embed")))
            links.append(LinkOccurrence(spec, lineno, m.start() + 1,
                                        link_context(src_lines[idx], m.start(), m.end())))
        for m in iter_markdown_links(line):
            md_spec = parse_markdown_link(m.group(3), m.group(2), embed=bool(m.group(1)))
            if md_spec is not None:
                links.append(LinkOccurrence(md_spec, lineno, m.start() + 1,
                                            link_context(src_lines[idx], m.start(), m.end())))
        if "#" in content and _TAG_CANDIDATE.search(content):  # tags; ``[[n#H]]`` holds none
            without_links = WIKILINK_RE.sub(_spaces, content) if "[[" in content else content
            if "](" in without_links:
                without_links = MARKDOWN_LINK_RE.sub(_spaces, without_links)
            tags.extend(normalise_tag(m.group(1)) for m in TAG_RE.finditer(without_links))

    seen: dict[str, str] = {}
    for t in tags:
        if t:
            seen.setdefault(t.casefold(), t)
    aliases = tuple(_as_list(data.get("aliases", data.get("alias"))))
    if isinstance(data.get("aliases"), str):  # a single alias may contain spaces
        aliases = (data["aliases"].strip(),)
    return NoteScan(
        text=text,
        body_start=fm_lines,
        frontmatter=data,
        aliases=aliases,
        tags=tuple(seen.values()),
        cssclasses=tuple(_as_list(data.get("cssclasses", data.get("cssclass")))),
        headings=tuple(headings),
        blocks=tuple(blocks),
        links=tuple(links),
        problems=tuple(problems),
    )
