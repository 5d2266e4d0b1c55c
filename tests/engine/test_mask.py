"""Masking: code and comments are blanked with offsets and line breaks kept."""

from __future__ import annotations

import pytest
from kbtest import dedent
from obsidian_kb.mask import code_ranges, mask, remove_comments

CODE = [
    ("backtick-fence", "a\n\n```python\nx = '[[0]]'\n```\n\nb", "[[0]]"),
    ("tilde-fence", "a\n\n~~~\n[[0]]\n~~~\n\nb", "[[0]]"),
    ("long-fence-with-short-inside", "````\n```\n[[0]]\n```\n````\n", "[[0]]"),
    ("fence-in-list", "- item\n  ```\n  [[0]]\n  ```\n- next", "[[0]]"),
    ("fence-in-quote", "> ```\n> [[0]]\n> ```\n", "[[0]]"),
    ("tilde-fence-in-nested-quote", "> > ~~~\n> > [[0]]\n> > ~~~\n", "[[0]]"),
    ("unclosed-fence-runs-to-end", "```\n[[0]]\nmore", "[[0]]"),
    ("indented-code", "para\n\n    [[0]]\n    more\n\nafter", "[[0]]"),
    ("tab-indented-code", "para\n\n\t[[0]]\n", "[[0]]"),
    ("inline-code", "see `[[0]]` here", "[[0]]"),
    ("double-backtick-inline", "see ``a ` [[0]]`` here", "[[0]]"),
    ("percent-in-inline-code", 'x `"%d%%" % n` y', "%d%%"),
    ("html-block", "<div>\n[[0]]\n</div>\n", "[[0]]"),
    # inline code after a block range used to be blanked at the wrong offset
    ("inline-code-after-fence", "```\nx\n```\n\nsee `[[0]]` here", "[[0]]"),
    ("inline-code-after-indented", "p\n\n    code\n\nsee `[[0]]` here", "[[0]]"),
]


@pytest.mark.parametrize(("text", "hidden"), [pytest.param(*c[1:], id=c[0]) for c in CODE])
def test_code_is_blanked(text, hidden):
    m = mask(text)
    assert hidden not in m.text
    assert len(m.text) == len(text)
    assert m.text.count("\n") == text.count("\n")


def test_inline_code_range_offsets_are_exact():
    text = "```\nx\n```\n\nsee `a` and `b`"
    spans = [text[a:b] for a, b in code_ranges(text)]
    assert spans == ["```\nx\n```\n", "`a`", "`b`"]


NOT_CODE = [
    ("list-continuation-is-not-indented-code", "- list\n\n    [[x]]\n"),
    ("indented-without-blank-line-is-paragraph", "para\n    [[x]]\n"),
    ("four-backticks-inline-info", "```not a fence``` [[x]]"),
    ("plain", "just [[x]] here"),
    ("after-closed-fence", "```\ncode\n```\n[[x]]"),
    ("after-tilde-fence", "~~~\ncode\n~~~\n\n[[x]]"),
]


@pytest.mark.parametrize("text", [pytest.param(c[1], id=c[0]) for c in NOT_CODE])
def test_text_outside_code_is_kept(text):
    assert "[[x]]" in mask(text).text


COMMENTS = [
    ("inline", "a %%[[x]]%% b", "a  b"),
    ("two-inline", "%%1%% a %%2%% b", " a  b"),
    ("multi-line", "a\n%%\n[[x]]\n%%\nb", "a\n\n\n\nb"),
    ("unclosed-runs-to-end", "a %% [[x]]\nb", "a \n"),  # line breaks are kept
    ("percent-in-fence-kept", "```\n\"%d%%\" % n\n```\n", "```\n\"%d%%\" % n\n```\n"),
    ("percent-in-inline-code-kept", 'x `"%d%%"` y %%c%% z', 'x `"%d%%"` y  z'),
    ("percent-in-inline-code-after-fence-kept", '```\nx\n```\n\n`"%d%%"` y %%c%% z',
     '```\nx\n```\n\n`"%d%%"` y  z'),
    ("comment-around-code-is-one-comment", "%% `x` %% y", " y"),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(*c[1:], id=c[0]) for c in COMMENTS])
def test_remove_comments(text, expected):
    assert remove_comments(text) == expected


def test_comment_mask_keeps_lines():
    text = dedent("""\
        line1
        %% start
        [[hidden]]
        end %% line4 [[shown]]
        """)
    m = mask(text)
    assert "[[hidden]]" not in m.text
    lines = m.text.split("\n")
    assert "[[shown]]" in lines[3]
    assert len(m.comments) == 1
