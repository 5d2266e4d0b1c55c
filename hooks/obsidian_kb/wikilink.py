"""The syntax of one ``[[...]]`` link, shared by the scanner and the renderer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from .names import nfc

#: ``[[...]]`` as Obsidian reads it: no line break and no ``]]`` inside, single brackets
#: allowed (``[[#**oneOf([a, b])**]]``); in ``[[[x]]]`` and ``[[[[x]]]]`` the innermost
#: ``[[x]]`` is the link, so a link never starts right before another ``[``.
_WIKILINK = r"(?P<embed>!?)\[\[(?!\[)(?P<inner>(?:(?!\[\[)[^\]\n]|\](?!\]))+?)\]\]"
WIKILINK_RE = re.compile(_WIKILINK)
#: What the inline parser meets first, left to right: a backslash escape, a code span
#: (Python-Markdown's own rule) or a wikilink. Whichever opens first wins, so
#: ``[[#`fork()`]]`` is a link and `` `[[0]]` `` is code.
#: (The leading lookahead lets the regex engine skip plain text fast: 2x on Korean prose.)
INLINE_RE = re.compile(
    r"(?=[\\`!\[])(?:\\.|(?<!\\)(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`)|" + _WIKILINK + ")", re.S
)


def iter_wikilinks(text: str) -> Iterator[re.Match[str]]:
    """The wikilinks of ``text`` that are neither escaped nor inside a code span."""
    for m in INLINE_RE.finditer(text):
        if m.group("inner") is not None:
            yield m


_IMAGE_SIZE = re.compile(r"^\s*(\d+)(?:\s*x\s*(\d+))?\s*$")


@dataclass(frozen=True)
class LinkSpec:
    """A parsed wikilink. ``path`` is empty for same-note links such as ``[[#H]]``."""

    raw: str
    path: str
    headings: tuple[str, ...] = ()
    block: str | None = None
    alias: str | None = None
    embed: bool = False
    #: "wiki" for ``[[...]]``; "markdown" for ``[text](url)``, which Obsidian resolves the same way.
    style: str = "wiki"

    @property
    def subpath(self) -> str:
        if self.block is not None:
            return "#^" + self.block
        return "".join("#" + h for h in self.headings)

    @property
    def target(self) -> str:
        """Path and subpath as written, without the alias: ``Note#Heading``."""
        return self.path + self.subpath

    @property
    def written(self) -> str:
        """The link as the author wrote it."""
        if self.style == "markdown":
            return ("!" if self.embed else "") + f"[{self.alias or ''}]({self.raw})"
        return ("!" if self.embed else "") + "[[" + self.raw + "]]"

    @property
    def display(self) -> str:
        """The text Obsidian shows: the alias, else note, headings and block joined by ``>``
        (``[[folder/note#H]]`` reads ``folder/note > H``, ``[[#H]]`` reads ``H``)."""
        if self.alias:
            return self.alias
        parts = [self.path, *self.headings, *(("^" + self.block,) if self.block is not None else ())]
        return " > ".join(p for p in parts if p)

    @property
    def size(self) -> tuple[int | None, int | None] | None:
        """``|100`` or ``|100x145`` on an embed: width and height in pixels."""
        if not self.alias:
            return None
        m = _IMAGE_SIZE.match(self.alias)
        if not m:
            return None
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def parse_wikilink(inner: str, *, embed: bool = False) -> LinkSpec:
    r"""Parse the text between ``[[`` and ``]]``.

    ``\|`` (needed inside tables) separates the alias like ``|``; the target is
    trimmed (Obsidian ignores trailing spaces) and NFC-normalised.
    """
    return _parse_wikilink(inner, embed)


# Positional arguments only: lru_cache keys ``f(x)`` and ``f(x, embed=False)`` apart.
@lru_cache(maxsize=1 << 17)  # the scan, the renderer and backlinks parse the same links
def _parse_wikilink(inner: str, embed: bool) -> LinkSpec:
    raw = inner
    target, sep, alias = inner.replace("\\|", "|").partition("|")
    alias_text = alias.strip() if sep else None
    target = nfc(target).strip()
    path, hsep, sub = target.partition("#")
    path = path.strip()
    headings: tuple[str, ...] = ()
    block = None
    if hsep:
        if sub.startswith("^"):
            block = sub[1:].strip()
        else:
            headings = tuple(h.strip() for h in sub.split("#") if h.strip())
    return LinkSpec(raw=raw, path=path, headings=headings, block=block,
                    alias=alias_text or None, embed=embed)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: ``[text](url)`` and ``![alt](url)``; the URL may be wrapped in ``<...>``. As in CommonMark the
#: text holds no unescaped ``[`` (``[a [b](c)`` links ``b``) and the URL only balanced ``()``;
#: both also keep the pattern linear on lines such as ``[a[a[a…`` or ``[a](([a](…``.
MARKDOWN_LINK_RE = re.compile(
    r"(!?)\[([^\[\]\n]*+)\]\(\s*(<[^>\n]+>|(?:[^()\s]|\([^()\s]*\))++)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)


def iter_markdown_links(text: str) -> Iterator[re.Match[str]]:
    """``MARKDOWN_LINK_RE`` matches; text without ``](`` (most lines) skips the regex."""
    return MARKDOWN_LINK_RE.finditer(text) if "](" in text else iter(())


def is_internal_url(url: str) -> bool:
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "//"))


def parse_markdown_link(url: str, text: str = "", *, embed: bool = False) -> LinkSpec | None:
    """An internal Markdown link as Obsidian reads it (URL-decoded, ``.md`` optional)."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    if not is_internal_url(url):
        return None
    path, _, fragment = url.partition("#")
    path = nfc(unquote(path.partition("?")[0]))
    fragment = nfc(unquote(fragment))
    headings: tuple[str, ...] = ()
    block = None
    if fragment.startswith("^"):
        block = fragment[1:]
    elif fragment:
        headings = tuple(h for h in fragment.split("#") if h.strip())
    return LinkSpec(raw=url, path=path, headings=headings, block=block,
                    alias=text or None, embed=embed, style="markdown")
