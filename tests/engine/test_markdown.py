"""The Python-Markdown extension, rendered with the same extensions and slugify
as mkdocs.yml and checked through the element tree (href + anchor, ids, classes),
never by comparing HTML strings."""

from __future__ import annotations

import markdown
import pymdownx.slugs
import pytest
from kbtest import make_context, make_index, parse_html, render, render_page, resolve
from obsidian_kb.checks import resolve_vault
from obsidian_kb.markdown.callouts import TITLES, TYPES

FILES = {
    "folder/name.md": """\
        # Intro
        ## What is it?
        text ^blk

        ## Sub: A (b) / c
        sub text
        # Other
        ## Sub: A (b) / c
        ## `fork()` 호출
        ## 스택과 힙
        """,
    "그림/a.png": None,
    "media/s.mp3": None,
    "media/v.mp4": None,
    "media/d.pdf": None,
    "files/data.csv": None,
}


def links(root):
    return [(a.attrs.get("href"), a.text) for a in root.find_all("a") if a.has_class("wikilink")]


# -- links -----------------------------------------------------------------
LINKS = [
    ("note", "[[name]]", "folder/name.md", "name"),
    ("alias", "[[name|보기]]", "folder/name.md", "보기"),
    ("heading", "[[name#What is it?]]", "folder/name.md#what-is-it", "name > What is it?"),
    ("heading-alias", "[[name#what is it|왜]]", "folder/name.md#what-is-it", "왜"),
    ("nested-heading", "[[name#Other#Sub: A (b) / c]]", "folder/name.md#sub-a-b--c_1",
     "name > Other > Sub: A (b) / c"),
    ("korean-heading", "[[name#스택과 힙]]", "folder/name.md#스택과-힙", "name > 스택과 힙"),
    ("inline-code-heading", "[[name#fork() 호출]]", "folder/name.md#fork-호출", "name > fork() 호출"),
    ("block", "[[name#^blk]]", "folder/name.md#^blk", "name > ^blk"),
    ("attachment", "[[data.csv]]", "files/data.csv", "data.csv"),
    ("same-note-heading", "[[#Mine]]", "#mine", "Mine"),
    ("trailing-space", "[[name |x]]", "folder/name.md", "x"),
]


@pytest.mark.parametrize(("source", "href", "text"), [pytest.param(*c[1:], id=c[0]) for c in LINKS])
def test_link_href_and_text(source, href, text):
    root = render(f"# Mine\n\n{source}\n", FILES)
    assert links(root) == [(href, text)]


def test_link_from_subfolder_is_relative():
    root = render("[[name#Intro]] [[a.png]]", FILES, path="deep/er/page.md")
    assert [a.attrs["href"] for a in root.find_all("a")] == ["../../folder/name.md#intro",
                                                             "../../%EA%B7%B8%EB%A6%BC/a.png"]


def test_anchor_of_every_heading_exists_on_the_target_page():
    index = make_index({**FILES, "page.md": "[[name#Sub: A (b) / c]] [[name#Other#Sub A b c]] "
                                            "[[name#`fork()` 호출]] [[name#스택과 힙]] [[name#^blk]]"})
    page = render_page(index, "page.md")
    target = render_page(index, "folder/name.md")
    anchors = [a.attrs["href"].split("#", 1)[1] for a in page.find_all("a")]
    assert anchors == ["sub-a-b--c", "sub-a-b--c_1", "fork-호출", "스택과-힙", "^blk"]
    for anchor in anchors:
        assert target.by_id(anchor) is not None, anchor


HEADING_TEXTS = [
    "# 스택과 힙\n## 스택과 힙\n## Sub: A (b) / c\n",
    "## `fork()` 호출\n### **굵게** 와 ==강조==\n#### [[name|링크]] 제목\n",
    "Title\n=====\n\nSub\n---\n\n## Q&A: 1+1=2?\n## 🚀 발사\n",
    "> [!note] 박스\n> ## 박스 안 제목\n\n## 다음\n",
    "## Dup\n## Dup\n## Dup\n",
    "## `fork()` 호출\n### `os.wait()`: 기다리기\n## 스택 (Stack) & 힙\n",
]


