"""Table-driven tests of every wikilink resolution rule (DESIGN.md section 3).

Each case names the link as written, the note it is written in, the vault path
it must resolve to and the anchor id our renderer emits (``None`` when the link
names no heading or block). The vault is built in memory.
"""

from __future__ import annotations

import unicodedata

import pytest
from kbtest import make_index, resolve
from obsidian_kb.headings import heading_key, strip_heading
from obsidian_kb.wikilink import parse_wikilink

NFD_NAME = unicodedata.normalize("NFD", "프로세스")
assert NFD_NAME != "프로세스"  # the fixture really is decomposed

VAULT = {
    "Home.md": "# Home\n",
    "v1.2.md": "# Version\n",
    "v1.2": None,  # a file without extension must not shadow the note
    "a.png": None,
    "docs/guide.pdf": None,
    "folder/name.md": """\
        # Intro
        ## What is it?
        text
        ## Sub: A (b) / c
        ### Deep
        # Other
        ## Sub: A (b) / c
        ## Q&A: 1+1=2?
        ## Spaces   and\ttabs
        """,
    "folder/here.md": "",
    "folder/nested/child.md": "",
    "code/fork.md": "## `fork()` 호출\n## `os.wait()`: 기다리기\n",
    "deep/x/y/leaf.md": """\
        para one ^p1

        - item one ^li1
        - item two

        - a
        - b

        ^after-list

        > quoted
        > more

        ^quoteid

        multi line
        paragraph ^Multi-2
        """,
    # same basename "same" in several folders
    "same.md": "",
    "dup/same.md": "",
    "other/same.md": "",
    "other/src.md": "",
    "dup/deeper/same.md": "",
    "only/twin.md": "",
    "alpha/twin.md": "",
    "zz/twin.md": "",
    "zz/from.md": "",
    "more/twin.md": "",
    "paths.md": """\
        # A
        ## B
        # C
        ### B
        #### Deep
        # Top
        ## Mid
        # Mid
        ### Low
        ## Types
        ### **oneOf([a, b])**
        ## `__init__(self)`
        """,
    "Alias.md": "---\naliases: [Nick, 다른 이름]\n---\n# Alias\n",
    NFD_NAME + ".md": "## 스택과 힙\n### 힙 (Heap)\n",
    "스레드/경쟁 조건.md": "# 경쟁 조건이란?\n## GIL: 전역 인터프리터 락\n",
    "이모지 🚀 노트.md": "# 🚀 발사\n",
    "a (b) & c's, d?.md": "# 제목 (괄호) & 'quote'\n",
    "C#.md": "# Sharp\n",
    "C.md": "",
}


@pytest.fixture(scope="module")
def index():
    return make_index(VAULT)


