"""A hostile vault, generated in a temporary folder, built with the real MkDocs.

Symlinks out of the vault (a file and a folder), into ``.obsidian``, a symlink
loop, a FIFO, invalid UTF-8, UTF-16 with a BOM, NUL bytes, properties MkDocs and
Material act on, properties that nest without end or expand (YAML aliases),
MultiMarkdown-looking first lines, an unclosed fence with a link after it, and
10,000 embeds of a 20 KB note. The build must end (exit 0 without ``--strict``, a
failure with it), every bad file must be a warning that names it (and its line,
where there is one), nothing from outside the vault may reach the site, and the
vault must be unchanged.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from kbtest import alias_bomb

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MKDOCS = [sys.executable, "-m", "mkdocs"]
SECRET = "outside-secret-7f3a"  # content of the files outside the vault
OBSIDIAN_SECRET = "obsidian-settings-9c1e"
EMBEDS = 10_000
BIG_NOTE = "큰 노트"

#: (vault path, line or None, words the warning must contain)
EXPECTED_WARNINGS = [
    ("secret.txt", None, "outside the vault"),
    ("바깥 폴더", None, "outside the vault"),
    ("설정", None, "dot-folder"),
    ("app.json", None, "dot-folder"),
    ("loop/up", None, "symlink loop"),
    ("loop/self", None, "symlink loop"),
    ("self-loop.md", None, "symlink loop"),
    ("dangling.md", None, "broken symlink"),
    ("pipe.md", None, "not a regular file"),
    ("깨진 바이트.md", 4, "invalid UTF-8"),
    ("널 문자.md", 3, "NUL byte"),
    ("서로게이트.md", 3, "U+FFFD"),
    ("허브.md", 3, "exceed"),
    ("깊은 8.md", 3, "nested more than"),  # where the cut embed is written; the message names the page
    # each of these three aborted the build with a RecursionError (or would expand forever)
    ("순환 속성.md", 1, "alias inside itself"),
    ("깊은 속성.md", 1, "nested more than 20 levels"),
    ("별칭 폭탄.md", 1, "more than 10,000 property values"),
]


@dataclass
class Build:
    returncode: int
    log: str
    site: Path


def _make_vault(tmp: Path) -> Path:
    vault, outside = tmp / "vault", tmp / "outside"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "app.json").write_text(f'{{"secret": "{OBSIDIAN_SECRET}"}}', encoding="utf-8")
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "folder" / "바깥 노트.md").write_text(f"# 바깥\n\n{SECRET}\n", encoding="utf-8")
    notes = {
        "index.md": "# 홈\n\n[[유니코드 16]] · [[속성]] · [[첫 줄]] · [[열린 펜스]]\n",
        "속성.md": "---\ntemplate: daily\nicon: star\nstatus: draft\nhide: 3\nsearch: yes\n"
                   "subtitle: 부제\ntitle: 42\ntags: 하나, 둘\n---\n# 속성 노트\n\n본문\n",
        "첫 줄.md": "Summary: x\nAuthor: y\n\n본문은 여기\n",
        # a lone surrogate escape in a property (and a tag: graph.json) aborted the build
        "서로게이트.md": '---\nid: 1\ntags: ["\\udc80태그"]\ntitle: "\\udc80 제목"\n---\n'
                         "# 서로게이트\n\n[[index]]\n",
        "열린 펜스.md": "# 펜스\n\n```python\nprint('[[코드 안]]')\n\n[[펜스 뒤 링크]]\n",
        f"{BIG_NOTE}.md": "# 큰 노트\n\n" + ("가나다라마바사 " * 2_500)[:20_000] + "\n",
        "허브.md": "# 허브\n\n" + "".join(f"![[{BIG_NOTE}]]\n" for _ in range(EMBEDS)),
    }
    notes["순환 속성.md"] = "---\na: &x [*x]\n---\n# 순환\n\n[[index]]\n"
    notes["깊은 속성.md"] = "---\na: " + "[" * 500 + "]" * 500 + "\n---\n# 깊음\n"
    notes["별칭 폭탄.md"] = "---\n" + alias_bomb(9) + "\n---\n# 폭탄\n"
    for i in range(10):  # a chain deeper than the embed depth limit (8)
        notes[f"깊은 {i}.md"] = f"# 깊은 {i}\n\n![[깊은 {i + 1}]]\n"
    notes["깊은 10.md"] = "# 끝\n"
    for name, text in notes.items():
        (vault / name).write_text(text, encoding="utf-8")
    (vault / "깨진 바이트.md").write_bytes("# 깨짐\n\n앞 줄\n".encode() + b"bad \xff\xfe here\n")
    (vault / "유니코드 16.md").write_bytes("# 유티에프16 노트\n\n[[index]]\n".encode("utf-16"))
    (vault / "널 문자.md").write_bytes(b"# nul\n\nhas \x00 nul\n")
    os.symlink(outside / "secret.txt", vault / "secret.txt")
    os.symlink(outside / "folder", vault / "바깥 폴더")
    os.symlink(vault / ".obsidian", vault / "설정")
    os.symlink(Path(".obsidian") / "app.json", vault / "app.json")
    (vault / "loop").mkdir()
    os.symlink("..", vault / "loop" / "up")
    os.symlink(".", vault / "loop" / "self")  # two loops: MkDocs' own walk goes 2**40 deep
    os.symlink("self-loop.md", vault / "self-loop.md")
    os.symlink("nowhere.md", vault / "dangling.md")
    os.mkfifo(vault / "pipe.md")
    return vault


def _snapshot(vault: Path) -> dict[str, str]:
    """Every entry of the vault: symlink targets, file hashes, kinds."""
    state = {}
    for current, dirs, files in os.walk(vault):
        for name in dirs + files:
            path = Path(current) / name
            rel = path.relative_to(vault).as_posix()
            if path.is_symlink():
                state[rel] = "link:" + os.readlink(path)
            elif path.is_fifo():
                state[rel] = "fifo"
            elif path.is_file():
                state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[rel] = "dir"
    return state


def _build(vault: Path, tmp: Path, name: str, *, strict: bool) -> Build:
    snippets = tmp / "snippets"
    snippets.mkdir(exist_ok=True)
    site = tmp / name
    env = {**os.environ, "KB_VAULT": str(vault), "KB_SNIPPETS": str(snippets),
           "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    cmd = [*MKDOCS, "build", "-f", str(REPO / "mkdocs.yml"), "-d", str(site)]
    if strict:
        cmd.append("--strict")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    vault = _make_vault(tmp)
    before = _snapshot(vault)
    lenient = _build(vault, tmp, "site", strict=False)
    strict = _build(vault, tmp, "site-strict", strict=True)
    return vault, before, lenient, strict


def _warnings(build: Build) -> list[str]:
    return [line for line in build.log.splitlines() if line.startswith("WARNING")]


def test_build_ends_without_strict(hostile):
    _, _, lenient, _ = hostile
    assert lenient.returncode == 0, lenient.log[-3000:]
    assert "Traceback" not in lenient.log


def test_strict_fails(hostile):
    _, _, _, strict = hostile
    assert strict.returncode != 0
    assert "Traceback" not in strict.log
    assert "Aborted with" in strict.log


@pytest.mark.parametrize(("path", "line", "words"), EXPECTED_WARNINGS)
def test_each_bad_entry_is_a_located_warning(hostile, path, line, words):
    _, _, lenient, _ = hostile
    where = f"{path}:{line}:" if line else f"{path}:"
    found = [w for w in _warnings(lenient) if f"obsidian_kb: {where}" in w and words in w]
    assert found, f"no warning '{where} … {words}' in:\n" + "\n".join(_warnings(lenient))


def test_nothing_from_outside_the_vault_is_in_the_site(hostile):
    _, _, lenient, _ = hostile
    leaked = []
    for path in lenient.site.rglob("*"):
        rel = path.relative_to(lenient.site).as_posix()
        if any(part in rel for part in ("secret", "바깥", "설정", "app.json", "pipe")):
            leaked.append(rel)
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if SECRET.encode() in data or OBSIDIAN_SECRET.encode() in data:
                leaked.append(rel)
    assert not leaked


def test_vault_is_unchanged(hostile):
    vault, before, _, _ = hostile
    assert _snapshot(vault) == before


def _page(build: Build, url: str) -> str:
    return (build.site / url / "index.html").read_text(encoding="utf-8")


def _article(build: Build, url: str) -> str:
    page = _page(build, url)
    return page[page.index("<article"):page.index("</article>")]


def test_bad_bytes_are_replaced_not_fatal(hostile):
    _, _, lenient, _ = hostile
    assert "bad \ufffd\ufffd here" in _article(lenient, "깨진 바이트")
    assert "has  nul" in _article(lenient, "널 문자")


def test_utf16_note_is_read(hostile):
    _, _, lenient, _ = hostile
    article = _article(lenient, "유니코드 16")
    assert "유티에프16 노트" in article
    assert 'class="wikilink"' in article  # its [[index]] link resolved


def test_theme_command_properties_are_not_acted_on(hostile):
    _, _, lenient, _ = hostile
    page = _page(lenient, "속성")
    assert "본문" in page
    assert "부제" not in page  # subtitle is an Obsidian property here, not Material's subtitle
    assert "<title>42" in page  # a number as title is text


def test_first_lines_are_text_not_metadata(hostile):
    _, _, lenient, _ = hostile
    article = _article(lenient, "첫 줄")
    assert "Summary: x" in article and "Author: y" in article


def test_unclosed_fence_is_code_to_the_end(hostile):
    _, _, lenient, _ = hostile
    article = _article(lenient, "열린 펜스")
    code = re.sub(r"<[^>]+>", "", article[article.index("<pre"):article.index("</pre>")])
    assert "[[펜스 뒤 링크]]" in html.unescape(code)
    assert "wikilink" not in article
    # and the link report agrees: no warning for the link inside the fence
    assert not [w for w in _warnings(lenient) if "펜스 뒤 링크" in w or "코드 안" in w]


def test_embeds_are_capped(hostile):
    _, _, lenient, _ = hostile
    hub = _page(lenient, "허브")
    assert len(hub.encode()) < 3_000_000  # 10,000 embeds of 20 KB would be 600 MB
    assert hub.count('class="kb-embed"') < 100
    index = (lenient.site / "search" / "search_index.json").stat().st_size
    assert index < 5_000_000
