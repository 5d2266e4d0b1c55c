"""Relative URLs between pages, the way MkDocs computes them."""

from __future__ import annotations

import posixpath
from urllib.parse import quote


def quote_path(path: str) -> str:
    """Percent-encode a path so ``#``, ``?``, spaces and Hangul survive in an href."""
    return quote(path, safe="/")


def relative_source_path(target: str, source: str) -> str:
    """``target`` relative to the folder of ``source`` (both docs-relative source paths)."""
    rel = posixpath.relpath(target, posixpath.dirname(source) or ".")
    return quote_path(rel)


def relative_url(url: str, base: str) -> str:
    """``url`` relative to the page at ``base`` (both site-root relative, MkDocs style)."""
    base_dir = base.rsplit("/", 1)[0] if "/" in base else ""
    rel = posixpath.relpath(url.rstrip("/") or ".", base_dir or ".")
    if (url.endswith("/") or url == "") and not rel.endswith("/"):
        rel += "/"
    return rel


def with_anchor(href: str, anchor: str | None) -> str:
    return f"{href}#{anchor}" if anchor else href
