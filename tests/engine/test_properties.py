"""Property-based tests: arbitrary Markdown never crashes the scanner or the
renderer, code blocks come out byte for byte, and nothing an author writes in a
link target, alias or file name ever becomes an element or an attribute."""

from __future__ import annotations

import html
import io
import re
import tempfile
from urllib.parse import quote, unquote, urljoin, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kbtest import Renderer, make_index, parse_html
from markupsafe import escape
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from obsidian_kb.checks import resolve_vault
from obsidian_kb.graph import build_note_graph
from obsidian_kb.mask import mask
from obsidian_kb.mkdocs_build import theme_nav
from obsidian_kb.problems import Problem
from obsidian_kb.resolver import Resolver
from obsidian_kb.scan import scan_note
from obsidian_kb.theme_text import page_title, theme_properties

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


# -- names and properties handed to the theme (MkDocs templates print them unescaped) ----------
# Each property below fails when the escaping is taken out: replace ``escape(...)`` in
# obsidian_kb/theme_text.py by ``str(...)`` (or drop ``site_relative`` from graph.py) and
# hypothesis finds a counterexample at once (a name holding "<", "&" or a leading "x:").
ANY_TEXT = st.one_of(USER_TEXT, st.text(st.one_of(st.sampled_from(SPECIAL), HANGUL, st.characters(
    blacklist_categories=("Cs",))), max_size=40))
#: File and folder names as a file system allows them (no "/", no NUL; dot names are never published).
NAME = st.one_of(USER_TEXT, st.lists(st.one_of(st.sampled_from(list("<>&\"':;%#?!=() -_.")), HANGUL,
                                               st.sampled_from(["javascript:", "data:", "<!--", "-->"])),
                                     min_size=1, max_size=12).map("".join)).map(
    lambda s: s.replace("/", "").replace("\x00", "").strip().lstrip(".")).filter(bool)
#: What YAML frontmatter can hold: text, numbers, dates, lists and mappings of them.
PROPERTY = st.recursive(
    st.one_of(ANY_TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(ANY_TEXT, inner, max_size=3)),
    max_leaves=8)


def _printed(html_text: str) -> tuple[list, str]:
    """(elements, text) of a fragment as a template prints it, inside a double-quoted attribute too."""
    root = parse_html(f'<p title="{html_text}">{html_text}</p>')
    return [(el.tag, dict(el.attrs)) for el in root.iter()], root.text


@SETTINGS
@given(st.dictionaries(st.one_of(st.sampled_from(["title", "description", "author", "subtitle", "tags",
                                                  "aliases", "cssclasses", "status"]), ANY_TEXT),
                       PROPERTY, max_size=6))
def test_every_property_reaches_the_theme_as_text(meta):
    shown = theme_properties(meta)
    for key, value in meta.items():
        printed = shown[str(escape(key))]
        elements, text = _printed(str(printed))
        assert elements == [("#root", {}), ("p", {"title": text})]  # one <p>, its title attribute intact
        if isinstance(value, str):
            assert text == value  # the reader sees the property exactly as written


@SETTINGS
@given(ANY_TEXT, st.sampled_from(["meta", "rendered"]))
def test_page_titles_reach_the_theme_as_text(title, source):
    if source == "meta":  # a title property or the note's file name
        got = page_title(theme_properties({"title": title}), "ignored")
        want = title
    else:  # what MkDocs took from the first heading: HTML text, entities kept, maybe a lone "<"
        got = page_title({}, title)
        want = html.unescape(title)
    elements, text = _printed(str(got))
    assert elements == [("#root", {}), ("p", {"title": text})]
    assert text == want
    assert page_title({"title": got}, None) == got  # settled once: no double escaping


@SETTINGS
@given(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=4, unique=True))
def test_file_and_folder_names_reach_nav_and_graph_as_text_and_links(names):
    """Real MkDocs files and nav for arbitrary folder/file names: section titles show the
    folder name, graph URLs are relative site paths that lead back to the note."""
    with tempfile.TemporaryDirectory() as docs, tempfile.TemporaryDirectory() as out:
        config = load_config(config_file=io.StringIO("site_name: x\n"), docs_dir=docs, site_dir=out)
        paths = {f"{folder}/{name}.md" for folder, name in names} | {f"{name}.md" for _, name in names}
        files = Files([File(p, docs, out, True) for p in sorted(paths)])
        nav = theme_nav(get_navigation(files, config), config)
        sections = {elements_text(s.title) for s in nav.items if s.is_section}
        assert sections == {folder for folder, _ in names if any(p.startswith(folder + "/") for p in paths)}
        index = make_index({p: "" for p in paths})
        urls = {f.src_uri: f.url for f in files}
        graph = build_note_graph(resolve_vault(index, Resolver(index)), index, urls)
        by_url = {unquote(u): p for p, u in urls.items()}
        for node in graph.nodes:
            parts = urlsplit(node.url)
            assert not parts.scheme and not parts.netloc, node.url
            # what kb-graph.js does: encode each segment again, resolve against the site root
            encoded = "/".join(quote(seg, safe="!'()*-._~") for seg in node.url.split("/"))
            target = urlsplit(urljoin("http://127.0.0.1:8000/site/", encoded))
            assert target.netloc == "127.0.0.1:8000"
            assert unquote(target.path).removeprefix("/site/") in by_url, node.url  # the note's own page


def elements_text(fragment: str) -> str:
    elements, text = _printed(str(fragment))
    assert elements == [("#root", {}), ("p", {"title": text})], fragment
    return text


@SETTINGS
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_the_link_report_never_hands_a_terminal_control_characters(path, link, message):
    """A file name may hold ESC, CR or a bidi override; the warning (and link-report.txt) shows
    them as escapes. Fails when ``shown`` is dropped from ``Problem.__str__``."""
    line = str(Problem(path, 3, "link", message, link))
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", line)
    assert "\n" not in line.split(": ", 1)[0]  # the location stays on the warning's own line
