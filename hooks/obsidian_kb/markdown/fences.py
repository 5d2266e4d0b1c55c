"""A fence left open runs to the end of the note, as Obsidian shows it."""

from __future__ import annotations

from markdown.preprocessors import Preprocessor

from ..mask import closing_fence


class CloseFencePreprocessor(Preprocessor):
    """Python-Markdown renders an unclosed fence as a paragraph (so links after it would
    become links the scan never saw); closing it at the end makes page and report agree."""

    def run(self, lines: list[str]) -> list[str]:
        closing = closing_fence("\n".join(lines))
        return lines if closing is None else [*lines, closing]
