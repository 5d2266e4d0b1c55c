"""Incremental rebuilds under plain ``mkdocs serve``: MkDocs' dirty builds, made correct.

MkDocs renders, in a dirty build, only the files whose ``is_modified()`` is
true, and nothing else about a dirty build is right for a vault: pages that
embed or link the edited note stay stale, skipped pages have no title, meta or
anchors (so the navigation, the tags listing and anchor checks of the pages that
are rendered go wrong), and the search index holds only the rendered pages.
This module is the MkDocs half of :mod:`.rebuild`:

- ``on_serve`` lets the server's first build run as MkDocs does it, then swaps
  in a builder that makes dirty builds, and filters the watcher so changes
  under dot-folders and caches never start a build;
- each page's ``is_modified`` asks :meth:`.rebuild.Rebuild.must_render`;
- before templates render, pages that were skipped get back what the previous
  build learned about them (title, meta, anchor ids; their tags for Material's
  listing); a rendered page whose title or navigation meta changed means a full
  build, started right away;
- the search index is merged: the rendered pages' entries replace theirs, in
  the order of a full build;
- a plugin that makes the navigation from the file list (mkdocs-awesome-nav)
  runs once per layout: a dirty build with the same files and nav files
  replays its result.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from .rebuild import Rebuild
from .watch import is_content, is_nav_file

log = get_plugin_logger("obsidian_kb")

#: Page meta that Material's navigation shows for every page, next to the title.
NAV_META = ("icon", "status", "subtitle")
SEARCH_INDEX = "search/search_index.json"
#: Theme pages made of the navigation and the configuration only.
NAV_ONLY_TEMPLATES = ("404.html", "sitemap.xml")
#: ``mkdocs serve`` options that are not configuration (``mkdocs.commands.serve.serve``).
SERVE_ONLY = ("livereload", "build_type", "watch_theme", "watch", "open_in_browser")


@dataclass(frozen=True)
class PageMemory:
    """What a rendered page told MkDocs, for the builds that skip it."""

    title: str | None
    meta: dict[str, Any]
    anchors: frozenset[str] | None

    @property
    def nav(self) -> tuple[Any, ...]:
        return (self.title, *(repr(self.meta.get(k)) for k in NAV_META))


class TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates kept across builds: each build makes a new Jinja
    environment, which would otherwise compile every template of the theme again
    (Jinja checks each entry against the template's source)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class SiteMemory:
    """Kept by the plugin for a whole ``mkdocs serve``."""

    pages: dict[str, PageMemory] = field(default_factory=dict)  # by src_uri
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page URL -> entries
    #: True under ``mkdocs serve`` (only then can a rebuild follow: keep what it compares with)
    serving: bool = False
    #: True while the builder below runs a dirty build
    dirty: bool = False
    #: a dirty build met a change the navigation of every page shows: build everything now
    again: bool = False
    #: the next build renders every page (the session forgets what it compared with)
    everything: bool = False
    #: watched files changed since the last build, and the folders holding content
    changed: set[str] = field(default_factory=set)
    content_roots: tuple[Path, ...] = ()
    templates: TemplateCache = field(default_factory=TemplateCache)
    #: a dirty build that renders only some pages is under way (set once its plan is known)
    partial: bool = False
    #: the navigation a nav plugin made, in ``nav:`` form, by (plugin, layout) key
    navs: dict[Hashable, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def forget(self) -> None:
        self.everything = True
        self.pages.clear()
        self.search.clear()
        self.navs.clear()


def layout(files: Files, config: MkDocsConfig) -> Hashable:
    """What the navigation of every page is made of, besides titles (compared after reading)."""
    pages = tuple((f.src_uri, f.url, f.inclusion.name) for f in files if f.is_documentation_page())
    # the build date is in every page's meta and in the sitemap
    return pages, repr(config.nav), repr(config.not_in_nav), repr(config.exclude_docs), get_build_date()


def use_plan(files: Files, rebuild: Rebuild) -> None:
    """Each page is read and written only if the plan says so (MkDocs asks in dirty builds)."""
    for f in files:
        if f.is_documentation_page():
            f.is_modified = _asker(rebuild, f.src_uri)  # type: ignore[method-assign]


def _asker(rebuild: Rebuild, src_uri: str) -> Callable[[], bool]:
    return lambda: rebuild.must_render(src_uri)


def _doc_pages(files: Files) -> list[Page]:
    return [f.page for f in files if f.is_documentation_page() and f.page is not None]


def restore_skipped(files: Files, config: MkDocsConfig, memory: SiteMemory) -> None:
    """Before templates render (``on_env``): skipped pages get back title, meta and anchors."""
    skipped = []
    for page in _doc_pages(files):
        kept = memory.pages.get(page.file.src_uri)
        if page.markdown is None:
            if kept is None:
                memory.again = True  # never rendered: nothing to show for it
                continue
            page.meta = dict(kept.meta)
            page.title = kept.title  # MkDocs' weak_property: settable
            page.present_anchor_ids = set(kept.anchors) if kept.anchors is not None else None
            skipped.append(page)
        elif kept is not None and _remember(page).nav != kept.nav:
            memory.again = True  # every page's navigation shows it
    if skipped:
        _material_tags_in_order(config, _doc_pages(files), {p.file.src_uri for p in skipped})
    if not memory.again:
        # Same pages, titles and navigation: the previous build's 404 page and sitemap stand.
        config.theme.static_templates.difference_update(NAV_ONLY_TEMPLATES)


def _material_tags_in_order(config: MkDocsConfig, pages: list[Page], skipped: set[str]) -> None:
    """Material's tags plugin collects tags while pages are read; a skipped page was not.
    Add theirs, keeping the order of a full build (its listings sort stably)."""
    try:
        from material.plugins.tags.plugin import TagsPlugin
    except ImportError:
        return
    for plugin in config.plugins.values():
        if not isinstance(plugin, TagsPlugin) or not plugin.config.enabled:
            continue
        mappings = plugin.mappings
        collected = dict(mappings.data)
        mappings.data.clear()
        for page in pages:
            if page.file.src_uri in skipped:
                if plugin.filter(page.file):
                    mappings.add(page, "")
            elif page.url in collected:
                mappings.data[page.url] = collected[page.url]


def _remember(page: Page) -> PageMemory:
    anchors = page.present_anchor_ids
    return PageMemory(page.title, dict(page.meta), frozenset(anchors) if anchors is not None else None)


def remember_pages(files: Files, memory: SiteMemory) -> None:
    pages = _doc_pages(files)
    current = {p.file.src_uri for p in pages}
    for src in list(memory.pages):
        if src not in current:
            del memory.pages[src]
    for page in pages:
        if page.markdown is not None:
            memory.pages[page.file.src_uri] = _remember(page)


# -- navigation plugins ------------------------------------------------------------
#: Plugins whose ``on_nav`` throws MkDocs' navigation away and makes one from the file
#: list and their own nav files: mkdocs-awesome-nav matches every file against every
#: folder's patterns, 1.5 s of a one-note rebuild of 1,000 notes, the same every time.
NAV_MAKERS = {"mkdocs_awesome_nav.plugin.AwesomeNavPlugin": ".nav.yml"}


def replay_nav_makers(config: MkDocsConfig, memory: SiteMemory) -> None:
    """``on_config`` of a serve build: each nav maker's ``on_nav`` gets a memory."""
    events = config.plugins.events["nav"]
    for i, method in enumerate(events):
        owner = getattr(method, "__self__", None)
        kind = f"{type(owner).__module__}.{type(owner).__qualname__}"
        if owner is not None and kind in NAV_MAKERS:
            name = str(getattr(owner, "config", {}).get("filename") or NAV_MAKERS[kind])
            replay = _NavReplay(method, f"{kind} {owner.config!r}", name, memory)
            config.plugins._event_origins[replay] = config.plugins._event_origins.get(method, kind)
            events[i] = replay


