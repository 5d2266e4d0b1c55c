"""What ``![[...]]`` becomes: a transcluded note, section or block, an image,
a player, a snippet with its real output, or a plain link."""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from markdown import Markdown, util

from ..embed_cycles import Part, closes_cycle, part_lines, part_of
from ..problems import Problem
from ..resolver import Resolution
from ..vault import Note
from .context import RenderContext

IMAGE = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif"}
AUDIO = {".mp3", ".wav", ".m4a", ".ogg", ".3gp", ".flac", ".opus"}
VIDEO = {".mp4", ".webm", ".ogv", ".mov", ".mkv"}
SNIPPET = {".py"}


#: Why an embed shows a "cannot be found" box instead of its content (Obsidian shows one too).
REASONS = {
    "file": "이 이름의 노트나 파일이 없습니다.",
    "heading": "노트에 이 제목이 없습니다.",
    "block": "노트에 이 블록이 없습니다.",
    "cycle": "순환 임베드입니다: 이 노트는 이미 이 자리에 포함되는 중입니다.",
    "depth": "임베드가 너무 깊게 중첩되었습니다.",
    "size": "이 페이지의 임베드가 너무 커서 여기부터 잘랐습니다.",
    "unpublished": "이 파일은 사이트에 게시되지 않습니다.",
    "snippets": "이 빌드에서는 스니펫을 실행하지 않습니다.",
}


def missing_box(resolution: Resolution, reason: str | None = None) -> etree.Element:
    """A visible box naming the target as written and why it cannot be shown."""
    why = reason or resolution.missing or "file"
    spec = resolution.spec
    box = etree.Element("span", {"class": "kb-embed-missing", "role": "note", "data-reason": why})
    if resolution.problem:
        box.set("title", resolution.problem)
    target = etree.SubElement(box, "span", {"class": "kb-embed-missing-target"})
    target.text = util.AtomicString(spec.target if spec.style == "wiki" else spec.raw)
    text = etree.SubElement(box, "span", {"class": "kb-embed-missing-why"})
    text.text = util.AtomicString("찾을 수 없음 · " + REASONS[why])
    return box


def section_text(note: Note, resolution: Resolution) -> str:
    """The Markdown an embed shows: the whole body, one heading's section, or one block."""
    start, end = part_lines(note, resolution)
    return "\n".join(note.scan.text.split("\n")[start - 1 : end])


#: What each note embed counts against ``max_embed_chars`` besides its text (its frame, and
#: a Markdown conversion): thousands of embeds of a tiny note are bounded too.
EMBED_COST = 1_000


def _line(context: RenderContext, resolution: Resolution) -> int:
    """The line of the note being rendered where this embed is written (0 if not found)."""
    where = context.index.notes.get(context.source)
    return next((o.line for o in where.scan.links
                 if o.spec.embed and o.spec.raw == resolution.spec.raw), 0) if where else 0


def render_embed(context: RenderContext, md: Markdown, resolution: Resolution) -> etree.Element | str:
    if not resolution.ok or resolution.file is None:
        return missing_box(resolution)
    file = resolution.file
    spec = resolution.spec
    suffix = file.suffix
    href = context.href(file)
    if suffix in SNIPPET:
        if context.snippet_html is None:
            # Fail closed: a page must never silently lose its evidence.
            context.report(Problem(context.source, 0, "snippet",
                                   "snippets are not executed in this build", spec.written))
            return missing_box(resolution, "snippets")
        fragment = spec.headings[0] if spec.headings else ""
        return md.htmlStash.store(context.snippet_html(file, fragment, context.source))
    if file.is_note:
        return _note_embed(context, md, resolution)
    if href is None:
        return missing_box(resolution, "unpublished")
    if suffix in IMAGE:
        el = etree.Element("img", {"src": href, "class": "kb-embed-image", "loading": "lazy"})
        size = spec.size
        if size:
            el.set("width", str(size[0]))
            if size[1]:
                el.set("height", str(size[1]))
        el.set("alt", spec.alias if spec.alias and not size else file.title)
        return el
    media = context.href(file, rewritten=False) or href  # players and frames keep their src as written
    if suffix in AUDIO or suffix in VIDEO:
        tag = "audio" if suffix in AUDIO else "video"
        el = etree.Element(tag, {"src": media, "controls": "controls", "class": f"kb-embed-{tag}"})
        el.set("preload", "metadata")
        el.text = util.AtomicString(file.name)
        return el
    if suffix == ".pdf":
        wrapper = etree.Element("span", {"class": "kb-embed-pdf"})
        etree.SubElement(wrapper, "iframe", {"src": media, "title": file.name, "loading": "lazy"})
        link = etree.SubElement(wrapper, "a", {"href": href})
        link.text = util.AtomicString(f"📄 {file.name}")
        return wrapper
    el = etree.Element("a", {"href": href, "class": "wikilink kb-embed-file"})
    el.text = util.AtomicString(spec.alias or file.name)
    return el


def _note_embed(context: RenderContext, md: Markdown, resolution: Resolution) -> etree.Element | str:
    file = resolution.file
    assert file is not None
    note = context.index.notes[file.path]
    subpath = resolution.spec.subpath
    part = part_of(resolution)
    chain = [*context.stack, (file.path, subpath)]
    # Reported once for the whole vault by embed_cycles; here the page only stops and says so.
    if closes_cycle(part, (Part(path, key) for path, key in context.stack)):
        return missing_box(resolution, "cycle")
    if len(context.stack) > context.max_embed_depth:
        context.report(Problem(context.source, _line(context, resolution), "embed",
                               f"embeds nested more than {context.max_embed_depth} deep, cut here: "
                               + " → ".join(p + s for p, s in chain), resolution.spec.written))
        return missing_box(resolution, "depth")
    text = section_text(note, resolution)
    cost = len(text) + EMBED_COST
    if context.embeds_cut or context.embedded_chars + cost > context.max_embed_chars:
        if not context.embeds_cut:  # one warning per page, at the first embed that is cut
            page = context.page.path if context.page is not None else context.source
            context.report(Problem(context.source, _line(context, resolution), "embed",
                                   f"embeds on page '{page}' exceed {context.max_embed_chars:,} characters:"
                                   " this embed and the ones after it are cut", resolution.spec.written))
            context.embeds_cut = True
            return missing_box(resolution, "size")
        # every later cut embed: its target only, so the page stays about the note's own size
        short = etree.Element("span", {"class": "kb-embed-missing", "data-reason": "size"})
        short.text = util.AtomicString(resolution.spec.target)
        return short
    context.embedded_chars += cost
    inner = context.render_nested(file.path, part.key, text)
    # The title goes into stashed raw HTML, which the host never rewrites: use the final URL.
    final, context.final_urls = context.final_urls, True
    try:
        href = context.href(file, resolution.anchor)
    finally:
        context.final_urls = final
    title = html.escape(file.title + (subpath.replace("#", " › ") if subpath else ""))
    head = f'<a href="{html.escape(href)}">{title}</a>' if href else title
    return md.htmlStash.store(
        f'<div class="kb-embed" data-embed="{html.escape(file.path)}">'
        f'<div class="kb-embed-title">{head}</div>{inner}</div>'
    )
