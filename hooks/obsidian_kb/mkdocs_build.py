"""The MkDocs side of a build: MkDocs objects in, plain records out to the build session.

With :mod:`.plugin` the only modules of the engine that import MkDocs (ProperDocs
redirects these imports to itself). Everything that is not translation lives in
:class:`~.session.BuildSession`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, file_sort_key, set_exclusions
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from .headings import default_slugify
from .mkdocs_rebuild import (
    SiteMemory,
    clean_site,
    layout,
    merge_search,
    remember_pages,
    replay_nav_makers,
    restore_skipped,
    use_plan,
)
from .notebook import configure_notebooks
from .problems import Problem
from .rebuild import Rebuild
from .session import BuildSession, Settings, SourceFile, find_vault_root
from .tags import TagAnchors
from .theme_text import html_text, page_title, theme_properties
from .vault import VaultWalk

if TYPE_CHECKING:
    from .plugin import PluginConfig

log = get_plugin_logger("obsidian_kb")

__all__ = ["REQUIRED_EXTENSIONS", "VaultBuild", "find_vault_root", "missing_extensions"]

#: Markdown extensions Obsidian's syntax needs -> (what for, options used when the plugin adds it).
REQUIRED_EXTENSIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "toc": ("heading ids that wikilink anchors point at", {}),
    "attr_list": ("heading ids on the tags page", {}),
    "tables": ("tables", {}),
    "footnotes": ("footnotes [^1]", {}),
    "pymdownx.superfences": ("fenced code inside lists and callouts", {}),
    "pymdownx.highlight": ("highlighted code blocks", {}),
    "pymdownx.tasklist": ("task lists - [ ] / - [x]", {"custom_checkbox": True}),
    "pymdownx.tilde": ("~~strikethrough~~", {}),
}


def _progress(message: str) -> None:
    log.info(message)


def missing_extensions(extensions: list[Any]) -> list[str]:
    names = {e for e in extensions if isinstance(e, str)}
    return [name for name in REQUIRED_EXTENSIONS if name not in names]


def material_tag_anchors(config: MkDocsConfig) -> TagAnchors | None:
    """How Material's tags plugin names anchors, when it is enabled in this build."""
    try:
        from material.plugins.tags.plugin import TagsPlugin
    except ImportError:
        return None
    for plugin in config.plugins.values():
        if isinstance(plugin, TagsPlugin) and plugin.config.enabled:
            cfg = plugin.config
            return TagAnchors(cfg.tags_slugify, cfg.tags_slugify_separator, cfg.tags_slugify_format,
                              cfg.tags_hierarchy, cfg.tags_hierarchy_separator)
    return None


