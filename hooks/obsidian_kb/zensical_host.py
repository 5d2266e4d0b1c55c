"""Zensical host: the engine as a Python-Markdown extension, since Zensical runs no plugins.

Zensical (0.0.73) reads ``mkdocs.yml``, renders every page with a fresh
``Markdown`` instance and hands the page (``path``, ``url``, ``meta``) and the
whole configuration to extensions through its context preprocessor. So:

- ``markdown_extensions: [obsidian_kb.zensical_host: {...}]`` in ``mkdocs.yml``;
- the first page builds the vault index from ``docs_dir`` (one scan, all links
  resolved, all snippets started); later pages reuse it, and it is rebuilt
  when a file of the vault changed (checked at most once a second);
- the session lives in Zensical's own configuration mapping, which Zensical
  replaces when ``mkdocs.yml`` changes; nothing is kept in this module;
- each page gets a render context of its own, so pages never share state;
- problems are printed and written to ``site/_kb/link-report.*`` as pages render;
- ``python -m obsidian_kb.zensical_host build`` builds with Zensical, waits
  for the snippets, writes the graph and the report, publishes the engine's
  assets and exits with 1 when the vault has problems (Zensical has no
  ``--strict`` for extensions).

What Zensical cannot do yet is listed in the README ("Zensical").
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .markdown import ObsidianExtension, RenderContext
from .problems import Problem
from .session import BuildSession, Settings, SourceFile

STATE_KEY = "__obsidian_kb__"  # where the host keeps its session inside Zensical's config
RECHECK_S = 1.0
NAME = "obsidian_kb.zensical_host"


def page_url(site_path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a file (``File.url``), so both hosts link alike."""
    if site_path.endswith(".md"):
        stem = site_path[:-3]
        folder, _, name = stem.rpartition("/")
        if name in ("index", "README"):
            dest = f"{folder}/index.html" if folder else "index.html"
        else:
            dest = f"{stem}/index.html" if use_directory_urls else f"{stem}.html"
    else:
        dest = site_path
    folder, _, name = dest.rpartition("/")
    if use_directory_urls and name == "index.html":
        dest = (folder or ".") + "/"
    return quote(dest)


def vault_sources(docs_dir: Path, site_dir: Path | None = None) -> Iterator[SourceFile]:
    """Every file MkDocs would publish from ``docs_dir``, in MkDocs' order (folder by folder,
    ``index``/``README`` first), dot-files and dot-folders left out."""
    for folder, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and (site_dir is None or Path(folder, d).resolve() != site_dir))
        filenames.sort(key=lambda f: (os.path.splitext(f)[0] not in ("index", "README"), f))
        for name in filenames:
            path = Path(folder, name)
            if name.startswith(".") or not path.is_file():
                continue
            site_path = path.relative_to(docs_dir).as_posix()
            text = None
            if site_path.endswith(".md"):
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            yield SourceFile(path, site_path, text)