@pytest.mark.parametrize("text", HEADING_TEXTS)
def test_heading_ids_match_index_and_plain_toc(text):
    index = make_index({**FILES, "page.md": text})
    root = render_page(index, "page.md")
    rendered = [h.attrs.get("id") for h in root.iter() if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert rendered == [h.id for h in index.notes["page.md"].scan.headings]
    plain = markdown.Markdown(extensions=["toc", "admonition"], extension_configs={
        "toc": {"slugify": pymdownx.slugs.slugify(case="lower")}})
    if "[!note]" not in text and "==" not in text and "[[" not in text:
        toc_ids = [h.attrs.get("id") for h in parse_html(plain.convert(text)).iter()
                   if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        assert rendered == toc_ids


def test_unresolved_links_have_no_href():
    root = render("[[Nowhere]] [[name#Nope]] [[name#^nope]] [[Alias]]", FILES)
    spans = root.find_all("span")
    assert [s.text for s in spans] == ["Nowhere", "name > Nope", "name > ^nope", "Alias"]
    assert all(s.has_class("wikilink-unresolved") for s in spans)
    assert root.find_all("a") == []
    assert not any("href" in n.attrs for n in root.iter())


def test_table_escaped_pipe_alias():
    root = render("| a | b |\n|---|---|\n| [[name\\|보기]] | c |\n", FILES)
    cells = root.find_all("td")
    assert len(cells) == 2
    link = cells[0].find("a")
    assert (link.attrs["href"], link.text) == ("folder/name.md", "보기")
    assert cells[1].text == "c"


def test_escaped_brackets_are_literal():
    root = render(r"\[\[name\]\] and \[[name]]", FILES)
    assert root.find_all("a") == []
    assert "[[name]]" in root.text


# -- code is never touched --------------------------------------------------
CODE = [
    ("fenced", '```python\nx = [[0]]\nprint("%d%%" % 3)\n```\n'),
    ("tilde", '~~~\nx = [[0]]\nprint("%d%%" % 3)\n~~~\n'),
    ("indented", 'para\n\n    x = [[0]]\n    print("%d%%" % 3)\n'),
    ("inline", 'x `[[0]]` and `"%d%%" % 3`'),
    ("fence-in-list", '- item\n\n    ```\n    [[0]] "%d%%"\n    ```\n'),
    ("fence-in-callout", '> [!note]\n> ```\n> [[0]] "%d%%"\n> ```\n'),
    ("fence-in-callout-two-spaces", '> [!note]\n>  ```md\n> [[0]] "%d%%"\n>  ```\n'),
    ("fence-in-callout-two-spaces-body",
     '> [!example] 작성법\n>  ```md\n>  [[0]] "%d%%"\n>  # 제목 아님\n>  ```\n'),
    ("fence-indented-one-space", ' ```md\n[[0]] "%d%%"\n ```\n'),
    ("inline-after-fence", '```\nx\n```\n\n`[[0]]` `"%d%%"` %%gone%%'),
]


@pytest.mark.parametrize("text", [pytest.param(c[1], id=c[0]) for c in CODE])
def test_code_untouched(text):
    root = render(text, FILES)
    code = "".join(c.text for c in root.find_all("code"))
    assert "[[0]]" in code
    assert "%d%%" in code
    assert not root.find_all("span", **{"class": "wikilink wikilink-unresolved"})
    assert "gone" not in root.text


# -- highlights, emphasis, comments, tags, lone dash -------------------------
def test_highlight_before_particle():
    root = render("==힙==은 빠르다", FILES)
    mark = root.find("mark")
    assert mark.text == "힙"
    assert "은 빠르다" in root.find("p").text


def test_bold_quote_before_particle():
    root = render('**"인용"**은 굵다', FILES)
    assert root.find("strong").text == '"인용"'


COMMENTS = [
    ("inline", "앞 %%숨김 [[Nowhere]]%% 뒤", "앞", "숨김"),
    ("multi-line", "앞\n\n%%\n숨김\n[[Nowhere]]\n%%\n\n뒤", "뒤", "숨김"),
    ("in-callout", "> [!note]\n> 보임 %%숨김%%", "보임", "숨김"),
]


@pytest.mark.parametrize(("text", "kept", "gone"), [pytest.param(*c[1:], id=c[0]) for c in COMMENTS])
def test_comments_removed(text, kept, gone):
    root = render(text, FILES)
    assert kept in root.text
    assert gone not in root.text
    assert not root.find_all("span")


def test_comment_markers_kept_in_code():
    root = render("```\n%%kept%%\n```\n\n`%%also%%` %%gone%%", FILES)
    code = [c.text for c in root.find_all("code")]
    assert "%%kept%%" in code[0] and code[1] == "%%also%%"
    assert "gone" not in root.text


def test_tag_line_is_not_heading():
    root = render("#태그\n\n#tag/nested and #123\n", FILES)
    assert not [n for n in root.iter() if n.tag.startswith("h")]
    assert [t.attrs["data-tag"] for t in root.find_all(**{"class": "kb-tag"})] == ["태그", "tag/nested"]
    assert "#123" in root.text


def test_heading_with_space_still_heading():
    root = render("# 제목\n", FILES)
    assert root.find("h1").text == "제목"


def test_tag_not_in_code():
    root = render("`#code` #real", FILES)
    assert [t.attrs["data-tag"] for t in root.find_all(**{"class": "kb-tag"})] == ["real"]


def test_lone_dash_under_paragraph_is_not_h2():
    root = render("문단\n-\n\n끝", FILES)
    assert root.find_all("h2") == []
    assert root.find("p").text == "문단"
    assert len(root.find_all("li")) == 1


def test_lone_dash_under_list_item():
    root = render("- 하나\n-\n", FILES)
    assert root.find_all("h2") == []
    assert len(root.find_all("li")) == 2


# -- callouts ----------------------------------------------------------------
#: DESIGN.md section 3: 13 types with their aliases (written, Obsidian type, Material style, title).
CALLOUTS = [
    ("note", "note", "note", "노트"),
    ("abstract", "abstract", "abstract", "요약"), ("summary", "abstract", "abstract", "요약"),
    ("tldr", "abstract", "abstract", "요약"),
    ("info", "info", "info", "정보"),
    ("todo", "todo", "info", "할 일"),  # Material has no todo style
    ("tip", "tip", "tip", "팁"), ("hint", "tip", "tip", "팁"), ("important", "tip", "tip", "팁"),
    ("success", "success", "success", "성공"), ("check", "success", "success", "성공"),
    ("done", "success", "success", "성공"),
    ("question", "question", "question", "질문"), ("help", "question", "question", "질문"),
    ("faq", "question", "question", "질문"),
    ("warning", "warning", "warning", "주의"), ("caution", "warning", "warning", "주의"),
    ("attention", "warning", "warning", "주의"),
    ("failure", "failure", "failure", "실패"), ("fail", "failure", "failure", "실패"),
    ("missing", "failure", "failure", "실패"),
    ("danger", "danger", "danger", "위험"), ("error", "danger", "danger", "위험"),
    ("bug", "bug", "bug", "버그"),
    ("example", "example", "example", "예시"),
    ("quote", "quote", "quote", "인용"), ("cite", "quote", "quote", "인용"),
]


@pytest.mark.parametrize("case", ["lower", "upper", "title"])
@pytest.mark.parametrize(("written", "kind", "style", "title"), CALLOUTS, ids=[c[0] for c in CALLOUTS])
def test_callout_types_and_aliases(written, kind, style, title, case):
    root = render(f"> [!{getattr(written, case)()}]\n> 본문", FILES)
    box = root.find("div")
    assert box.has_class("admonition") and box.has_class("kb-callout")
    assert box.has_class(style)
    assert TYPES[written] == kind
    assert box.find("p", **{"class": "admonition-title"}).text == title
    assert root.find_all("blockquote") == []
    assert "본문" in box.text


def test_callout_has_13_types():
    assert len({c[1] for c in CALLOUTS}) == 13
    assert set(TYPES) == {c[0] for c in CALLOUTS}
    assert set(TITLES) == {c[1] for c in CALLOUTS}


def test_callout_custom_title_and_markdown_body():
    root = render("> [!Tip] 내 **제목**\n> 본문 [[name]]\n>\n> - 항목", FILES)
    box = root.find("div")
    assert box.find("p", **{"class": "admonition-title"}).text == "내 제목"
    assert box.find("a").attrs["href"] == "folder/name.md"
    assert box.find("li").text == "항목"


@pytest.mark.parametrize(("fold", "is_open"), [("+", True), ("-", False)])
def test_callout_folding(fold, is_open):
    root = render(f"> [!question]{fold} 접기\n> 본문", FILES)
    details = root.find("details")
    assert details.has_class("question")
    assert ("open" in details.attrs) is is_open
    assert details.find("summary").text == "접기"
    assert "본문" in details.text


def test_unknown_callout_looks_like_note():
    root = render("> [!bogus]\n> 본문", FILES)
    box = root.find("div")
    assert box.has_class("note")
    assert box.attrs["data-callout"] == "bogus"
    assert box.find("p").text == "Bogus"


def test_nested_callouts():
    root = render("> [!warning] 바깥\n> 바깥 본문\n> > [!danger] 안쪽\n> > 안쪽 본문\n", FILES)
    outer = root.find("div", **{"data-callout": "warning"})
    inner = outer.find("div", **{"data-callout": "danger"})
    assert inner.has_class("danger")
    assert "안쪽 본문" in inner.text
    assert "바깥 본문" in outer.text and "바깥 본문" not in inner.text


def test_plain_quote_is_not_callout():
    root = render("> 그냥 인용\n> [!note] 아님", FILES)
    assert root.find("blockquote")
    assert not root.find_all(**{"class": "admonition-title"})


# -- block ids -----------------------------------------------------------------
def test_block_ids():
    root = render("문단 끝 ^para1\n\n- 항목 ^li1\n- 둘\n\n^list1\n\n> 인용\n\n^q1\n", FILES)
    assert root.by_id("^para1").tag == "p"
    assert root.by_id("^li1").tag == "li"
    assert root.by_id("^list1").tag == "ul"
    assert root.by_id("^q1").tag == "blockquote"
    assert "^" not in root.text
    assert root.by_id("^para1").text == "문단 끝"


# -- embeds ----------------------------------------------------------------
EMBED_FILES = {
    **FILES,
    "notes/A.md": "# A\nA 본문\n\n![[B]]\n",
    "notes/B.md": "# B\nB 본문 [[name#Intro]]\n\n![[A]]\n",
    "notes/self.md": "# Self\n![[self]]\n",
}


def embeds(root):
    return root.find_all("div", **{"class": "kb-embed"})


def test_embed_note():
    root = render("![[name]]", FILES)
    (box,) = embeds(root)
    assert box.attrs["data-embed"] == "folder/name.md"
    assert "sub text" in box.text
    assert box.find("a").attrs["href"] == "folder/name.md"


def test_embed_section_only():
    root = render("![[name#What is it?]]", FILES)
    (box,) = embeds(root)
    assert "text" in box.text and "sub text" not in box.text
    assert box.find("a").attrs["href"] == "folder/name.md#what-is-it"


def test_embed_block():
    root = render("![[name#^blk]]", FILES)
    (box,) = embeds(root)
    assert box.find("p", id="^blk").text == "text"
    assert "Intro" not in box.text.replace("name", "")


def test_embed_two_sections_of_one_note():
    root = render("![[name#What is it?]]\n\n![[name#Other]]\n", FILES)
    first, second = embeds(root)
    assert "text" in first.text and "Sub: A (b) / c" not in first.text
    assert "Sub: A (b) / c" in second.text and "스택과 힙" in second.text


def missing_boxes(root):
    """(target as written, reason) of every "cannot be found" box."""
    return [(b.find("span", **{"class": "kb-embed-missing-target"}).text, b.attrs["data-reason"])
            for b in root.find_all("span", **{"class": "kb-embed-missing"})]


def test_embed_cycle_reported_once_and_not_recursed():
    index = make_index(EMBED_FILES)
    ctx = make_context(index)
    root = render_page(index, "notes/A.md", ctx)
    outer = embeds(root)
    assert len(outer) == 1 and outer[0].attrs["data-embed"] == "notes/B.md"
    assert missing_boxes(root) == [("A", "cycle")]
    assert "[[" not in root.text
    # links inside the embedded note resolve from its own folder, relative to the page
    assert outer[0].find("a", **{"class": "wikilink"}).attrs["href"].startswith("../folder/name.md#intro")
    # B's page meets the same cycle from the other side; the pre-scan reports it once
    render_page(index, "notes/B.md", ctx)
    assert ctx.problems == []
    cycles = [p for p in resolve_vault(index).problems if p.kind == "cycle"]
    assert [(p.path, p.line, p.link) for p in cycles] == [("notes/B.md", 4, "![[A]]"),
                                                           ("notes/self.md", 2, "![[self]]")]
    assert "notes/A.md → notes/B.md → notes/A.md" in cycles[0].message


def test_self_embed_is_a_cycle():
    index = make_index({**EMBED_FILES, "notes/other.md": "![[self]]\n"})
    ctx = make_context(index)
    root = render_page(index, "notes/self.md", ctx)
    assert embeds(root) == [] and missing_boxes(root) == [("self", "cycle")]
    # a page embedding the self-embedding note shows it once, and nothing more is reported
    other = render_page(index, "notes/other.md", ctx)
    assert len(embeds(other)) == 1 and missing_boxes(other) == [("self", "cycle")]
    cycles = [(p.path, p.line) for p in resolve_vault(index).problems if p.kind == "cycle"]
    assert cycles.count(("notes/self.md", 2)) == 1 and len(cycles) == 2  # A⇄B, self


def test_missing_embed_target():
    root = render("![[Nowhere]]\n\n![[name#Nope]]\n\n![[name#^nope]]\n\n![[없는.png]]", FILES)
    assert missing_boxes(root) == [("Nowhere", "file"), ("name#Nope", "heading"), ("name#^nope", "block"),
                                   ("없는.png", "file")]
    whys = [b.find("span", **{"class": "kb-embed-missing-why"}).text
            for b in root.find_all("span", **{"class": "kb-embed-missing"})]
    assert all(w.startswith("찾을 수 없음") for w in whys) and len(set(whys)) == 3
    assert root.find_all("img") == [] and embeds(root) == []
    assert "[[" not in root.text


def test_embed_nested_too_deeply_says_so():
    chain = {f"d/n{i}.md": f"# N{i}\n![[n{i + 1}]]\n" for i in range(12)}
    chain["d/n12.md"] = "끝\n"
    root = render("![[n0]]", chain)
    assert missing_boxes(root) == [("n8", "depth")]
    assert len(embeds(root)) == 8  # max_embed_depth


IMAGES = [
    ("plain", "![[a.png]]", None, None, "a.png"),
    ("width", "![[a.png|100]]", "100", None, "a.png"),
    ("width-height", "![[a.png|100x145]]", "100", "145", "a.png"),
    ("fragment-width", "![[a.png#css-hook|100]]", "100", None, "a.png"),
    ("alt-text", "![[a.png|그림 설명]]", None, None, "그림 설명"),
    ("folder-path", "![[그림/a.png|50]]", "50", None, "a.png"),
]


@pytest.mark.parametrize(("source", "width", "height", "alt"),
                         [pytest.param(*c[1:], id=c[0]) for c in IMAGES])
def test_image_embeds(source, width, height, alt):
    img = render(source, FILES).find("img")
    assert img.attrs["src"] == "%EA%B7%B8%EB%A6%BC/a.png"
    assert img.attrs.get("width") == width
    assert img.attrs.get("height") == height
    assert img.attrs["alt"] == alt


def test_media_embeds():
    root = render("![[s.mp3]] ![[v.mp4]] ![[d.pdf]] ![[data.csv]]", FILES)
    assert root.find("audio").attrs["src"] == "media/s.mp3"
    assert root.find("video").attrs["src"] == "media/v.mp4"
    assert root.find("iframe").attrs["src"] == "media/d.pdf"
    assert root.find("a", **{"class": "wikilink kb-embed-file"}).attrs["href"] == "files/data.csv"


def test_embed_links_are_final_urls_when_the_host_gives_urls():
    """Embedded HTML is stashed raw, so MkDocs never rewrites its ``.md`` hrefs."""
    index = make_index({**FILES, "notes/page.md": "![[name#What is it?]]\n\n[[name#Intro]]\n"})
    ctx = make_context(index)
    ctx.urls = {path: path[:-3] + "/" if path.endswith(".md") else path for path in index.files}
    root = render_page(index, "notes/page.md", ctx)
    (box,) = embeds(root)
    title = box.find("div", **{"class": "kb-embed-title"}).find("a")
    assert title.attrs["href"] == "../../folder/name/#what-is-it"
    # the page's own links stay ".md" paths: MkDocs rewrites and checks those
    own = [a for a in root.find_all("a", **{"class": "wikilink"})
           if not any(n.has_class("kb-embed") for n in a.ancestors())]
    assert [a.attrs["href"] for a in own] == ["../folder/name.md#intro"]


@pytest.mark.parametrize("text", [
    pytest.param("![[o#스택과 힙]]\n\n## 스택과 힙\n\n[[#스택과 힙]]\n", id="embed-before-own-heading"),
    pytest.param("## 스택과 힙\n\n![[o#스택과 힙]]\n\n![[o]]\n\n[[#스택과 힙]]\n",
                 id="embed-after-own-heading"),
])
def test_embedded_headings_never_take_the_page_ids(text):
    """An embedded section must not carry the id a same-page link ([[#H]]) jumps to."""
    index = make_index({"o.md": "## 스택과 힙\n내용\n### 하위\n", "page.md": text})
    root = render_page(index, "page.md")
    ids = root.ids
    assert len(ids) == len(set(ids)), ids
    target = root.by_id("스택과-힙")
    assert target is not None and not any(a.has_class("kb-embed") for a in target.ancestors())
    assert root.find("a", **{"class": "wikilink"}).attrs["href"] == "#스택과-힙"
    assert len(embeds(root)) == text.count("![[")


def test_lone_dash_inside_code_is_kept():
    root = render("```\n문단\n-\n```\n\n    들여쓴\n    -\n", FILES)
    code = [c.text for c in root.find_all("code")]
    assert code[0] == "문단\n-\n"
    assert code[1] == "들여쓴\n-\n"
    assert "\u200b" not in "".join(code)


def test_tag_line_inside_callout_is_a_tag():
    root = render("> [!note]\n> #태그 본문\n", FILES)
    assert not [n for n in root.iter() if n.tag in ("h1", "h2")]
    assert root.find(**{"class": "kb-tag"}).attrs["data-tag"] == "태그"


def test_block_id_after_table():
    root = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n^tbl\n", FILES)
    assert root.by_id("^tbl").tag == "table"
    assert "^tbl" not in root.text


def test_highlight_and_tag_not_in_code():
    root = render("`==x==` `#tag` ==y==", FILES)
    assert [m.text for m in root.find_all("mark")] == ["y"]
    assert [c.text for c in root.find_all("code")] == ["==x==", "#tag"]
    assert not root.find_all(**{"class": "kb-tag"})


def test_embed_of_a_section_of_the_same_note_is_not_a_cycle():
    """``![[#A]]`` shows section A again further down the same note (Obsidian does this)."""
    index = make_index({"page.md": "## A\n내용 a\n\n## B\n![[#A]]\n"})
    ctx = make_context(index)
    root = render_page(index, "page.md", ctx)
    (box,) = embeds(root)
    assert "내용 a" in box.text
    assert ctx.problems == []


def test_section_that_embeds_itself_is_a_cycle():
    index = make_index({"page.md": "## A\n![[#A]]\n\n## B\n![[#A]]\n"})
    ctx = make_context(index)
    root = render_page(index, "page.md", ctx)
    assert [(p.kind, p.line) for p in resolve_vault(index).problems] == [("cycle", 2)]
    assert missing_boxes(root) == [("#A", "cycle"), ("#A", "cycle")]


# -- ordinary Markdown links: checked and shown like wikilinks --------------------
MD_LINKS = [
    # (id, source, href or None when unresolved, text)
    ("resolved-anywhere", "[보기](name.md)", "folder/name.md", "보기"),
    ("resolved-heading-text", "[보기](name.md#What%20is%20it)", "folder/name.md#what-is-it", "보기"),
    ("missing-note", "[없음](Missing.md)", None, "없음"),
    ("missing-heading", "[없음](name.md#Nope)", None, "없음"),
    ("missing-block", "[없음](name.md#^nope)", None, "없음"),
    ("missing-without-suffix", "[없음](Missing)", None, "없음"),
    ("markup-in-text-kept", "[**굵게** 없음](Missing.md)", None, "굵게 없음"),
]


@pytest.mark.parametrize(("source", "href", "text"), [pytest.param(*c[1:], id=c[0]) for c in MD_LINKS])
def test_markdown_links_like_wikilinks(source, href, text):
    index = make_index({**FILES, "page.md": f"# 제목\n\n앞 {source} 뒤\n"})
    root = render_page(index, "page.md")
    problems = resolve_vault(index).problems
    if href is None:
        (span,) = root.find_all("span", **{"class": "wikilink wikilink-unresolved"})
        assert span.text == text
        assert not [a for a in root.find_all("a") if not a.has_class("headerlink")]
        assert [(p.path, p.line, p.kind) for p in problems] == [("page.md", 3, "link")]
        assert problems[0].link.startswith("[")
    else:
        (a,) = [a for a in root.find_all("a") if not a.has_class("headerlink")]
        assert (a.attrs["href"], a.text) == (href, text)
        assert problems == ()
    assert "앞 " in root.find("p").text and " 뒤" in root.find("p").text


def test_missing_markdown_image_is_a_box():
    root = render("![그림](없는.png)\n", FILES)
    assert missing_boxes(root) == [("없는.png", "file")]
    assert root.find_all("img") == []


def test_own_links_are_not_markdown_links():
    """Permalinks, footnotes and attr_list ids point at ids the page has: never "unresolved"."""
    root = render("# 제목\n\n본문[^1] [위로](#top)\n\n[^1]: 각주\n\n## 끝 {#top}\n", FILES)
    assert not root.find_all("span", **{"class": "wikilink wikilink-unresolved"})
    assert root.find("a", **{"class": "footnote-ref"}) is not None or root.find_all("sup")


@pytest.mark.parametrize(("page", "up"), [("page.md", ""), ("a/page.md", "../"), ("a/b/page.md", "../../")])
def test_media_src_is_the_served_url_at_any_depth(page, up):
    """MkDocs rewrites only ``<a href>`` and ``<img src>``: players and frames need the final
    URL (directory URLs put ``a/b/page.md`` at ``a/b/page/``, one folder deeper)."""
    index = make_index({**FILES, page: "![[s.mp3]] ![[v.mp4]] ![[d.pdf]] ![[a.png]]\n"})
    ctx = make_context(index)
    ctx.urls = {p: p[:-3] + "/" if p.endswith(".md") else p for p in index.files}
    root = render_page(index, page, ctx)
    deeper = up + "../"  # the page itself is a folder
    assert root.find("audio").attrs["src"] == deeper + "media/s.mp3"
    assert root.find("video").attrs["src"] == deeper + "media/v.mp4"
    assert root.find("iframe").attrs["src"] == deeper + "media/d.pdf"
    # the image stays a source path, which MkDocs rewrites and checks
    assert root.find("img").attrs["src"] == up + "%EA%B7%B8%EB%A6%BC/a.png"


@pytest.mark.parametrize(("text", "code"), [
    pytest.param('> [!note]\n>  ```md\n> [[0]] "%d%%"\n>  ```\n', '[[0]] "%d%%"\n', id="callout"),
    pytest.param('> [!note]\n>  ```md\n>  > [!tip] 팁\n>  # 제목 아님\n>  ```\n',
                 "> [!tip] 팁\n# 제목 아님\n", id="callout-body-indented"),
    pytest.param('>  ~~~\n> [[0]]\n>  ~~~\n', "[[0]]\n", id="quote-tilde"),
    pytest.param('> [!example]\n>  ```md\n> > [!tip] 팁\n> > [[0]]\n>  ```\n', "> [!tip] 팁\n> [[0]]\n",
                 id="callout-example-of-a-callout"),
    pytest.param('```md\n> [!tip]\n```\n\n ```\n[[0]]\n ```\n', None, id="top-level-fence-holding-a-quote"),
    pytest.param(' ```md\n[[0]]\n ```\n', "[[0]]\n", id="top-level"),
])
def test_indented_fence_is_a_verbatim_block(text, code):
    root = render(text, FILES)
    if code is None:  # two fences: the second, indented one must stay a block too
        assert [p.find("code").text for p in root.find_all("pre")] == ["> [!tip]\n", "[[0]]\n"]
        return
    (pre,) = root.find_all("pre")
    assert pre.find("code").text == code
    assert not [n for n in root.iter() if n.tag in ("h1", "a", "span") and n.has_class("wikilink")]


# -- code spans and brackets inside a link (the construct that opens first wins) ------
SYNTAX_FILES = {
    "api/Functions.md": "## `hasTag`\n## Types\n### **oneOf([a, b])**\n## `__init__(self)`\n",
    "BaseMessage.md": "",
    "x.md": "",
}
LINK_SYNTAX = [
    # (id, source, [(href, text)], literal text left around the links)
    ("code-in-heading-with-alias", "[[Functions#`hasTag`|hasTag]]",
     [("api/Functions.md#hastag", "hasTag")], ""),
    ("code-call-in-heading", "[[Functions#`__init__(self)`]]",
     [("api/Functions.md#initself", "Functions > `__init__(self)`")], ""),
    ("brackets-and-bold-in-heading-path", "[[Functions#Types#**oneOf([a, b])**]]",
     [("api/Functions.md#oneofa-b", "Functions > Types > **oneOf([a, b])**")], ""),
    ("triple-brackets-innermost", "Union[[[BaseMessage]]]", [("BaseMessage.md", "BaseMessage")],
     "Union[BaseMessage]"),
    ("quadruple-brackets-innermost", "[[[[x]]]]", [("x.md", "x")], "[[x]]"),
    ("code-opens-first", "`[[x]]` [[x]]", [("x.md", "x")], "[[x]] x"),
    ("escape-opens-first", r"\[[x]] [[x]]", [("x.md", "x")], "[[x]] x"),
]


@pytest.mark.parametrize(("source", "expected", "literal"),
                         [pytest.param(*c[1:], id=c[0]) for c in LINK_SYNTAX])
def test_link_syntax_inside_links(source, expected, literal):
    index = make_index({**SYNTAX_FILES, "page.md": source + "\n"})
    root = render_page(index, "page.md")
    assert links(root) == expected
    assert not root.find_all("span", **{"class": "wikilink wikilink-unresolved"})
    if literal:
        assert root.find("p").text == literal
    # the pre-scan sees the same links, all resolved: nothing to report
    assert resolve_vault(index).problems == ()
    scanned = [resolve_vault(index).links[i].resolution for i in range(len(expected))]
    assert [(r.file.path, r.anchor) for r in scanned] == [
        (href.partition("#")[0], href.partition("#")[2] or None) for href, _ in expected]
    assert len(index.notes["page.md"].scan.links) == len(expected)


def test_same_note_heading_with_code():
    root = render("## `__init__(self)`\n\n[[#`__init__(self)`]]\n", FILES)
    assert links(root) == [("#initself", "`__init__(self)`")]
    assert root.by_id("initself").tag == "h2"


HIGHLIGHTS = [
    # pymdownx.mark renders neither of the last two (measured), so the engine keeps its own.
    ("plain", "==힙== 영역", "힙"),
    ("before-particle", "==힙==은 빠르다", "힙"),
    ("quoted-before-particle", '=="힙"==은 빠르다', '"힙"'),
    ("parens-before-particle", "==(괄호)==는 빠르다", "(괄호)"),
]


@pytest.mark.parametrize(("source", "marked"), [pytest.param(*c[1:], id=c[0]) for c in HIGHLIGHTS])
def test_highlights(source, marked):
    assert [m.text for m in render(source, FILES).find_all("mark")] == [marked]


@pytest.mark.parametrize("text", [
    pytest.param("본문 ^b\n\n![[o#^b]]\n", id="page-has-the-id"),
    pytest.param("![[o#^b]]\n\n![[o#^b]]\n", id="block-embedded-twice"),
    pytest.param("![[o]]\n\n![[o#^b]]\n\n- 항목 ^b\n", id="page-id-after-the-embeds"),
    pytest.param("![[o#섹션]]\n\n![[o]]\n", id="section-then-whole-note"),
])
def test_embedded_block_ids_never_repeat_an_id_on_the_page(text):
    index = make_index({"o.md": "## 섹션\n내용 ^b\n\n- 목록\n\n^list\n", "page.md": text})
    root = render_page(index, "page.md")
    ids = root.ids
    assert len(ids) == len(set(ids)), ids
    assert "^b" in ids
    own = index.notes["page.md"].scan.blocks
    if own:  # the page's own block keeps its id; the embedded copy does not take it
        target = root.by_id("^b")
        assert not any(a.has_class("kb-embed") for a in target.ancestors())


SETEXT = [
    # (id, text, [(tag, heading text)] in the page, in the index)
    ("two-lines-dash", "첫 줄\n둘째 줄\n---\n\n본문\n", [("h2", "첫 줄\n둘째 줄")]),
    ("three-lines-equals", "가\n나\n다\n===\n", [("h1", "가\n나\n다")]),
    ("after-atx", "# A\nb\nc\n---\n", [("h1", "A"), ("h2", "b\nc")]),
    ("after-fence", "```\ncode\n```\n둘\n셋\n---\n", [("h2", "둘\n셋")]),
    ("one-line", "한 줄\n---\n", [("h2", "한 줄")]),
    ("list-then-rule", "- a\n- b\n---\n", []),
    ("lazy-list-line-then-rule", "- a\nlazy\n---\n", []),
    ("quote-then-rule", "> q\n---\n", []),
    ("blank-then-rule", "문단\n\n---\n", []),
    ("heading-then-rule", "가\n---\n---\n", [("h2", "가")]),
    ("rule-inside-run", "가\n***\n나\n---\n", [("h2", "나")]),
    ("equals-then-dash", "가\n===\n나\n---\n", [("h1", "가"), ("h2", "나")]),
    ("in-quote-then-atx", "> 가\n> 나\n> ---\n\n## 다\n", [("h2", "가\n나"), ("h2", "다")]),
    ("in-callout-body", "> [!note] 제목\n> 가\n> ---\n\n## 다\n", [("h2", "가"), ("h2", "다")]),
    ("callout-title-then-rule", "> [!note] 제목\n> ---\n\n## 다\n", [("h2", "다")]),
    ("lazy-line-after-quote", "> 가\n나\n---\n\n## 다\n", [("h2", "다")]),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*c[1:], id=c[0]) for c in SETEXT])
