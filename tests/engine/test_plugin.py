"""The plugin's settings schema and its serve-time checks, on a real MkDocs config."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from obsidian_kb.plugin import Flag, ObsidianKBPlugin


def _config(tmp_path: Path, extra: str = ""):
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# 홈\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\n{extra}", encoding="utf-8")
    return load_config(str(tmp_path / "mkdocs.yml"))


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False),
    ("true", True), ("No", False), ("", False),
])
def test_flag_takes_what_env_gives(value, expected):
    assert Flag(default=True).validate(value) is expected


@pytest.mark.parametrize("value", [2, "maybe", [], 0.5])
def test_flag_rejects_anything_else(value):
    from mkdocs.config.base import ValidationError

    with pytest.raises(ValidationError):
        Flag(default=True).validate(value)


def test_hook_options_use_the_plugin_schema(tmp_path):
    config = _config(tmp_path)
    plugin = ObsidianKBPlugin()
    plugin.configure_from(config, {"execute": 0, "panels": "1", "problems": "error"})
    assert (plugin.config.execute, plugin.config.panels, plugin.config.problems) == (False, True, "error")
    with pytest.raises(PluginError, match="problems"):
        plugin.configure_from(config, {"problems": "loud"})


def test_a_changed_engine_under_serve_asks_for_a_restart(tmp_path, caplog):
    watched = tmp_path / "adapter.py"
    watched.write_text("# a hook\n", encoding="utf-8")
    plugin = ObsidianKBPlugin()
    plugin.watch_code(watched)
    plugin.on_startup(command="serve", dirty=False)
    config = _config(tmp_path)
    plugin.configure_from(config, {})
    with caplog.at_level(logging.WARNING):
        plugin.on_config(config)
    assert "restart" not in caplog.text
    stat = watched.stat()
    os.utime(watched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with caplog.at_level(logging.WARNING):
        plugin.on_config(_config(tmp_path))
    assert "restart `mkdocs serve`" in caplog.text
    plugin.on_shutdown()
    assert plugin.build is None


def test_missing_extensions_are_added_with_a_hangul_safe_slugify(tmp_path):
    config = _config(tmp_path)
    plugin = ObsidianKBPlugin()
    plugin.configure_from(config, {})
    plugin.on_config(config)
    names = [e for e in config.markdown_extensions if isinstance(e, str)]
    for name in ("attr_list", "footnotes", "pymdownx.superfences", "pymdownx.tasklist"):
        assert name in names
    slugify = config.mdx_configs["toc"]["slugify"]
    assert slugify("스택과 힙", "-") == "스택과-힙"
    plugin.on_shutdown()


def test_hook_adapter_forwards_every_event_the_plugin_handles():
    """mkdocs.yml's ``hooks:`` form must see the same events as the plugin form: a missing
    ``on_page_context`` once left file-name titles out of every page's ``<title>``."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "hooks" / "obsidian.py"
    spec = importlib.util.spec_from_file_location("obsidian_hook_adapter", path)
    assert spec is not None and spec.loader is not None
    adapter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(adapter)
    events = {name for name in vars(ObsidianKBPlugin) if name.startswith("on_")}
    assert events, "the plugin handles no events?"
    assert events <= {name for name in vars(adapter) if name.startswith("on_")}
