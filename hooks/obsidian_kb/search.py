"""Korean search: teach Material's lunr about particles and compound nouns.

Material builds its lunr index in the browser from ``search/search_index.json``.
Its Korean support (lunr.ko) only trims and drops stop words, and queries are
prefix searches, so ``멀티스레드`` is not found by ``스레드`` and ``스레드는``
finds nothing. ``assets/kb-search-ko.js`` adds two lunr pipeline functions;
this module appends it to the theme's lunr language files in the built site
(the worker loads them with ``importScripts``), idempotently.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

PATCH_MARKER = "/* obsidian_kb: Korean search"
#: The theme's files the search worker imports for ``lang: [ko, ...]``.
LUNR_FILES = ("assets/javascripts/lunr/min/lunr.ko.min.js", "assets/javascripts/lunr/min/lunr.multi.min.js")


def patched(original: str, patch: str) -> str:
    """``original`` with ``patch`` appended once (``mkdocs serve`` may not recopy the file)."""
    if PATCH_MARKER in original:
        return original
    return original.rstrip("\n") + "\n;\n" + patch


def patch_site(site_dir: Path, patch: str) -> list[Path]:
    """Patch the lunr files present in ``site_dir``; returns the files changed."""
    changed = []
    for rel in LUNR_FILES:
        path = site_dir / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        new = patched(text, patch)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def with_aliases(index: dict[str, Any], aliases: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Put each note's aliases into the title of its page entry in ``search_index.json``.

    Readers search by alias (``thread``, ``GC``, ``프로세스 간 통신``); in the body text an
    alias competes with every note that merely mentions the word, while Material boosts
    titles 1000x. Shown small after the title, so a reader also sees why a note matched.
    """
    for doc in index.get("docs", []):
        names = aliases.get(doc.get("location", ""))
        if names and "kb-search-aliases" not in doc.get("title", ""):
            shown = " · ".join(html.escape(a) for a in names)
            doc["title"] = f'{doc["title"]} <small class="kb-search-aliases">{shown}</small>'
    return index


def patch_index(path: Path, aliases: Mapping[str, Sequence[str]]) -> None:
    if not path.is_file() or not aliases:
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(with_aliases(data, aliases), ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
