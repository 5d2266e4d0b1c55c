"""Korean search: teach Material's lunr about particles, compounds and spacing.

Material builds its lunr index in the browser from ``search/search_index.json``.
Its Korean support (lunr.ko) only trims and drops stop words, and queries are
prefix searches, so ``멀티스레드`` is not found by ``스레드``, ``스레드는`` finds
nothing and ``스레드풀`` never meets ``스레드 풀``. ``assets/kb-search-ko.js``
segments Korean into syllable bigrams on both sides and ranks by how much of
the query a page covers; this module appends it to the theme's lunr language
files in the built site (the worker loads them with ``importScripts``),
idempotently, and tunes the index's separator and field boosts.
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


#: Material's separator for ``lang: ko`` (from its Korean translation): whitespace and ``-`` only,
#: so ``multiprocessing.shared_memory.SharedMemory`` and ``sys.setrecursionlimit(n)`` are one word
#: each and a reader typing the function name finds nothing.
STOCK_SEPARATOR = r"[\s\-]+"
#: Material's documented separator for code-heavy sites: also punctuation, ``.`` before a
#: non-digit (``gc.collect`` but not ``3.14``), HTML entities and camelCase (``SharedMemory``).
CODE_SEPARATOR = r'[\s\-,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
#: Material's default field boosts, and ours. Material multiplies a title match by 1,000 and a tag
#: by 1,000,000: with Korean bigrams a query that shares one common word with a title or a tag
#: (메모리 in ``python/메모리``) would outrank the note that holds the whole phrase.
#: kb-search-ko.js ranks by how much of the query a page covers and puts notes whose title or
#: aliases hold all of it first, so the field boosts only need to order title > tags > text.
STOCK_FIELDS = {"title": 1e3, "text": 1.0, "tags": 1e6}
KB_FIELDS = {"title": 30.0, "text": 1.0, "tags": 10.0}


def tuned_config(config: dict[str, Any]) -> dict[str, Any]:
    """The index ``config`` with our separator and field boosts, where the site kept Material's
    defaults (a separator or a boost set in ``mkdocs.yml`` is left as it is)."""
    config = dict(config)
    if config.get("separator") == STOCK_SEPARATOR:
        config["separator"] = CODE_SEPARATOR
    fields = {name: dict(spec) for name, spec in config.get("fields", {}).items()}
    if {name: spec.get("boost") for name, spec in fields.items()} == STOCK_FIELDS:
        for name, boost in KB_FIELDS.items():
            fields[name]["boost"] = boost
        config["fields"] = fields
    return config


def patch_index(path: Path, aliases: Mapping[str, Sequence[str]]) -> None:
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    if aliases:
        data = with_aliases(data, aliases)
    if "config" in data:
        data["config"] = tuned_config(data["config"])
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
