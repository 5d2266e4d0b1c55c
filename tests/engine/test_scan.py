"""The one-pass scan of a note: headings, tags, frontmatter, blocks, links, lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kbtest import dedent
from obsidian_kb.scan import scan_note, split_frontmatter


def headings(text):
    return [(h.level, h.text, h.line, h.id) for h in scan_note(dedent(text)).headings]


def links(text):
    return [(occ.line, occ.spec.raw) for occ in scan_note(dedent(text)).links]


def tags(text):
    return scan_note(dedent(text)).tags


HEADINGS = [
    ("atx", "# One\n## Two\n###### Six\n", [(1, "One", 1, "one"), (2, "Two", 2, "two"),
                                            (6, "Six", 3, "six")]),
    ("atx-closing-hashes", "## Title ##\n", [(2, "Title", 1, "title")]),
    ("atx-korean", "# 스택과 힙\n", [(1, "스택과 힙", 1, "스택과-힙")]),
    ("atx-indented-up-to-3", "   # Three\n", [(1, "Three", 1, "three")]),
    ("setext-h1", "Title\n=====\n", [(1, "Title", 1, "title")]),
    ("setext-h2", "Intro\n\nSub title\n---\n", [(2, "Sub title", 3, "sub-title")]),
    ("inside-callout", "> [!note] Box\n> ## Inside\n> text\n", [(2, "Inside", 2, "inside")]),
    ("inside-nested-quote", "> > ### Deep\n", [(3, "Deep", 1, "deep")]),
    ("duplicates-get-suffix", "## Dup\n## Dup\n## dup\n",
     [(2, "Dup", 1, "dup"), (2, "Dup", 2, "dup_1"), (2, "dup", 3, "dup_2")]),
    ("inline-markup-in-id", "## **굵은** `code` [[link|보기]]\n",
     [(2, "**굵은** `code` [[link|보기]]", 1, "굵은-code-보기")]),
    ("inline-code-kept-in-text", "## `fork()` 호출\n", [(2, "`fork()` 호출", 1, "fork-호출")]),
    ("setext-inline-code", "`os.fork` 이란\n---\n", [(2, "`os.fork` 이란", 1, "osfork-이란")]),
    ("comment-dropped-from-heading", "## Title %%note%%\n", [(2, "Title", 1, "title")]),
    ("quoted-inline-code", "> ## `x` y\n", [(2, "`x` y", 1, "x-y")]),
    ("hash-tag-is-not-heading", "#태그\n#tag more\n", []),
    ("seven-hashes-is-not-heading", "####### seven\n", []),
    ("in-fenced-code", "```\n# not\n```\n~~~\n## not\n~~~\n", []),
    ("in-indented-code", "p\n\n    # not\n", []),
    ("in-comment", "%%\n# not\n%%\n", []),
    ("in-frontmatter", "---\n# yaml comment\ntitle: x\n---\n# Real\n", [(1, "Real", 5, "real")]),
    ("lone-dash-under-paragraph", "para\n-\n", []),
    ("dashes-under-list-item", "- item\n---\n", []),
    ("line-numbers-after-code", "```\n\n\n```\n\n## After\n", [(2, "After", 6, "after")]),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*c[1:], id=c[0]) for c in HEADINGS])
def test_headings(text, expected):
    assert headings(text) == expected


TAGS = [
    ("simple", "text #tag here", ("tag",)),
    ("korean", "#태그 와 #한글/하위", ("태그", "한글/하위")),
    ("nested", "#a/b/c", ("a/b/c",)),
    ("line-start-is-tag", "#태그\n", ("태그",)),
    ("digits-only-is-not-tag", "#123 #2024", ()),
    ("digits-then-letter", "#1a #a1", ("1a", "a1")),
    ("dash-underscore", "#my-tag_x", ("my-tag_x",)),
    ("case-insensitive-dedupe", "#Tag #tag #TAG", ("Tag",)),
    ("inside-inline-code", "`#code` x", ()),
    ("inside-fence", "```\n#code\n```\n", ()),
    ("inside-tilde-fence", "~~~\n#code\n~~~\n", ()),
    ("inside-comment", "%% #hidden %%", ()),
    ("heading-is-not-tag", "# Heading\n", ()),
    ("not-after-word", "C#sharp a#b", ()),
    ("url-fragment-is-not-tag", "[x](http://e.com/#frag)", ()),
    ("inside-wikilink-heading-is-not-tag", "[[note#heading]]", ()),
    ("after-paren", "(#inparen)", ("inparen",)),
    ("trailing-slash-dropped", "#a/b/", ("a/b",)),
    ("frontmatter-list", "---\ntags: [one, 둘/셋]\n---\n", ("one", "둘/셋")),
    ("frontmatter-block-list", "---\ntags:\n  - one\n  - '#two'\n---\n", ("one", "two")),
    ("frontmatter-string", "---\ntags: one, two three\n---\n", ("one", "two", "three")),
    ("frontmatter-singular-key", "---\ntag: solo\n---\n", ("solo",)),
    ("frontmatter-and-body-merge", "---\ntags: [a]\n---\n#A #b\n", ("a", "b")),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*c[1:], id=c[0]) for c in TAGS])
def test_tags(text, expected):
    assert tags(text) == expected


FRONTMATTER = [
    # (id, text, aliases, cssclasses)
    ("aliases-list", "---\naliases: [하나, Two words]\n---\n", ("하나", "Two words"), ()),
    ("aliases-block-list", "---\naliases:\n  - 하나\n  - 둘\n---\n", ("하나", "둘"), ()),
    ("alias-string-keeps-spaces", "---\naliases: 프로세스 제어 블록\n---\n", ("프로세스 제어 블록",), ()),
    ("alias-singular-key", "---\nalias: [x]\n---\n", ("x",), ()),
    ("cssclasses-list", "---\ncssclasses: [wide, dense]\n---\n", (), ("wide", "dense")),
    ("cssclasses-string", "---\ncssclasses: wide\n---\n", (), ("wide",)),
    ("cssclass-singular", "---\ncssclass: wide\n---\n", (), ("wide",)),
    ("empty-frontmatter", "---\n---\nbody\n", (), ()),
    ("no-frontmatter", "body\n---\n", (), ()),
]


@pytest.mark.parametrize(("text", "aliases", "cssclasses"),
                         [pytest.param(*c[1:], id=c[0]) for c in FRONTMATTER])
def test_frontmatter(text, aliases, cssclasses):
    scan = scan_note(text)
    assert scan.aliases == aliases
    assert scan.cssclasses == cssclasses
    assert scan.problems == ()


MALFORMED = [
    # (id, text, problem line, words in the message)
    ("unclosed-list", "---\ntitle: ok\naliases: [a, b\ntags: x\n---\nbody\n", 4, "invalid YAML"),
    ("bad-mapping", "---\ntitle: x\nfoo: : bar\n---\n", 3, "invalid YAML"),
    ("tab-indent", "---\na:\n\t- b\n---\n", 3, "invalid YAML"),
    ("not-a-mapping", "---\n- a\n- b\n---\n", 1, "not a mapping"),
]


@pytest.mark.parametrize(("text", "line", "words"), [pytest.param(*c[1:], id=c[0]) for c in MALFORMED])
def test_malformed_frontmatter_is_a_problem_with_its_line(text, line, words):
    scan = scan_note(text)
    assert len(scan.problems) == 1
    assert scan.problems[0].line == line
    assert words in scan.problems[0].message
    assert scan.aliases == () and scan.tags == ()


def test_malformed_frontmatter_keeps_body_links_and_lines():
    scan = scan_note("---\naliases: [a\n---\n\n[[x]]\n")
    assert [(o.line, o.spec.path) for o in scan.links] == [(5, "x")]
    assert scan.body_start == 3


def test_split_frontmatter_line_count():
    data, lines, problem = split_frontmatter("---\na: 1\nb: 2\n---\nbody")
    assert data == {"a": 1, "b": 2} and lines == 4 and problem is None


LINKS_IGNORED = [
    ("fenced-backtick", "```\n[[0]]\n```\n"),
    ("fenced-with-info", "```python\nx = [[0]]\n```\n"),
    ("fenced-tilde", "~~~\n[[0]]\n~~~\n"),
    ("fenced-in-list", "- item\n\n  ```\n  [[0]]\n  ```\n"),
    ("fenced-in-quote", "> ```\n> [[0]]\n> ```\n"),
    ("fenced-in-callout", "> [!note]\n> ~~~\n> [[0]]\n> ~~~\n"),
    ("indented-code", "para\n\n    [[0]]\n"),
    ("inline-code", "x `[[0]]` y"),
    ("inline-code-double", "x ``[[0]]`` y"),
    ("inline-code-after-fence", "```\nx\n```\n\nx `[[0]]` y"),
    ("comment-inline", "x %%[[0]]%% y"),
    ("comment-multiline", "%%\n[[0]]\n%%\n"),
    ("comment-unclosed", "%% [[0]]\n\n[[1]]\n"),
    ("escaped-brackets", r"\[\[0\]\]"),
    ("empty", "[[]]"),
    ("line-break-inside", "[[a\nb]]"),
]


@pytest.mark.parametrize("text", [pytest.param(c[1], id=c[0]) for c in LINKS_IGNORED])
def test_links_in_code_and_comments_are_not_links(text):
    assert links(text) == []


def test_links_and_line_numbers():
    text = """\
        ---
        related: "[[Front]]"
        ---
        # Title
        See [[A]] and ![[B#H|x]].

        ```
        [[code]]
        ```
        %% [[hidden]]
        still hidden %% [[C]]
        > [!tip]
        > [[D#^blk]]
        - [[E|e]] ^li
        | [[F\\|f]] | [[G]] |
        """
    found = links(text)
    assert found == [(2, "Front"), (5, "A"), (5, "B#H|x"), (11, "C"), (13, "D#^blk"), (14, "E|e"),
                     (15, "F\\|f"), (15, "G")]
    scan = scan_note(dedent(text))
    front = scan.links[0]
    assert front.in_frontmatter
    embed = scan.links[2]
    assert embed.spec.embed and embed.spec.headings == ("H",) and embed.spec.alias == "x"
    assert scan.links[7].column == text.split("\n")[14].strip().index("[[G]]") + 1
    table = scan.links[6].spec
    assert (table.path, table.alias) == ("F", "f")


BLOCKS = [
    # (id, text, [(block id, line, start, end)])
    ("end-of-paragraph", "para ^p1\n", [("p1", 1, 1, 1)]),
    ("multi-line-paragraph", "one\ntwo ^p2\n", [("p2", 2, 1, 2)]),
    ("list-item", "- a ^i1\n- b\n", [("i1", 1, 1, 1)]),
    ("own-line-after-list", "- a\n- b\n\n^lst\n", [("lst", 4, 1, 2)]),
    ("own-line-after-quote", "> q\n> r\n\n^qt\n", [("qt", 4, 1, 2)]),
    ("own-line-after-table", "| a |\n|---|\n| b |\n\n^tbl\n", [("tbl", 5, 1, 3)]),
    ("after-heading", "# H\npara ^x\n", [("x", 2, 2, 2)]),
    ("in-code-is-not-block", "```\npara ^x\n```\n", []),
    ("needs-space-before", "para^x\n", []),
    ("not-at-end", "para ^x more\n", []),
    ("dash-and-digits", "p ^a-1\n", [("a-1", 1, 1, 1)]),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*c[1:], id=c[0]) for c in BLOCKS])
def test_blocks(text, expected):
    blocks = scan_note(text).blocks
    assert [(b.id, b.line, b.start, b.end) for b in blocks] == expected


def test_body_start_after_frontmatter():
    assert scan_note("---\na: 1\n---\nbody").body_start == 3
    assert scan_note("body").body_start == 0


def _reference_tags(line: str) -> list[str]:
    """Tags of one plain line the way the scan found them before its quick pre-check."""
    from obsidian_kb.scan import TAG_RE, normalise_tag
    from obsidian_kb.wikilink import MARKDOWN_LINK_RE, WIKILINK_RE

    blank = WIKILINK_RE.sub(lambda m: " " * len(m.group(0)), line)
    blank = MARKDOWN_LINK_RE.sub(lambda m: " " * len(m.group(0)), blank)
    return [normalise_tag(m.group(1)) for m in TAG_RE.finditer(blank)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["#", "##", "[[", "]]", "[", "]", "(", ")", "](", "a", "태그",
                                 "1", " ", "/", "-", "|", ",", ";", "x.md", "[[a]]", "[[a#b]]",
                                 "[t](x.md)"]), max_size=24).map("".join))
def test_tags_match_the_blank_then_search_reference(line):
    # the pre-check skips lines with no place a tag could start; it must never skip a tag
    expected = {t.casefold() for t in _reference_tags(line) if t}
    assert {t.casefold() for t in scan_note(f"본문\n\n{line}\n").tags} == expected


@pytest.mark.parametrize(("line", "tags"), [
    ("[[a]]#붙은태그 뒤", ("붙은태그",)),  # a link's last ']' counts as a break, as before
    ("[x](y.md)#태그", ("태그",)),
    ("[[노트#제목]] 그리고 [[#제목]]", ()),
    ("## 제목 #진짜", ("진짜",)),
])
def test_tags_next_to_links(line, tags):
    assert scan_note(f"본문\n\n{line}\n").tags == tags
