"""This vault's reading order (docs/.nav.yml) lists every note once, in the hub's learning path.

MkDocs reports a page missing from the navigation only as a warning at build time; this test
says which note is missing or listed twice, and that the generated pages come last.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DOCS = Path(__file__).resolve().parent.parent / "docs"
LEARNING_PATH = ["프로세스", "스레드", "메모리", "동시성", "통신"]
GENERATED = ["graph.md", "tags.md"]  # added by the engine, not files in the vault


def _entries(items: list) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            for value in item.values():
                out.extend(_entries(value) if isinstance(value, list) else [value])
    return out


def _nav() -> list:
    return yaml.safe_load((DOCS / ".nav.yml").read_text(encoding="utf-8"))["nav"]


def test_every_note_listed_once() -> None:
    listed = _entries(_nav())
    notes = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*")
                   if p.suffix in (".md", ".ipynb") and not any(part.startswith(".") for part in p.parts))
    assert sorted(x for x in listed if x not in GENERATED) == notes
    assert len(listed) == len(set(listed)), "a note is listed twice"


def test_learning_order_home_first_generated_last() -> None:
    nav = _nav()
    assert nav[0] == "index.md"
    assert nav[-len(GENERATED):] == GENERATED
    sections = [next(iter(item)) for item in nav if isinstance(item, dict)]
    assert sections == LEARNING_PATH
