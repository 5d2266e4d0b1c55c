"""The title a note gets from its file name reaches its own page's ``<title>`` escaped,
and is absent from ``page.meta`` while every other page renders (each page's nav reads
the meta of every nav item; Material's nav macro does more work once it is not empty)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HOSTILE = "<title><b>굵게 & 이름"  # no "/": a file name
SPY = '''
import json, os
seen = {}
def on_page_context(context, page, config, nav):
    seen[page.file.src_uri] = {
        "own": None if page.meta.get("title") is None else str(page.meta["title"]),
        "others_titled": sorted(p.file.src_uri for p in nav.pages
                                if p is not page and "title" in p.meta),
    }
    return context
def on_post_build(config):
    with open(os.environ["SPY_OUT"], "w", encoding="utf-8") as f:
        json.dump(seen, f)
'''


def test_file_name_titles_are_lent_to_their_own_page_only(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 홈\n\n[[메모]]\n", encoding="utf-8")
    (docs / f"{HOSTILE}.md").write_text("본문 [[메모]]\n", encoding="utf-8")
    (docs / "메모.md").write_text("# 첫 제목\n\n본문\n", encoding="utf-8")
    (docs / "속성.md").write_text("---\ntitle: 속성의 제목\n---\n본문\n", encoding="utf-8")
    (tmp_path / "spy.py").write_text(SPY, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: 노트\ntheme: material\nplugins:\n  - obsidian-kb\nhooks:\n  - spy.py\n",
        encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPY_OUT": str(tmp_path / "seen.json")}
    env.pop("KB_SNIPPETS", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))

    hostile = seen[f"{HOSTILE}.md"]
    assert hostile["own"] == "&lt;title&gt;&lt;b&gt;굵게 &amp; 이름"  # escaped, as Material prints it
    assert seen["메모.md"]["own"] == "메모"  # the file name, as Obsidian titles it, not the heading
    # while any page renders, only a title the note itself wrote is in another page's meta
    for page, record in seen.items():
        assert record["others_titled"] == sorted({"속성.md"} - {page}), (page, record)
    assert seen["속성.md"]["own"] == "속성의 제목"

    hostile_html = next(p for p in (tmp_path / "site").rglob("index.html")
                        if "굵게" in p.parent.name).read_text(encoding="utf-8")
    assert "<title>&lt;title&gt;&lt;b&gt;굵게 &amp; 이름 - 노트</title>" in hostile_html
    assert "<b>굵게" not in hostile_html
