"""Jupyter notebook pages: wikilinks in Markdown cells, and whether cells run.

mkdocs-jupyter renders notebooks itself, so ``[[links]]`` reach us as text in
the finished HTML. We walk the text nodes of Markdown cells with an HTML parser
(never inside ``code`` or ``pre``) and resolve them with the same resolver.

Execution: when the build does not run programs (``KB_EXECUTE=0``), the
plugin's own ``execute`` option is switched off, so notebooks show their saved
outputs. When it does, the kernel is started with its log level at ERROR: every
start otherwise logs "Kernel is running over TCP without encryption", which is
about the kernel's connection to this build over the loopback interface
(127.0.0.1), not about anything leaving the machine.
"""

from __future__ import annotations

import html
import json
import os
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement

from .markdown.context import RenderContext
from .markdown.links import link_element
from .problems import Problem
from .wikilink import WIKILINK_RE, parse_wikilink

_SKIP = {"code", "pre", "a", "script", "style"}


def _in_skipped(node: PageElement) -> bool:
    return any(parent.name in _SKIP for parent in node.parents)


def link_notebook(html_text: str, context: RenderContext, source: str) -> tuple[str, list[Problem]]:
    if "[[" not in html_text:
        return html_text, []
    soup = BeautifulSoup(html_text, "html.parser")
    problems: list[Problem] = []
    for cell_number, cell in enumerate(soup.select(".jp-MarkdownCell"), start=1):
        for node in list(cell.find_all(string=WIKILINK_RE)):
            if not isinstance(node, NavigableString) or _in_skipped(node):
                continue
            pieces, pos, text = [], 0, str(node)
            for m in WIKILINK_RE.finditer(text):
                spec = parse_wikilink(m.group("inner"), embed=bool(m.group("embed")))
                resolution = context.resolve(spec)
                if not resolution.ok:
                    problems.append(Problem(source, 0, "link",
                                            f"{resolution.problem} (Markdown cell {cell_number})",
                                            spec.written))
                pieces.append(text[pos : m.start()])
                pieces.append(etree.tostring(link_element(context, resolution), encoding="unicode"))
                pos = m.end()
            pieces.append(text[pos:])
            node.replace_with(BeautifulSoup("".join(_escape_text(p) if i % 2 == 0 else p
                                                    for i, p in enumerate(pieces)), "html.parser"))
    return str(soup), problems


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False)


#: read by nbconvert from ``$JUPYTER_CONFIG_PATH``; ``NotebookClient`` covers the
#: ``ExecutePreprocessor`` mkdocs-jupyter configures (it replaces that section whole)
QUIET_KERNEL = {"NotebookClient": {"extra_arguments": ["--IPKernelApp.log_level=ERROR"]}}


def configure_notebooks(plugins: Mapping[str, Any], execute: bool, config_dir: Path) -> None:
    """Switch mkdocs-jupyter's execution off when the build runs no programs; quiet the kernel."""
    plugin = plugins.get("mkdocs-jupyter") if hasattr(plugins, "get") else None
    if plugin is None or "execute" not in getattr(plugin, "config", {}):
        return
    if not execute:
        plugin.config["execute"] = False
        return
    folder = config_dir / "jupyter"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "jupyter_nbconvert_config.json").write_text(json.dumps(QUIET_KERNEL), encoding="utf-8")
    paths = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    if str(folder) not in paths:
        os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(folder), *paths])
