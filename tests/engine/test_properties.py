"""Property-based tests: arbitrary Markdown never crashes the scanner or the
renderer, code blocks come out byte for byte, and nothing an author writes in a
link target, alias or file name ever becomes an element or an attribute."""

from __future__ import annotations

import html

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbtest import Renderer, make_index
from obsidian_kb.mask import mask
from obsidian_kb.scan import scan_note

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPECIAL = list("[]|#^!%=`><&\"' \n\t-*_~/\\:()?.,$")
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xAC40)
CHARS = st.one_of(st.sampled_from(SPECIAL), HANGUL, st.sampled_from("abXY01"), st.characters())
TOKENS = st.sampled_from([
    "[[", "]]", "![[", "|", "\\|", "#", "#^", "^id", " ^blk", "!", "%%", "==", "`", "``", "```", "~~~",
    "\n", "\n\n", "> ", "> [!note]", "> [!tip]- ", "> > [!bug]", "- ", "1. ", "    ", "\t", "#태그", "# ",
    "## 제목", "---", "-", "=", "<", ">", "&", '"', "'", "<div>", "</div>", "<script>", "힙", "스택",
    "note", "a.png", "|100x20", "$x$", "\\[", "\\]", "[x](note.md)", "*", "**", "_", "(", ")", "---\n",
])
NOTE_TEXT = st.one_of(
    st.text(CHARS, max_size=300),
    st.lists(TOKENS, max_size=60).map("".join),
    st.lists(st.one_of(TOKENS, st.text(CHARS, max_size=5)), max_size=60).map("".join),
)

RENDER = Renderer()

VAULT = {
    "note.md": "# Note\n## 스택과 힙\ntext ^blk\n\n![[page]]\n",
    "sub/other.md": "![[note#스택과 힙]]\n[[note#^blk]]\n",
    "a.png": None,
}


@SETTINGS
@given(NOTE_TEXT)
def test_scan_never_crashes_and_lines_are_in_range(text):
    scan = scan_note(text)
    n_lines = text.count("\n") + 1
    for occ in scan.links:
        assert 1 <= occ.line <= n_lines
        assert "[[" in text.split("\n")[occ.line - 1] or "](" in text.split("\n")[occ.line - 1]
    for h in scan.headings:
        assert 1 <= h.line <= n_lines
    for b in scan.blocks:
        assert 1 <= b.start <= b.end <= n_lines
    ids = [h.id for h in scan.headings]
    assert len(ids) == len(set(ids))


@SETTINGS
@given(NOTE_TEXT)
def test_mask_keeps_length_and_lines(text):
    m = mask(text)
    assert len(m.text) == len(text)
    assert [len(line) for line in m.text.split("\n")] == [len(line) for line in text.split("\n")]


@SETTINGS
@given(NOTE_TEXT)
def test_render_never_crashes(text):
    root = RENDER(make_index({**VAULT, "page.md": text}), "page.md")
    for el in root.iter():
        if el.tag == "a" and el.has_class("wikilink") and el.attrs.get("href"):
            href = el.attrs["href"]
            assert href.startswith("#") or any(f in href for f in ("note", "other", "page", "a.png"))
    for problem in RENDER.context.problems:
        assert problem.kind == "cycle"


PLAIN = st.one_of(st.sampled_from(SPECIAL), HANGUL, st.sampled_from("abXY01"))
CODE_LINE = st.text(PLAIN, max_size=40).filter(
    lambda s: "\n" not in s and not s.lstrip().startswith(("```", "~~~")))


@SETTINGS
@given(st.lists(CODE_LINE, min_size=1, max_size=6), st.sampled_from(["```", "~~~", "````"]))
def test_fenced_code_comes_out_unchanged(lines, fence):
    body = "\n".join(line.replace("\t", " ") for line in lines)
    text = f"before [[note]]\n\n{fence}\n{body}\n{fence}\n\nafter %%gone%%\n"
    root = RENDER(make_index({**VAULT, "page.md": text}), "page.md")
    code = root.find_all("code")
    assert len(code) == 1
    assert _lines(code[0].text) == _lines(body)
    assert "gone" not in root.text