def test_setext_paragraph_of_several_lines(text, expected):
    index = make_index({"page.md": text})
    root = render_page(index, "page.md")
    found = [(h.tag, h.text.rstrip("¶")) for h in root.iter() if h.tag in ("h1", "h2")]
    assert [(tag, " ".join(t.split())) for tag, t in found] == [(tag, " ".join(t.split()))
                                                                  for tag, t in expected]
    scanned = index.notes["page.md"].scan.headings
    assert [(f"h{h.level}", h.text) for h in scanned] == expected
    assert [h.attrs["id"] for h in root.iter() if h.tag in ("h1", "h2")] == [h.id for h in scanned]
    if expected:  # and Obsidian's heading link finds it, line break read as a space
        last = " ".join(expected[-1][1].split())
        assert resolve(index, f"#{last}", "page.md").heading == scanned[-1]


def test_reference_style_markdown_link_that_does_not_resolve_is_reported():
    text = "# 제목\n\n[없음][r] 과 [보기][ok]\n\n[r]: Missing.md\n[ok]: name.md\n"
    index = make_index({**FILES, "page.md": text})
    ctx = make_context(index)
    root = render_page(index, "page.md", ctx)
    assert [s.text for s in root.find_all("span", **{"class": "wikilink wikilink-unresolved"})] == ["없음"]
    assert [(p.path, p.line, p.kind) for p in ctx.problems] == [("page.md", 5, "link")]
    hrefs = [a.attrs["href"] for a in root.find_all("a") if not a.has_class("headerlink")]
    assert hrefs == ["folder/name.md"]
