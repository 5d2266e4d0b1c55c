"""The MkDocs side of a build. The only module of the engine that imports MkDocs."""

from __future__ import annotations

import html
import os
from pathlib import Path

from markdown import Markdown
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from .checks import LinkGraph, resolve_vault
from .headings import default_slugify
from .markdown import ObsidianExtension, RenderContext
from .notebook import link_notebook
from .problems import Problem, report_json, report_text
from .vault import VaultIndex

log = get_plugin_logger("obsidian_kb")

REPORT_DIR = "_kb"
ASSETS = Path(__file__).parent / "assets"


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
        snippets = os.environ.get("KB_SNIPPETS") or str(self.config_dir / "snippets")
        self.snippets_dir = Path(snippets).resolve()
        toc = config.mdx_configs.get("toc", {})
        self.slugify = toc.get("slugify") or default_slugify
        self.context = RenderContext(VaultIndex())
        self.graph: LinkGraph | None = None
        self.problems: list[Problem] = []
        self._reported = 0

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
            index.add(_vault_file(self._vault_path(abs_path), abs_path, f.src_uri), text,
                      slugify=self.slugify)
        if self.snippets_dir.is_dir() and not _inside(self.snippets_dir, self.docs_dir):
            for path in sorted(self.snippets_dir.rglob("*.py")):
                index.add(_vault_file(self._vault_path(path), path, None), slugify=self.slugify)
        index.finish()
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file():
                uri = f"{REPORT_DIR}/assets/{asset.relative_to(ASSETS).as_posix()}"
                files.append(File.generated(self.config, uri, abs_src_path=str(asset)))
        self.context.index = index
        self.context.__post_init__()
        self.context.urls = {f.src_uri: f.url for f in files}
        self.graph = resolve_vault(index, self.context.resolver)
        for problem in self.graph.problems:
            self._warn(problem)
        return files

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
        note = self.context.index.notes.get(file.path) if file else None
        if note is None or not note.scan.aliases:
            return html_text
        aliases = ", ".join(html.escape(a) for a in note.scan.aliases)
        return f'<p class="kb-aliases"><span>별칭</span> {aliases}</p>\n{html_text}'

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

    # -- reporting --------------------------------------------------------------
    def _warn(self, problem: Problem) -> None:
        self.problems.append(problem)
        log.warning(str(problem))

    def finish(self) -> None:
        out = Path(self.config.site_dir) / REPORT_DIR
        out.mkdir(parents=True, exist_ok=True)
        (out / "link-report.json").write_text(report_json(self.problems), encoding="utf-8")
        (out / "link-report.txt").write_text(report_text(self.problems), encoding="utf-8")
        if self.problems:
            log.info("link report: %d problem(s), see %s", len(set(self.problems)),
                     out / "link-report.txt")


def _vault_file(path: str, abs_path: Path, site_path: str | None):
    from .vault import VaultFile

    return VaultFile(path, abs_path, site_path)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
