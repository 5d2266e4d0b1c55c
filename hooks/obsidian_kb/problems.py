"""Problems found in the vault, each with the place an author must look at.

The one problem type of the engine: links, embeds, frontmatter and snippets all use it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


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
        where = f"{self.path}:{self.line}" if self.line else self.path
        written = f" {self.link}:" if self.link else ""
        return f"{where}:{written} {self.message}"


def report_json(problems: Iterable[Problem]) -> str:
    items = sorted(set(problems))
    return json.dumps({"count": len(items), "problems": [asdict(p) for p in items]},
                      ensure_ascii=False, indent=2)


def report_text(problems: Iterable[Problem]) -> str:
    items = sorted(set(problems))
    if not items:
        return "No problems: every link resolves.\n"
    return "".join(f"{p}\n" for p in items)
