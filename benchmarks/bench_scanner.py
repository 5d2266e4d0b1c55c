"""Is the note scanner linear on adversarial input?

For each hostile note, scan it (``scan_note``: mask, headings, blocks, tags,
links) at size ``n`` and at ``10 n`` and print the time ratio. A linear scanner
gives about 10x; a quadratic pattern gives about 100x. The ratio is measured
within this run, so the machine's speed cancels out.

    .venv/bin/python benchmarks/bench_scanner.py            # n = 50,000 characters
    .venv/bin/python benchmarks/bench_scanner.py --size 2000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from math import isqrt

from obsidian_kb.scan import scan_note

#: name -> note text of about ``n`` characters
CASES: dict[str, Callable[[int], str]] = {
    "heading of spaces": lambda n: "# " + " " * n + "x\n",
    "heading of spaces, no text": lambda n: "#" + " " * n + "\n",
    "heading of spaces, closing #": lambda n: "# a" + " " * n + "b #\n",
    "line of [[a": lambda n: "[[a" * (n // 3) + "\n",
    "line of ![[a": lambda n: "![[a" * (n // 4) + "\n",
    "line of [a": lambda n: "[a" * (n // 2) + "\n",
    "line of [a](": lambda n: "[a](" * (n // 4) + "\n",
    "unmatched backtick runs": lambda n: "".join("`" * (i % 7 + 1) + " x " for i in range(n // 7)) + "\n",
    "backticks then text": lambda n: "``" + " a ` b" * (n // 6) + "\n",
    "heading of backticks": lambda n: "# " + "` " * (n // 2) + "\n",
    "heading of emphasis": lambda n: "# " + "*a " * (n // 3) + "\n",
    "line of %%": lambda n: "a %% b" * (n // 6) + "\n",
    "paragraph of block ids": lambda n: "".join(f"line {i} ^b{i}\n" for i in range(n // 12)),
    "many links on one line": lambda n: "[[note]] " * (n // 9) + "\n",
    "many tags": lambda n: " #태그" * (n // 4) + "\n",
    "backtick runs of growing length": lambda n: "".join("`" * k + " x " for k in range(1, isqrt(2 * n))),
    "many identical headings": lambda n: "# a\n\n" * (n // 5),
    "unclosed html blocks": lambda n: "".join("<div>\n\n" for _ in range(n // 7)),
    "unclosed fences": lambda n: "```\n" * (n // 4),
}


def timed(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        scan_note(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50_000, help="characters in the smaller input")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    n = args.size
    print(f"{'input':32} {'n=' + format(n, ','):>12} {'10n':>12} {'ratio':>8}")
    worst = 0.0
    for name, make in CASES.items():
        small, large = timed(make(n), args.repeat), timed(make(10 * n), args.repeat)
        ratio = large / small if small > 0 else float("nan")
        worst = max(worst, ratio)
        verdict = "" if ratio < 30 else "  <- superlinear"
        print(f"{name:32} {small * 1e3:10.2f}ms {large * 1e3:10.2f}ms {ratio:7.1f}x{verdict}")
    print(f"worst ratio: {worst:.1f}x (linear is about 10x, quadratic about 100x)")


if __name__ == "__main__":
    main()
