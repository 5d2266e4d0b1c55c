"""The MkDocs side of a build. The only module of the engine that imports MkDocs."""

from __future__ import annotations

import html
import os
from pathlib import Path

from markdown import Markdown
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, file_sort_key, set_exclusions

from . import search
from .backlinks import collect_backlinks, render_backlinks
from .checks import LinkGraph, resolve_vault
from .graph import (
    GRAPH_JSON,
    GRAPH_PAGE,
    build_note_graph,
    graph_page_markdown,
    linked_notes,
    local_graph_html,
)
from .headings import default_slugify
from .markdown import ObsidianExtension, RenderContext
from .notebook import link_notebook
from .page_source import page_source
from .problems import Problem, report_json, report_text
from .snippet_stage import SnippetStage
from .snippets import SnippetRunner
from .tags import TAGS_PAGE, TagAnchors, listing_page, tags_page_markdown, vault_tags
from .urls import relative_source_path, relative_url
from .vault import VaultFile, VaultIndex, VaultWalk, walk_published

log = get_plugin_logger("obsidian_kb")

REPORT_DIR = "_kb"
ASSETS = Path(__file__).parent / "assets"
READER_SCRIPTS = ("kb-graph.js", "kb-preview.js")
READER_CSS = "kb-reader.css"


def find_vault_root(docs_dir: Path, config_dir: Path) -> Path:
    """The folder holding ``.obsidian/`` (Obsidian's own rule), else the docs folder."""
    for folder in [docs_dir, *docs_dir.parents]:
        if (folder / ".obsidian").is_dir():
            return folder
        if folder == config_dir or folder == folder.parent:
            break
    return docs_dir


