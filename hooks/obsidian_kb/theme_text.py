"""Vault text handed to the theme, as HTML.

MkDocs templates do not autoescape: page titles, nav section titles and every page
property (``description``, ``author``, ``tags``, ``subtitle``, ...) are printed into
every page as they are. A note's name and its properties are text in Obsidian, so
the engine escapes them here, once, where it hands them to the theme; the note body
(raw HTML allowed, as in Obsidian) never passes through here.

Titles become :class:`markupsafe.Markup`: templates that escape again (``| e`` in
Material's footer) then leave them alone instead of showing ``&amp;lt;``.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

#: Property values the theme can print as they are (their ``str`` holds no markup).
_INERT = (bool, int, float, datetime.date, type(None))


def html_text(text: object) -> Markup:
    """Plain text (a file or folder name, a property) as HTML that shows exactly that text."""
    return text if isinstance(text, Markup) else escape(str(text))


def html_from_rendered(title: str) -> Markup:
    """A title MkDocs or a plugin took from rendered HTML (the first heading, a notebook's
    first heading): tags are stripped but entities are kept, and a lone ``<`` (from
    ``<!--`` or ``<b`` without ``>``) may remain. Read as text, then escaped."""
    return title if isinstance(title, Markup) else escape(html.unescape(str(title)))


def property_value(value: Any) -> Any:
    """One frontmatter value, escaped wherever it holds text (keys of mappings too)."""
    if isinstance(value, (Markup, *_INERT)):
        return value
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, Mapping):
        return {property_value(k): property_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [property_value(v) for v in value]
    return str(escape(str(value)))


def theme_properties(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Page properties as the theme may print them: every text escaped; ``title`` as Markup."""
    out = {property_value(k): property_value(v) for k, v in meta.items()}
    if "title" in meta and meta["title"] is not None:
        out["title"] = html_text(meta["title"])
    return out


def page_title(meta: Mapping[str, Any], title: str | None) -> Markup | None:
    """The title to hand the theme. ``meta`` went through :func:`theme_properties`; any other
    title (first heading, notebook heading, file name) came from rendered HTML."""
    given = meta.get("title")
    if isinstance(given, Markup):
        return given
    return None if title is None else html_from_rendered(title)