CASES = [
    # (id, link, source note, expected vault path, expected anchor)
    # Anchors are what pymdownx's slugify(case="lower") makes of the heading text (the
    # id toc writes; test_markdown checks they agree): "Sub: A (b) / c" -> "sub-a-b--c".
    ("case-insensitive", "home", "Home.md", "Home.md", None),
    ("case-insensitive-upper", "HOME", "folder/here.md", "Home.md", None),
    ("md-suffix-optional", "Home.md", "Home.md", "Home.md", None),
    ("md-suffix-any-case", "HOME.MD", "Home.md", "Home.md", None),
    ("dotted-name-is-note", "v1.2", "Home.md", "v1.2.md", None),
    ("dotted-name-with-md", "v1.2.md", "Home.md", "v1.2.md", None),
    ("attachment-needs-extension", "a.png", "Home.md", "a.png", None),
    ("attachment-case-insensitive", "A.PNG", "Home.md", "a.png", None),
    ("attachment-in-folder-by-name", "guide.pdf", "Home.md", "docs/guide.pdf", None),
    ("vault-path", "folder/name", "Home.md", "folder/name.md", None),
    ("vault-path-case", "FOLDER/Name", "Home.md", "folder/name.md", None),
    ("leading-slash-is-vault-root", "/folder/name", "Home.md", "folder/name.md", None),
    ("basename-anywhere", "name", "Home.md", "folder/name.md", None),
    ("partial-path-suffix", "y/leaf", "Home.md", "deep/x/y/leaf.md", None),
    ("partial-path-suffix-longer", "x/y/leaf", "Home.md", "deep/x/y/leaf.md", None),
    ("relative-dot", "./name", "folder/here.md", "folder/name.md", None),
    ("relative-dot-subfolder", "./nested/child", "folder/here.md", "folder/nested/child.md", None),
    ("relative-dotdot", "../Home", "folder/here.md", "Home.md", None),
    ("relative-dotdot-twice", "../../Home", "folder/nested/child.md", "Home.md", None),
    ("relative-dotdot-sibling", "../name", "folder/nested/child.md", "folder/name.md", None),
    ("trailing-spaces-trimmed", "Home   ", "Home.md", "Home.md", None),
    ("trailing-spaces-before-heading", "folder/name #Intro", "Home.md", "folder/name.md", "intro"),
    # same basename in several folders
    ("same-exact-vault-path-wins", "dup/same", "other/src.md", "dup/same.md", None),
    ("same-exact-root-path-wins", "same", "other/src.md", "same.md", None),
    ("same-deeper-exact", "dup/deeper/same", "Home.md", "dup/deeper/same.md", None),
    ("same-suffix-picks-shortest", "deeper/same", "Home.md", "dup/deeper/same.md", None),
    ("same-own-folder-wins", "twin", "zz/from.md", "zz/twin.md", None),
    ("same-shortest-path-string", "twin", "Home.md", "zz/twin.md", None),
    ("same-shortest-from-other-folder", "twin", "folder/here.md", "zz/twin.md", None),
    # aliases display, they are not targets
    ("alias-display-uses-real-name", "Alias|Nick", "Home.md", "Alias.md", None),
    # headings
    ("heading", "folder/name#Intro", "Home.md", "folder/name.md", "intro"),
    ("heading-case-insensitive", "name#INTRO", "Home.md", "folder/name.md", "intro"),
    ("heading-question-mark-optional", "name#What is it", "Home.md", "folder/name.md", "what-is-it"),
    ("heading-question-mark-written", "name#what is it?", "Home.md", "folder/name.md", "what-is-it"),
    ("heading-punctuation-stripped", "name#Sub A b c", "Home.md", "folder/name.md", "sub-a-b--c"),
    ("heading-punctuation-as-written", "name#Sub: A (b) / c", "Home.md", "folder/name.md", "sub-a-b--c"),
    ("heading-colon-paren-slash-anywhere", "name#sub::a((b))//c", "Home.md", "folder/name.md",
     "sub-a-b--c"),
    ("heading-ampersand-plus-equals", "name#Q A 1 1 2", "Home.md", "folder/name.md", "qa-112"),
    ("heading-whitespace-collapsed", "name#spaces and tabs", "Home.md", "folder/name.md",
     "spaces---andtabs"),
    ("heading-first-match", "name#Sub A (b) c", "Home.md", "folder/name.md", "sub-a-b--c"),
    ("heading-nested", "name#Intro#Sub A (b) c", "Home.md", "folder/name.md", "sub-a-b--c"),
    ("heading-nested-second-section", "name#Other#Sub A (b) c", "Home.md", "folder/name.md",
     "sub-a-b--c_1"),
    ("heading-nested-three", "name#Intro#Sub A b c#Deep", "Home.md", "folder/name.md", "deep"),
    ("heading-nested-skip-level", "name#Intro#Deep", "Home.md", "folder/name.md", "deep"),
    # Obsidian walks headings in document order: B is the first heading after A that is
    # deeper than A, even past the end of A's section.
    ("heading-path-nearest-deeper", "paths#A#B", "Home.md", "paths.md", "b"),
    ("heading-path-leaves-section", "paths#A#Deep", "Home.md", "paths.md", "deep"),
    ("heading-path-three-levels", "paths#Top#Mid#Low", "Home.md", "paths.md", "low"),
    ("heading-path-first-a-wins", "paths#C#B", "Home.md", "paths.md", "b_1"),
    ("heading-with-brackets-and-bold", "paths#Types#**oneOf([a, b])**", "Home.md", "paths.md",
     "oneofa-b"),
    ("heading-with-code-call", "paths#`__init__(self)`", "Home.md", "paths.md", "initself"),
    ("heading-same-note", "#Intro", "folder/name.md", "folder/name.md", "intro"),
    ("heading-same-note-nested", "#Other#Sub: A (b) / c", "folder/name.md", "folder/name.md",
     "sub-a-b--c_1"),
    ("heading-korean", "경쟁 조건#경쟁 조건이란", "Home.md", "스레드/경쟁 조건.md", "경쟁-조건이란"),
    ("heading-korean-colon", "경쟁 조건#GIL 전역 인터프리터 락", "Home.md", "스레드/경쟁 조건.md",
     "gil-전역-인터프리터-락"),
    ("heading-emoji", "이모지 🚀 노트#🚀 발사", "Home.md", "이모지 🚀 노트.md", "-발사"),
    ("heading-parens-quote", "a (b) & c's, d?#제목 (괄호) & 'quote'", "Home.md", "a (b) & c's, d?.md",
     "제목-괄호--quote"),
    ("heading-with-inline-code", "fork#fork() 호출", "Home.md", "code/fork.md", "fork-호출"),
    ("heading-with-inline-code-backticks", "fork#`fork()` 호출", "Home.md", "code/fork.md", "fork-호출"),
    ("heading-inline-code-and-colon", "fork#os.wait() 기다리기", "Home.md", "code/fork.md",
     "oswait-기다리기"),
    # blocks
    ("block-end-of-paragraph", "leaf#^p1", "Home.md", "deep/x/y/leaf.md", "^p1"),
    ("block-end-of-list-item", "leaf#^li1", "Home.md", "deep/x/y/leaf.md", "^li1"),
    ("block-own-line-after-list", "leaf#^after-list", "Home.md", "deep/x/y/leaf.md", "^after-list"),
    ("block-own-line-after-quote", "leaf#^quoteid", "Home.md", "deep/x/y/leaf.md", "^quoteid"),
    ("block-multi-line-paragraph", "leaf#^Multi-2", "Home.md", "deep/x/y/leaf.md", "^Multi-2"),
    ("block-id-case-insensitive", "leaf#^multi-2", "Home.md", "deep/x/y/leaf.md", "^Multi-2"),
    ("block-same-note", "#^p1", "deep/x/y/leaf.md", "deep/x/y/leaf.md", "^p1"),
    # Unicode and special characters in names
    ("nfd-file-nfc-link", "프로세스", "Home.md", NFD_NAME + ".md", None),
    ("nfd-file-nfd-link", NFD_NAME, "Home.md", NFD_NAME + ".md", None),
    ("nfd-file-heading", "프로세스#스택과 힙", "Home.md", NFD_NAME + ".md", "스택과-힙"),
    ("nfd-file-korean-heading-parens", "프로세스#힙 Heap", "Home.md", NFD_NAME + ".md", "힙-heap"),
    ("korean-folder-path", "스레드/경쟁 조건", "Home.md", "스레드/경쟁 조건.md", None),
    ("emoji-and-spaces", "이모지 🚀 노트", "Home.md", "이모지 🚀 노트.md", None),
    ("parens-amp-apostrophe-comma-question", "a (b) & c's, d?", "Home.md", "a (b) & c's, d?.md", None),
    ("special-name-case", "A (B) & C'S, D?", "Home.md", "a (b) & c's, d?.md", None),
    # "#" in a file name cannot be linked (Obsidian reads it as a heading separator):
    # [[C#]] is the note "C" with an empty heading, not "C#.md".
    ("hash-in-file-name-is-a-heading-separator", "C#", "Home.md", "C.md", None),
]


