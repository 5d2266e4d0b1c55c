"""Relative URLs between pages, the way MkDocs computes them."""

from __future__ import annotations

import posixpath
from functools import cache
from urllib.parse import quote


@cache
def _quote_segment(segment: str) -> str:
    return quote(segment, safe="/")


def quote_path(path: str) -> str:
    """Percent-encode a path so ``#``, ``?``, spaces and Hangul survive in an href."""
    # Same result as quote(path, safe="/"); segments (folder and file names) repeat
    # across a vault's links, so each one is encoded once.
    return "/".join(map(_quote_segment, path.split("/")))


def _parts(path: str) -> list[str] | None:
    """Segments of a clean relative path, or None when ``posixpath`` must normalise it."""
    if path == ".":
        return []
    parts = path.split("/")
    if "" in parts or "." in parts or ".." in parts:
        return None
    return parts


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for relative paths, without its ``os.getcwd()`` and normalising.

    Gives exactly what ``posixpath.relpath`` gives; paths that are absolute or hold
    ``.``, ``..`` or empty segments go to ``posixpath.relpath`` itself.
    """
    p, s = _parts(path), _parts(start)
    if p is None or s is None:
        return posixpath.relpath(path, start)
    i = 0
    for a, b in zip(p, s, strict=False):
        if a != b:
            break
        i += 1
    return "/".join([".."] * (len(s) - i) + p[i:]) or "."


def relative_source_path(target: str, source: str) -> str:
    """``target`` relative to the folder of ``source`` (both docs-relative source paths)."""
    rel = relpath(target, posixpath.dirname(source) or ".")
    return quote_path(rel)


def relative_url(url: str, base: str) -> str:
    """``url`` relative to the page at ``base`` (both site-root relative, MkDocs style)."""
    base_dir = base.rsplit("/", 1)[0] if "/" in base else ""
    rel = relpath(url.rstrip("/") or ".", base_dir or ".")
    if (url.endswith("/") or url == "") and not rel.endswith("/"):
        rel += "/"
    return rel


def site_relative(url: str) -> str:
    """``url`` (relative, perhaps percent-decoded) as a path no browser reads as a scheme:
    a note named ``javascript:x`` has the URL ``javascript:x/``, so it gets ``./`` first."""
    first = url.split("/", 1)[0]
    return "./" + url if ":" in first or url.startswith("/") else url


def with_anchor(href: str, anchor: str | None) -> str:
    return f"{href}#{anchor}" if anchor else href
