"""Differential link check: what the resolver decided against what the built site holds.

For every note of a vault and its page in a built site, compare each link and
embed the pre-scan resolved (target note or file, heading or block id) with the
links, embeds and boxes in the page's HTML; then check that no href or src on
any page is dead, and that no wikilink syntax is left visible outside code.
Prints one line per mismatch and exits 1 when there is any:

    python tests/linkcheck.py --vault docs --site site

It reads the vault with the engine's own index and resolver (the same rules the
build used) and the HTML with BeautifulSoup, so a page that disagrees with the
resolver shows up here even when every test of a single rule passes.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from obsidian_kb.checks import ResolvedLink, resolve_vault
from obsidian_kb.mkdocs_build import find_vault_root
from obsidian_kb.vault import VaultFile, VaultIndex
from obsidian_kb.wikilink import WIKILINK_RE

MEDIA = {"img": "kb-embed-image", "audio": "kb-embed-audio", "video": "kb-embed-video"}
#: Links the page adds itself (permalinks, tags, footnotes): checked for dead hrefs only.
OWN_LINKS = {"headerlink", "kb-tag", "md-tag", "footnote-ref", "footnote-backref", "md-content__button"}
#: Parts of a page that are not the note's body (backlinks, local graph).
PANELS = ("kb-backlinks", "kb-graph")


@dataclass(frozen=True)
class Mismatch:
    where: str  # path:line in the vault, or the page URL
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def build_index(docs: Path) -> VaultIndex:
    """The vault as the MkDocs hook indexes it: vault paths from the vault root, site paths
    from the docs folder, snippets next to the vault as unpublished files."""
    docs = docs.resolve()
    root = find_vault_root(docs, docs.parent)
    index = VaultIndex()
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            index.add(VaultFile(path.relative_to(root).as_posix(), path, rel))
    snippets = root / "snippets"
    if snippets.is_dir() and docs not in (snippets, *snippets.parents):
        for path in sorted(snippets.rglob("*.py")):
            index.add(VaultFile(path.relative_to(root).as_posix(), path, None))
    return index.finish()


#: Files MkDocs turns into pages (notebooks through mkdocs-jupyter).
PAGES = (".md", ".ipynb")


def page_url(site_path: str) -> str:
    """The directory URL MkDocs gives a page (``use_directory_urls: true``)."""
    folder, name = posixpath.split(posixpath.splitext(site_path)[0])
    if name in ("index", "README"):
        return folder + "/" if folder else ""
    return posixpath.join(folder, name) + "/"


def published(site: Path, file: VaultFile) -> str | None:
    """Site-relative path of the built file: a note's ``index.html`` or the copied file."""
    if file.site_path is None:
        return None
    if file.suffix in PAGES:
        return page_url(file.site_path) + "index.html"
    return file.site_path


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[str, set[str]] = {}

    def resolve(self, page: str, ref: str) -> tuple[str, str] | None:
        """(site-relative file, fragment) an href on ``page`` points to; None if external."""
        if ref.startswith(("http:", "https:", "mailto:", "data:", "//")):
            return None
        absolute = urlsplit(urljoin("http://site/" + quote(page), ref))
        path = unquote(absolute.path).lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif (self.root / path).is_dir():
            path += "/index.html"
        return path, unquote(absolute.fragment)

    def ids(self, path: str) -> set[str]:
        if path not in self._ids:
            soup = BeautifulSoup((self.root / path).read_text(encoding="utf-8"), "html.parser")
            self._ids[path] = {str(el["id"]) for el in soup.find_all(id=True)}
        return self._ids[path]


def _outside(el: Tag, classes: tuple[str, ...]) -> bool:
    return not any(set(p.get("class") or ()) & set(classes) for p in el.parents if isinstance(p, Tag))


def _classes(el: Tag) -> set[str]:
    return set(el.get("class") or ())


