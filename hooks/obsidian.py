"""This repository's MkDocs adapter: the ``obsidian-kb`` plugin, driven as a hook.

The design of this repository keeps hooks, so ``mkdocs.yml`` lists this file
instead of the plugin and keeps the plugin's settings under ``extra.obsidian_kb``
(mapped from environment variables with ``!ENV``). MkDocs caches hook modules
for the whole process, so the one plugin instance below lives as long as
``mkdocs serve`` does, exactly like a plugin instance; it makes a fresh build
session per build and closes the previous one (see ``obsidian_kb.plugin``).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority
from obsidian_kb.plugin import ObsidianKBPlugin

_plugin = ObsidianKBPlugin()
_plugin.watch_code(Path(__file__))


def on_startup(command, dirty):
    _plugin.on_startup(command=command, dirty=dirty)


def on_shutdown():
    _plugin.on_shutdown()


def on_build_error(error):
    _plugin.on_build_error(error=error)


def on_config(config):
    _plugin.configure_from(config, config.extra.get("obsidian_kb"))
    return _plugin.on_config(config)


def on_files(files, config):
    return _plugin.on_files(files, config=config)


@event_priority(-100)  # the same priorities as the plugin's events
def on_nav(nav, config, files):
    return _plugin.on_nav(nav, config=config, files=files)


def on_page_read_source(page, config):
    return _plugin.on_page_read_source(page=page, config=config)


@event_priority(150)
def on_env(env, config, files):
    return _plugin.on_env(env, config=config, files=files)


def on_serve(server, config, builder):
    return _plugin.on_serve(server, config=config, builder=builder)


def on_page_markdown(markdown, page, config, files):
    return _plugin.on_page_markdown(markdown, page=page, config=config, files=files)


def on_page_content(html, page, config, files):
    return _plugin.on_page_content(html, page=page, config=config, files=files)


def on_page_context(context, page, config, nav):
    return _plugin.on_page_context(context, page=page, config=config, nav=nav)


def on_post_page(output, page, config):
    return _plugin.on_post_page(output, page=page, config=config)


@event_priority(-50)
def on_post_build(config):
    _plugin.on_post_build(config=config)