class VaultBuild:
    """One MkDocs build, translated event by event onto a :class:`BuildSession`."""

    def __init__(self, config: MkDocsConfig, options: PluginConfig,
                 session: BuildSession | None = None, memory: SiteMemory | None = None) -> None:
        """``session``: the one kept from the previous build (``mkdocs serve``), restarted."""
        self.config = config
        self.options = options
        # what the previous build of this server left (incremental rebuilds, mkdocs_rebuild)
        self.memory = memory if memory is not None else SiteMemory()
        self.rebuild: Rebuild | None = None
        self.files: Files | None = None
        # titles a page's own templates read as ``page.meta.title``; lent only while it renders
        self.own_titles = OwnTitles()
        toc = config.mdx_configs.get("toc", {})
        settings = self._settings(toc.get("slugify"))
        if session is None:
            session = BuildSession(settings, warn=self._warn, progress=_progress)
        else:
            session.restart(settings, warn=self._warn, progress=_progress)
        self.session = session

    def _settings(self, slugify: Any) -> Settings:
        opts, config = self.options, self.config
        return Settings(
            docs_dir=Path(config.docs_dir),
            config_dir=Path(config.config_file_path or ".").resolve().parent,
            vault=Path(opts.vault_root) if opts.vault_root else None,
            snippets_dir=Path(opts.snippets) if opts.snippets else None,
            cache_dir=Path(opts.cache_dir) if opts.cache_dir else None,
            execute=opts.execute,
            fresh=opts.fresh,
            panels=opts.panels,
            slugify=slugify or default_slugify,
            tag_anchors=material_tag_anchors(config),
        )

    # -- on_config ----------------------------------------------------------
    def configure(self) -> MkDocsConfig:
        config = self.config
        self._check_extensions(config)
        # MkDocs accepts Extension instances in this list although its annotation says str
        config.markdown_extensions = self.session.configure(  # type: ignore[assignment]
            config.markdown_extensions, config.mdx_configs)
        self._add_reader_assets(config)
        session = self.session
        configure_notebooks(config.plugins, session.settings.execute, session.config_dir / ".cache")
        self.memory.partial = False
        if self.memory.serving:
            replay_nav_makers(config, self.memory)
        return config

    def _check_extensions(self, config: MkDocsConfig) -> None:
        missing = missing_extensions(config.markdown_extensions)
        toc = config.mdx_configs.setdefault("toc", {})
        if self.options.add_extensions:
            for name in missing:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, dict(REQUIRED_EXTENSIONS[name][1]))
            # Python-Markdown's own slugify deletes Hangul; ids and wikilink anchors share this one.
            toc.setdefault("slugify", default_slugify)
            if missing:
                log.info("added Markdown extensions the vault needs: %s", ", ".join(missing))
        else:
            for name in missing:
                log.warning("markdown_extensions lacks %s (%s)", name, REQUIRED_EXTENSIONS[name][0])
        self.session.slugify = toc.get("slugify") or default_slugify

    def _add_reader_assets(self, config: MkDocsConfig) -> None:
        """Scripts and styles live with the engine; register them unless mkdocs.yml already does."""
        scripts, styles = self.session.asset_urls()
        listed = {str(getattr(s, "path", s)) for s in config.extra_javascript}
        for path in scripts:
            if path not in listed:
                config.extra_javascript.append(ExtraScriptValue(path))
        for path in styles:
            if path not in config.extra_css:
                config.extra_css.append(path)

    # -- on_files -----------------------------------------------------------
    def list_files(self) -> Files:
        """MkDocs' file list, from the session's walk that publishes only the vault (replaces
        ``get_files``: MkDocs' own walk follows symlinks out of the vault and around loops)."""
        return files_from_walk(self.config, self.session.walk())

    def index_files(self, files: Files) -> Files:
        if self.session.published is None:  # the host walked on its own: keep what our walk keeps
            self.session.walk()
        published = self.session.published or frozenset()
        docs_dir = Path(self.config.docs_dir).resolve()
        in_docs = functools.lru_cache(maxsize=None)(lambda src_dir: Path(src_dir).resolve() == docs_dir)
        for f in [f for f in files if f.abs_src_path and f.src_dir and in_docs(f.src_dir)]:
            if f.src_uri not in published:
                files.remove(f)
        sources = []
        for f in files:
            if f.abs_src_path is None or f.inclusion.is_excluded():
                continue
            # the index decodes the file itself (bad bytes are warnings, not an abort)
            sources.append(SourceFile(Path(f.abs_src_path), f.src_uri, None))
        self.session.index_files(sources)
        for asset in self.session.assets():
            files.append(File.generated(self.config, asset.site_path, abs_src_path=str(asset.abs_path)))
        existing = {f.src_uri for f in files}
        markdown = {}
        for generated in self.session.generated_pages(existing):
            page = File.generated(self.config, generated.site_path, content="")
            page.content_string = markdown[page.src_uri] = generated.content(page.url)
            files.append(page)
        self.session.start({f.src_uri: f.url for f in files})
        self._plan(files, markdown)
        return files

    def _plan(self, files: Files, generated: dict[str, str]) -> None:
        memory, session = self.memory, self.session
        memory.content_roots = (session.docs_dir, session.snippets_dir)
        if not memory.serving:
            return  # `mkdocs build`: no rebuild follows, nothing to compare or keep
        if memory.everything:
            session.rebuild_memory.forget()
            memory.everything = False
        self.rebuild = Rebuild(session, session.rebuild_memory, layout=layout(files, self.config),
                               incremental=memory.dirty, generated=generated)
        memory.partial = memory.dirty and not self.rebuild.full
        if memory.dirty:
            log.info(self.rebuild.summary())
            if self.rebuild.full:
                clean_site(self.config)  # what a clean build would do first

    # -- on_nav / on_env: dirty builds of mkdocs serve ----------------------------
    def follow_plan(self, files: Files) -> None:
        if self.memory.dirty and self.rebuild is not None:
            use_plan(files, self.rebuild)

    def restore_skipped(self, env: Any, files: Files) -> None:
        self.files = files
        env.bytecode_cache = self.memory.templates
        if self.memory.dirty and self.rebuild is not None and not self.rebuild.full:
            restore_skipped(files, self.config, self.memory)

    # -- per page -------------------------------------------------------------
    def page_source(self, page: Page) -> str | None:
        """``on_page_read_source``: the note as the index decoded and scanned it."""
        return self.session.page_source(page.file.src_uri)

    def enter_page(self, page: Page) -> None:
        if self.rebuild is not None:
            self.rebuild.rendered(page.file.src_uri)
        self.own_titles.entering(page)
        self.session.enter_page(page.file.src_uri, page.meta)
        theme_page_meta(page)

    def leave_page(self, html_text: str, page: Page) -> str:
        html_text = self.session.leave_page(page.file.src_uri, html_text)
        theme_page_title(page, self.config)
        self.own_titles.keep(page)
        anchors = self.session.page_anchors(page.file.src_uri)
        if anchors and page.present_anchor_ids is not None:
            # MkDocs collected anchors before Material swapped its placeholder ids for these.
            page.present_anchor_ids.update(anchors)
        return html_text

    def page_context(self, page: Page) -> None:
        """``on_page_context``: just before the page's own templates render."""
        self.own_titles.lend(page)

    def finish_page(self, output: str, page: Page) -> str:
        self.own_titles.take_back(page)
        return self.session.finish_page(page.file.src_uri, output)

    # -- reporting --------------------------------------------------------------
    def _warn(self, problem: Problem) -> None:
        level = self.options.problems
        if level == "info":
            log.info(str(problem))
        elif level == "error":
            log.error(str(problem))
        else:
            log.warning(str(problem))

    def finish(self) -> int:
        """Write the site's extra files and the report; the number of distinct problems."""
        site_dir = Path(self.config.site_dir)
        files = self.files if self.memory.serving else None
        if files is not None:
            merge_search(site_dir, files, self.memory, dirty=self.memory.dirty)
        if self.rebuild is not None:
            self.rebuild.report_kept_problems()
        out = self.session.finish(site_dir)
        if self.rebuild is not None:
            self.rebuild.remember()
        if files is not None:
            remember_pages(files, self.memory)
        count = len(set(self.session.problems))
        if count:
            log.info("link report: %d problem(s), see %s", count, out / "link-report.txt")
        return count

    def close(self, *, cancel: bool = False) -> None:
        self.session.close(cancel=cancel)


