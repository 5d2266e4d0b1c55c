"""HTML rendering and ANSI handling (records built by hand: rendering is pure)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from obsidian_kb.snippets import (
    ClaimOutcome,
    Figure,
    Problem,
    RunResult,
    SnippetReport,
    SnippetSpec,
    render_snippet_html,
    strip_header,
)
from obsidian_kb.snippets.ansi import segments, strip_ansi

SOURCE = '# /// kb\n# timeout = 5\n# ///\nprint("</pre><script>x</script>")\n'


def report(**kw) -> SnippetReport:
    spec = SnippetSpec(path=Path("/v/snippets/demo.py"), vault_path="snippets/demo.py",
                       source=SOURCE)
    run = RunResult(
        vault_path="snippets/demo.py", stdout="<b>out</b>\n", stderr="warn & more\n",
        exit_code=0, signal=None, timed_out=False, duration_s=0.25, peak_rss_kb=20480,
        tree_peak_rss_kb=0, started_at="2026-01-01T00:00:00+00:00",
        python_version="3.11.7 (main)", python_implementation="CPython",
        platform="Linux-6", cpu_count=2, start_method="fork", launcher_rss_kb=10240,
        figures=(Figure("a.svg", b"<svg/>"),),
    )
    base = SnippetReport(spec, runs=(run,), claims=(
        ClaimOutcome("좋다", True, "observed in 1 of 1 runs"),
        ClaimOutcome("<나쁘다>", False, "run 1 of 1: '2' is not == 0"),
    ))
    return replace(base, **kw)


def test_structure_and_escaping() -> None:
    html = render_snippet_html(report(claims=()), title="데모")
    ET.fromstring(re.sub(r"(<img[^>]*)>", r"\1/>", html))  # well-formed apart from void img
    assert '<div class="kb-snippet-title">데모</div>' in html
    assert '<div class="highlight">' in html
    assert "<script>" not in html and "&lt;/pre&gt;&lt;script&gt;" in html
    assert "/// kb" not in html  # the header is listed as claims, not shown as code
    assert '<div class="kb-stream kb-stdout"><span class="kb-stream-label">stdout</span>' \
           '<pre>&lt;b&gt;out&lt;/b&gt;\n</pre>' in html
    assert '<div class="kb-stream kb-stderr"><span class="kb-stream-label">stderr</span>' \
           '<pre>warn &amp; more\n</pre>' in html
    assert 'src="data:image/svg+xml;base64,PHN2Zy8+"' in html
    prov = html.split('<div class="kb-provenance">')[1]
    for part in ("CPython 3.11.7", "Linux-6", "2 CPUs", "start method fork", "0.250 s",
                 "peak RSS 20.0 MiB", "exit 0", "ran 2026-01-01T00:00:00+00:00", "fresh"):
        assert part in prov


def test_claims_and_failed_report() -> None:
    html = render_snippet_html(report())
    assert '<li class="kb-claim-pass"><span class="kb-claim-mark">✔</span>' in html
    assert '<li class="kb-claim-fail"><span class="kb-claim-mark">✘</span>' in html
    assert "&lt;나쁘다&gt;" in html
    assert 'class="kb-snippet kb-snippet-failed"' in html  # a failed claim fails the report
    failed = report(problems=(Problem.snippet("snippets/demo.py", 4, "exit 1, expected exit 0"),))
    html = render_snippet_html(failed)
    assert '<div class="kb-snippet-error" role="alert">' in html
    assert "<code>snippets/demo.py:4</code><span> exit 1, expected exit 0</span>" in html


def test_show_modes_and_bound_memory() -> None:
    code_only = render_snippet_html(report(claims=()), show="code")
    assert "highlight" in code_only and "kb-stdout" not in code_only
    out_only = render_snippet_html(report(claims=()), show="output")
    assert "highlight" not in out_only and "kb-stdout" in out_only
    bound = report(claims=(), runs=(replace(report().runs[0], launcher_rss_kb=40960),))
    assert "peak RSS ≤ 20.0 MiB" in render_snippet_html(bound)


def test_strip_header_keeps_code() -> None:
    assert strip_header(SOURCE) == 'print("</pre><script>x</script>")\n'
    assert strip_header("print(1)\n") == "print(1)\n"


def test_ansi_segments() -> None:
    text = "a\x1b[1;31mB\x1b[22mC\x1b[0m\x1b[2Kd\x1b]8;;http://x\x1b\\e\x1b[38;2;1;2;3mf"
    parts = [(t, s.classes(), s.css()) for t, s in segments(text)]
    assert parts == [
        ("a", [], ""),
        ("B", ["kb-ansi-red", "kb-ansi-bold"], ""),
        ("C", ["kb-ansi-red"], ""),
        ("d", [], ""),
        ("e", [], ""),
        ("f", [], "color: #010203"),
    ]
    assert strip_ansi(text) == "aBCdef"
