"""One build of a vault, whatever program hosts it (MkDocs, ProperDocs, Zensical, a test).

A host translates its own objects into the plain records below and calls the
session in this order; nothing here imports a host, and nothing is kept in a
module global, so a host may keep one session between rebuilds (``mkdocs
serve``) or make a new one per build.

Public surface (kept stable for the other hosts and for incremental rebuilds):

- :class:`Settings` — what the author chose (vault, snippets, execute, cache,
  panels); :func:`find_vault_root`.
- :class:`SourceFile` — one file of the docs folder as the host sees it.
- :class:`GeneratedPage` — a page the session wants the host to add.
- :class:`BuildSession`:

  1. ``configure(extensions, configs)`` — the Markdown extension list with the
     Obsidian extension added (call once per host configuration);
  2. ``index_files(sources)`` — scan the vault (one pass, before any page);
  3. ``assets()`` / ``generated_pages(existing)`` — files for the host to add,
     ``asset_urls()`` — the scripts and stylesheets every page loads;
  4. ``start(urls, href_bases=None)`` — site path -> URL of every file;
     resolves every link once, reports link problems, starts every snippet in
     the background (``href_bases``: see ``RenderContext.href_bases``), and
     takes what is alive out of the cycle collector's walks until ``finish`` or
     ``close`` (:mod:`.collector`);
  5. per page: ``enter_page(site_path, meta)`` before its Markdown renders
     (``page_context(site_path)`` gives a page its own render context),
     ``leave_page(site_path, html)`` after, ``page_anchors(site_path)`` for
     ids the host must know about, ``finish_page(site_path, output)`` on the
     written HTML;
  6. ``finish(site_dir)`` — waits for snippets, writes graph, search patch and
     the problem report;
  7. ``close(cancel=...)`` — stops the snippet runner; ``cancel=True`` (a failed
     build, a shutdown) kills snippet processes still running;
  8. ``restart(settings)`` — the next build in the same session (``mkdocs serve``
     keeps one): closes the previous build, keeps its index and graph as
     ``previous_index`` / ``previous_graph`` for incremental work.

  ``problems`` holds every :class:`~.problems.Problem` of the build;
  ``index``, ``graph`` and ``context`` are the vault index, the resolved link
  graph and the Markdown render context.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown

from . import collector, search
from .backlinks import collect_backlinks, render_backlinks
from .checks import LinkGraph, known_resolutions, resolve_vault
from .dependents import RebuildMemory
from .graph import (
    GRAPH_JSON,
    GRAPH_PAGE,
    build_note_graph,
    graph_page_markdown,
    linked_notes,
    local_graph_html,
)
from .headings import Slugify, default_slugify
from .markdown import ObsidianExtension, RenderContext
from .notebook import link_notebook
from .page_source import page_source
from .problems import Problem, report_json, report_text
from .snippet_stage import SnippetStage
from .snippets import SnippetReport, SnippetRunner, interrupt
from .tags import (
    OWN_ANCHORS,
    TAGS_PAGE,
    TagAnchors,
    listing_page,
    own_tags_page_markdown,
    tags_page_markdown,
    vault_tags,
)
from .urls import relative_source_path, relative_url
from .vault import VaultFile, VaultIndex, VaultWalk, walk_published

REPORT_DIR = "_kb"
ASSETS = Path(__file__).parent / "assets"
READER_SCRIPTS = ("kb-graph.js", "kb-preview.js")
READER_CSS = ("kb.css", "snippets.css", "kb-reader.css")

Warn = Callable[[Problem], None]
Progress = Callable[[str], None]


def find_vault_root(docs_dir: Path, config_dir: Path) -> Path:
    """The docs folder, or the project folder when that is the vault (``.obsidian/`` beside
    ``mkdocs.yml`` with ``docs/`` inside it). Never a folder further up: a vault nested in
    another vault's folder must not pick up (and run) the outer vault's ``snippets/``."""
    if (docs_dir / ".obsidian").is_dir() or docs_dir.parent != config_dir:
        return docs_dir
    return config_dir if (config_dir / ".obsidian").is_dir() else docs_dir


@dataclass(frozen=True)
class Settings:
    """What the author chose; every host fills it from its own configuration."""

    docs_dir: Path
    config_dir: Path
    vault: Path | None = None  # None: the folder holding .obsidian/, else the docs folder
    snippets_dir: Path | None = None  # None: <vault root>/snippets
    cache_dir: Path | None = None  # None: <config dir>/.cache/snippets
    execute: bool = True  # False: snippets are shown, not run
    fresh: bool = False  # True: ignore cached snippet runs (False: KB_SNIPPETS_FRESH decides)
    panels: bool = True  # backlinks and local graph under each note
    slugify: Slugify = default_slugify  # the heading-id function of the host's ``toc``
    tag_anchors: TagAnchors | None = None  # how the host's tags listing names its anchors

    @property
    def vault_root(self) -> Path:
        if self.vault is not None:
            return self.vault.resolve()
        return find_vault_root(self.docs_dir.resolve(), self.config_dir.resolve())


@dataclass(frozen=True)
class SourceFile:
    """One file of the docs folder. ``text`` is the Markdown of a note, None otherwise."""

    abs_path: Path
    site_path: str  # path inside the docs folder (MkDocs ``src_uri``)
    text: str | None = None


@dataclass(frozen=True)
class GeneratedPage:
    """A page the session adds (graph, tags). ``content(url)`` gets the page's own URL."""

    site_path: str
    content: Callable[[str], str]


