"""ANSI escape handling: SGR colours become styled segments, everything else is dropped.

Snippets run with ``NO_COLOR=1``, but some libraries colour anyway; the page
should show colours, not ``\\x1b[31m`` noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), other two-byte escapes
_ESCAPE_RE = re.compile(
    r"\x1b\[(?P<csi>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
)
COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


@dataclass(frozen=True)
class Style:
    fg: str | None = None  # a class suffix ("red", "bright-red") or "#rrggbb"
    bg: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False

    def classes(self) -> list[str]:
        out = []
        if self.fg and not self.fg.startswith("#"):
            out.append(f"kb-ansi-{self.fg}")
        if self.bg and not self.bg.startswith("#"):
            out.append(f"kb-ansi-bg-{self.bg}")
        for flag in ("bold", "dim", "italic", "underline"):
            if getattr(self, flag):
                out.append(f"kb-ansi-{flag}")
        return out

    def css(self) -> str:
        parts = []
        if self.fg and self.fg.startswith("#"):
            parts.append(f"color: {self.fg}")
        if self.bg and self.bg.startswith("#"):
            parts.append(f"background-color: {self.bg}")
        return "; ".join(parts)


PLAIN = Style()


def strip_ansi(text: str) -> str:
    """Text without any escape sequence."""
    return _ESCAPE_RE.sub("", text) if "\x1b" in text else text


def segments(text: str) -> list[tuple[str, Style]]:
    """Split text into (plain text, style) pieces following SGR codes."""
    if "\x1b" not in text:
        return [(text, PLAIN)] if text else []
    out: list[tuple[str, Style]] = []
    style = PLAIN
    pos = 0
    for m in _ESCAPE_RE.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], style))
        pos = m.end()
        if m.group("final") == "m":
            style = _apply_sgr(style, m.group("csi"))
    if pos < len(text):
        out.append((text[pos:], style))
    return out


def _apply_sgr(style: Style, params: str) -> Style:
    codes = [int(c) if c.isdigit() else 0 for c in params.replace(":", ";").split(";")]
    s = style.__dict__.copy()
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            s = PLAIN.__dict__.copy()
        elif c in (1, 2, 3, 4):
            s[{1: "bold", 2: "dim", 3: "italic", 4: "underline"}[c]] = True
        elif c == 22:
            s["bold"] = s["dim"] = False
        elif c == 23:
            s["italic"] = False
        elif c == 24:
            s["underline"] = False
        elif 30 <= c <= 37 or 90 <= c <= 97:
            s["fg"] = _named(c % 10, c >= 90)
        elif 40 <= c <= 47 or 100 <= c <= 107:
            s["bg"] = _named(c % 10, c >= 100)
        elif c == 39:
            s["fg"] = None
        elif c == 49:
            s["bg"] = None
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                s[key] = _xterm256(codes[i + 2])
                i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                r, g, b = (max(0, min(255, v)) for v in codes[i + 2:i + 5])
                s[key] = f"#{r:02x}{g:02x}{b:02x}"
                i += 4
        i += 1
    return Style(**s)


def _named(index: int, bright: bool) -> str:
    return ("bright-" if bright else "") + COLOURS[index]


def _xterm256(n: int) -> str:
    if n < 16:
        return _named(n % 8, n >= 8)
    if n < 232:
        n -= 16
        steps = (0, 95, 135, 175, 215, 255)
        r, g, b = steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
        return f"#{r:02x}{g:02x}{b:02x}"
    v = 8 + (n - 232) * 10
    return f"#{v:02x}{v:02x}{v:02x}"
