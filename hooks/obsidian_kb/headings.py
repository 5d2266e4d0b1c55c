"""Heading keys (how Obsidian matches ``[[note#Heading]]``) and heading ids
(what our renderer emits).

Obsidian's ``stripHeading`` turns a fixed set of punctuation and line breaks
into spaces, collapses whitespace and compares case-insensitively. The id is
produced by ``pymdownx.slugs.slugify(case="lower")`` — the same function the
``toc`` extension is configured with — applied to the heading's plain text,
then made unique exactly as ``toc`` does it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableSet

from markdown.extensions.toc import unique
from pymdownx.slugs import slugify as _make_slugify

from .names import fold
from .wikilink import MARKDOWN_LINK_RE, WIKILINK_RE, parse_wikilink

_STRIP_CHARS = re.compile(r"[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\\r\n]")
_SPACES = re.compile(r"\s+")

Slugify = Callable[[str, str], str]

#: The slug function ``mkdocs.yml`` configures for ``toc``; ids and links must agree.
default_slugify: Slugify = _make_slugify(case="lower")


def strip_heading(text: str) -> str:
    """Obsidian's stripHeading: punctuation and line breaks become spaces."""
    return _SPACES.sub(" ", _STRIP_CHARS.sub(" ", text)).strip()


def heading_key(text: str) -> str:
    """The key two headings (or a heading and a link subpath) match on."""
    return fold(strip_heading(text))


_CODE = re.compile(r"(`+)(.+?)\1")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|==|~~)(?=\S)(.+?)(?<=\S)\1")


def plain_heading_text(raw: str) -> str:
    """Approximate the text ``toc`` would see after inline rendering.

    Only used to build a readable id; links never depend on it matching
    ``toc`` exactly, because our tree processor assigns these ids itself.
    """
    text = _CODE.sub(lambda m: m.group(2).strip(), raw)
    text = WIKILINK_RE.sub(lambda m: parse_wikilink(m.group("inner")).display, text)
    text = MARKDOWN_LINK_RE.sub(lambda m: m.group(2), text)
    text = _HTML_TAG.sub("", text)
    for _ in range(3):  # nested emphasis such as ***x***
        text = _EMPHASIS.sub(lambda m: m.group(2), text)
    return text.replace("\\", "").strip()


#: Heading characters an id is made from: the emphasis and code patterns above backtrack
#: quadratically on a long heading of unmatched markers, and no reader needs a longer id.
MAX_ID_SOURCE = 300


def heading_id(raw: str, used: MutableSet[str], slugify: Slugify = default_slugify,
               counters: dict[str, int] | None = None) -> str:
    """``counters`` (one dict per note, as ``toc`` keeps) makes repeated headings linear."""
    return unique(slugify(plain_heading_text(raw[:MAX_ID_SOURCE]), "-"), used, counters)