class _NavReplay:
    def __init__(self, method: Callable[..., Any], plugin: str, nav_file: str, memory: SiteMemory) -> None:
        self.method, self.plugin, self.nav_file, self.memory = method, plugin, nav_file, memory

    def __call__(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        key = (self.plugin, layout(files, config), self._nav_files(files))
        data = self.memory.navs.get(key) if self.memory.partial else None
        if data is None:
            made: Navigation = self.method(nav, config=config, files=files)
            self.memory.navs = {key: nav_data(made.items)}  # only the latest layout is kept
            return made
        # what the plugin does with the nav it made, from that nav
        for f in files.documentation_pages():
            if type(f.page) is Page:  # MkDocs' own pages; a plugin's views stay
                f.page = None
        kept, config.nav = config.nav, data
        try:
            return get_navigation(files, config)
        finally:
            config.nav = kept

    def _nav_files(self, files: Files) -> tuple[tuple[str, str], ...]:
        found = []
        for f in files:
            if posixpath.basename(f.src_uri) == self.nav_file and f.abs_src_path:
                try:
                    found.append((f.src_uri, hashlib.sha256(Path(f.abs_src_path).read_bytes()).hexdigest()))
                except OSError:
                    found.append((f.src_uri, ""))
        return tuple(sorted(found))


def nav_data(items: Iterable[Any]) -> list[Any]:
    """A navigation in the form of ``nav:`` in ``mkdocs.yml``, which gives it back."""
    data: list[Any] = []
    for item in items:
        if item.is_section:
            data.append({item.title: nav_data(item.children)})
        elif item.is_page:
            title = vars(item).get("title")  # set by the nav, not by the page's content
            data.append({title: item.file.src_uri} if title is not None else item.file.src_uri)
        else:
            data.append({item.title: item.url})
    return data


# -- search --------------------------------------------------------------------------
def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def merge_search(site_dir: Path, files: Files, memory: SiteMemory, *, dirty: bool) -> None:
    """The rendered pages' entries replace theirs; skipped pages keep what they had.
    Entries are written in page order, as a full build writes them."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    written: dict[str, list[dict[str, Any]]] = {}
    for entry in data.get("docs", []):
        written.setdefault(_page_of(str(entry.get("location", ""))), []).append(entry)
    pages = _doc_pages(files)
    merged: dict[str, list[dict[str, Any]]] = {}
    for page in pages:
        if page.markdown is not None or not dirty:
            merged[page.url] = written.get(page.url, [])
        else:
            merged[page.url] = memory.search.get(page.url, [])
    memory.search = merged
    if dirty:
        data["docs"] = [entry for entries in merged.values() for entry in entries]
        # the format of Material's search plugin
        path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")


# -- serve ----------------------------------------------------------------------------
class _ContentOnly:
    """A watchdog handler that passes on changes of content only, and notes them."""

    def __init__(self, handler: Any, root: str, memory: SiteMemory, ignored: Iterable[Path]) -> None:
        self.handler = handler
        self.root = root
        self.memory = memory
        self.ignored = tuple(ignored)

    def dispatch(self, event: Any) -> None:
        paths = [os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        wanted = [p for p in paths if is_content(p, self.root, self.ignored)]
        if not wanted:
            return
        if not event.is_directory:
            with self.memory.lock:
                self.memory.changed.update(wanted)
        self.handler.dispatch(event)


class _DirtyNotice(logging.Filter):
    """MkDocs warns that a dirty build 'will likely lead to inaccurate navigation'; ours do
    not, and under ``--strict`` that warning would fail every one of them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def serve_incrementally(server: Any, config: MkDocsConfig, builder: Callable[..., None],
                        memory: SiteMemory, ignored: Iterable[Path] = ()) -> Any:
    """``on_serve``: content-only watching, and dirty builds after the first one."""
    _filter_watcher(server, config, memory, ignored)
    _watch_content_roots(server, config, memory)
    loader = _config_loader(config)
    if loader is None:
        log.info("incremental rebuilds are off (mkdocs serve --clean, or not started from "
                 "the mkdocs command): every change rebuilds the whole site")
        return server

    def build_changes(config: MkDocsConfig | None = None) -> None:
        if config is not None:
            builder(config)
            return
        with memory.lock:
            changed, memory.changed = memory.changed, set()
        if any(not _under(Path(p), memory.content_roots) or is_nav_file(p) for p in changed):
            memory.forget()  # mkdocs.yml, a theme or code folder, the nav's files: all of it
        _dirty_build(loader(), memory)
        if memory.again:
            log.info("a page's title or navigation changed: building every page")
            memory.forget()
            _dirty_build(loader(), memory)

    server.builder = build_changes
    return server


def _dirty_build(config: MkDocsConfig, memory: SiteMemory) -> None:
    from mkdocs.commands.build import build

    notice = _DirtyNotice()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(notice)
    memory.dirty, memory.again = True, False
    try:
        build(config, serve_url=config.site_url, dirty=True)
    finally:
        memory.dirty = False
        build_log.removeFilter(notice)


def _config_loader(config: MkDocsConfig) -> Callable[[], MkDocsConfig] | None:
    """Load the configuration the way ``mkdocs serve`` does for each rebuild (same options)."""
    import click
    from mkdocs.config import load_config

    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.params.get("build_type") == "clean" or "dev_addr" not in ctx.params:
        return None
    options = {k: v for k, v in ctx.params.items() if k not in SERVE_ONLY}
    watch = list(ctx.params.get("watch") or ())
    site_dir, serve_url = config.site_dir, config.site_url

    def load() -> MkDocsConfig:
        fresh = load_config(site_dir=site_dir, **options)
        fresh.watch.extend(watch)
        fresh.site_url = serve_url
        return fresh

    return load


def _filter_watcher(server: Any, config: MkDocsConfig, memory: SiteMemory, ignored: Iterable[Path]) -> None:
    """Every watch scheduled from now on (the docs folder again, then ``watch:``) passes its
    events through :class:`_ContentOnly`."""
    observer = server.observer
    schedule = observer.schedule
    ignored = tuple(ignored)

    def content_only(handler: Any, path: str, *args: Any, **kwargs: Any) -> Any:
        return schedule(_ContentOnly(handler, str(path), memory, ignored), path, *args, **kwargs)

    observer.schedule = content_only
    # MkDocs scheduled these before on_serve: schedule them again, through the filter
    # (a change of mkdocs.yml or the theme is then noted too, and means a full build).
    for path in (config.docs_dir, config.config_file_path, *config.theme.dirs):
        if not path:
            continue
        try:
            server.unwatch(path)
        except KeyError:  # not watched (no --watch-theme)
            continue
        server.watch(path)


def _watch_content_roots(server: Any, config: MkDocsConfig, memory: SiteMemory) -> None:
    """Watch the snippets folder too when neither the docs folder nor ``watch:`` holds it
    (``snippets:`` or ``KB_SNIPPETS`` pointing elsewhere): else a snippet edit is never seen,
    and the next rebuild reads the old program from the cache."""
    watched = [Path(os.path.abspath(p)) for p in (config.docs_dir, *(config.watch or ()))]
    for root in memory.content_roots:
        if root.is_dir() and not _under(root, watched):
            server.watch(str(root))


def _under(path: Path, roots: Iterable[Path]) -> bool:
    path = Path(os.path.abspath(path))
    return any(path == r or r in path.parents for r in roots)


def clean_site(config: MkDocsConfig) -> None:
    utils.clean_directory(config.site_dir)
