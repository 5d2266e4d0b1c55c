"""The hostile vault (``tests/fixtures/hostile_vault``): what it holds, and static checks
over the site built from it.

Every file and folder name and every property of that vault tries to become markup
(``<img onerror>``, ``<!--``, ``"``-broken attributes, ``javascript:`` URLs). Built,
each must show as the text it is, on every page, in every channel the theme prints.
The checks return findings instead of asserting, so a test can show they find the live
markup of the site built with ``tests/fixtures/unescaped/undo_escaping.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import sitekit

FIXTURES = sitekit.ROOT / "tests" / "fixtures"
VAULT = FIXTURES / "hostile_vault"
#: The same configuration plus a hook that undoes the escaping (the variant checks must fail on).
UNESCAPED_CONFIG = FIXTURES / "unescaped" / "mkdocs.yml"
SITE_NAME = "프로세스와 스레드 노트"

NOTEBOOK = "<svg onload=alert('nb')> 노트북"  # no heading: mkdocs-jupyter titles it by its file name
#: Names of the notes at the top of the vault; navigation.prune keeps them on every page.
ROOT_NOTES = ["Vec<T> 정리", "<img src=x onerror=alert('name')>", "<!-- 주석 시작", "javascript:alert(1)",
              "javascript:alert(1)%2F%2F", "\" onmouseover=\"alert('quote') 따옴표", "속성 모음",
              NOTEBOOK]
#: What the navigation shows for them: the file name, or the ``title`` property.
NAV_NAMES = [n for n in ROOT_NOTES if n != "속성 모음"] + ["</title><img src=x onerror=alert('title')>"]
FOLDERS = ["<svg onload=alert('folder')>", "<!-- 열린 주석 폴더"]
HOME_TITLE = "적대적 볼트 <!-- 열린 주석"  # the home page's first heading, written `\<!--`
#: Properties of ``속성 모음.md`` as the reader must see them.
PROPS = {
    "title": "</title><img src=x onerror=alert('title')>",
    "description": "\"><script>alert('description')</script>",
    "author": "</title><script>alert('author')</script>",
    "subtitle": "<img src=x onerror=alert('subtitle')>",
    "status": "\"><img src=x onerror=alert('status')>",
    "revision_date": "<img src=x onerror=alert('revision')>",
}
TAGS = {
    "Vec<T> 정리": ["<img src=x onerror=alert('tag')>", "\"><svg onload=alert('tag2')>", "중첩/<b>굵게</b>"],
    "속성 모음": ["속성", "<script>alert('tag3')</script>"],
}
#: Attributes whose value is only ever text to a browser (a name may show there).
TEXT_ATTRS = {"content", "title", "alt", "aria-label", "class", "id", "href", "src", "for", "name", "value",
              "placeholder", "type", "lang", "rel", "role", "tabindex", "dir", "width", "height", "loading"}
#: Elements a name or property could smuggle in (the vault's bodies hold none of them).
FOREIGN = {"b", "iframe", "object", "embed"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find(self, tag: str, cls: str | None = None) -> list[Element]:
        return [e for e in self.iter()
                if e.tag == tag and (cls is None or cls in e.attrs.get("class", "").split())]


VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"])


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        for el in self.stack:
            el.text += data

    def handle_comment(self, data):
        self.comments.append(data)


def parse(text: str) -> tuple[Element, list[str]]:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    return tree.root, tree.comments


def first_text(root: Element, tag: str, inside: str | None = None) -> str:
    """Text of the first ``tag`` (inside the first ``inside``); a marker when live markup ate it."""
    scope = root.find(inside) if inside else [root]
    found = scope[0].find(tag) if scope else []
    return found[0].text if found else f"<no {tag}>"


def squash(text: str) -> str:
    return " ".join(text.replace("¶", "").split())


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "_kb" not in p.parts and "assets" not in p.parts)


def markup_findings(site: Path) -> list[str]:
    """Elements, attributes or comments in any built page that a name or property made."""
    found = []
    for path in [*pages(site), site / "404.html"]:
        where = path.relative_to(site).as_posix()
        root, comments = parse(path.read_text(encoding="utf-8"))
        for el in root.iter():
            if el.tag in FOREIGN or (el.tag == "img" and el.attrs.get("src") == "x"):
                found.append(f"{where}: <{el.tag} {el.attrs}>")
            if el.tag == "script" and "alert(" in el.text:
                found.append(f"{where}: <script>{el.text[:60]}")
            for name, value in el.attrs.items():
                if name.startswith("on") or (name not in TEXT_ATTRS and not name.startswith("data-")
                                             and "alert(" in value):
                    found.append(f"{where}: <{el.tag} {name}={value[:60]!r}>")
        found += [f"{where}: <!--{c[:60]}-->" for c in comments if "주석" in c or "alert" in c]
    return found


def text_findings(site: Path) -> list[str]:
    """Each name and property must show as exactly its text where the theme prints it."""
    found = []

    def expect(where: str, what: str, got: str, want: str) -> None:
        if squash(got) != squash(want):
            found.append(f"{where}: {what} is {squash(got)!r}, not {want!r}")

    for path in pages(site):
        where = path.relative_to(site).as_posix()
        root, _ = parse(path.read_text(encoding="utf-8"))
        nav = " | ".join(squash(e.text) for e in root.find("nav", "md-nav--primary"))
        for name in [*NAV_NAMES, *FOLDERS, HOME_TITLE]:
            if name not in nav:  # a name holding <!-- would hide everything after it
                found.append(f"{where}: {name!r} missing from the navigation")
        if not root.find("article"):
            found.append(f"{where}: no article")
    props = parse((site / "속성 모음" / "index.html").read_text(encoding="utf-8"))[0]
    expect("속성 모음", "<title>", first_text(props, "title"), f"{PROPS['title']} - {SITE_NAME}")
    expect("속성 모음", "<h1>", first_text(props, "h1", "article"), PROPS["title"])
    metas = {m.attrs.get("name"): m.attrs.get("content", "") for m in props.find("meta")}
    expect("속성 모음", "meta description", metas.get("description", ""), PROPS["description"])
    expect("속성 모음", "meta author", metas.get("author", ""), PROPS["author"])
    # Properties Material would act on (subtitle, status, ...) stay Obsidian properties: the
    # theme never receives them (obsidian_kb.page_source.THEME_COMMANDS), so they show nowhere.
    subtitles = [squash(s.text) for s in props.find("small")]
    if PROPS["subtitle"] in subtitles:
        found.append(f"속성 모음: subtitle {PROPS['subtitle']!r} reached the theme")
    notebook = parse((site / NOTEBOOK / "index.html").read_text(encoding="utf-8"))[0]
    expect(NOTEBOOK, "<title>", first_text(notebook, "title"), f"{NOTEBOOK} - {SITE_NAME}")
    expect(NOTEBOOK, "<h1>", first_text(notebook, "h1", "article"), NOTEBOOK)
    status = [s.attrs["class"] for s in props.find("span", "md-status")]
    if status:  # Material's status icon in the nav
        found.append(f"속성 모음: status reached the theme: {status}")
    fact = " ".join(squash(s.text) for s in props.find("span", "md-source-file__fact"))
    if PROPS["revision_date"] not in fact:
        found.append(f"속성 모음: revision date {fact!r}")
    for note, tags in TAGS.items():
        root = parse((site / note / "index.html").read_text(encoding="utf-8"))[0]
        chips = sorted(squash(a.text) for a in root.find("a", "md-tag"))
        if chips != sorted(tags):
            found.append(f"{note}: tag chips {chips}, not {sorted(tags)}")
        expect(note, "<h1>", first_text(root, "h1", "article"),
               PROPS["title"] if note == "속성 모음" else note)
    vec = parse((site / "Vec<T> 정리" / "index.html").read_text(encoding="utf-8"))[0]
    expect("Vec<T> 정리", "aliases", " ".join(squash(p.text) for p in vec.find("p", "kb-aliases")),
           "별칭 <script>alert('alias')</script>, Vec&lt;T&gt; 별칭")
    note_div = vec.find("div", "kb-note")
    expect("Vec<T> 정리", "cssclasses", note_div[0].attrs["class"] if note_div else "<no kb-note>",
           "kb-note x\" onmouseover=\"alert('css') <b>")
    backlinks = sorted(squash(a.text) for a in vec.find("a", "kb-backlink"))
    want = sorted([HOME_TITLE, "<img src=x onerror=alert('name')>", "<!-- 주석 시작",
                   "javascript:alert(1)%2F%2F", "\" onmouseover=\"alert('quote') 따옴표",
                   "속성 모음", "폴더 노트"])
    if backlinks != want:
        found.append(f"Vec<T> 정리: backlinks {backlinks}, not {want}")
    tags_page = squash(parse((site / "tags" / "index.html").read_text(encoding="utf-8"))[0].text)
    for tag in [t for ts in TAGS.values() for t in ts]:
        if tag.rsplit("/", 1)[-1] not in tags_page:
            found.append(f"tags page: {tag!r} missing")
    return found


def graph_findings(site: Path) -> list[str]:
    """Every graph URL is a relative site path (no scheme, no other host) to a built page."""
    found = []
    data = json.loads((site / "_kb" / "graph.json").read_text(encoding="utf-8"))
    for node in data["nodes"]:
        url = node["url"]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("/"):
            found.append(f"graph node {node['title']!r}: URL {url!r} is not a relative site path")
        if not (site / url / "index.html").is_file():  # graph URLs are written decoded
            found.append(f"graph node {node['title']!r}: {url!r} is not a page of the site")
    return found


def search_findings(site: Path) -> list[str]:
    """Search result titles are HTML: a name must stay text there too."""
    found = []
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = set()
    for doc in index["docs"]:
        root, comments = parse(doc["title"])
        for el in root.iter():
            if el.tag not in ("#root", "small", "code"):
                found.append(f"search title {doc['title'][:60]!r}: <{el.tag}>")
        found += [f"search title {doc['title'][:60]!r}: comment" for _ in comments]
        aliases = "".join(c.text for c in root.children if c.tag == "small")  # kb-search-aliases
        titles.add(squash(root.text.replace(aliases, "") if aliases else root.text))
    for name in [*NAV_NAMES, HOME_TITLE]:
        if name == NOTEBOOK:
            continue  # its only text is a paragraph
        if name == "<img src=x onerror=alert('name')>":
            name = "이미지 이름의 노트"  # a note's first heading titles its first search result
        if name not in titles:
            found.append(f"search: no result titled {name!r}")
    return found
