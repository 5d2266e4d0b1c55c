"""Python-Markdown's link processors, with a linear search for a link's closing bracket.

Upstream ``LinkInlineProcessor.getText`` walks from every ``[`` to its matching
``]`` one character at a time; on a line with many unmatched ``[`` (``[a[a[a…``)
every walk runs to the end of the paragraph: a 20 KB line took two minutes to
render. Here a short walk finds the usual close; a long one is answered from a
table of bracket depths built once per text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict

from markdown import Markdown, inlinepatterns
from markdown.preprocessors import Preprocessor

from ..mask import code_ranges
from ..problems import Problem
from .context import RenderContext

_BRACKET = re.compile(r"[\[\]]")
_SHORT = 64  # characters walked directly before the table is consulted


class _Depths:
    """Bracket depth after every ``[``/``]`` of one text, and the ``]`` positions by depth."""

    def __init__(self, data: str) -> None:
        self.data = data
        self.positions: list[int] = []
        self.after: list[int] = []
        self.closers: dict[int, list[int]] = defaultdict(list)
        depth = 0
        for m in _BRACKET.finditer(data):
            depth += 1 if m.group() == "[" else -1
            self.positions.append(m.start())
            self.after.append(depth)
            if m.group() == "]":
                self.closers[depth].append(m.start())

    def close(self, index: int) -> int | None:
        """The ``]`` that closes a ``[`` opened just before ``index``, or None."""
        k = bisect_left(self.positions, index)
        target = (self.after[k - 1] if k else 0) - 1  # depth once that bracket closes
        closers = self.closers.get(target, [])
        j = bisect_left(closers, index)
        return closers[j] if j < len(closers) else None


class LinearBrackets:
    """Mixin for the link processors: ``getText`` with the same results, in linear time."""

    _depths: _Depths | None = None

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        depth, stop = 1, min(len(data), index + _SHORT)
        for pos in range(index, stop):
            c = data[pos]
            if c == "]":
                depth -= 1
                if depth == 0:
                    return data[index:pos], pos + 1, True
            elif c == "[":
                depth += 1
        if stop == len(data):
            return data[index:], len(data), False
        if self._depths is None or self._depths.data is not data:
            self._depths = _Depths(data)
        close = self._depths.close(index)
        if close is None:
            return data[index:], len(data), False
        return data[index:close], close + 1, True


_STOCK = (  # name, class, pattern, priority: as Python-Markdown registers them
    ("reference", inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 170),
    ("link", inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, 160),
    ("image_link", inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, 150),
    ("image_reference", inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    ("short_reference", inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 130),
    ("short_image_ref", inlinepatterns.ShortImageReferenceInlineProcessor,
     inlinepatterns.IMAGE_REFERENCE_RE, 125),
)
_LINEAR = {cls: type(f"Linear{cls.__name__}", (LinearBrackets, cls), {}) for _, cls, _, _ in _STOCK}


def register_linear_links(md: Markdown) -> None:
    """Swap each stock link processor still registered for its linear twin."""
    patterns = md.inlinePatterns
    stock = [(name, cls, pattern, priority) for name, cls, pattern, priority in _STOCK
             if name in patterns and type(patterns[name]) is cls]
    # All out, then all in: registering over a name deregisters it first, which sorts the
    # registry, and each registration unsorts it again (six sorts on every page, else).
    for name, *_ in stock:
        patterns.deregister(name)
    for name, cls, pattern, priority in stock:
        patterns.register(_LINEAR[cls](pattern, md), name, priority)


#: ``](`` openers on one line beyond which links on that line are not parsed. Python-Markdown's
#: ``getLink`` walks from each ``(`` to the end of the paragraph when nothing closes it, so a
#: line of ``[a](`` repeated is quadratic (a 20 KB line took 37 s); no real note comes close.
MAX_LINK_OPENERS = 500


class LinkFloodPreprocessor(Preprocessor):
    """A line holding more than :data:`MAX_LINK_OPENERS` ``](`` keeps its text but not its
    links (each ``(`` escaped), with a located warning: the build's work stays bounded."""

    def __init__(self, md: Markdown, context: RenderContext) -> None:
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        if not any(line.count("](") > MAX_LINK_OPENERS for line in lines):
            return lines
        text = "\n".join(lines)
        code = code_ranges(text)
        out, pos = [], 0
        for line in lines:
            start, pos = pos, pos + len(line) + 1
            if line.count("](") > MAX_LINK_OPENERS and not any(a <= start < b for a, b in code):
                self._warn(line)
                line = line.replace("](", "]\\(")
            out.append(line)
        return out

    def _warn(self, line: str) -> None:
        ctx = self.context
        note = ctx.index.notes.get(ctx.source)
        lines = note.scan.text.split("\n") if note is not None else []
        lineno = next((i + 1 for i, src in enumerate(lines) if src == line), 0)
        ctx.report(Problem(ctx.source, lineno, "bounds",
                           f"more than {MAX_LINK_OPENERS} '](' on one line: its links are shown as text"))
