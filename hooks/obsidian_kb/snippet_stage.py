"""Snippets inside a site build: start them all early, render them where embedded,
and turn every failure into a located problem.

A failure is reported once per embedding note (``note.md:line``) with the
snippet's own ``snippets/x.py:line``; a snippet no note embeds is still run
and checked, reported at its own location.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .checks import LinkGraph
from .problems import Problem
from .snippets import SnippetReport, SnippetRunner, render_snippet_html
from .snippets.spec import SIDECAR_SUFFIX
from .vault import VaultFile

#: ``![[x.py]]`` shows code and output; ``#code`` and ``#output`` show one of them.
FRAGMENTS = {"": "both", "code": "code", "output": "output"}


def failure_lines(report: SnippetReport) -> list[str]:
    """Each failure once: the runner already turns a failed claim into a located problem."""
    lines = [str(p) for p in report.problems]
    return lines or [f"{report.vault_path}: 주장 실패: {c.name} ({c.detail})"
                     for c in report.claims if not c.passed]


class SnippetStage:
    def __init__(self, runner: SnippetRunner, graph: LinkGraph,
                 warn: Callable[[Problem], None]) -> None:
        self.runner = runner
        self.warn = warn
        self._lock = threading.Lock()
        self._reported: set[tuple[str, str]] = set()
        # snippet vault path -> [(note path, line, link as written)]
        self.embeds: dict[str, list[tuple[str, int, str]]] = {}
        for link in graph.links:
            target = link.resolution.file
            if link.occurrence.spec.embed and target is not None and target.suffix == ".py":
                self.embeds.setdefault(target.path, []).append(
                    (link.source, link.occurrence.line, link.occurrence.spec.written))

    @property
    def execute(self) -> bool:
        """Whether programs run in this build (the runner's ``execute``, from ``KB_EXECUTE``)."""
        return self.runner.execute

    def start(self, files: Iterable[VaultFile]) -> list[VaultFile]:
        files = list(files)
        chosen = [f for f in files if f.suffix == ".py"
                  and (f.path in self.embeds or _is_snippet(f.abs_path, self.runner.snippets_dir))]
        self.runner.start(f.abs_path for f in chosen)
        if self.execute:
            self._orphan_sidecars(files)
        return chosen

    def _orphan_sidecars(self, files: list[VaultFile]) -> None:
        """A sidecar whose script is gone (renamed in Obsidian?) would silently stop applying."""
        folder = self.runner.snippets_dir
        found = set(folder.rglob(f"*{SIDECAR_SUFFIX}")) if folder.is_dir() else set()
        found.update(f.abs_path for f in files if f.abs_path.name.endswith(SIDECAR_SUFFIX))
        for sidecar in sorted(found):
            script = sidecar.with_name(sidecar.name[: -len(SIDECAR_SUFFIX)] + ".py")
            if not script.is_file():
                self.warn(Problem(self.runner.vault_path(sidecar), 0, "snippet",
                                  f"no {script.name} beside this sidecar: its settings apply to "
                                  f"nothing (was the script renamed?)"))

    def html(self, file: VaultFile, fragment: str, source: str) -> str:
        show = FRAGMENTS.get(fragment.strip().lower())
        if show is None:
            self._report_once(source, file, [f"unknown snippet view '#{fragment}' "
                                             f"(use #code or #output)"])
            return (f'<div class="kb-snippet kb-snippet-failed"><p>알 수 없는 보기: '
                    f'{html.escape(fragment)}</p></div>')
        report = self.runner.report(file.abs_path)
        if not report.ok:
            self._report_once(source, file, failure_lines(report))
        return render_snippet_html(report, show=show)  # type: ignore[arg-type]

    def finish(self, files: Iterable[VaultFile]) -> dict[str, SnippetReport]:
        """Wait for every snippet; report failures not yet reported through a page."""
        reports = {}
        for file in files:
            report = self.runner.report(file.abs_path)
            reports[file.path] = report
            if report.ok:
                continue
            places = self.embeds.get(file.path) or [(file.path, 0, "")]
            for note, _, _ in places:
                self._report_once(note, file, failure_lines(report))
        self.runner.close()
        return reports

    def _report_once(self, note: str, file: VaultFile, lines: list[str]) -> None:
        with self._lock:
            if (note, file.path) in self._reported:
                return
            self._reported.add((note, file.path))
        place = next(((line, written) for n, line, written in self.embeds.get(file.path, [])
                      if n == note), (0, ""))
        for message in lines:
            self.warn(Problem(note, place[0], "snippet", message, place[1]))


def _is_snippet(path: Path, snippets_dir: Path) -> bool:
    """Programs directly in the snippets folder; ``_helpers.py`` are imported, not run."""
    return path.parent == snippets_dir and not path.name.startswith("_")
