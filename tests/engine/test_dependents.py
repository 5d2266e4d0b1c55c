"""Which pages an edit reaches (``obsidian_kb.dependents``), one row per kind of change.

Each row starts from the same small vault, applies an edit (new text, or None to
delete a note) and names exactly the pages that must be rendered again: a page
missing from the plan would be stale, a page too many is wasted work.
"""

from __future__ import annotations

import pytest
from kbtest import dedent, make_index
from obsidian_kb.checks import resolve_vault
from obsidian_kb.dependents import PageInputs, RebuildPlan, VaultState, plan_rebuild, vault_state

BASE = {
    "index.md": "# 첫 화면\n\n[[프로세스]]를 먼저 읽는다.\n",
    "프로세스.md": dedent("""
        # 프로세스

        실행 중인 프로그램이다. [[스레드#공유]] 와 비교한다.

        ## 주소 공간

        각자 따로 가진다. ^addr
        """),
    "스레드.md": dedent("""
        # 스레드

        ## 공유

        같은 힙을 나눠 쓴다.

        ![[요약]]
        """),
    "요약.md": "한 줄 요약: [[프로세스#^addr]] 를 보라.\n\n![[깊은 요약]]\n",
    "깊은 요약.md": "더 깊은 곳.\n",
    "외딴 노트.md": "아무 링크도 없다.\n",
    "a/같은 이름.md": "폴더 a의 노트.\n",
    "b/링크하는 노트.md": "[[같은 이름]] 으로 간다.\n",
    "태그 노트.md": "---\ntags: [os]\n---\n#os 태그가 있다.\n",
    "그림 노트.md": "![[그림.png]]\n",
    "그림.png": None,
    "실행 노트.md": "![[race.py#output]]\n",
    "race.py": None,
}


DELETE = "<delete>"


def state(files, *, panels: bool = True, layout=None) -> VaultState:
    index = make_index(files)
    return vault_state(index, resolve_vault(index), layout=layout, panels=panels, tags_page="tags.md")


def plan_for(edit, *, panels: bool = True) -> RebuildPlan:
    """``edit`` maps a vault path to its new text, or to ``DELETE``."""
    after = dict(BASE)
    for path, text in edit.items():
        if text == DELETE:
            after.pop(path)
        else:
            after[path] = text
    return plan_rebuild(state(BASE, panels=panels), state(after, panels=panels))


CASES = [
    ("nothing changed", {}, set()),
    ("a sentence without links", {"외딴 노트.md": "여전히 링크가 없다.\n"}, {"외딴 노트.md"}),
    # the edited page, and the note whose backlinks quote the edited line
    ("the sentence around a link", {"b/링크하는 노트.md": "[[같은 이름]] 으로 간다, 바로.\n"},
     {"b/링크하는 노트.md", "a/같은 이름.md"}),
    ("a line without links, beside one with a link",
     {"b/링크하는 노트.md": "[[같은 이름]] 으로 간다.\n\n새 문장.\n"}, {"b/링크하는 노트.md"}),
    # embeds reach up the chain: 깊은 요약 is in 요약, which is in 스레드
    ("an embedded note, transitively", {"깊은 요약.md": "고친 문장.\n"},
     {"깊은 요약.md", "요약.md", "스레드.md"}),
    ("a renamed heading breaks the link to it",
     {"스레드.md": BASE["스레드.md"].replace("## 공유", "## 나눔")}, {"스레드.md", "프로세스.md"}),
    ("a renamed block id", {"프로세스.md": BASE["프로세스.md"].replace("^addr", "^space")},
     # 요약 links the block, 스레드 embeds 요약 (its backlink from 프로세스 quotes an unchanged line)
     {"프로세스.md", "요약.md", "스레드.md"}),
    # a new link: the target gains a backlink and, having had no link before, a local graph
    ("a new link to an isolated note", {"index.md": BASE["index.md"] + "\n[[외딴 노트]]\n"},
     {"index.md", "외딴 노트.md"}),
    ("a removed link", {"b/링크하는 노트.md": "이제 링크가 없다.\n"},
     {"b/링크하는 노트.md", "a/같은 이름.md"}),
    # a note in the linking note's own folder takes over the bare name
    ("a same-name note takes over a link", {"b/같은 이름.md": "폴더 b의 노트.\n"},
     {"b/같은 이름.md", "b/링크하는 노트.md", "a/같은 이름.md"}),
    ("a deleted embed target", {"깊은 요약.md": DELETE}, {"요약.md", "스레드.md"}),
    ("a deleted attachment", {"그림.png": DELETE}, {"그림 노트.md"}),
    ("a new tag", {"외딴 노트.md": "#새태그 가 생겼다.\n"}, {"외딴 노트.md", "tags.md"}),
    ("a tag removed", {"태그 노트.md": "태그가 없다.\n"}, {"태그 노트.md", "tags.md"}),
    # the title shown in backlinks: an index note is shown by its first heading
    ("the heading that titles an index note", {"index.md": "# 새 첫 화면\n\n[[프로세스]]를 먼저 읽는다.\n"},
     {"index.md", "프로세스.md"}),
    ("an alias (shown on its own page only)",
     {"외딴 노트.md": "---\naliases: [lonely]\n---\n아무 링크도 없다.\n"}, {"외딴 노트.md"}),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_pages_an_edit_reaches(edit, expected):
    plan = plan_for(edit)
    assert not plan.full
    assert set(plan.pages) == expected


def test_deleted_pages_are_named_for_removal():
    plan = plan_for({"외딴 노트.md": DELETE})
    assert plan.removed == {"외딴 노트.md"} and plan.pages == set()


def test_without_panels_backlinks_are_no_input():
    plan = plan_for({"b/링크하는 노트.md": "[[같은 이름]] 으로 간다, 바로.\n"}, panels=False)
    assert set(plan.pages) == {"b/링크하는 노트.md"}


def test_first_build_and_layout_changes_are_full():
    assert plan_rebuild(None, state(BASE)).full
    plan = plan_rebuild(state(BASE, layout=("nav", 1)), state(BASE, layout=("nav", 2)))
    assert plan.full and "navigation" in plan.reason


def test_pages_showing_a_snippet_follow_its_report():
    before, after = state(BASE), state(BASE)
    before = VaultState(before.pages, before.layout, before.tags, before.tags_page, {"race.py": "v1"})
    plan = plan_rebuild(before, after)
    assert after.pages["실행 노트.md"].snippets == ("race.py",)
    asked: list[str] = []

    def digest(path: str) -> str:
        asked.append(path)
        return "v2"

    assert plan.must_render("실행 노트.md", after, before, digest)
    assert not plan.must_render("외딴 노트.md", after, before, digest)
    assert asked == ["race.py"]  # only the snippet that page shows was waited for
    assert not plan.must_render("실행 노트.md", after, before, lambda _: "v1")


def test_a_page_unknown_to_the_vault_is_always_rendered():
    s = state(BASE)
    assert plan_rebuild(s, s).must_render("notebook.ipynb", s, s, lambda _: "")


def test_inputs_are_plain_comparable_records():
    a, b = state(BASE), state(BASE)
    assert a.pages == b.pages and isinstance(a.pages["index.md"], PageInputs)