@pytest.mark.parametrize(("link", "source", "path", "anchor"),
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_resolves(index, link, source, path, anchor):
    resolution = resolve(index, link, source)
    assert resolution.ok, resolution.problem
    assert resolution.file is not None
    assert resolution.file.path == path
    assert resolution.anchor == anchor


UNRESOLVED = [
    # (id, link, source note, words the problem must contain)
    ("missing-note", "Nowhere", "Home.md", "Nowhere"),
    ("attachment-without-extension", "a", "Home.md", "'a'"),
    ("pdf-without-extension", "guide", "Home.md", "guide"),
    ("bare-alias-is-not-a-target", "Nick", "Home.md", "Nick"),
    ("korean-alias-is-not-a-target", "다른 이름", "Home.md", "다른 이름"),
    ("wrong-folder-path", "other/name", "Home.md", "other/name"),
    ("partial-path-must-end-at-folder", "lder/name", "Home.md", "lder/name"),
    ("relative-outside-vault", "../../Home", "folder/here.md", "../../Home"),
    ("relative-wrong-folder", "./leaf", "folder/here.md", "./leaf"),
    ("missing-heading", "name#Nope", "Home.md", "Nope"),
    ("nested-heading-not-deeper", "name#Intro#Other", "Home.md", "Intro#Other"),
    ("nested-heading-earlier-in-note", "name#Other#Deep", "Home.md", "Other#Deep"),
    ("nested-heading-wrong-order", "name#Deep#Intro", "Home.md", "Deep#Intro"),
    ("heading-path-b-before-a", "paths#C#Top", "Home.md", "C#Top"),
    ("heading-path-same-level", "paths#A#C", "Home.md", "A#C"),
    ("same-note-missing-heading", "#Nope", "folder/name.md", "Nope"),
    ("missing-block", "leaf#^nope", "Home.md", "^nope"),
    ("same-note-missing-block", "#^nope", "Home.md", "^nope"),
    ("block-id-is-not-a-heading", "leaf#p1", "Home.md", "p1"),
    # with "C.md" gone, [[C#]] has nothing to resolve to: "C#.md" is unreachable
    ("hash-file-name-unreachable", "C#Sharp", "Home.md", "C"),
]


@pytest.mark.parametrize(("link", "source", "words"), [pytest.param(*c[1:], id=c[0]) for c in UNRESOLVED])
def test_unresolved(index, link, source, words):
    resolution = resolve(index, link, source)
    assert not resolution.ok
    assert resolution.anchor is None
    assert words in (resolution.problem or "")


def test_file_with_hash_in_name_cannot_be_linked():
    """Documented behaviour: ``C#.md`` exists, but no link text reaches it."""
    index = make_index({"Home.md": "", "C#.md": "# Sharp\n"})
    for link in ("C#", "C#.md", "c#"):
        resolution = resolve(index, link, "Home.md")
        assert resolution.file is None or resolution.file.path != "C#.md"
    assert not resolve(index, "C#", "Home.md").ok


def test_exact_path_beats_own_folder_and_shortest():
    index = make_index({"a/n.md": "", "b/n.md": "", "n.md": "", "b/src.md": ""})
    assert resolve(index, "n", "b/src.md").file.path == "n.md"
    assert resolve(index, "a/n", "b/src.md").file.path == "a/n.md"
    assert resolve(index, "./n", "b/src.md").file.path == "b/n.md"


def test_shortest_path_is_measured_in_characters_then_alphabetical():
    index = make_index({"bbb/n.md": "", "aaa/n.md": "", "cc/d/n.md": "", "src.md": ""})
    assert resolve(index, "n", "src.md").file.path == "aaa/n.md"


def test_insertion_order_does_not_matter():
    files = {"zz/twin.md": "", "alpha/twin.md": "", "Home.md": ""}
    forward = make_index(files)
    backward = make_index(dict(reversed(list(files.items()))))
    assert resolve(forward, "twin", "Home.md").file.path == "zz/twin.md"
    assert resolve(backward, "twin", "Home.md").file.path == "zz/twin.md"


PARSE = [
    # (id, inner, path, headings, block, alias)
    ("plain", "note", "note", (), None, None),
    ("alias", "note|shown", "note", (), None, "shown"),
    ("escaped-pipe", r"note\|shown", "note", (), None, "shown"),
    ("heading-alias", "note#H|shown", "note", ("H",), None, "shown"),
    ("nested", "note#A#B", "note", ("A", "B"), None, None),
    ("block", "note#^id-1", "note", (), "id-1", None),
    ("same-note-heading", "#H", "", ("H",), None, None),
    ("same-note-block", "#^b", "", (), "b", None),
    ("trailing-space", "note  #  H  |  a  ", "note", ("H",), None, "a"),
    ("empty-alias", "note|", "note", (), None, None),
    ("nfd-normalised", unicodedata.normalize("NFD", "힙#스택"), "힙", ("스택",), None, None),
]


@pytest.mark.parametrize(("inner", "path", "headings", "block", "alias"),
                         [pytest.param(*c[1:], id=c[0]) for c in PARSE])
def test_parse_wikilink(inner, path, headings, block, alias):
    spec = parse_wikilink(inner)
    assert (spec.path, spec.headings, spec.block, spec.alias) == (path, headings, block, alias)


def test_parse_wikilink_is_one_parse_however_it_is_called():
    """The scan, the renderer and backlinks call it with and without ``embed=``: one cached
    parse each, not one per spelling of the call (lru_cache keys keywords apart)."""
    assert parse_wikilink("캐시 확인#H") is parse_wikilink("캐시 확인#H", embed=False)
    assert parse_wikilink("캐시 확인#H", embed=True) is parse_wikilink("캐시 확인#H", embed=True)
    assert parse_wikilink("캐시 확인#H", embed=True).embed and not parse_wikilink("캐시 확인#H").embed


STRIP = [
    ("question", "What is it?", "What is it"),
    ("colon-paren-slash", "Sub: A (b) / c", "Sub A b c"),
    ("hash-caret", "C# ^x", "C x"),
    ("all-punctuation", "a!\"#$%&()*+,.:;<=>?@^`{|}~/[]\\b", "a b"),
    ("line-break", "a\nb\r\nc", "a b c"),
    ("korean-kept", "경쟁 조건: 정의", "경쟁 조건 정의"),
    ("apostrophe-and-dash-kept", "it's a-b", "it's a-b"),
]


@pytest.mark.parametrize(("raw", "stripped"), [pytest.param(*c[1:], id=c[0]) for c in STRIP])
def test_strip_heading(raw, stripped):
    assert strip_heading(raw) == stripped


def test_heading_key_ignores_case_and_normalisation():
    assert heading_key("GIL: Lock") == heading_key("gil lock")
    assert heading_key(unicodedata.normalize("NFD", "스택")) == heading_key("스택")
