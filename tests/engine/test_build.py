"""End-to-end: build the fixture vault with the real mkdocs.yml and check the site.

Two builds per module: the whole fixture with ``--strict`` (it must fail, name
every broken link with its ``path:line`` and still write the site), then the
same vault with the broken notes removed (``--strict`` must pass).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from kbtest import BROKEN_NOTES, EXPECTED_PROBLEMS, Node, parse_html

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "vault"
MKDOCS = [sys.executable, "-m", "mkdocs"]
NFD_NAME = unicodedata.normalize("NFD", "분해된 이름")


@dataclass
class Build:
    vault: Path
    site: Path
    returncode: int
    stderr: str
    stdout: str

    def page(self, url: str) -> Node:
        """Parse the page MkDocs serves at ``url`` (directory URLs)."""
        return parse_html((self.site / unquote(url) / "index.html").read_text(encoding="utf-8"))

    def target(self, page_url: str, href: str) -> tuple[Path, str]:
        """The file an href on ``page_url`` points to, and its fragment."""
        absolute = urlsplit(urljoin("http://site/" + page_url, href))
        path = self.site / unquote(absolute.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        return path, unquote(absolute.fragment)


def _copy_vault(tmp: Path) -> Path:
    vault = tmp / "vault"
    shutil.copytree(FIXTURE, vault)
    # macOS stores Korean names decomposed; authors type them composed.
    (vault / "프로세스" / f"{NFD_NAME}.md").write_text("# 분해\n\n## 분해된 제목\n\n내용 ^nfd\n",
                                                   encoding="utf-8")
    (vault / "노트" / "NFC 링크.md").write_text(
        "# NFC 링크\n\n[[분해된 이름]] · [[분해된 이름#분해된 제목]] · [[프로세스/분해된 이름#^nfd]]\n",
        encoding="utf-8")
    return vault


def _build(vault: Path, site: Path, tmp: Path, *, strict: bool) -> Build:
    snippets = tmp / "snippets"
    snippets.mkdir(exist_ok=True)
    env = {**os.environ, "KB_VAULT": str(vault), "KB_SNIPPETS": str(snippets),
           "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    cmd = [*MKDOCS, "build", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    if strict:
        cmd.append("--strict")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    return Build(vault, site, proc.returncode, proc.stderr, proc.stdout)


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("broken")
    return _build(_copy_vault(tmp), tmp / "site", tmp, strict=True)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("clean")
    vault = _copy_vault(tmp)
    for rel in BROKEN_NOTES:
        (vault / rel).unlink()
    return _build(vault, tmp / "site", tmp, strict=True)


# -- strictness and reporting -------------------------------------------------
def test_strict_fails_with_broken_links(broken):
    assert broken.returncode != 0
    assert "strict" in (broken.stderr + broken.stdout).lower()


def test_strict_passes_without_broken_links(clean):
    assert clean.returncode == 0, clean.stderr
    assert "WARNING" not in clean.stderr
    report = json.loads((clean.site / "_kb" / "link-report.json").read_text(encoding="utf-8"))
    assert report == {"count": 0, "problems": []}


@pytest.mark.parametrize(("path", "line", "link"), EXPECTED_PROBLEMS,
                         ids=[f"{p}:{n}" for p, n, _ in EXPECTED_PROBLEMS])
def test_each_problem_is_warned_with_path_and_line(broken, path, line, link):
    warnings = [w for w in broken.stderr.splitlines() if w.startswith("WARNING")]
    assert any(f"{path}:{line}:" in w and link in w for w in warnings), broken.stderr


@pytest.mark.parametrize(("path", "line", "link"), EXPECTED_PROBLEMS,
                         ids=[f"{p}:{n}" for p, n, _ in EXPECTED_PROBLEMS])
def test_each_problem_is_in_the_json_report(broken, path, line, link):
    report = json.loads((broken.site / "_kb" / "link-report.json").read_text(encoding="utf-8"))
    assert any(p["path"] == path and p["line"] == line and p["link"] == link
               for p in report["problems"]), report


def test_no_other_problems(broken):
    report = json.loads((broken.site / "_kb" / "link-report.json").read_text(encoding="utf-8"))
    found = sorted((p["path"], p["line"], p["link"]) for p in report["problems"])
    assert found == sorted(EXPECTED_PROBLEMS)
    assert report["count"] == len(EXPECTED_PROBLEMS)
    text = (broken.site / "_kb" / "link-report.txt").read_text(encoding="utf-8")
    assert "노트/깨진 링크.md:3: [[없는 노트]]" in text
    warnings = [w for w in broken.stderr.splitlines() if w.startswith("WARNING")]
    assert len(warnings) == len(EXPECTED_PROBLEMS), broken.stderr


def test_broken_links_render_without_href(broken):
    page = broken.page("노트/깨진 링크/")
    spans = page.find_all("span", **{"class": "wikilink wikilink-unresolved"})
    assert [s.text for s in spans] == ["없는 노트", "프로세스와 스레드 > 없는 제목", "v1.2 > ^없는블록",
                                       "PCB 노트", "없는 글", "없는 제목"]
    article = page.find("article")
    assert [a.attrs["href"] for a in article.find_all("a") if not a.has_class("headerlink")] == []
    boxes = [(b.find("span", **{"class": "kb-embed-missing-target"}).text, b.attrs["data-reason"])
             for b in article.find_all("span", **{"class": "kb-embed-missing"})]
    assert boxes == [("없는 그림.png", "file"), ("프로세스와 스레드#없는 제목", "heading"),
                     ("v1.2#^없는블록", "block")]
    assert "[[" not in article.text and "](" not in article.text


# -- published files ----------------------------------------------------------
def test_dot_folders_are_not_published(clean, broken):
    for build in (clean, broken):
        names = [p.relative_to(build.site).as_posix() for p in build.site.rglob("*")]
        assert not [n for n in names if ".obsidian" in n or ".trash" in n or "버린" in n]
        assert "어디에도 없는 노트" not in build.stderr and "없는 설정 링크" not in build.stderr


def test_every_note_is_published(clean):
    for note in clean.vault.rglob("*.md"):
        rel = note.relative_to(clean.vault)
        if rel.parts[0].startswith("."):
            continue
        url = "" if rel.as_posix() == "index.md" else rel.with_suffix("").as_posix() + "/"
        assert (clean.site / url / "index.html").is_file(), rel


def _pages(build: Build):
    for html in sorted(build.site.rglob("index.html")):
        rel = html.parent.relative_to(build.site).as_posix()
        if rel.startswith(("assets", "search", "_kb")):
            continue
        yield ("" if rel == "." else rel + "/"), parse_html(html.read_text(encoding="utf-8"))


def _is_embedded_media(el: Node) -> bool:
    if el.tag in ("img", "audio", "video"):
        return (el.attrs.get("class") or "").startswith("kb-embed")
    return el.tag == "iframe" and el.parent is not None and el.parent.has_class("kb-embed-pdf")


def test_every_wikilink_and_embed_points_at_a_file_and_anchor(clean):
    """Wikilinks, embed titles (raw HTML MkDocs never rewrites) and embedded media."""
    checked = 0
    for url, page in _pages(clean):
        for el in page.iter():
            in_title = el.parent is not None and el.parent.has_class("kb-embed-title")
            if el.tag == "a" and (el.has_class("wikilink") or in_title):
                ref = el.attrs["href"]
            elif _is_embedded_media(el):
                ref = el.attrs["src"]
            else:
                continue
            path, fragment = clean.target(url, ref)
            assert path.is_file(), (url, ref)
            if fragment:
                target = parse_html(path.read_text(encoding="utf-8"))
                assert target.by_id(fragment) is not None, (url, ref)
            checked += 1
    assert checked >= 45  # every link the fixture writes outside the broken notes


# -- resolution rules, end to end ----------------------------------------------
def _hrefs(build: Build, url: str) -> dict[str, tuple[str, str]]:
    """Link text -> (published file relative to the site, fragment) on the page at ``url``."""
    out = {}
    for a in build.page(url).find_all("a", **{"class": "wikilink"}):
        path, fragment = build.target(url, a.attrs["href"])
        out[a.text] = (path.relative_to(build.site).as_posix(), fragment)
    return out


INDEX_LINKS = [
    ("프로세스와 스레드", "프로세스/프로세스와 스레드/index.html", ""),
    ("스택과 힙", "프로세스/프로세스와 스레드/index.html", "스택과-힙"),
    ("프로세스와 스레드 > 스택과 힙 > 힙 (Heap) 영역", "프로세스/프로세스와 스레드/index.html",
     "힙-heap-영역"),
    ("프로세스와 스레드 > ^pcb", "프로세스/프로세스와 스레드/index.html", "^pcb"),
    ("프로세스와 스레드 > ^list-end", "프로세스/프로세스와 스레드/index.html", "^list-end"),
    ("스레드/경쟁 조건", "스레드/경쟁 조건/index.html", ""),
    ("깊은/깊은 노트", "프로세스/깊은/깊은 노트/index.html", ""),
    ("v1.2", "v1.2/index.html", ""),
    ("힙 & 스택's, 정리?", "특수 (문자)/힙 & 스택's, 정리?/index.html", ""),
    ("이모지 🚀 노트", "특수 (문자)/이모지 🚀 노트/index.html", ""),
    ("괄호 (노트)", "특수 (문자)/괄호 (노트)/index.html", ""),
    ("공백 있는 이름", "특수 (문자)/공백 있는 이름/index.html", ""),
    ("메모", "a/메모/index.html", ""),  # shortest path among a/, bb/, a/깊은/
    ("a/깊은/메모", "a/깊은/메모/index.html", ""),
    ("PCB 노트", "프로세스/프로세스와 스레드/index.html", ""),  # [[real|alias]]
    ("경쟁 조건 > threading.Lock() 사용", "스레드/경쟁 조건/index.html", "threadinglock-사용"),
    ("경쟁 조건 > GIL 전역 인터프리터 락", "스레드/경쟁 조건/index.html", "gil-전역-인터프리터-락"),
    ("경쟁 조건 > ^race", "스레드/경쟁 조건/index.html", "^race"),
]


@pytest.mark.parametrize(("text", "file", "fragment"), INDEX_LINKS, ids=[c[0] for c in INDEX_LINKS])
def test_index_links(clean, text, file, fragment):
    assert _hrefs(clean, "")[text] == (file, fragment)


@pytest.mark.parametrize(("page", "text", "file", "fragment"), [
    ("bb/출처/", "메모", "bb/메모/index.html", ""),  # the linking note's own folder wins
    ("프로세스/깊은/깊은 노트/", "메모", "a/메모/index.html", ""),
    ("프로세스/깊은/깊은 노트/", "../프로세스와 스레드 > 스택과 힙", "프로세스/프로세스와 스레드/index.html",
     "스택과-힙"),
    ("프로세스/깊은/깊은 노트/", "./형제", "프로세스/깊은/형제/index.html", ""),
    ("특수 (문자)/힙 & 스택's, 정리?/", "홈으로", "index.html", ""),
    ("노트/NFC 링크/", "분해된 이름", f"프로세스/{NFD_NAME}/index.html", ""),
    ("노트/NFC 링크/", "분해된 이름 > 분해된 제목", f"프로세스/{NFD_NAME}/index.html", "분해된-제목"),
    ("노트/NFC 링크/", "프로세스/분해된 이름 > ^nfd", f"프로세스/{NFD_NAME}/index.html", "^nfd"),
])
def test_links_from_other_notes(clean, page, text, file, fragment):
    assert _hrefs(clean, page)[text] == (file, fragment)


def test_anchor_ids_exist_on_target_pages(clean):
    for text, file, fragment in INDEX_LINKS:
        if fragment:
            target = parse_html((clean.site / file).read_text(encoding="utf-8"))
            assert target.by_id(fragment) is not None, text


# -- rendering ----------------------------------------------------------------
def test_code_untouched(clean):
    page = clean.page("프로세스/프로세스와 스레드/")
    article = page.find("article")
    code = [c.text for c in article.find_all("code")]
    assert sum("[[0]]" in c for c in code) == 4  # fenced, tilde, indented, inline
    assert any('"%d%%" % 50' in c for c in code)
    assert any("%%not a comment%%" in c for c in code)
    assert '"%d%%"' in code
    assert "[[x]]" in article.text  # \[\[x\]\] stays literal
    assert "숨은" not in article.text and "주석 속 링크" not in article.text
    assert not article.find_all("span", **{"class": "wikilink wikilink-unresolved"})


def test_blocks_tags_highlight_aliases(clean):
    page = clean.page("프로세스/프로세스와 스레드/")
    assert page.by_id("^pcb").tag == "p"
    assert page.by_id("^item-one").tag == "li"
    assert page.by_id("^list-end").tag == "ul"
    assert page.find("mark").text == "공유"
    assert [t.attrs["data-tag"] for t in page.find_all(**{"class": "kb-tag"})] == ["프로세스"]
    home = clean.page("")
    aliases = home.find("p", **{"class": "kb-aliases"})
    assert "시작 페이지" in aliases.text
    assert "<em>강조</em> 별칭" in aliases.text  # an alias is text, never markup
    assert aliases.find_all("em") == []
    assert "색인/상위" in [t.attrs["data-tag"] for t in home.find_all(**{"class": "kb-tag"})]


def test_callouts(clean):
    page = clean.page("프로세스/깊은/형제/")
    details = page.find("details")
    assert details.has_class("tip") and "open" not in details.attrs
    inner = details.find("div", **{"data-callout": "bogus"})
    assert inner.has_class("note")
    race = clean.page("스레드/경쟁 조건/")
    assert race.find("div", **{"data-callout": "warning"}).has_class("admonition")
    article = race.find("article")
    assert [h.text.rstrip("¶") for h in article.find_all("h2")][:2] == ["threading.Lock() 사용",
                                                                     "GIL: 전역 인터프리터 락?"]


def test_embeds(clean):
    page = clean.page("노트/임베드/")
    boxes = page.find_all("div", **{"class": "kb-embed"})
    assert [b.attrs["data-embed"] for b in boxes] == ["프로세스/프로세스와 스레드.md"] * 3 + [
        "스레드/경쟁 조건.md"]
    assert "스레드마다 스택이" in boxes[0].text and "첫째" not in boxes[0].text
    assert "첫째" in boxes[1].text and "스레드마다 스택이" not in boxes[1].text
    assert "PCB" in boxes[2].text and "스택" not in boxes[2].text


def test_embed_cycle_rendered_as_missing(broken):
    page = broken.page("노트/순환 A/")
    boxes = page.find_all("div", **{"class": "kb-embed"})
    assert [b.attrs["data-embed"] for b in boxes] == ["노트/순환 B.md"]
    box = boxes[0].find("span", **{"class": "kb-embed-missing"})
    assert box.attrs["data-reason"] == "cycle" and "찾을 수 없음" in box.text
    own = broken.page("노트/순환 자기/").find("article")
    assert own.find("span", **{"class": "kb-embed-missing"}).attrs["data-reason"] == "cycle"


def test_images(clean):
    home = clean.page("")
    imgs = home.find_all("img", **{"class": "kb-embed-image"})
    assert [(i.attrs.get("width"), i.attrs.get("height")) for i in imgs] == [("100", None), ("100", "145"),
                                                                           ("64", None)]
    for img in imgs:
        path, _ = clean.target("", img.attrs["src"])
        assert path == clean.site / "첨부" / "작은 그림.png"
        assert path.read_bytes().startswith(b"\x89PNG")


def test_hash_in_file_name_is_published_but_cannot_be_linked(clean):
    """Obsidian reads ``#`` in ``[[C#]]`` as a heading separator, so no wikilink reaches
    ``C#.md``; the engine behaves the same. The page itself is still published."""
    published = clean.site / "특수 (문자)" / "C#" / "index.html"
    assert published.is_file()
    assert "C 샵" in parse_html(published.read_text(encoding="utf-8")).find("h1").text


