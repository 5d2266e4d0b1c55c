"""Tag pages: where inline ``#tags`` point, matching Material's tags plugin.

The engine puts frontmatter and inline tags into ``page.meta["tags"]``; the
Material tags plugin renders a listing wherever ``<!-- material/tags -->``
appears. If the vault has no listing, the build adds ``tags.md`` with one.
Anchor ids follow the plugin's ``_slugify`` (``tags_slugify_format`` around
the slugified hierarchy parts), so an inline tag lands on its own entry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from .headings import default_slugify
from .urls import relative_source_path
from .vault import VaultIndex

TAGS_PAGE = "tags.md"
TAGS_TITLE = "태그"
LISTING_MARKER = "<!-- material/tags"


@dataclass(frozen=True)
class TagAnchors:
    """How Material's tags plugin names a tag's anchor on a listing page."""

    slugify: Callable[[str, str], str]
    separator: str = "-"
    format: str = "tag:{slug}"
    hierarchy: bool = True
    hierarchy_separator: str = "/"

    def anchor(self, tag: str) -> str:
        parts = tag.split(self.hierarchy_separator) if self.hierarchy else [tag]
        slug = self.hierarchy_separator.join(self.slugify(p, self.separator) for p in parts)
        return self.format.format(slug=slug)


def listing_page(index: VaultIndex) -> str | None:
    """Site path of the first vault note holding a tags listing, if any."""
    for note in sorted(index, key=lambda n: n.path):
        if note.file.site_path and LISTING_MARKER in note.scan.text:
            return note.file.site_path
    return None


def tags_page_markdown(title: str = TAGS_TITLE) -> str:
    return f"# {title}\n\n{LISTING_MARKER} -->\n"


def vault_tags(index: VaultIndex, hierarchy_separator: str = "/") -> set[str]:
    """Every tag of the vault and, for nested tags, each parent (``a/b`` gives ``a``)."""
    found: set[str] = set()
    for note in index:
        for tag in note.scan.tags:
            parts = tag.split(hierarchy_separator)
            found.update(hierarchy_separator.join(parts[: i + 1]) for i in range(len(parts)))
    return found


#: Anchors of the engine's own tags page, used when Material's tags plugin is not enabled.
OWN_ANCHORS = TagAnchors(default_slugify, hierarchy=True)

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~=^%:])")


def _literal(text: str) -> str:
    """``text`` as Markdown that renders to exactly this text (a tag or a title is data)."""
    return html.escape(_MARKDOWN_SPECIALS.sub(r"\\\1", text), quote=False)


def own_tags_page_markdown(index: VaultIndex, page_path: str = TAGS_PAGE,
                           anchors: TagAnchors = OWN_ANCHORS, title: str = TAGS_TITLE) -> str:
    """A tags listing written by the engine: one heading per tag (parents of nested tags
    included), with the notes carrying that tag or one below it."""
    sep = anchors.hierarchy_separator
    lines = [f"# {title}", ""]
    for tag in sorted(vault_tags(index, sep), key=lambda t: (t.casefold(), t)):
        notes = sorted((n for n in index if n.file.site_path and any(
            t == tag or t.startswith(tag + sep) for t in n.scan.tags)), key=lambda n: n.path)
        lines += [f"## {_literal(tag)} {{ #{anchors.anchor(tag)} }}", ""]
        for note in notes:
            assert note.file.site_path is not None
            href = relative_source_path(note.file.site_path, page_path)
            lines.append(f"- [{_literal(note.title)}]({href})")
        lines.append("")
    return "\n".join(lines)
