"""The ``obsidian-kb`` MkDocs plugin: typed settings and the build lifecycle.

``plugins: [obsidian-kb]`` in any ``mkdocs.yml`` is the whole setup. The
plugin defines ``on_startup``/``on_shutdown``, so MkDocs keeps one instance for
a whole ``mkdocs serve``; each build gets a fresh :class:`~.session.BuildSession`
and the previous one is closed first, so nothing of one build (snippet threads,
their processes) runs into the next. This repository's ``hooks/obsidian.py``
drives the same class with options read from ``extra.obsidian_kb``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .mkdocs_build import VaultBuild, install_vault_walk, theme_nav
from .mkdocs_rebuild import SiteMemory, serve_incrementally
from .session import BuildSession

log = get_plugin_logger("obsidian_kb")

ENGINE = Path(__file__).parent


_WORDS = {"1": True, "true": True, "yes": True, "on": True,
          "0": False, "false": False, "no": False, "off": False, "": False}


class Flag(base.BaseConfigOption[bool]):
    """A yes/no setting that also takes what ``!ENV`` yields for ``0``/``1``/``true``/``no``."""

    def __init__(self, default: bool) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _WORDS:
            return _WORDS[value.strip().lower()]
        raise base.ValidationError(f"expected true or false (or 1/0), got {value!r}")


class PluginConfig(base.Config):
    #: The vault root (the folder holding ``.obsidian/``); default: found upwards from ``docs_dir``.
    vault_root = c.Optional(c.Dir(exists=True))
    #: Folder of snippet programs; default ``<vault root>/snippets``.
    snippets = c.Optional(c.Dir(exists=False))
    #: Run snippets at build time (False shows them without running them).
    execute = Flag(default=True)
    #: Folder of cached snippet runs; default ``.cache/snippets`` next to ``mkdocs.yml``.
    cache_dir = c.Optional(c.Dir(exists=False))
    #: Ignore cached snippet runs (``KB_SNIPPETS_FRESH=1`` forces this too).
    fresh = Flag(default=False)
    #: Backlinks and a local graph under each note.
    panels = Flag(default=True)
    #: ``warn``: problems are warnings (``--strict`` fails on them); ``error``: any problem
    #: fails the build; ``info``: problems are only logged and written to the report.
    problems = c.Choice(("warn", "error", "info"), default="warn")
    #: Add the Markdown extensions Obsidian's syntax needs when ``mkdocs.yml`` lacks them
    #: (False: only name the missing ones, as warnings).
    add_extensions = Flag(default=True)


class ObsidianKBPlugin(BasePlugin[PluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.build: VaultBuild | None = None  # the build in progress
        self._session: BuildSession | None = None  # kept between builds
        self.serving = False
        self._engine_stamp = engine_stamp()
        self._watched: list[Path] = []
        self.memory = SiteMemory()  # what one build of `mkdocs serve` leaves for the next

    # -- lifecycle ----------------------------------------------------------------
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = self.memory.serving = command == "serve"
        self._engine_stamp = engine_stamp(*self._watched)

    def on_shutdown(self) -> None:
        self._close(cancel=True)
        self._session = None

    def on_build_error(self, *, error: Exception) -> None:
        # A failed build must not leave its snippets running into the next one.
        self._close(cancel=True)

    def _close(self, *, cancel: bool) -> None:
        if self.build is not None:
            self.build.close(cancel=cancel)
            self.build = None

    def watch_code(self, *paths: Path) -> None:
        """More source files whose change under ``serve`` needs a restart (the hook file)."""
        self._watched.extend(paths)
        self._engine_stamp = engine_stamp(*self._watched)

    # -- events ----------------------------------------------------------------
    @event_priority(-50)  # after other plugins added their Markdown extensions
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if engine_stamp(*self._watched) != self._engine_stamp:
            log.warning("the obsidian_kb engine changed since this server started; this build "
                        "still runs the old code: restart `mkdocs serve` to load it")
        # One session for the life of this instance (all of `mkdocs serve`); restarting it
        # first stops whatever a build that never reached post_build or build_error left.
        session = self.build.session if self.build is not None else self._session
        self.build = VaultBuild(config, self.config, session, self.memory)
        self._session = self.build.session
        install_vault_walk(lambda: self.build)
        return self.build.configure()

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        return self._build().index_files(files)

    @event_priority(-100)  # after every plugin that adds or replaces files
    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self._build().follow_plan(files)
        return theme_nav(nav, config)

    @event_priority(150)  # before Material's tags plugin fills its listings (100)
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self._build().restore_skipped(env, files)
        return env

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """After the first build, rebuild only the pages a change reaches (mkdocs_rebuild)."""
        ignored = [Path(self.config.cache_dir)] if self.config.cache_dir else []
        return serve_incrementally(server, config, builder, self.memory, ignored)

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return self._build().page_source(page)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        self._build().enter_page(page)
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._build().leave_page(html, page)

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig,
                        nav: Any) -> Any:
        self._build().page_context(page)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        return self._build().finish_page(output, page)

    @event_priority(-50)  # after the search plugin wrote the index it patches
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        build = self._build()
        try:
            count = build.finish()
        finally:
            self._close(cancel=False)
        if count and self.config.problems == "error":
            raise PluginError(f"obsidian-kb: {count} problem(s) in the vault (problems: error)")

    def _build(self) -> VaultBuild:
        if self.build is None:
            raise PluginError("obsidian-kb: an event arrived before on_config")
        return self.build

    # -- the hook form (hooks/obsidian.py) ---------------------------------------
    def configure_from(self, config: MkDocsConfig, options: dict[str, Any] | None) -> None:
        """Validate ``options`` against the plugin schema (the hook keeps them in ``extra``)."""
        errors, warnings = self.load_config(dict(options or {}), config.config_file_path)
        for key, message in warnings:
            log.warning("option %r: %s", key, message)
        if errors:
            raise PluginError("\n".join(f"obsidian_kb option {key!r}: {err}" for key, err in errors))


def engine_stamp(*extra: Path) -> tuple[tuple[str, int], ...]:
    """Modification times of the engine's code: a change under ``serve`` is not loaded."""
    files = sorted([*ENGINE.rglob("*.py"), *extra])
    stamp = []
    for path in files:
        try:
            stamp.append((str(path), path.stat().st_mtime_ns))
        except OSError:
            stamp.append((str(path), -1))
    return tuple(stamp)


__all__ = ["ObsidianKBPlugin", "PluginConfig"]
