"""Problems found in the vault, each with the place an author must look at.

The one problem type of the engine: links, embeds, frontmatter and snippets all use it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

#: Characters a terminal or log viewer acts on instead of showing: C0/C1 controls (ESC starts
#: sequences that move the cursor, retitle the window, write the clipboard) and the bidi
#: overrides that make text read differently than it is stored.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str, *, lines: bool = False) -> str:
    """``text`` for a terminal or the text report: controls written as ``\\x1b``-style escapes
    (a file name may hold any of them). ``lines=True`` keeps newlines and tabs (messages)."""
    return (_CONTROL_KEEP_LINES if lines else _CONTROL).sub(lambda m: ascii(m.group(0))[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    path: str     # vault-relative path of the note (or snippet)
    line: int     # 1-based; 0 when the problem concerns the whole file
    kind: str     # "link", "embed", "cycle", "frontmatter", "snippet", ...
    message: str
    link: str = ""  # the link as written, when there is one

    @classmethod
    def snippet(cls, path: str, line: int | None, message: str) -> Problem:
        """A problem inside a snippet file (``line`` None: the whole file)."""
        return cls(path, line or 0, "snippet", message)

    def __str__(self) -> str:
        path = shown(self.path)
        where = f"{path}:{self.line}" if self.line else path
        written = f" {shown(self.link)}:" if self.link else ""
        return f"{where}:{written} {shown(self.message, lines=True)}"


def report_json(problems: Iterable[Problem]) -> str:
    items = sorted(set(problems))
    return json.dumps({"count": len(items), "problems": [asdict(p) for p in items]},
                      ensure_ascii=False, indent=2)


def report_text(problems: Iterable[Problem]) -> str:
    items = sorted(set(problems))
    if not items:
        return "No problems: every link resolves.\n"
    return "".join(f"{p}\n" for p in items)