class VaultBuild:
    def __init__(self, config) -> None:
        self.config = config
        self.docs_dir = Path(config.docs_dir).resolve()
        self.config_dir = Path(config.config_file_path or ".").resolve().parent
        self.vault_root = find_vault_root(self.docs_dir, self.config_dir)
        # Snippets belong to the vault: building someone else's vault must not run ours.
        snippets = os.environ.get("KB_SNIPPETS") or str(self.vault_root / "snippets")
        self.snippets_dir = Path(snippets).resolve()
        toc = config.mdx_configs.get("toc", {})
        self.slugify = toc.get("slugify") or default_slugify
        self.context = RenderContext(VaultIndex())
        self.graph: LinkGraph | None = None
        self.problems: list[Problem] = []
        self._reported = 0
        self.snippets: SnippetStage | None = None
        self._snippet_files: list = []
        self.tags_page: str | None = None
        self._linked: set[str] | None = None  # notes that get a local graph
        self._walk: VaultWalk | None = None

    # -- on_config ----------------------------------------------------------
    def configure(self):
        config = self.config
        names = [e for e in config.markdown_extensions
                 if not (isinstance(e, str) and e == "obsidian_kb")
                 and not isinstance(e, ObsidianExtension)]
        config.mdx_configs.pop("obsidian_kb", None)
        names.append(ObsidianExtension(self.context))
        config.markdown_extensions = names
        self.context.markdown_factory = lambda: Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
        self._add_reader_assets(config)
        return config

    # -- on_files -----------------------------------------------------------
    def _vault_path(self, abs_path: Path) -> str:
        try:  # the folder's real path, the file's own name: a symlinked note keeps its name
            return (abs_path.parent.resolve() / abs_path.name).relative_to(self.vault_root).as_posix()
        except ValueError:
            return abs_path.name

    def list_files(self) -> Files:
        """MkDocs' file list, from a walk that publishes only the vault (replaces ``get_files``:
        MkDocs' own walk follows symlinks out of the vault and around loops)."""
        self._walk = walk_published(self.docs_dir, self.vault_root)
        for skipped in self._walk.skipped:
            self._warn(Problem(skipped.path, 0, "vault", skipped.reason))
        return files_from_walk(self.config, self._walk)

    def index_files(self, files: Files) -> Files:
        if self._walk is None:  # the host walked on its own: keep only what our walk publishes
            self.list_files()
        assert self._walk is not None
        published = set(self._walk.files)
        for f in [f for f in files if f.abs_src_path and _inside(Path(f.src_dir).resolve(), self.docs_dir)]:
            if f.src_uri not in published:
                files.remove(f)
        index = VaultIndex()
        for f in files:
            if f.abs_src_path is None or f.inclusion.is_excluded():
                continue
            abs_path = Path(f.abs_src_path)
            index.add(VaultFile(self._vault_path(abs_path), abs_path, f.src_uri), slugify=self.slugify)
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
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                uri = f"{REPORT_DIR}/assets/{asset.relative_to(ASSETS).as_posix()}"
                files.append(File.generated(self.config, uri, abs_src_path=str(asset)))
        self._add_reader_pages(files, index)
        self.context.index = index
        self.context.__post_init__()
        self.context.urls = {f.src_uri: f.url for f in files}
        self.context.tag_href = self._tag_href()
        self.graph = resolve_vault(index, self.context.resolver)
        self.context.remember(link.resolution for link in self.graph.links)
        for problem in self.graph.problems:
            self._warn(problem)
        self._start_snippets(index)
        return files

    def _start_snippets(self, index: VaultIndex) -> None:
        """Start every snippet now, in the background, before pages render."""
        assert self.graph is not None
        runner = SnippetRunner(
            self.snippets_dir,
            self.config_dir / ".cache" / "snippets",
            vault_prefix=self._vault_path(self.snippets_dir),
            progress=lambda message: log.info(message),
        )
        self.snippets = SnippetStage(runner, self.graph, self._warn)
        self._snippet_files = self.snippets.start(index.files.values())
        self.context.snippet_html = self.snippets.html

    # -- per page -------------------------------------------------------------
    def page_source(self, page) -> str | None:
        """The note as the index decoded and scanned it (``on_page_read_source``)."""
        file = self.context.index.for_site_path(page.file.src_uri)
        note = self.context.index.notes.get(file.path) if file else None
        return page_source(note.scan) if note is not None else None

    def enter_page(self, page) -> None:
        file = self.context.index.for_site_path(page.file.src_uri)
        self.context.set_page(file)
        note = self.context.index.notes.get(file.path) if file else None
        if note is None:
            return
        if "title" not in page.meta and page.file.src_uri not in ("index.md", "README.md"):
            page.meta["title"] = note.title
        if note.scan.tags:
            tags = [str(t) for t in page.meta.get("tags") or []]
            known = {t.casefold() for t in tags}
            tags.extend(t for t in note.scan.tags if t.casefold() not in known)
            page.meta["tags"] = tags

    def leave_page(self, html_text: str, page) -> str:
        for problem in self.context.problems[self._reported :]:
            self._warn(problem)
        self._reported = len(self.context.problems)
        file = self.context.index.for_site_path(page.file.src_uri)
        if file is not None and file.suffix == ".ipynb":
            return self._link_notebook(html_text, file)
        if page.file.src_uri == self.tags_page:
            self._declare_tag_anchors(page)
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

    def finish_page(self, output: str, page) -> str:
        """Backlinks and the local graph go into the written page, not into ``page.content``:
        later stages (search indexing above all) would otherwise parse them on every page,
        which measured as most of the engine's build cost."""
        file = self.context.index.for_site_path(page.file.src_uri)
        if file is None or file.path not in self.context.index.notes:
            return output
        panels = self._reader_html(file.path, page.file.src_uri)
        end = output.rfind("</article>")
        if end < 0:
            end = output.rfind("</body>")
        return output if end < 0 or not panels.strip() else output[:end] + panels + output[end:]

    def _link_notebook(self, html_text: str, file) -> str:
        self.context.set_page(file)
        self.context.final_urls = True
        try:
            html_text, problems = link_notebook(html_text, self.context, file.path)
        finally:
            self.context.final_urls = False
        for problem in problems:
            self._warn(problem)
        return html_text

    # -- reader features: backlinks, graph, tags, previews, Korean search ---------
    def _add_reader_assets(self, config) -> None:
        """Scripts and styles live with the engine; register them unless mkdocs.yml already does."""
        from mkdocs.config.config_options import ExtraScriptValue

        listed = {str(getattr(s, "path", s)) for s in config.extra_javascript}
        for name in READER_SCRIPTS:
            if f"{REPORT_DIR}/assets/{name}" not in listed:
                config.extra_javascript.append(ExtraScriptValue(f"{REPORT_DIR}/assets/{name}"))
        css = f"{REPORT_DIR}/assets/{READER_CSS}"
        if css not in config.extra_css:
            config.extra_css.append(css)

    def _add_reader_pages(self, files: Files, index: VaultIndex) -> None:
        """The global graph page and, when the vault has no tags listing, a tags page."""
        if files.get_file_from_path(GRAPH_PAGE) is None:
            page = File.generated(self.config, GRAPH_PAGE, content="")
            page.content_string = graph_page_markdown(relative_url("", page.url))
            files.append(page)
        self.tags_page = listing_page(index)
        wants_tags = self.tags_page is None and self._tag_anchors() is not None
        if wants_tags and files.get_file_from_path(TAGS_PAGE) is None:
            files.append(File.generated(self.config, TAGS_PAGE, content=tags_page_markdown()))
            self.tags_page = TAGS_PAGE

    def _tag_anchors(self) -> TagAnchors | None:
        for plugin in self.config.plugins.values():
            cfg = getattr(plugin, "config", None)
            if cfg is not None and hasattr(cfg, "tags_slugify") and cfg.get("enabled", True):
                return TagAnchors(cfg.tags_slugify, cfg.tags_slugify_separator, cfg.tags_slugify_format,
                                  cfg.tags_hierarchy, cfg.tags_hierarchy_separator)
        return None

    def _tag_href(self):
        anchors = self._tag_anchors()
        page_url = self.context.urls.get(self.tags_page or "")
        if anchors is None or page_url is None:
            return None

        def tag_href(tag: str) -> str | None:
            page = self.context.page
            fragment = "#" + anchors.anchor(tag)
            if page is None or page.site_path is None:
                return page_url + fragment
            if self.context.nested or self.context.final_urls:
                # Raw HTML (embeds, notebooks) is not rewritten by MkDocs: write the final URL.
                return relative_url(page_url, self.context.urls.get(page.site_path, "")) + fragment
            # A .md path: MkDocs rewrites it and checks the anchor exists.
            return relative_source_path(self.tags_page or TAGS_PAGE, page.site_path) + fragment

        return tag_href

    def _declare_tag_anchors(self, page) -> None:
        """MkDocs collects anchors before Material's tags plugin swaps its placeholder ids
        for ``tag:...``; declare those ids so ``validation.anchors`` checks tag links."""
        anchors = self._tag_anchors()
        if anchors is None or page.present_anchor_ids is None:
            return
        tags = vault_tags(self.context.index, anchors.hierarchy_separator)
        page.present_anchor_ids.update(anchors.anchor(tag) for tag in tags)

    def _reader_html(self, note_path: str, site_path: str) -> str:
        """Local graph and backlinks appended to a note (both from the one LinkGraph)."""
        if self.graph is None or os.environ.get("KB_NOTE_PANELS") == "0":
            return ""  # a very large vault may skip them: they are most of the engine's cost
        urls = self.context.urls
        page_url = urls.get(site_path, "")
        backlinks = collect_backlinks(self.graph, self.context.index, urls, note_path)
        if self._linked is None:
            self._linked = linked_notes(self.graph)
        graph = local_graph_html(relative_url("", page_url), page_url) if note_path in self._linked else ""
        return f"\n{graph}\n{render_backlinks(backlinks, page_url)}"

    def _write_reader_files(self) -> None:
        site_dir = Path(self.config.site_dir)
        if self.graph is not None:
            note_graph = build_note_graph(self.graph, self.context.index, self.context.urls)
            out = site_dir / GRAPH_JSON
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(note_graph.to_json(), encoding="utf-8")
        search.patch_site(site_dir, (ASSETS / "kb-search-ko.js").read_text(encoding="utf-8"))
        urls = self.context.urls
        aliases = {urls[n.file.site_path]: n.scan.aliases for n in self.context.index
                   if n.scan.aliases and n.file.site_path in urls}
        search.patch_index(site_dir / "search" / "search_index.json", aliases)

    # -- reporting --------------------------------------------------------------
    def _warn(self, problem: Problem) -> None:
        self.problems.append(problem)
        log.warning(str(problem))

    def finish(self) -> None:
        if self.snippets is not None:
            self.snippets.finish(self._snippet_files)
        self._write_reader_files()
        out = Path(self.config.site_dir) / REPORT_DIR
        out.mkdir(parents=True, exist_ok=True)
        (out / "link-report.json").write_text(report_json(self.problems), encoding="utf-8")
        (out / "link-report.txt").write_text(report_text(self.problems), encoding="utf-8")
        if self.problems:
            log.info("link report: %d problem(s), see %s", len(set(self.problems)),
                     out / "link-report.txt")