def _lines(text: str) -> str:
    """Superfences drops blank lines at the edges and trailing blanks; everything else must stay."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


@SETTINGS
@given(st.text(st.one_of(st.sampled_from(SPECIAL), HANGUL, st.sampled_from("abXY01")), min_size=1,
               max_size=30).filter(lambda s: not {"`", "\n", "\t"} & set(s)))  # Markdown expands tabs
def test_inline_code_comes_out_unchanged(content):
    content = content.strip() or "x"
    text = f"```\nfirst\n```\n\nsee `{content}` and %%gone%%\n"
    root = RENDER(make_index({**VAULT, "page.md": text}), "page.md")
    code = root.find_all("code")
    assert [c.text for c in code][1] == content
    assert "gone" not in root.text


# -- user text never becomes markup ----------------------------------------------
EVIL = st.sampled_from([
    "<script>alert(1)</script>", '"onmouseover="alert(1)', "'onfocus='x", "<img src=x onerror=alert(1)>",
    "<b>bold</b>", "&amp;", "&lt;", "\" autofocus x=\"", "<svg/onload=alert(1)>", "javascript:alert(1)",
    "</a><script>", "<!--", "]]>", "&#60;script&#62;",
])
SAFE = st.text(st.one_of(HANGUL, st.sampled_from("abc xyz-_.,()'\"&<>=")), max_size=8)
USER_TEXT = st.lists(st.one_of(EVIL, SAFE), min_size=1, max_size=4).map("".join).map(
    lambda s: s.replace("]", "").replace("[", "").replace("|", "").replace("#", "").replace("\n", "")
    .replace("%%", "").replace("`", "").replace("\\", "").replace("!", "").replace("^", "").strip()
).filter(bool)

ALLOWED_TAGS = {"#root", "p", "a", "span", "div", "img", "mark", "h1", "h2", "em", "strong", "br",
                "audio", "video", "iframe", "ul", "li"}
ALLOWED_ATTRS = {"href", "class", "title", "data-note", "data-embed", "id", "src", "alt", "width",
                 "height", "loading", "controls", "preload", "role", "data-reason"}


def _assert_inert(root):
    for el in root.iter():
        assert el.tag in ALLOWED_TAGS, el.tag
        for name, value in el.attrs.items():
            assert name in ALLOWED_ATTRS, name
            if name in ("href", "src") and value:
                assert not value.lower().startswith("javascript:"), value


@SETTINGS
@given(USER_TEXT, USER_TEXT)
def test_link_target_and_alias_never_become_markup(target, alias):
    text = f"[[{target}]] [[{target}|{alias}]] [[{target}#{alias}]] ![[{target}]] [[note|{alias}]]\n"
    root = RENDER(make_index({**VAULT, "page.md": text}), "page.md")
    _assert_inert(root)
    # Python-Markdown keeps "&amp;" written by the author as an entity: compare what a reader sees
    shown = root.text
    assert html.unescape(alias) in shown
    assert html.unescape(target) in shown


@SETTINGS
@given(USER_TEXT)
def test_file_names_never_become_markup(name):
    # no "/" (folders), no leading "." (dot files are never in the vault), no ";" so that no
    # name looks like an HTML entity (Python-Markdown keeps "&amp;" as written in attributes),
    # no leading space (a link target is trimmed, so ". x" stripped of "." is unreachable)
    name = name.replace("/", "").replace(";", "").strip().lstrip(".").strip() or "x"
    seen = name
    files = {**VAULT, f"{name}.md": "# 제목\n본문 ^b\n", f"{name}.png": None,
             "page.md": f"[[{name}]] [[{name}#제목]] ![[{name}]] ![[{name}#^b]] ![[{name}.png]]\n"}
    root = RENDER(make_index(files), "page.md")
    _assert_inert(root)
    links = root.find_all("a", **{"class": "wikilink"})
    assert [a.attrs["data-note"] for a in links] == [f"{seen}.md", f"{seen}.md"]
    assert [a.text for a in links] == [seen, f"{seen} > 제목"]
    embeds = root.find_all("div", **{"class": "kb-embed"})
    assert [e.attrs["data-embed"] for e in embeds] == [f"{seen}.md", f"{seen}.md"]
    assert embeds[0].find("div", **{"class": "kb-embed-title"}).text == seen
    img = root.find("img")
    assert img.attrs["alt"] == f"{seen}.png"
    assert html.unescape(img.attrs["src"]).endswith(".png")
