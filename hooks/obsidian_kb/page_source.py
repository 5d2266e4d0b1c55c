"""The Markdown a host renders for a note, and the properties its theme may see.

Obsidian knows one kind of metadata, YAML frontmatter. MkDocs also reads
MultiMarkdown ``Key: value`` lines at the top of a note (and would drop a
note's first lines ``Summary: x``), and MkDocs and Material read some property
names as commands (``template: daily`` aborts the build looking for a
template, ``icon: star`` for an icon). So the host gets the body as the index
scanned it, behind a frontmatter block we write ourselves: MkDocs then never
looks for MultiMarkdown, and the properties it sees are the safe ones. The
note's own properties stay in the index (``NoteScan.frontmatter``) untouched.
"""

from __future__ import annotations

from typing import Any

import yaml

from .scan import NoteScan

#: Property names MkDocs (``template``) or Material (the rest) act on. To an Obsidian
#: author they are ordinary properties (a ``status: draft``, an ``icon`` for a plugin).
THEME_COMMANDS = frozenset({"template", "icon", "status", "hide", "search", "subtitle"})
#: libyaml's safe dumper when PyYAML has it (a fifth of the time per page), else PyYAML's.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
#: Properties the theme prints as text: it gets them as strings.
TEXT_PROPERTIES = ("title", "description")


def theme_properties(frontmatter: dict[str, Any]) -> dict[str, Any]:
    """The note's properties as the theme may read them."""
    meta: dict[str, Any] = {}
    for key, value in frontmatter.items():
        if not isinstance(key, str) or key in THEME_COMMANDS:
            continue
        if key in TEXT_PROPERTIES and value is not None and not isinstance(value, str):
            value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        elif key == "tags":
            value = _tag_list(value)
        meta[key] = value
    return meta


def _tag_list(value: Any) -> list[str]:
    """Material's tags plugin wants a list of strings; Obsidian also allows ``tags: a, b``."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).replace(",", " ").split()
    return [str(t).strip().lstrip("#") for t in items if t is not None and str(t).strip()]


def page_source(scan: NoteScan) -> str:
    """What MkDocs should read for this note: our frontmatter, then the body."""
    body = "\n".join(scan.text.split("\n")[scan.body_start:]) if scan.body_start else scan.text
    return f"---\n{_yaml(theme_properties(scan.frontmatter))}---\n{body}"


def _yaml(meta: dict[str, Any]) -> str:
    if not meta:  # most notes: what the dumper writes for {}, without it
        return "{}\n"
    try:
        return str(yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False))
    except yaml.YAMLError:  # a property only YAML's loader can express: the theme goes without
        return "{}\n"