def expected_items(links: list[ResolvedLink], site: Path) -> Iterator[tuple[tuple[str, ...], ResolvedLink]]:
    """What each body link of one note must look like in its page."""
    for link in links:
        occ, res = link.occurrence, link.resolution
        spec = occ.spec
        if occ.in_frontmatter:
            continue
        if not res.ok or res.file is None:
            yield ("box" if spec.embed else "unresolved",), link
            continue
        file = res.file
        target = published(site, file)
        if spec.embed and spec.style == "markdown":
            yield ("mdimg", target or ""), link
        elif spec.embed:
            if file.suffix == ".py":
                yield ("snippet",), link
            elif file.is_note:
                yield ("embed", file.path), link
            elif file.suffix in (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"):
                yield ("img", target or ""), link
            else:
                yield ("media", target or ""), link
        elif target is None:
            yield ("file",), link  # a link to an unpublished file is shown as its name
        else:
            yield ("link", target, res.anchor or ""), link


def found_items(body: Tag, page: str, site: Site) -> Iterator[tuple[tuple[str, ...], str]]:
    """What the page's body holds, outside embedded notes, in the same shape."""
    for el in body.find_all(True):
        if not _outside(el, ("kb-embed", "kb-embed-missing", *PANELS)) or el.find_parent(["pre", "code"]):
            continue
        classes = _classes(el)
        if el.name == "div" and "kb-embed" in classes:
            yield ("embed", str(el.get("data-embed"))), page
        elif "kb-embed-missing" in classes:
            reason = str(el.get("data-reason"))
            yield (("box",) if reason in ("file", "heading", "block") else ("embed-stopped",)), page
        elif "kb-snippet" in classes and _outside(el, ("kb-snippet",)):
            yield ("snippet",), page
        elif el.name == "span" and "wikilink-unresolved" in classes:
            yield ("unresolved",), page
        elif el.name == "span" and "wikilink-file" in classes:
            yield ("file",), page
        elif el.name in MEDIA or el.name == "iframe":
            target = site.resolve(page, str(el.get("src", "")))
            if target is None:
                continue
            if el.name == "img" and MEDIA["img"] not in classes:
                yield ("mdimg", target[0]), page  # an ordinary ![alt](x.png)
            elif el.name == "img":
                yield ("img", target[0]), page
            elif MEDIA.get(el.name) in classes or "kb-embed-pdf" in _classes(el.parent):
                yield ("media", target[0]), page
        elif el.name == "a" and el.get("href") and not classes & OWN_LINKS:
            if el.parent is not None and "kb-embed-pdf" in _classes(el.parent):
                continue  # the PDF frame's own download link
            target = site.resolve(page, str(el["href"]))
            if target is not None:
                kind = "media" if "kb-embed-file" in classes else "link"
                yield ((kind, target[0]) if kind == "media" else (kind, target[0], target[1])), page


def check_page(note_links: list[ResolvedLink], body: Tag, page: str, site: Site) -> list[Mismatch]:
    expected = list(expected_items(note_links, site.root))
    want = Counter(key for key, _ in expected)
    have = Counter(key for key, _ in found_items(body, page, site))
    # an embed the renderer stopped (a cycle, too deep) stands where the note embed was
    stopped = have.pop(("embed-stopped",), 0)
    for key in [k for k in want if k[0] == "embed"]:
        take = min(stopped, max(want[key] - have.get(key, 0), 0))
        have[key] = have.get(key, 0) + take
        stopped -= take
    problems: list[Mismatch] = []
    missing = want - have
    for key, link in expected:
        if missing.get(key, 0) > 0:
            missing[key] -= 1
            occ = link.occurrence
            problems.append(Mismatch(f"{link.source}:{occ.line}",
                                     f"{occ.spec.written}: the resolver expects {_show(key)}, "
                                     f"the page has no such element"))
    for key, count in (have - want).items():
        problems.append(Mismatch(page, f"{count} × {_show(key)} the resolver did not decide"))
    return problems


def _show(key: tuple[str, ...]) -> str:
    kind, *rest = key
    return kind + (" " + "#".join(r for r in rest if r) if rest else "")


def dead_refs(soup: BeautifulSoup, page: str, site: Site) -> Iterator[Mismatch]:
    """Every href and src on the page points at a built file and an id it has."""
    for el in soup.find_all(["a", "img", "audio", "video", "iframe", "source"]):
        attr = "href" if el.name == "a" else "src"
        ref = el.get(attr)
        if not ref or str(ref).startswith(("#__codelineno", "javascript:")):
            continue
        target = site.resolve(page, str(ref))
        if target is None:
            continue
        path, fragment = target
        if not (site.root / path).is_file():
            yield Mismatch(page, f"dead {attr} {ref!r}: no file {path}")
        elif fragment and path.endswith(".html") and fragment not in site.ids(path):
            yield Mismatch(page, f"dead {attr} {ref!r}: {path} has no id {fragment!r}")


def visible_syntax(body: Tag, page: str, links: list[ResolvedLink]) -> Iterator[Mismatch]:
    """A wikilink the scan found but the page left as ``[[...]]`` text (outside code; link
    elements and what other notes say in the backlinks do not count)."""
    written = {link.occurrence.spec.raw for link in links if link.occurrence.spec.style == "wiki"}
    copy = BeautifulSoup(str(body), "html.parser")
    for el in copy.find_all(["code", "pre", "a", "script", "style"]):
        el.decompose()
    for el in copy.find_all(class_=["wikilink", "kb-embed-missing-target", *PANELS]):
        el.decompose()
    for m in WIKILINK_RE.finditer(copy.get_text()):
        if m.group("inner") in written:
            yield Mismatch(page, f"visible wikilink syntax {m.group(0)!r}")


def check(vault: Path, site_dir: Path) -> tuple[list[Mismatch], int, int]:
    index = build_index(vault)
    graph = resolve_vault(index)
    by_note: dict[str, list[ResolvedLink]] = {}
    for link in graph.links:
        by_note.setdefault(link.source, []).append(link)
    site = Site(site_dir)
    problems: list[Mismatch] = []
    pages = links = 0
    for note in index:
        if note.file.site_path is None:
            continue
        page = page_url(note.file.site_path)
        html_path = site_dir / page / "index.html"
        if not html_path.is_file():
            problems.append(Mismatch(note.path, f"no page at {page}index.html"))
            continue
        soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
        body = soup.find("article") or soup
        note_links = by_note.get(note.path, [])
        problems += check_page(note_links, body, page, site)
        problems += dead_refs(soup, page, site)
        problems += visible_syntax(body, page, note_links)
        pages += 1
        links += len(note_links)
    return problems, pages, links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vault", type=Path, required=True, help="the docs folder the site was built from")
    parser.add_argument("--site", type=Path, required=True, help="the built site")
    args = parser.parse_args(argv)
    problems, pages, links = check(args.vault, args.site)
    for problem in problems:
        print(problem)
    print(f"linkcheck: {links} links on {pages} pages, {len(problems)} mismatch(es)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
