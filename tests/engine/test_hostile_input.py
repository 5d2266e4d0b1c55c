"""Bad input is a located problem, never an abort, and costs bounded work.

Covers the engine modules directly: decoding, the vault walk, the page source
handed to MkDocs, unclosed fences, the embed cap, bounded backlinks, and the
linear rewrites of scanner patterns (checked against the patterns they replace,
which are kept here as the reference).
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbtest import alias_bomb, make_context, make_index, render, render_page
from mkdocs.utils.meta import get_data
from obsidian_kb.backlinks import MAX_CONTEXTS, collect_backlinks, render_backlinks
from obsidian_kb.checks import resolve_vault
from obsidian_kb.decoding import decode_note, read_note
from obsidian_kb.mask import _INLINE_CODE, closing_fence, code_ranges
from obsidian_kb.page_source import THEME_COMMANDS, page_source
from obsidian_kb.scan import CONTEXT_CHARS, match_atx, scan_note
from obsidian_kb.vault import walk_published
from obsidian_kb.wikilink import MARKDOWN_LINK_RE, WIKILINK_RE

# -- decoding ---------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_byte_order_marks_are_decoded(codec):
    text = "# 제목\n\n[[링크]] 본문\n"
    data = text.encode(codec)
    if codec.endswith("-be"):  # the -be codecs write no BOM themselves
        data = (codecs.BOM_UTF16_BE if "16" in codec else codecs.BOM_UTF32_BE) + data
    decoded = decode_note(data)
    assert decoded.text == text
    assert decoded.problems == ()


def test_invalid_utf8_is_replaced_and_located():
    decoded = decode_note("# 제목\n\n좋은 줄\n".encode() + b"bad \xff here\n\xc3\n")
    assert decoded.text == "# 제목\n\n좋은 줄\nbad \ufffd here\n\ufffd\n"
    [problem] = decoded.problems
    assert problem.line == 4
    assert "invalid UTF-8" in problem.message and "lines 4, 5" in problem.message


def test_nul_bytes_are_dropped_and_located():
    decoded = decode_note(b"a\n\nb\x00c\x00\n")
    assert decoded.text == "a\n\nbc\n"
    assert [(p.line, "NUL" in p.message) for p in decoded.problems] == [(3, True)]


def test_unreadable_file_is_a_problem(tmp_path):
    decoded = read_note(tmp_path / "missing.md")
    assert decoded.text == "" and decoded.problems[0].line == 0


def test_index_and_page_read_the_same_decoded_text(tmp_path):
    from obsidian_kb.vault import build_index, walk_vault

    (tmp_path / "n.md").write_bytes(b"# t\n\nx \xff [[m]]\n")
    (tmp_path / "m.md").write_bytes("# m\n".encode("utf-16"))
    index = build_index(walk_vault(tmp_path))
    assert [(p.path, p.line, p.kind) for p in index.problems] == [("n.md", 3, "encoding")]
    assert "x \ufffd [[m]]" in page_source(index.notes["n.md"].scan)
    assert render_page(index, "n.md").find("a", **{"class": "wikilink"}).text == "m"


# -- only the vault is published ------------------------------------------------------


@pytest.fixture
def linked_vault(tmp_path) -> Path:
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text("{}")
    (vault / "sub").mkdir()
    (vault / "sub" / "note.md").write_text("# n")
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.md").write_text("secret")
    (outside / "dir" / "other.md").write_text("other")
    os.symlink(outside / "secret.md", vault / "secret.md")
    os.symlink(outside / "dir", vault / "outdir")
    os.symlink(".obsidian", vault / "obs")
    os.symlink(".obsidian/app.json", vault / "app.json")
    os.symlink("sub/note.md", vault / "alias.md")  # a file symlink inside the vault is kept
    os.symlink("sub", vault / "twin")  # a folder twin: Obsidian ignores it
    os.symlink("..", vault / "sub" / "up")
    os.symlink("loop.md", vault / "loop.md")
    os.symlink("nowhere.md", vault / "dangling.md")
    os.mkfifo(vault / "pipe.md")
    return vault


def test_walk_publishes_only_the_vault(linked_vault):
    walk = walk_published(linked_vault)
    assert walk.files == ("alias.md", "sub/note.md")
    reasons = {s.path: s.reason for s in walk.skipped}
    assert "outside the vault" in reasons["secret.md"]
    assert "outside the vault" in reasons["outdir"]
    assert "dot-folder" in reasons["obs"] and "dot-folder" in reasons["app.json"]
    assert "symlink loop" in reasons["sub/up"] and "symlink loop" in reasons["loop.md"]
    assert "broken symlink" in reasons["dangling.md"]
    assert "not a regular file" in reasons["pipe.md"]
    assert "vault folder 'sub/'" in reasons["twin"]
    assert not any(str(linked_vault.parent) in r for r in reasons.values())  # no outside path named


def test_walk_of_a_docs_folder_names_vault_paths(linked_vault):
    walk = walk_published(linked_vault / "sub", linked_vault)
    assert walk.files == ("note.md",)
    assert [s.path for s in walk.skipped] == ["sub/up"]


# -- what MkDocs reads --------------------------------------------------------------


def test_theme_commands_never_reach_the_theme():
    props = "".join(f"{key}: x\n" for key in sorted(THEME_COMMANDS))
    scan = scan_note(f"---\n{props}title: 42\ntags: a, b\nother: keep\n---\n# 본문\n")
    body, meta = get_data(page_source(scan))
    assert meta == {"title": "42", "tags": ["a", "b"], "other": "keep"}
    assert body == "# 본문\n"
    assert set(THEME_COMMANDS) <= set(scan.frontmatter)  # still the note's properties


@pytest.mark.parametrize("value", [
    "\\udc80 홀로 남은 서로게이트", "\\x85\\u2028\\ufeff", "\\x7f\\x9f", "😀 ---"])
def test_properties_libyaml_cannot_write_reach_the_theme_intact(value):
    # A lone surrogate fits no UTF-8 file (libyaml, MkDocs' reader and graph.json all fail
    # on it): it becomes U+FFFD, with a warning at its line. The rest reaches the theme as is.
    scan = scan_note(f'---\nid: 1\ntitle: "{value}"\nother: ["{value}"]\n---\n본문\n')
    title = scan.frontmatter["title"]
    if "\\udc80" in value:
        assert [(p.line, "U+FFFD" in p.message) for p in scan.problems] == [(3, True)]
        assert title == "\ufffd 홀로 남은 서로게이트"
    else:
        assert not scan.problems
    body, meta = get_data(page_source(scan))
    assert meta == {"id": 1, "title": title, "other": [title]}
    assert body == "본문\n"


def test_only_yaml_frontmatter_is_metadata():
    body, meta = get_data(page_source(scan_note("Summary: x\nAuthor: y\n\n본문\n")))
    assert meta == {}
    assert body.startswith("Summary: x\nAuthor: y\n")
    # the variant MkDocs would have read: it eats the lines
    assert get_data("Summary: x\nAuthor: y\n\n본문\n")[1] == {"summary": "x", "author": "y"}


def test_invalid_frontmatter_is_not_body():
    scan = scan_note("---\nbad: [\n---\n본문\n")
    assert scan.problems
    assert get_data(page_source(scan)) == ("본문\n", {})


@pytest.mark.parametrize(("yaml_text", "words"), [
    ("a: &x [*x]", "alias inside itself"),  # a cycle: every reader recursed until the stack ran out
    ("a: " + "[" * 500 + "]" * 500, "nested more than 20 levels"),
    ("a: " + "[" * 5000, "nest"),  # libyaml refuses it ("nesting depth"); PyYAML alone recursed
    (alias_bomb(9), "more than 10,000 property values"),  # 9**9 values once expanded
])
def test_unbounded_properties_are_refused_and_located(yaml_text, words):
    scan = scan_note(f"---\n{yaml_text}\n---\n본문\n")
    [problem] = scan.problems
    assert words in problem.message and problem.line in (1, 2)
    assert scan.frontmatter == {}
    assert get_data(page_source(scan)) == ("본문\n", {})


def test_pure_python_yaml_recursing_is_the_same_warning(monkeypatch):
    # PyYAML without libyaml (a platform with no wheel) recurses once per nesting level
    import yaml
    from obsidian_kb import scan as scan_module

    monkeypatch.setattr(scan_module, "_LOADER", yaml.SafeLoader)
    scan = scan_note("---\na: " + "[" * 5000 + "\n---\n본문\n")
    [problem] = scan.problems
    assert "nested more than 20 levels" in problem.message and scan.frontmatter == {}


def test_properties_as_deep_as_obsidian_writes_them_are_kept():
    # the bound is generous: nested mappings and lists, shared aliases, a few hundred values
    text = ("---\nbase: &b {a: [1, 2, {c: [3]}]}\nuses: [*b, *b]\n"
            + "".join(f"p{i}: [{i}, x]\n" for i in range(300)) + "---\n본문\n")
    scan = scan_note(text)
    assert scan.problems == ()
    assert scan.frontmatter["uses"][1]["a"][2] == {"c": [3]}
    assert len(scan.frontmatter) == 302


# -- unclosed fences -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "closing"), [
    ("a\n```py\ncode\n", "```"),
    ("a\n````\ncode\n```\n", "````"),
    ("> ~~~\n> x", "> ~~~"),
    ("a\n```\ncode\n```\n", None),
    ("    indented\n", None),
    ("plain", None),
])
def test_closing_fence(text, closing):
    assert closing_fence(text) == closing


def test_unclosed_fence_is_code_in_page_and_scan():
    text = "# 펜스\n\n```python\nx = '[[안]]'\n\n[[뒤]]\n"
    files = {"안.md": "", "뒤.md": ""}
    assert not scan_note(text).links
    page = render(text, files)
    assert not page.find_all("a") and not page.find_all("span", **{"class": "wikilink wikilink-unresolved"})
    assert "[[뒤]]" in page.find("pre").text


# -- bounded embeds -----------------------------------------------------------------------


def test_embed_cap_is_one_located_problem():
    big = "# 큰\n\n" + "가" * 5_000 + "\n"
    hub = "# 허브\n\n" + "![[큰]]\n" * 50
    index = make_index({"큰.md": big, "허브.md": hub})
    ctx = make_context(index)
    ctx.max_embed_chars = 20_000
    page = render_page(index, "허브.md", ctx)
    shown = page.find_all("div", **{"class": "kb-embed"})
    assert 1 <= len(shown) <= 4
    [problem] = [p for p in ctx.problems if "exceed" in p.message]
    assert (problem.path, problem.line, problem.kind) == ("허브.md", 3, "embed")


def test_embed_depth_cut_is_a_problem():
    notes = {f"d{i}.md": f"# d{i}\n\n![[d{i + 1}]]\n" for i in range(12)}
    index = make_index({**notes, "d12.md": "# end\n"})
    ctx = make_context(index)
    render_page(index, "d0.md", ctx)
    [problem] = [p for p in ctx.problems if "nested more than" in p.message]
    assert (problem.path, problem.line) == ("d8.md", 3)
    assert problem.message.endswith(" → ".join(f"d{i}.md" for i in range(10)))


# -- bounded backlinks ------------------------------------------------------------------


def test_backlinks_stay_bounded():
    long_line = "x" * 100_000 + " [[t]] " + "y" * 100_000
    source = "# s\n\n" + "".join(f"{i}번째 [[t]]\n" for i in range(500)) + long_line
    index = make_index({"t.md": "# t\n", "s.md": source})
    graph = resolve_vault(index)
    assert max(len(o.context) for o in index.notes["s.md"].scan.links) <= 2 * CONTEXT_CHARS + 10
    urls = {"t.md": "t/", "s.md": "s/"}
    [backlink] = collect_backlinks(graph, index, urls, "t.md")
    assert len(backlink.contexts) == MAX_CONTEXTS
    assert backlink.more == 501 - MAX_CONTEXTS
    assert f"외 {501 - MAX_CONTEXTS}곳" in render_backlinks([backlink], "t/")


# -- linear patterns agree with the ones they replace -------------------------------------

OLD_WIKILINK = re.compile(r"(!?)\[\[([^\]\n]+?)\]\]")
OLD_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
OLD_MD_LINK = re.compile(
    r"(!?)\[([^\]\n]*)\]\(\s*(<[^>\n]+>|[^)\s]+)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)


def _old_inline_code(text: str) -> list[tuple[int, int]]:
    found, pos = [], text.find("`")
    while pos >= 0:
        m = _INLINE_CODE.match(text, pos)
        pos = m.end() if m else pos + 1
        if m:
            found.append(m.span())
        pos = text.find("`", pos)
    return found


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="`` a\n\t", max_size=60))
def test_code_spans_match_the_reference_pattern(text):
    assert code_ranges(text) == _old_inline_code(text) or _has_block(text)


def _has_block(text: str) -> bool:
    """Fences and indented code are found before code spans; compare only plain paragraphs."""
    # (tabs expand to the next multiple of four, so " \t```" is indented code)
    return any(line.expandtabs(4).startswith(("    ", "```", " ```", "  ```", "   ```"))
               for line in text.split("\n"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]!a| #\n", max_size=40))
def test_wikilinks_match_the_reference_pattern_without_nested_openers(text):
    new = [(m.span(), m.groups()) for m in WIKILINK_RE.finditer(text)]
    old = [(m.span(), m.groups()) for m in OLD_WIKILINK.finditer(text)]
    # Where the rules differ on purpose (single brackets inside a link, ``[[[x]]]`` links the
    # innermost ``[[x]]``: see wikilink.py), the old pattern is no reference.
    differs = "[[[" in text or any("[" in inner or "]" in inner
                                   for _, (_, inner) in new + old)
    if not differs:
        assert new == old


def test_nested_opener_links_the_inner_target():
    assert [m.group(2) for m in WIKILINK_RE.finditer("[[a [[b]]")] == ["b"]
    assert [m.group(2) for m in MARKDOWN_LINK_RE.finditer("[a [b](c)")] == ["b"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]()a <>\"' !", max_size=40))
def test_markdown_links_match_the_reference_pattern(text):
    old = [(m.span(), m.groups()) for m in OLD_MD_LINK.finditer(text)]
    new = [(m.span(), m.groups()) for m in MARKDOWN_LINK_RE.finditer(text)]
    if not any("[" in (m.group(2) or "") or "(" in m.group(3) for m in OLD_MD_LINK.finditer(text)):
        assert new == old


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="# \ta", max_size=20))
def test_atx_headings_match_the_reference_pattern(line):
    old = OLD_ATX.match(line)
    new = match_atx(line)
    assert (new is None) == (old is None)
    if old is not None and new is not None:
        assert (new.level, new.text) == (len(old.group(1)), (old.group(2) or "").strip())


# -- the renderer's link brackets ------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "a", "a" * 40]), max_size=40).map("".join),
       st.integers(min_value=0, max_value=400))
def test_link_text_search_matches_python_markdown(data, index):
    import markdown
    from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor
    from obsidian_kb.markdown.brackets import LinearBrackets

    class Linear(LinearBrackets, LinkInlineProcessor):
        pass

    md = markdown.Markdown()
    index = min(index, len(data))
    assert Linear(LINK_RE, md).getText(data, index) == LinkInlineProcessor(LINK_RE, md).getText(data, index)


def test_a_line_of_open_brackets_renders_as_text():
    page = render("[[a" * 2_000 + "\n\n[a" * 10 + "[ok](x.md)\n", {"x.md": "# x\n"})
    assert page.find("p").text.startswith("[[a[[a")
    assert page.find("a").text == "ok"


def test_a_flood_of_link_openers_keeps_its_text_and_is_reported():
    """``[a](`` repeated: Python-Markdown's ``getLink`` is quadratic on it (a 20 KB line took
    37 s). Past MAX_LINK_OPENERS the line's links are text, with a located warning; a line
    under the limit keeps its links."""
    from obsidian_kb.markdown.brackets import MAX_LINK_OPENERS

    flood = "[a](" * 20_000  # 80 KB: many minutes of getLink without the bound
    index = make_index({"page.md": f"# 제목\n\nfine [ok](other.md)\n\n{flood}\n", "other.md": "x"})
    ctx = make_context(index)
    page = render_page(index, "page.md", ctx)
    assert page.text.count("[a](") == 20_000
    assert [a.attrs["href"] for a in page.find_all("a")] == ["other.md"]  # only [ok](other.md)
    assert [(p.line, p.kind) for p in ctx.problems] == [(5, "bounds")]
    under = render("[x](c.md) " * MAX_LINK_OPENERS + "\n", {"c.md": "x"})
    assert len(under.find_all("a")) == MAX_LINK_OPENERS, "a line at the limit keeps its links"