@dataclass(frozen=True)
class Asset:
    """A static file of the engine the host must publish at ``site_path``."""

    site_path: str
    abs_path: Path


class BuildSession:
    def __init__(self, settings: Settings, *, warn: Warn | None = None,
                 progress: Progress | None = None) -> None:
        self._warn_host = warn
        self._progress = progress
        #: What the build before this one indexed and resolved (None on the first build).
        self.previous_index: VaultIndex | None = None
        self.previous_graph: LinkGraph | None = None
        self._previous_slugify: Slugify | None = None
        #: what incremental rebuilds compare with (see .rebuild); lives as long as the session
        self.rebuild_memory = RebuildMemory()
        self._vault_paths: dict[tuple[Path, Path], str] = {}
        self._real_folders: dict[Path, Path] = {}
        self._begin(settings)

    def restart(self, settings: Settings, *, warn: Warn | None = None,
                progress: Progress | None = None) -> None:
        """The next build of the same session (``mkdocs serve``): the previous build's
        snippets are stopped, its index and graph stay readable as ``previous_*``."""
        self.close(cancel=True)
        if self.graph is not None:
            self.previous_index, self.previous_graph = self.context.index, self.graph
        self._warn_host = warn or self._warn_host
        self._progress = progress or self._progress
        self._begin(settings)

    def _begin(self, settings: Settings) -> None:
        """Per-build state; nothing of the previous build's state survives here."""
        self.settings = settings
        self.docs_dir = settings.docs_dir.resolve()
        self.config_dir = settings.config_dir.resolve()
        self.vault_root = settings.vault_root
        # Snippets belong to the vault: building someone else's vault must not run ours.
        self.snippets_dir = (settings.snippets_dir or self.vault_root / "snippets").resolve()
        self.slugify = settings.slugify
        self.context = RenderContext(VaultIndex())
        self.published: frozenset[str] | None = None  # docs-relative paths the walk publishes
        self.graph: LinkGraph | None = None
        self.problems: list[Problem] = []
        self._reported = 0
        self.snippets: SnippetStage | None = None
        self._snippet_files: list[VaultFile] = []
        self.tags_page: str | None = None
        # Material's tags plugin names the anchors when the host has it, else our own page does.
        self.tag_anchors: TagAnchors | None = settings.tag_anchors
        self._linked: set[str] | None = None  # notes that get a local graph
        #: site path -> problems found while rendering that page (kept for incremental rebuilds)
        self.page_problems: dict[str, list[Problem]] = {}

    @property
    def index(self) -> VaultIndex:
        return self.context.index

    # -- configuration --------------------------------------------------------
    def configure(self, extensions: Iterable[str | Extension],
                  configs: MutableMapping[str, dict[str, Any]]) -> list[str | Extension]:
        """The host's Markdown extensions with ours added once (a stale instance replaced)."""
        names = [e for e in extensions
                 if not (isinstance(e, str) and e == "obsidian_kb")
                 and not isinstance(e, ObsidianExtension)]
        configs.pop("obsidian_kb", None)
        names.append(ObsidianExtension(self.context))
        self.context.markdown_factory = lambda: Markdown(extensions=names, extension_configs=configs)
        return names

    # -- the vault ------------------------------------------------------------
    def _vault_path(self, abs_path: Path) -> str:
        key = (abs_path, self.vault_root)
        found = self._vault_paths.get(key)
        if found is None:  # resolving costs a system call per folder; kept across rebuilds
            folder = self._real_folders.get(abs_path.parent)
            if folder is None:  # once per folder, not once per file
                folder = self._real_folders[abs_path.parent] = abs_path.parent.resolve()
            try:  # the folder's real path, the file's own name: a symlinked note keeps its name
                found = (folder / abs_path.name).relative_to(self.vault_root).as_posix()
            except ValueError:
                found = abs_path.name
            self._vault_paths[key] = found
        return found

    def walk(self) -> VaultWalk:
        """The docs folder's published files (only the vault; no dot-folder, loop or special
        file), each entry left out reported. Hosts list their pages from this walk."""
        walk = walk_published(self.docs_dir, self.vault_root)
        for skipped in walk.skipped:
            self._warn(Problem(skipped.path, 0, "vault", skipped.reason))
        self.published = frozenset((*walk.files, *walk.hidden))
        return walk

    def index_files(self, sources: Iterable[SourceFile]) -> VaultIndex:
        with collector.paused():  # records that live to the end of the build
            return self._index_files(sources)

    def _index_files(self, sources: Iterable[SourceFile]) -> VaultIndex:
        index = VaultIndex()
        # An unchanged note keeps the previous build's scan (same text, same heading ids).
        before = self.previous_index
        if before is None or not _same_function(self.slugify, self._previous_slugify):
            before = None
        self._previous_slugify = self.slugify
        for source in sources:
            vault_path = self._vault_path(source.abs_path)
            known = before.notes.get(vault_path) if before is not None else None
            index.add(VaultFile(vault_path, source.abs_path, source.site_path),
                      source.text, slugify=self.slugify, known=known.scan if known else None)
        if self.snippets_dir.is_dir() and not _inside(self.snippets_dir, self.docs_dir):
            root = self.vault_root if _inside(self.snippets_dir, self.vault_root) else self.snippets_dir
            walk = walk_published(self.snippets_dir, root)
            for skipped in walk.skipped:
                self._warn(Problem(skipped.path, 0, "vault", skipped.reason))
            for rel in walk.files:
                if rel.endswith(".py"):
                    path = self.snippets_dir / rel
                    index.add(VaultFile(self._vault_path(path), path, None), slugify=self.slugify)
        for problem in index.problems:
            self._warn(problem)
        index.finish()
        self.context.index = index
        self.context.__post_init__()
        self.tags_page = listing_page(index)
        return index

    def page_source(self, site_path: str) -> str | None:
        """The note as the index decoded it, with only YAML frontmatter as metadata, for the
        host to render (so page and index read the same text); None: not a note."""
        file = self.context.index.for_site_path(site_path)
        note = self.context.index.notes.get(file.path) if file else None
        return page_source(note.scan) if note is not None else None

    def assets(self) -> list[Asset]:
        return [Asset(f"{REPORT_DIR}/assets/{a.relative_to(ASSETS).as_posix()}", a)
                for a in sorted(ASSETS.rglob("*")) if a.is_file()]

    def asset_urls(self) -> tuple[list[str], list[str]]:
        """(scripts, stylesheets) every page must load, as site paths."""
        return ([f"{REPORT_DIR}/assets/{n}" for n in READER_SCRIPTS],
                [f"{REPORT_DIR}/assets/{n}" for n in READER_CSS])

    def generated_pages(self, existing: Collection[str]) -> list[GeneratedPage]:
        """The global graph page and, when the vault has no tags listing, a tags page."""
        pages = []
        if GRAPH_PAGE not in existing:
            pages.append(GeneratedPage(GRAPH_PAGE, lambda url: graph_page_markdown(relative_url("", url))))
        if TAGS_PAGE in existing:
            return pages
        if self.settings.tag_anchors is not None:
            if self.tags_page is None:  # Material's plugin fills the listing
                pages.append(GeneratedPage(TAGS_PAGE, lambda url: tags_page_markdown()))
                self.tags_page = TAGS_PAGE
        elif vault_tags(self.context.index):
            index = self.context.index
            pages.append(GeneratedPage(TAGS_PAGE, lambda url: own_tags_page_markdown(index)))
            self.tags_page, self.tag_anchors = TAGS_PAGE, OWN_ANCHORS
        return pages

    def start(self, urls: Mapping[str, str], href_bases: Mapping[str, str] | None = None) -> None:
        """Resolve every link once, report link problems, start every snippet.
        ``href_bases``: see :attr:`RenderContext.href_bases` (None: hrefs are page-relative)."""
        index = self.context.index
        self.context.urls = dict(urls)
        self.context.href_bases = href_bases
        self.context.tag_href = self._tag_href()
        with collector.paused():
            known = known_resolutions(self.previous_index, self.previous_graph, index)
            self.graph = resolve_vault(index, known or self.context.resolver)
            self.context.remember(link.resolution for link in self.graph.links)
        for problem in self.graph.problems:
            self._warn(problem)
        self._start_snippets(index)
        collector.freeze()  # until finish() or close(): see collector

    def _start_snippets(self, index: VaultIndex) -> None:
        """Start every snippet now, in the background, before pages render."""
        assert self.graph is not None
        settings = self.settings
        runner = SnippetRunner(
            self.snippets_dir,
            settings.cache_dir or self.config_dir / ".cache" / "snippets",
            vault_prefix=self._vault_path(self.snippets_dir),
            fresh=settings.fresh or None,
            execute=settings.execute,
            vault_root=self.vault_root,
            progress=self._progress,
        )
        self.snippets = SnippetStage(runner, self.graph, self._warn)
        self._snippet_files = self.snippets.start(index.files.values())
        self.context.snippet_html = self.snippets.html

    # -- per page -------------------------------------------------------------
    def page_context(self, site_path: str, *, final_urls: bool = True) -> RenderContext:
        """A render context of one page's own, sharing the index, resolutions and snippets
        (for hosts that make a Markdown instance per page and may render pages concurrently)."""
        base = self.context
        context = RenderContext(base.index, urls=base.urls, href_bases=base.href_bases,
                                snippet_html=base.snippet_html, tag_href=base.tag_href,
                                final_urls=final_urls)
        context.resolver, context._resolved = base.resolver, base._resolved  # read-only from here
        context.set_page(base.index.for_site_path(site_path))
        return context

    def enter_page(self, site_path: str, meta: MutableMapping[str, Any]) -> None:
        """Before a page's Markdown renders: point the renderer at it; title and tags into ``meta``."""
        file = self.context.index.for_site_path(site_path)
        self.context.set_page(file)
        note = self.context.index.notes.get(file.path) if file else None
        if note is None:
            return
        if "title" not in meta and site_path not in ("index.md", "README.md"):
            meta["title"] = note.title
        if note.scan.tags:
            tags = [str(t) for t in meta.get("tags") or []]
            known = {t.casefold() for t in tags}
            tags.extend(t for t in note.scan.tags if t.casefold() not in known)
            meta["tags"] = tags

    def leave_page(self, site_path: str, html_text: str, context: RenderContext | None = None) -> str:
        """After a page's Markdown rendered: report its problems, add aliases and cssclasses."""
        if context is not None:  # a page's own context (see ``page_context``)
            found = list(context.problems)
        else:
            found = self.context.problems[self._reported :]
            self._reported = len(self.context.problems)
        for problem in found:
            self._warn(problem)
            self.page_problems.setdefault(site_path, []).append(problem)
        file = self.context.index.for_site_path(site_path)
        if file is not None and file.suffix == ".ipynb":
            return self._link_notebook(html_text, file)
        note = self.context.index.notes.get(file.path) if file else None
        if note is None:
            return html_text
        if note.scan.aliases:
            aliases = ", ".join(html.escape(a) for a in note.scan.aliases)
            block = f'<p class="kb-aliases"><span>별칭</span> {aliases}</p>\n'
            # under the note's own title when it starts with one, else on top (Material adds the title)
            end = html_text.find("</h1>") if html_text.lstrip().startswith("<h1") else -1
            cut = end + len("</h1>") if end >= 0 else 0
            html_text = html_text[:cut] + "\n" + block + html_text[cut:]
        if note.scan.cssclasses:  # Obsidian's ``cssclasses`` style the whole note
            classes = " ".join(html.escape(c) for c in note.scan.cssclasses)
            html_text = f'<div class="kb-note {classes}">\n{html_text}\n</div>'
        return html_text

    def page_anchors(self, site_path: str) -> set[str]:
        """Ids a page will have that its Markdown does not show: the tags listing's
        ``tag:...`` anchors (Material swaps them in after the host collected anchors)."""
        anchors = self.settings.tag_anchors  # only Material's listing swaps ids late
        if anchors is None or site_path != self.tags_page:
            return set()
        tags = vault_tags(self.context.index, anchors.hierarchy_separator)
        return {anchors.anchor(tag) for tag in tags}

    def finish_page(self, site_path: str, output: str) -> str:
        """Backlinks and the local graph go into the written page, not into the page's content:
        later stages (search indexing above all) would otherwise parse them on every page,
        which measured as most of the engine's build cost."""
        file = self.context.index.for_site_path(site_path)
        if file is None or file.path not in self.context.index.notes:
            return output
        panels = self._reader_html(file.path, site_path)
        end = output.rfind("</article>")
        if end < 0:
            end = output.rfind("</body>")
        return output if end < 0 or not panels.strip() else output[:end] + panels + output[end:]

    def _link_notebook(self, html_text: str, file: VaultFile) -> str:
        self.context.set_page(file)
        self.context.final_urls = True
        try:
            html_text, problems = link_notebook(html_text, self.context, file.path)
        finally:
            self.context.final_urls = False
        for problem in problems:
            self._warn(problem)
            self.page_problems.setdefault(file.site_path or file.path, []).append(problem)
        return html_text

    def snippet_report(self, vault_path: str) -> SnippetReport | None:
        """The report of a snippet of this build (waits for it to finish), None if it has none."""
        file = self.context.index.files.get(vault_path)
        if self.snippets is None or file is None or file not in self._snippet_files:
            return None
        return self.snippets.runner.report(file.abs_path)

    # -- reader features: backlinks, graph, tags, previews, Korean search ---------
    def _tag_href(self) -> Callable[[str], str | None] | None:
        anchors = self.tag_anchors
        page_url = self.context.urls.get(self.tags_page or "")
        if anchors is None or page_url is None:
            return None

        def tag_href(tag: str) -> str | None:
            page = self.context.page
            fragment = "#" + anchors.anchor(tag)
            if page is None or page.site_path is None:
                return page_url + fragment
            if self.context.nested or self.context.final_urls:
                # Raw HTML (embeds, notebooks) is not rewritten by the host: write the final URL.
                return relative_url(page_url, self.context.urls.get(page.site_path, "")) + fragment
            # A .md path: the host rewrites it and checks the anchor exists.
            return relative_source_path(self.tags_page or TAGS_PAGE, page.site_path) + fragment

        return tag_href

    def _reader_html(self, note_path: str, site_path: str) -> str:
        """Local graph and backlinks appended to a note (both from the one LinkGraph)."""
        if self.graph is None or not self.settings.panels:
            return ""  # a very large vault may skip them: they are most of the engine's cost
        urls = self.context.urls
        page_url = urls.get(site_path, "")
        backlinks = collect_backlinks(self.graph, self.context.index, urls, note_path)
        if self._linked is None:
            self._linked = linked_notes(self.graph)
        graph = local_graph_html(relative_url("", page_url), page_url) if note_path in self._linked else ""
        base = self.context.href_base(site_path) or ""
        return f"\n{graph}\n{render_backlinks(backlinks, base)}"

    def _write_reader_files(self, site_dir: Path) -> None:
        if self.graph is not None:
            note_graph = build_note_graph(self.graph, self.context.index, self.context.urls)
            out = site_dir / GRAPH_JSON
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(note_graph.to_json(), encoding="utf-8")
        search.patch_site(site_dir, (ASSETS / "kb-search-ko.js").read_text(encoding="utf-8"))
        urls = self.context.urls
        aliases = {urls[n.file.site_path]: n.scan.aliases for n in self.context.index
                   if n.scan.aliases and n.file.site_path is not None and n.file.site_path in urls}
        search.patch_index(site_dir / "search" / "search_index.json", aliases)

    # -- reporting --------------------------------------------------------------
    def warn(self, problem: Problem) -> None:
        """A problem the host knows of (one found in an earlier build of an unchanged page)."""
        self._warn(problem)

    def _warn(self, problem: Problem) -> None:
        self.problems.append(problem)
        if self._warn_host is not None:
            self._warn_host(problem)

    def finish(self, site_dir: Path) -> Path:
        """Wait for every snippet, write graph, search patch and the report; the report folder."""
        if self.snippets is not None:
            self.snippets.finish(self._snippet_files)
        collector.thaw()
        if interrupt.stopping():
            # Ctrl-C killed the snippets. Its KeyboardInterrupt can be lost on the way (raised
            # inside a finalizer it is only printed): the build must still end as interrupted,
            # not write a site whose snippets all say so.
            raise KeyboardInterrupt
        with collector.paused():  # a graph and a search index parsed, patched, written
            self._write_reader_files(site_dir)
        return write_report(site_dir, self.problems)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the snippet runner (idempotent); ``cancel`` kills snippets still running."""
        collector.thaw()  # a build that failed before finish()
        if self.snippets is not None:
            self.snippets.runner.close(cancel=cancel)


def write_report(site_dir: Path, problems: Iterable[Problem]) -> Path:
    out = site_dir / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    (out / "link-report.json").write_text(report_json(problems), encoding="utf-8")
    (out / "link-report.txt").write_text(report_text(problems), encoding="utf-8")
    return out


def _same_function(a: object, b: object) -> bool:
    """``a`` and ``b`` compute the same: one function, or partials of one function with the
    same arguments (each load of ``mkdocs.yml`` makes a new ``pymdownx.slugs.slugify``)."""
    if a is b:
        return True
    return (isinstance(a, functools.partial) and isinstance(b, functools.partial)
            and a.func is b.func and a.args == b.args and a.keywords == b.keywords)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
