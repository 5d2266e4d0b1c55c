"""The MkDocs side of a build. The only module of the engine that imports MkDocs."""

from __future__ import annotations

import html
import os
from pathlib import Path

from markdown import Markdown
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

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
from .problems import Problem, report_json, report_text
from .snippet_stage import SnippetStage
from .snippets import SnippetRunner
from .tags import TAGS_PAGE, TagAnchors, listing_page, tags_page_markdown, vault_tags
from .theme_text import html_text, page_title, theme_properties
from .urls import relative_source_path, relative_url
from .vault import VaultFile, VaultIndex

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
        try:
            return abs_path.resolve().relative_to(self.vault_root).as_posix()
        except ValueError:
            return abs_path.name

    def index_files(self, files: Files) -> Files:
        index = VaultIndex()
        for f in files:
            if f.abs_src_path is None or f.inclusion.is_excluded():
                continue
            abs_path = Path(f.abs_src_path)
            text = f.content_string if f.src_uri.endswith(".md") else None
            index.add(VaultFile(self._vault_path(abs_path), abs_path, f.src_uri), text,
                      slugify=self.slugify)
        if self.snippets_dir.is_dir() and not _inside(self.snippets_dir, self.docs_dir):
            for path in sorted(self.snippets_dir.rglob("*.py")):
                index.add(VaultFile(self._vault_path(path), path, None), slugify=self.slugify)
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


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# -- vault text handed to the theme: MkDocs templates print it unescaped ----------------
def theme_page_meta(page) -> None:
    """``on_page_markdown``, after the engine set the title and tags: every property escaped
    before Material's tags plugin (priority -50) or a template reads it."""
    page.meta = theme_properties(page.meta)


def theme_page_title(page, config) -> None:
    """``on_page_content``, once MkDocs took a title from the first heading."""
    if config.nav and vars(page).get("title") is not None:
        return  # a title written in mkdocs.yml's nav: the site owner's, and it wins (MkDocs' rule)
    title = page_title(page.meta, page.title)
    if title is None:
        return
    page.title = title
    if not page.is_homepage:
        # Without a title property Material prints ``page.title | striptags``, which unescapes.
        page.meta["title"] = title


def theme_nav(nav, config):
    """``on_nav``: a section is titled by its folder's name, verbatim and escaped, as Obsidian
    shows it (MkDocs would turn ``my-notes`` into ``My notes``), unless mkdocs.yml spells out a nav."""
    if not config.nav:
        stack = [(item, 0) for item in nav.items]
        while stack:
            item, depth = stack.pop()
            if item.is_section:
                item.title = html_text(folder_name(item, depth) or item.title)
                stack.extend((child, depth + 1) for child in item.children)
    return nav


def folder_name(section, depth: int) -> str | None:
    """The folder a section of the file-system nav stands for, from any page inside it."""
    stack = list(section.children)
    while stack:
        item = stack.pop()
        if item.is_page:
            parts = item.file.src_uri.split("/")
            return parts[depth] if len(parts) > depth + 1 else None
        stack.extend(item.children or ())
    return None
