"""MkDocs adapter for the ``obsidian_kb`` engine.

Thin on purpose: it builds the vault index once per build, hands the page
being rendered to the Markdown extension, and reports problems through the
plugin logger (so ``mkdocs build --strict`` fails on them). Module state is
reset in ``on_config`` because ``mkdocs serve`` keeps this module loaded.
"""

from __future__ import annotations

from obsidian_kb.mkdocs_build import VaultBuild, theme_nav, theme_page_meta, theme_page_title

_build: VaultBuild | None = None


def on_config(config):
    global _build
    _build = VaultBuild(config)
    return _build.configure()


def on_files(files, config):
    assert _build is not None
    return _build.index_files(files)


def on_nav(nav, config, files):
    return theme_nav(nav, config)


def on_page_markdown(markdown, page, config, files):
    assert _build is not None
    _build.enter_page(page)
    theme_page_meta(page)
    return markdown


def on_page_content(html, page, config, files):
    assert _build is not None
    html = _build.leave_page(html, page)
    theme_page_title(page, config)
    return html


def on_post_page(output, page, config):
    assert _build is not None
    return _build.finish_page(output, page)


def on_post_build(config):
    assert _build is not None
    _build.finish()
