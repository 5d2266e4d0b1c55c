"""HTML for one snippet on a page: code, real output, claims, figures, provenance.

Built as an element tree so every piece of snippet output is escaped; only
Pygments' own highlighted markup is parsed back in. Figures are inlined as
``data:`` URIs so the site works offline and needs no copied files.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Literal

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .ansi import segments
from .claims import SnippetReport, summarize
from .runner import RunResult

# the stylesheet the page needs; the MkDocs adapter copies it and adds it to extra_css
SNIPPETS_CSS = Path(__file__).resolve().parent.parent / "assets" / "snippets.css"
_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".gif": "image/gif"}
_HEADER_RE = re.compile(r"^# /// kb\s*\n(?:#(?: .*)?\n)*?# ///\s*\n?", re.MULTILINE)


def render_snippet_html(
    report: SnippetReport,
    *,
    show: Literal["both", "code", "output"] = "both",
    title: str | None = None,
) -> str:
    """An HTML fragment for ``report``; a failed report shows its problems in place."""
    spec = report.spec
    root = ET.Element("div", {"class": "kb-snippet", "data-snippet": spec.vault_path})
    if not report.ok:
        root.set("class", "kb-snippet kb-snippet-failed")
        _error_box(root, report)
    if show in ("both", "code") and spec.source:
        _code(root, strip_header(spec.source), title or spec.path.name)
    if show in ("both", "output") and report.runs:
        _output(root, report)
        _claims(root, report)
        _figures(root, report.runs[0])
        _provenance(root, report)
    return ET.tostring(root, encoding="unicode", method="html")


def strip_header(source: str) -> str:
    """The source as readers see it: without the ``# /// kb`` block (claims are listed)."""
    return _HEADER_RE.sub("", source, count=1).lstrip("\n")


def _error_box(root: ET.Element, report: SnippetReport) -> None:
    box = ET.SubElement(root, "div", {"class": "kb-snippet-error", "role": "alert"})
    ET.SubElement(box, "p", {"class": "kb-snippet-error-title"}).text = (
        f"Snippet {report.spec.vault_path} failed"
    )
    ul = ET.SubElement(box, "ul")
    problems = list(report.problems)
    for p in problems:
        li = ET.SubElement(ul, "li")
        where = f"{p.path}:{p.line}" if p.line else p.path
        ET.SubElement(li, "code").text = where
        ET.SubElement(li, "span").text = f" {p.message}"


def _code(root: ET.Element, source: str, title: str) -> None:
    wrap = ET.SubElement(root, "div", {"class": "kb-snippet-code"})
    ET.SubElement(wrap, "div", {"class": "kb-snippet-title"}).text = title
    # wrapcode gives <pre><code>, which Material styles like its own code blocks
    markup = highlight(source, PythonLexer(), HtmlFormatter(cssclass="highlight", wrapcode=True))
    try:
        wrap.append(ET.fromstring(markup))
    except ET.ParseError:  # never trust a re-parse blindly: fall back to plain text
        div = ET.SubElement(wrap, "div", {"class": "highlight"})
        ET.SubElement(div, "pre").text = source


def _output(root: ET.Element, report: SnippetReport) -> None:
    run = report.runs[0]
    wrap = ET.SubElement(root, "div", {"class": "kb-snippet-output"})
    if len(report.runs) > 1:
        ET.SubElement(wrap, "div", {"class": "kb-snippet-note"}).text = (
            f"첫 번째 실행의 출력 (output of run 1 of {len(report.runs)})"
        )
    shown = False
    for name, text in (("stdout", run.stdout), ("stderr", run.stderr)):
        if not text:
            continue
        shown = True
        block = ET.SubElement(wrap, "div", {"class": f"kb-stream kb-{name}"})
        ET.SubElement(block, "span", {"class": "kb-stream-label"}).text = name
        pre = ET.SubElement(block, "pre")
        _ansi_into(pre, text)
    if not shown:
        ET.SubElement(wrap, "div", {"class": "kb-snippet-note"}).text = "(no output)"
    if len(report.runs) > 1:
        ul = ET.SubElement(wrap, "ul", {"class": "kb-distribution"})
        for line in summarize(report.spec, report.runs):
            ET.SubElement(ul, "li").text = line


def _ansi_into(pre: ET.Element, text: str) -> None:
    """Append text to ``pre``, SGR colours as spans, other escapes dropped."""
    last: ET.Element | None = None
    for chunk, style in segments(text):
        classes, css = style.classes(), style.css()
        if not classes and not css:
            if last is None:
                pre.text = (pre.text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk
            continue
        attrs = {}
        if classes:
            attrs["class"] = " ".join(classes)
        if css:
            attrs["style"] = css
        last = ET.SubElement(pre, "span", attrs)
        last.text = chunk


def _claims(root: ET.Element, report: SnippetReport) -> None:
    if not report.claims:
        return
    ul = ET.SubElement(root, "ul", {"class": "kb-claims"})
    for c in report.claims:
        li = ET.SubElement(ul, "li", {"class": "kb-claim-pass" if c.passed else "kb-claim-fail"})
        ET.SubElement(li, "span", {"class": "kb-claim-mark"}).text = "✔" if c.passed else "✘"
        ET.SubElement(li, "span", {"class": "kb-claim-name"}).text = f" {c.name}"
        ET.SubElement(li, "span", {"class": "kb-claim-detail"}).text = f" — {c.detail}"


def _figures(root: ET.Element, run: RunResult) -> None:
    for fig in run.figures:
        suffix = "." + fig.name.rsplit(".", 1)[-1].lower()
        data = base64.b64encode(fig.data).decode("ascii")
        figure = ET.SubElement(root, "figure", {"class": "kb-figure"})
        ET.SubElement(figure, "img", {"src": f"data:{_MIME.get(suffix, 'image/png')};base64,"
                                             f"{data}", "alt": fig.name, "loading": "lazy"})
        ET.SubElement(figure, "figcaption").text = fig.name


def provenance_text(report: SnippetReport) -> str:
    run = report.runs[0]
    version = run.python_version.split()[0] if run.python_version else "?"
    durations = [r.duration_s for r in report.runs]
    duration = (f"{durations[0]:.3f} s" if len(durations) == 1
                else f"{min(durations):.3f}–{max(durations):.3f} s over {len(durations)} runs")
    peak_run = max(report.runs, key=lambda r: r.peak_rss_kb)
    peak = f"peak RSS {peak_run.peak_rss_kb / 1024:.1f} MiB"
    if not peak_run.peak_rss_exact:
        peak = f"peak RSS ≤ {peak_run.peak_rss_kb / 1024:.1f} MiB (bound: builder's own size)"
    tree = max(r.tree_peak_rss_kb for r in report.runs)
    if tree:
        peak += f", process tree ≈ {tree / 1024:.1f} MiB (sampled)"
    parts = [
        f"{run.python_implementation} {version}",
        run.platform,
        f"{run.cpu_count} CPUs",
        f"start method {run.start_method}",
        duration,
        peak,
        run.status_text,
        f"ran {run.started_at}",
        "cache" if report.from_cache else "fresh",
    ]
    return " · ".join(parts)


def _provenance(root: ET.Element, report: SnippetReport) -> None:
    ET.SubElement(root, "div", {"class": "kb-provenance"}).text = provenance_text(report)