# -- vault text handed to the theme: MkDocs templates print it unescaped ----------------
def theme_page_meta(page: Page) -> None:
    """``on_page_markdown``, after the engine set the title and tags: every property escaped
    before Material's tags plugin (priority -50) or a template reads it."""
    page.meta = theme_properties(page.meta)


def theme_page_title(page: Page, config: MkDocsConfig) -> None:
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


class OwnTitles:
    """The escaped title a page's own templates print as ``page.meta.title`` (Material's
    ``<title>``, header and feedback), kept out of ``page.meta`` while other pages render.

    Every page's template lists the nav's pages, and Material's nav macro reads four more
    properties of each item once its ``meta`` is not empty: a title in the meta of every
    note made each page's nav about 3% of the whole build slower. A title the note's
    frontmatter gave stays in ``meta``, like every other property."""

    def __init__(self) -> None:
        self._untitled: set[str] = set()  # pages whose source gave no title property
        self._titles: dict[str, Any] = {}

    def entering(self, page: Page) -> None:
        """``on_page_markdown``, before the engine gives the page its title."""
        if "title" not in page.meta:
            self._untitled.add(page.file.src_uri)

    def keep(self, page: Page) -> None:
        """``on_page_content``: ``page.title`` holds the title now; meta's copy waits here."""
        uri = page.file.src_uri
        if uri in self._untitled and "title" in page.meta:
            self._titles[uri] = page.meta.pop("title")

    def lend(self, page: Page) -> None:
        title = self._titles.get(page.file.src_uri)
        if title is not None:
            page.meta["title"] = title

    def take_back(self, page: Page) -> None:
        if page.file.src_uri in self._titles:
            page.meta.pop("title", None)


def theme_nav(nav: Navigation, config: MkDocsConfig) -> Navigation:
    """``on_nav``: a section is titled by its folder's name, verbatim and escaped, as Obsidian
    shows it (MkDocs would turn ``my-notes`` into ``My notes``), unless mkdocs.yml spells out a nav."""
    if not config.nav:
        stack: list[tuple[StructureItem, int]] = [(item, 0) for item in nav.items]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, Section):
                item.title = html_text(folder_name(item, depth) or item.title)
                stack.extend((child, depth + 1) for child in item.children)
    return nav


def folder_name(section: Section, depth: int) -> str | None:
    """The folder a section of the file-system nav stands for, from any page inside it."""
    stack: list[StructureItem] = list(section.children)
    while stack:
        item = stack.pop()
        if isinstance(item, Page):
            parts = item.file.src_uri.split("/")
            return parts[depth] if len(parts) > depth + 1 else None
        elif isinstance(item, Section):
            stack.extend(item.children)
    return None


def files_from_walk(config: MkDocsConfig, walk: VaultWalk) -> Files:
    """What MkDocs' ``get_files`` makes of the files a walk found (same order, exclusions,
    and README.md-beside-index.md rule)."""
    files = sorted((File(rel, config["docs_dir"], config["site_dir"], config["use_directory_urls"])
                    for rel in (*walk.files, *walk.hidden)), key=file_sort_key)
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


def install_vault_walk(current_build: Callable[[], VaultBuild | None]) -> None:
    """Make MkDocs list files with :meth:`VaultBuild.list_files` while one of our builds runs.
    MkDocs has no event before its walk, and its walk is what hangs on a symlink loop."""
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.structure import files as mkdocs_files

    # ``build`` imported ``get_files`` from ``mkdocs.structure.files``: replace its name there
    own = getattr(vars(mkdocs_build)["get_files"], "_kb_original", None)
    original = own or mkdocs_files.get_files

    def get_files(config: MkDocsConfig) -> Files:
        build = current_build()
        if build is not None and build.config is config:
            return build.list_files()
        return original(config)

    get_files._kb_original = original  # type: ignore[attr-defined]
    setattr(mkdocs_build, "get_files", get_files)  # noqa: B010 (not an exported name)