# -- the rules of issue 9, end to end -------------------------------------------------
FIDELITY_LINKS = [
    ("목차 대상 > A > B", "노트/목차 대상/index.html", "b"),  # B lies outside A's section
    ("hasTag", "노트/목차 대상/index.html", "hastag"),
    ("목차 대상 > Types > **oneOf([a, b])**", "노트/목차 대상/index.html", "oneofa-b"),
    ("`__init__(self)`", "노트/충실도/index.html", "initself"),
    ("첫 줄 둘째 줄", "노트/충실도/index.html", "첫-줄둘째-줄"),  # a two-line setext heading
    ("목차 대상", "노트/목차 대상/index.html", ""),  # Union[[[x]]] and [[[[x]]]]
]


@pytest.mark.parametrize(("text", "file", "fragment"), FIDELITY_LINKS, ids=[c[0] for c in FIDELITY_LINKS])
def test_fidelity_links(clean, text, file, fragment):
    assert _hrefs(clean, "노트/충실도/")[text] == (file, fragment)
    if fragment:
        assert parse_html((clean.site / file).read_text(encoding="utf-8")).by_id(fragment) is not None


def test_fidelity_page(clean):
    page = clean.page("노트/충실도/")
    article = page.find("article")
    # Union[[[x]]] and [[[[x]]]]: the innermost [[x]] is the link, the other brackets are text
    assert "Union[목차 대상] · [[목차 대상]]" in article.text
    # the Markdown link lands on the heading its text names
    (md,) = [a for a in article.find_all("a") if a.text == "대상"]
    target = clean.target("노트/충실도/", md.attrs["href"])
    assert target == (clean.site / "노트/목차 대상/index.html", "types")
    # the fence in the callout stays verbatim, nothing in it is a link
    (pre,) = article.find("div", **{"data-callout": "example"}).find_all("pre")
    assert "[[없는 노트]] ![[없는 그림.png]]" in pre.text
    assert [h.tag for h in article.find_all("h2")][:2] == ["h2", "h2"]