def _stamp(docs_dir: Path, snippets_dir: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for root in (docs_dir, snippets_dir):
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            try:
                st = path.stat()
            except OSError:
                continue
            found.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


class ZensicalHost:
    """The state of one Zensical configuration: the session and what it was built from."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any]) -> None:
        self.config = config
        config_file = config.get("config_file_path") or "mkdocs.yml"
        self.config_dir = Path(config_file).resolve().parent
        self.docs_dir = Path(config["docs_dir"]).resolve()
        self.site_dir = Path(config.get("site_dir") or self.config_dir / "site").resolve()
        self.use_directory_urls = bool(config.get("use_directory_urls", True))
        self.settings = Settings(
            docs_dir=self.docs_dir,
            config_dir=self.config_dir,
            vault=_path(options.get("vault_root"), self.config_dir),
            snippets_dir=_path(options.get("snippets"), self.config_dir),
            cache_dir=_path(options.get("cache_dir"), self.config_dir),
            execute=_flag(options.get("execute", True)),
            fresh=_flag(options.get("fresh", False)),
            panels=_flag(options.get("panels", True)),
        )
        self.lock = threading.RLock()
        self.session: BuildSession | None = None
        self.problems: list[Problem] = []
        self._written = -1
        self._stamp: tuple[tuple[str, int, int], ...] = ()
        self._checked = 0.0

    @classmethod
    def of(cls, config: dict[str, Any], options: dict[str, Any]) -> ZensicalHost:
        host = config.get(STATE_KEY)
        if not isinstance(host, cls):
            host = config[STATE_KEY] = cls(config, options)
        return host

    def current(self) -> BuildSession:
        """The session for the vault as it is now (rebuilt when a file changed)."""
        with self.lock:
            now = time.monotonic()
            if self.session is not None and now - self._checked < RECHECK_S:
                return self.session
            self._checked = now
            snippets_dir = self.settings.snippets_dir or self.settings.vault_root / "snippets"
            stamp = _stamp(self.docs_dir, snippets_dir)
            if self.session is not None and stamp == self._stamp:
                return self.session
            if self.session is not None:
                self.session.close(cancel=True)
            self._stamp = stamp
            self.problems = []
            self._written = -1
            session = BuildSession(self.settings, warn=self._warn, progress=_print)
            session.index_files(vault_sources(self.docs_dir, self.site_dir))
            urls = {f.site_path: page_url(f.site_path, self.use_directory_urls)
                    for f in session.index.files.values() if f.site_path is not None}
            # Zensical resolves a relative href from the source file's folder, then re-relates it
            # to the page URL: so hrefs are written relative to the source path.
            session.start(urls, href_bases={path: quote(path) for path in urls})
            self.session = session
            return session

    def _warn(self, problem: Problem) -> None:
        with self.lock:
            self.problems.append(problem)
        print(f"WARNING -  obsidian_kb: {problem}", file=sys.stderr, flush=True)

    def write_report(self) -> None:
        """The report as far as pages have rendered (Zensical has no end-of-build event)."""
        from .session import write_report

        with self.lock:
            if self._written == len(self.problems):
                return
            self._written = len(self.problems)
            write_report(self.site_dir, self.problems)

    def finish(self) -> int:
        """After the build: wait for snippets, write graph and report, publish assets."""
        session = self.current()
        session.finish(self.site_dir)
        for asset in session.assets():
            out = self.site_dir / asset.site_path
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.abs_path, out)
        session.close()
        self._written = -1
        self.write_report()
        return len(set(self.problems))


class _TreeDone(Treeprocessor):
    """Runs after every other tree processor: from here on postprocessors see the page.
    (``toc`` runs the postprocessors on each heading's HTML before that.)"""

    def __init__(self, md: Markdown, page: _PagePostprocessor) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Element) -> None:
        self.page.ready = True


class _PagePostprocessor(Postprocessor):
    """After a page rendered: aliases, cssclasses, problems, backlinks and the local graph."""

    def __init__(self, md: Markdown, host: ZensicalHost, session: BuildSession,
                 context: RenderContext, site_path: str) -> None:
        super().__init__(md)
        self.host, self.session, self.context, self.site_path = host, session, context, site_path
        self.ready = False

    def run(self, text: str) -> str:
        if not self.ready:
            return text
        self.ready = False
        text = self.session.leave_page(self.site_path, text, context=self.context)
        text = self.session.finish_page(self.site_path, f"{text}</article>")[: -len("</article>")]
        self.host.write_report()
        return text


class ZensicalExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "vault_root": ["", "vault root (default: the folder holding .obsidian/, else docs_dir)"],
            "snippets": ["", "folder of snippet programs (default: <vault root>/snippets)"],
            "cache_dir": ["", "folder of cached snippet runs (default: .cache/snippets)"],
            "execute": [True, "run snippets at build time"],
            "fresh": [False, "ignore cached snippet runs"],
            "panels": [True, "backlinks and a local graph under each note"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        found = _zensical_context(md)
        if found is None:
            # Not under Zensical: under MkDocs/ProperDocs the plugin (or hook) already added the
            # Obsidian extension, so one mkdocs.yml can list this line for every host.
            return
        host = ZensicalHost.of(found.config, self.getConfigs())
        session = host.current()
        site_path = Path(found.page.path).as_posix()
        others = [e for e in found.config.get("markdown_extensions", [])
                  if not (isinstance(e, str) and e == NAME) and not isinstance(e, ZensicalExtension)]
        configs = found.config.get("mdx_configs", {})
        context = session.page_context(site_path)
        context.markdown_factory = lambda: Markdown(
            extensions=[*others, ObsidianExtension(context)], extension_configs=configs)
        session.enter_page(site_path, found.page.meta)
        ObsidianExtension(context).extendMarkdown(md)
        page = _PagePostprocessor(md, host, session, context, site_path)
        md.treeprocessors.register(_TreeDone(md, page), "kb_zensical_done", -1000)
        md.postprocessors.register(page, "kb_zensical_page", -1000)


def _zensical_context(md: Markdown) -> Any:
    """Zensical's per-page context (``page``, ``config``), or None outside Zensical."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    return ContextPreprocessor.from_markdown(md)


def makeExtension(**kwargs: Any) -> ZensicalExtension:
    return ZensicalExtension(**kwargs)


def _path(value: object, base: Path) -> Path | None:
    return (base / str(value)).resolve() if value else None


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _print(message: str) -> None:
    print(f"INFO    -  obsidian_kb: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m obsidian_kb.zensical_host build [-f mkdocs.yml]``: exit 1 on problems."""
    parser = argparse.ArgumentParser(prog="python -m obsidian_kb.zensical_host",
                                     description="Build with Zensical; fail when the vault has problems.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    import zensical
    from zensical.config import get_config

    # clean: Zensical caches pages on their content and would skip (and not report) them
    zensical.build(os.path.abspath(args.config_file), {"clean": True, "strict": False})
    host = get_config().get(STATE_KEY)
    if not isinstance(host, ZensicalHost):
        print(f"ERROR   -  obsidian_kb: no page was rendered by {NAME}; "
              "is it listed under markdown_extensions?", file=sys.stderr)
        return 2
    count = host.finish()
    if count:
        print(f"ERROR   -  obsidian_kb: {count} problem(s), see {host.site_dir / '_kb' / 'link-report.txt'}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Run the imported module's main: the extension Zensical loads is that module, not __main__.
    from obsidian_kb.zensical_host import main as _main

    sys.exit(_main())
