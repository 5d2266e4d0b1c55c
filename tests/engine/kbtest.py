"""Helpers shared by the engine tests: an in-memory vault, a renderer and a
small HTML tree built with the standard library's ``html.parser`` (lxml is not
installed), so tests assert on elements and attributes, never on HTML strings."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pymdownx.slugs
from obsidian_kb.markdown import ObsidianExtension, RenderContext
from obsidian_kb.resolver import Resolution, Resolver
from obsidian_kb.vault import VaultFile, VaultIndex
from obsidian_kb.wikilink import parse_wikilink

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def alias_bomb(levels: int) -> str:
    """YAML properties of ``levels`` anchors, each a list of nine aliases of the one before:
    a few lines that expand to 9**levels values for any reader that follows the aliases."""
    rows = ["l0: &l0 [" + ", ".join(["웃음"] * 9) + "]"]
    rows += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows)


def make_index(files: Mapping[str, str | None]) -> VaultIndex:
    """``{vault path: note text or None for a non-note file}``; every file is published."""
    index = VaultIndex()
    for path, text in files.items():
        if text is None and path.lower().endswith(".md"):
            text = ""
        index.add(VaultFile(path, Path(path), path), None if text is None else dedent(text))
    return index.finish()


def resolve(index: VaultIndex, inner: str, source: str) -> Resolution:
    return Resolver(index).resolve(parse_wikilink(inner), source)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    @property
    def own_text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(node.attrs.get(k.rstrip("_")) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> in the output"
        return found[0]

    def by_id(self, element_id: str) -> Node | None:
        return next((n for n in self.iter() if n.attrs.get("id") == element_id), None)

    @property
    def ids(self) -> list[str]:
        return [str(n.attrs["id"]) for n in self.iter() if n.attrs.get("id") is not None]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


EXTENSIONS = ["toc", "tables", "pymdownx.superfences", "admonition", "pymdownx.details",
              "attr_list", "md_in_html", "footnotes"]


def make_context(index: VaultIndex) -> RenderContext:
    ctx = RenderContext(index)

    def factory() -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[ObsidianExtension(ctx), *EXTENSIONS],
            extension_configs={"toc": {"slugify": pymdownx.slugs.slugify(case="lower")}},
        )

    ctx.markdown_factory = factory
    return ctx


def render_page(index: VaultIndex, path: str, ctx: RenderContext | None = None) -> Node:
    """Render the note at ``path`` the way MkDocs does (body without frontmatter)."""
    ctx = ctx or make_context(index)
    note = index.notes[path]
    body = "\n".join(note.scan.text.split("\n")[note.scan.body_start:])
    ctx.set_page(index.files[path])
    assert ctx.markdown_factory is not None
    html = ctx.markdown_factory().convert(body)
    return parse_html(html)


def render(text: str, files: Mapping[str, str | None] | None = None, path: str = "page.md") -> Node:
    """Render ``text`` as the note ``path`` of a vault that also holds ``files``."""
    index = make_index({**(files or {}), path: text})
    return render_page(index, path)


class Renderer:
    """One context and one Markdown instance reused across many vaults (fast property tests),
    switched the way the MkDocs host switches them between builds."""

    def __init__(self) -> None:
        self.context = make_context(VaultIndex())
        assert self.context.markdown_factory is not None
        self.md = self.context.markdown_factory()

    def __call__(self, index: VaultIndex, path: str) -> Node:
        ctx = self.context
        ctx.index = index
        ctx.__post_init__()  # a resolver for the new index
        ctx.problems.clear()
        note = index.notes[path]
        ctx.set_page(index.files[path])
        self.md.reset()
        return parse_html(self.md.convert("\n".join(note.scan.text.split("\n")[note.scan.body_start:])))


# -- the fixture vault (tests/fixtures/vault): one list, used by every build test --------
#: Notes that hold problems on purpose; removing them leaves a vault that builds with --strict.
BROKEN_NOTES = ["노트/깨진 링크.md", "노트/깨진 속성.md", "노트/순환 A.md", "노트/순환 B.md",
                "노트/순환 자기.md"]

#: (vault path, line, link as written) of every problem the fixture holds on purpose.
EXPECTED_PROBLEMS = [
    ("노트/깨진 링크.md", 3, "[[없는 노트]]"),
    ("노트/깨진 링크.md", 4, "[[프로세스와 스레드#없는 제목]]"),
    ("노트/깨진 링크.md", 5, "[[v1.2#^없는블록]]"),
    ("노트/깨진 링크.md", 6, "![[없는 그림.png]]"),
    ("노트/깨진 링크.md", 7, "[[PCB 노트]]"),  # a bare alias is not a link target
    # ordinary Markdown links are checked like wikilinks
    ("노트/깨진 링크.md", 8, "[없는 글](없는%20글.md)"),
    ("노트/깨진 링크.md", 8, "[없는 제목](../프로세스/프로세스와%20스레드.md#없는%20제목)"),
    ("노트/깨진 링크.md", 10, "![[프로세스와 스레드#없는 제목]]"),
    ("노트/깨진 링크.md", 12, "![[v1.2#^없는블록]]"),
    ("노트/깨진 속성.md", 4, ""),  # malformed YAML frontmatter
    # A -> B -> A is one cycle, reported once (closed in B); B's page meets it too
    ("노트/순환 B.md", 3, "![[순환 A]]"),
    ("노트/순환 자기.md", 3, "![[순환 자기]]"),
]
