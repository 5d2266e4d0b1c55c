"""The backlinks section is written as text: every name and quoted line must stay text."""

from __future__ import annotations

from kbtest import parse_html
from obsidian_kb.backlinks import Backlink, Segment, render_backlinks, segments_html

HOSTILE = '<script>alert("x")</script> & \'따옴표\' <b>굵게</b>'


def test_names_and_quotes_are_escaped():
    quoted = segments_html((Segment(HOSTILE), Segment(HOSTILE, True)))
    backlinks = [Backlink("a/x.md", HOSTILE, 'a/"x"/', (quoted,))]
    root = parse_html(render_backlinks(backlinks, "b/"))
    assert not root.find_all("script") and not root.find_all("b")
    link = root.find("a", class_="kb-backlink")
    assert link.text == HOSTILE and link.attrs["href"] == '../a/"x"/'
    quote = root.find("p", class_="kb-backlink-context")
    assert quote.own_text == HOSTILE and quote.find("mark").text == HOSTILE
    assert root.find("h2").text == "이 노트를 링크하는 노트 (1)"


def test_no_backlinks_no_section():
    assert render_backlinks([], "b/") == ""
