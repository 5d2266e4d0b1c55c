"""MkDocs adapter for the ``obsidian_kb`` engine.

Thin on purpose: it builds the vault index once per build, hands the page
being rendered to the Markdown extension, and reports problems through the
plugin logger (so ``mkdocs build --strict`` fails on them). Module state is
reset in ``on_config`` because ``mkdocs serve`` keeps this module loaded.
"""

from __future__ import annotations

from obsidian_kb.mkdocs_build import VaultBuild, install_vault_walk

_build: VaultBuild | None = None


def on_config(config):
    global _build
    _build = VaultBuild(config)
    install_vault_walk(lambda: _build)
    return _build.configure()


def on_files(files, config):
    assert _build is not None
    return _build.index_files(files)


def on_page_read_source(page, config):
    assert _build is not None
    return _build.page_source(page)


def on_page_markdown(markdown, page, config, files):
    assert _build is not None
    _build.enter_page(page)
    return markdown


def on_page_content(html, page, config, files):
    assert _build is not None
    return _build.leave_page(html, page)


def on_post_page(output, page, config):
    assert _build is not None
    return _build.finish_page(output, page)


def on_post_build(config):
    assert _build is not None
    _build.finish()