def test_ids_are_unique_on_every_page(clean):
    for url, page in _pages(clean):
        ids = page.find("article").ids
        assert len(ids) == len(set(ids)), (url, sorted(i for i in ids if ids.count(i) > 1))


def test_media_embeds_play_at_depth(clean):
    page = clean.page("프로세스/깊은/미디어/")
    for tag, name in (("audio", "소리.mp3"), ("video", "영상.mp4"), ("iframe", "문서.pdf")):
        path, _ = clean.target("프로세스/깊은/미디어/", page.find(tag).attrs["src"])
        assert path == clean.site / "첨부" / name, tag


# -- the differential check (tests/linkcheck.py), as CI runs it --------------------
def _linkcheck(build: Build) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, str(REPO / "tests" / "linkcheck.py"), "--vault", str(build.vault),
           "--site", str(build.site)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("name", ["clean", "broken"])
def test_linkcheck_finds_no_mismatch(name, request):
    """Every link the resolver decided is on the page as decided; no dead href or src."""
    result = _linkcheck(request.getfixturevalue(name))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 mismatch(es)" in result.stdout


def test_linkcheck_fails_on_a_page_that_disagrees(clean, tmp_path):
    """The check can fail: a copy of the site with one heading id renamed and one embed box
    turned back into raw syntax is reported at the link's path:line."""
    site = tmp_path / "site"
    shutil.copytree(clean.site, site)
    target = site / "노트" / "목차 대상" / "index.html"
    target.write_text(target.read_text(encoding="utf-8").replace('id="b"', 'id="b-renamed"'),
                      encoding="utf-8")
    page = site / "프로세스" / "깊은" / "미디어" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("../../../%EC%B2%A8%EB%B6%80/", "../../%EC%B2%A8%EB%B6%80/"),
                    encoding="utf-8")
    result = _linkcheck(Build(clean.vault, site, 0, "", ""))
    assert result.returncode == 1
    assert "has no id 'b'" in result.stdout
    assert "프로세스/깊은/미디어.md:3: ![[소리.mp3]]" in result.stdout