def files_from_walk(config, walk: VaultWalk) -> Files:
    """What MkDocs' ``get_files`` makes of the files a walk found (same order, exclusions,
    and README.md-beside-index.md rule)."""
    files = sorted((File(rel, config["docs_dir"], config["site_dir"], config["use_directory_urls"])
                    for rel in walk.files), key=file_sort_key)
    set_exclusions(files, config)
    by_dest: dict[str, File] = {}
    for file in list(files):
        first = by_dest.setdefault(file.dest_uri, file)
        if first is file:
            continue
        if file.inclusion.is_included():
            if first.inclusion.is_included():
                log.warning(f"Excluding '{first.src_uri}' from the site because it conflicts with "
                            f"'{file.src_uri}'.")
            files.remove(first)
        else:
            files.remove(file)
    return Files(files)


def install_vault_walk(current_build) -> None:
    """Make MkDocs list files with :meth:`VaultBuild.list_files` while one of our builds runs.
    MkDocs has no event before its walk, and its walk is what hangs on a symlink loop."""
    import mkdocs.commands.build as mkdocs_build

    own = getattr(mkdocs_build.get_files, "_kb_original", None)
    original = own or mkdocs_build.get_files

    def get_files(config):
        build = current_build()
        if build is not None and build.config is config:
            return build.list_files()
        return original(config)

    get_files._kb_original = original  # type: ignore[attr-defined]
    mkdocs_build.get_files = get_files


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
