"""Embed cycles, found once over the whole vault before any page renders.

A page shows the embeds inside the part of a note it embeds (the whole body, one
heading's section or one block), so a cycle is a walk through those parts that
comes back to one already being shown. The renderer stops at the same place
(it shows a "cannot be found" box) but does not report: found here, each cycle
is reported exactly once, at the embed that closes it, whichever pages embed it
and in whatever order they render.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from .problems import Problem
from .resolver import Resolution
from .vault import Note, VaultIndex


@dataclass(frozen=True, order=True)
class Part:
    """What one embed shows: a note and its heading id, ``^block`` id or "" for the body."""

    path: str
    key: str = ""


def part_of(resolution: Resolution) -> Part:
    assert resolution.file is not None
    return Part(resolution.file.path, resolution.anchor or "")


def part_lines(note: Note, resolution: Resolution | None) -> tuple[int, int]:
    """First and last 1-based line of what an embed of ``note`` shows."""
    last = note.scan.text.count("\n") + 1
    if resolution is not None and resolution.heading is not None:
        h = resolution.heading
        end = next((o.line - 1 for o in note.scan.headings if o.line > h.line and o.level <= h.level),
                   last)
        return h.line, end
    if resolution is not None and resolution.block is not None:
        return resolution.block.start, resolution.block.end
    return note.scan.body_start + 1, last


def closes_cycle(part: Part, showing: Iterable[Part]) -> bool:
    """The renderer's rule: a part already being shown, or a whole note while any part
    of it is (its body holds the embed that led here)."""
    showing = list(showing)
    return part in showing or (not part.key and any(p.path == part.path for p in showing))


# (line, column, link as written, resolution) of the note embeds written in one note
Embed = tuple[int, int, str, Resolution]


def find_embed_cycles(index: VaultIndex, embeds: dict[str, list[Embed]]) -> list[Problem]:
    """One problem per cycle, named where the embed that closes it is written."""
    for found in embeds.values():
        found.sort(key=lambda e: (e[0], e[1]))
    lines = {path: [e[0] for e in found] for path, found in embeds.items()}
    problems: list[Problem] = []
    done: set[Part] = set()

    def inside(part: Part, resolution: Resolution | None) -> list[Embed]:
        found = embeds.get(part.path)
        if not found:
            return []
        start, end = part_lines(index.notes[part.path], resolution)
        keys = lines[part.path]
        return found[bisect.bisect_left(keys, start) : bisect.bisect_right(keys, end)]

    for note in index:
        root = Part(note.path)
        if root in done or note.path not in embeds:
            continue
        # iterative depth-first walk: (part, embeds still to follow)
        stack: list[tuple[Part, list[Embed]]] = [(root, inside(root, None))]
        while stack:
            part, todo = stack[-1]
            if not todo:
                done.add(part)
                stack.pop()
                continue
            line, _, written, resolution = todo.pop(0)
            child = part_of(resolution)
            showing = [p for p, _ in stack]
            if closes_cycle(child, showing):
                first = next(i for i, p in enumerate(showing) if p.path == child.path
                             and (p == child or not child.key))
                chain = " → ".join(_name(p) for p in [*showing[first:], child])
                problems.append(Problem(part.path, line, "cycle", "embed cycle: " + chain, written))
            elif child not in done:
                stack.append((child, inside(child, resolution)))
    return problems


def _name(part: Part) -> str:
    return part.path + (f"#{part.key}" if part.key else "")
