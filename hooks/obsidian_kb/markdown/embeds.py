"""What ``![[...]]`` becomes: a transcluded note, section or block, an image,
a player, a snippet with its real output, or a plain link."""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from markdown import Markdown, util

from ..problems import Problem
from ..resolver import Resolution
from ..vault import Note
from .context import RenderContext

IMAGE = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif"}
AUDIO = {".mp3", ".wav", ".m4a", ".ogg", ".3gp", ".flac", ".opus"}
VIDEO = {".mp4", ".webm", ".ogv", ".mov", ".mkv"}
SNIPPET = {".py"}


def _missing(resolution: Resolution, reason: str | None = None) -> etree.Element:
    el = etree.Element("span", {"class": "wikilink wikilink-unresolved kb-embed-missing"})
    el.set("title", f"포함할 수 없음: {reason or resolution.problem}")
    el.text = util.AtomicString(resolution.spec.written)
    return el


def section_text(note: Note, resolution: Resolution) -> str:
    """The Markdown an embed shows: the whole body, one heading's section, or one block."""
    lines = note.scan.text.split("\n")
    if resolution.heading is not None:
        h = resolution.heading
        end = len(lines)
        for other in note.scan.headings:
            if other.line > h.line and other.level <= h.level:
                end = other.line - 1
                break
        return "\n".join(lines[h.line - 1 : end])
    if resolution.block is not None:
        b = resolution.block
        return "\n".join(lines[b.start - 1 : b.end])
    return "\n".join(lines[note.scan.body_start :])


def render_embed(context: RenderContext, md: Markdown, resolution: Resolution) -> etree.Element | str:
    if not resolution.ok or resolution.file is None:
        return _missing(resolution)
    file = resolution.file
    spec = resolution.spec
    suffix = file.suffix
    href = context.href(file)
    if suffix in SNIPPET:
        if context.snippet_html is None:
            # Fail closed: a page must never silently lose its evidence.
            context.report(Problem(context.source, 0, "snippet",
                                   "snippets are not executed in this build", spec.written))
            return _missing(resolution, "snippets are not executed in this build")
        fragment = spec.headings[0] if spec.headings else ""
        return md.htmlStash.store(context.snippet_html(file, fragment, context.source))
    if file.is_note:
        return _note_embed(context, md, resolution)
    if href is None:
        return _missing(resolution, f"'{file.path}' is not published")
    if suffix in IMAGE:
        el = etree.Element("img", {"src": href, "class": "kb-embed-image", "loading": "lazy"})
        size = spec.size
        if size:
            el.set("width", str(size[0]))
            if size[1]:
                el.set("height", str(size[1]))
        el.set("alt", spec.alias if spec.alias and not size else file.title)
        return el
    if suffix in AUDIO or suffix in VIDEO:
        tag = "audio" if suffix in AUDIO else "video"
        el = etree.Element(tag, {"src": href, "controls": "controls", "class": f"kb-embed-{tag}"})
        el.set("preload", "metadata")
        el.text = util.AtomicString(file.name)
        return el
    if suffix == ".pdf":
        wrapper = etree.Element("span", {"class": "kb-embed-pdf"})
        etree.SubElement(wrapper, "iframe", {"src": href, "title": file.name, "loading": "lazy"})
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
    chain = [*context.stack, (file.path, subpath)]
    # A section may be embedded inside its own note (![[#A]] under ## B); the whole note may
    # not, since it contains the embed being rendered.
    in_stack = any(path == file.path for path, _ in context.stack)
    if (file.path, subpath) in context.stack or (not subpath and in_stack):
        # Name the note and line where the embed that closes the cycle is written.
        where = context.index.notes.get(context.source)
        line = next((o.line for o in where.scan.links
                     if o.spec.embed and o.spec.raw == resolution.spec.raw), 0) if where else 0
        context.report(Problem(context.source, line, "cycle",
                               "embed cycle: " + " → ".join(p + s for p, s in chain),
                               resolution.spec.written))
        return _missing(resolution, "embed cycle")
    if len(context.stack) > context.max_embed_depth:
        return _missing(resolution, "embeds nested too deeply")
    inner = context.render_nested(file.path, subpath, section_text(note, resolution))
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
