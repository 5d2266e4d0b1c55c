"""Under plain ``mkdocs serve`` a change re-renders only the pages it reaches, and the
site it leaves is the site a clean build makes.

A real server on a copy of the fixture vault (plugin form, Material's search and
tags plugins on; once with MkDocs' own navigation, once with mkdocs-awesome-nav and
a ``.nav.yml``, whose navigation dirty builds replay). A scripted series of edits,
renames and deletions (and one of ``mkdocs.yml``); after each one the served site
folder is compared, file by file and byte by byte, with a clean ``mkdocs build`` of
the same vault (search index, graph, link report and sitemap included). The log must
show that the small edits rendered a few pages, not all of them, and changes under
``.obsidian``/``.trash`` must start no build.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "vault"
#: A snippet's provenance says when it ran and whether this build ran it or read the cache.
PROVENANCE = re.compile("실행 시각 [0-9T:.+-]+ · (?:캐시된 결과|이번 빌드에서 실행)".encode())
SNIPPET = 'if __name__ == "__main__":\n    print("{text}")\n'
CONFIG = """\
site_name: 내 노트
site_url: http://127.0.0.1:{port}/
theme:
  name: material
  features: [navigation.prune, navigation.indexes]
plugins:
  - search
  - tags
  - obsidian-kb
"""
AWESOME_NAV = "  - awesome-nav\n"
NAV_FILE = "nav:\n  - index.md\n  - 프로세스\n  - \"*\"\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1", "TMPDIR": str(tmp)}
    for name in ("KB_SNIPPETS", "KB_SNIPPETS_FRESH", "KB_VAULT"):
        env.pop(name, None)
    return env


def _tree(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            data = gzip.decompress(data) if path.suffix == ".gz" else data
            out[path.relative_to(site).as_posix()] = PROVENANCE.sub(b"ran <when>", data)
    return out


def _differences(served: Path, clean: Path) -> list[str]:
    a, b = _tree(served), _tree(clean)
    found = [f"only served: {p}" for p in sorted(a.keys() - b.keys())]
    found += [f"only in the clean build: {p}" for p in sorted(b.keys() - a.keys())]
    for path in sorted(a.keys() & b.keys()):
        if a[path] != b[path]:
            x, y = a[path].decode("utf-8", "replace"), b[path].decode("utf-8", "replace")
            at = next((i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q), min(len(x), len(y)))
            found.append(f"differs: {path}\n  served: …{x[max(at - 120, 0):at + 120]!r}\n"
                         f"  clean:  …{y[max(at - 120, 0):at + 120]!r}")
    return found


class Server:
    def __init__(self, project: Path, tmp: Path, *, plugins: str = "", kb_options: str = "") -> None:
        self.project, self.tmp = project, tmp
        self.port = _free_port()
        config = CONFIG.format(port=self.port) + plugins
        if kb_options:
            config = config.replace("  - obsidian-kb\n", "  - obsidian-kb:\n" + kb_options)
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        self.log = project / "serve.log"
        cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"]
        with self.log.open("w", encoding="utf-8") as out:
            self.proc = subprocess.Popen(cmd, cwd=project, env=_env(tmp), stdout=out,
                                         stderr=subprocess.STDOUT)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def builds(self) -> int:
        return self.text().count("Reloading browsers") + (1 if "Serving on" in self.text() else 0)

    def wait(self, what: str, check: Callable[[], bool], timeout: float = 180) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                pytest.fail(f"mkdocs serve exited\n{self.text()[-4000:]}")
            if check():
                return
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}\n{self.text()[-4000:]}")

    def site(self) -> Path:
        found = [p for p in self.tmp.glob("mkdocs_*") if p.is_dir()]
        assert len(found) == 1, found
        return found[0]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(params=["mkdocs-nav", "awesome-nav"])
def server(request, tmp_path):
    project = tmp_path / "project"
    docs = project / "docs"
    shutil.copytree(FIXTURE, docs)
    (docs / ".obsidian").mkdir(exist_ok=True)
    (docs / "snippets").mkdir()
    (docs / "snippets" / "hello.py").write_text(SNIPPET.format(text="처음 출력"), encoding="utf-8")
    with (docs / "노트" / "임베드.md").open("a", encoding="utf-8") as f:
        f.write("\n\n![[hello.py#output]]\n")
    plugins = ""
    if request.param == "awesome-nav":
        (docs / ".nav.yml").write_text(NAV_FILE, encoding="utf-8")
        plugins = AWESOME_NAV
    serve_tmp = tmp_path / "serve-tmp"
    serve_tmp.mkdir()
    srv = Server(project, serve_tmp, plugins=plugins)
    try:
        srv.wait("the first build", lambda: "Serving on" in srv.text())
        yield srv
    finally:
        srv.stop()


def _clean_build(project: Path, out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(out)], cwd=project,
                            env=_env(project.parent), capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-4000:]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_site_equals_a_clean_build(server, tmp_path):
    docs = server.project / "docs"
    steps: list[tuple[str, Callable[[], None], str]] = [
        # (what, edit, what the rebuild must log: a few pages, or every page)
        ("a new link: the edited page and the linked note's backlinks",
         lambda: _append(docs / "bb" / "메모.md", "\n[[경쟁 조건]] 을 보라.\n"), "rendering 2 of"),
        ("a renamed heading that links and an embed point at",
         lambda: _replace(docs / "프로세스" / "프로세스와 스레드.md", "### 힙 (Heap) 영역", "### 힙 영역"),
         "page(s) that changed"),
        ("an embedded note", lambda: _append(docs / "스레드" / "경쟁 조건.md", "\n고친 문장 하나.\n"),
         "page(s) that changed"),
        ("a new tag", lambda: _append(docs / "a" / "메모.md", "\n#새태그 하나\n"), "page(s) that changed"),
        ("a snippet's output", lambda: (docs / "snippets" / "hello.py").write_text(
            SNIPPET.format(text="고친 출력"), encoding="utf-8"), "page(s) that changed"),
        ("a same-name note takes over a bare link",
         lambda: (docs / "경쟁 조건.md").write_text("# 새 경쟁 조건\n\n뿌리의 노트.\n", encoding="utf-8"),
         "rendering every page"),
        ("a deleted note", lambda: (docs / "특수 (문자)" / "공백 있는 이름.md").unlink(),
         "rendering every page"),
        ("a renamed note", lambda: (docs / "bb" / "출처.md").rename(docs / "bb" / "원본.md"),
         "rendering every page"),
        ("a changed title (every page's navigation shows it)",
         lambda: _replace(docs / "index.md", "# 지식 베이스", "# 지식 창고"), "building every page"),
        ("mkdocs.yml (every page shows the site name)",
         lambda: _replace(server.project / "mkdocs.yml", "site_name: 내 노트", "site_name: 내 노트 모음"),
         "rendering every page"),
    ]
    if (docs / ".nav.yml").exists():
        steps += [
            ("a small edit after those: the replayed navigation",
             lambda: _append(docs / "a" / "메모.md", "\n한 줄 더.\n"), "page(s) that changed"),
            ("the nav file (every page's navigation)",
             lambda: _replace(docs / ".nav.yml", "  - 프로세스\n", ""), "rendering every page"),
        ]
    for number, (what, edit, expected_log) in enumerate(steps, 1):
        before, log_before = server.builds(), len(server.text())
        edit()
        server.wait(what, lambda b=before: server.builds() > b)
        time.sleep(1.5)  # a second batch of watcher events would start another build now
        server.wait(f"{what}: quiet", lambda: server.text().count("Detected file changes")
                    == server.text().count("Reloading browsers"))
        log = server.text()[log_before:]
        assert expected_log in log, f"step {number} ({what}):\n{log}"
        clean = tmp_path / f"clean-{number}"
        _clean_build(server.project, clean)
        problems = _differences(server.site(), clean)
        assert not problems, f"step {number} ({what}):\n" + "\n".join(problems[:8])

    # Obsidian's own files and the trash never start a build
    before = server.builds()
    (docs / ".obsidian" / "workspace.json").write_text('{"active": "x"}', encoding="utf-8")
    (docs / ".trash").mkdir(exist_ok=True)
    (docs / ".trash" / "지운 노트.md").write_text("# 지움\n", encoding="utf-8")
    time.sleep(4)  # the watcher polls every 0.5 s
    assert server.builds() == before
    assert server.text().count("Detected file changes") == server.text().count("Reloading browsers")


def test_snippet_folder_outside_docs_and_watch_is_watched(tmp_path):
    """``snippets:`` pointing outside the docs folder and outside ``watch:``: saving the
    program alone rebuilds, and the page shows the new output, not the cached run."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "code").mkdir()
    (project / "docs" / "index.md").write_text("# 홈\n\n![[hello.py]]\n", encoding="utf-8")
    (project / "code" / "hello.py").write_text(SNIPPET.format(text="첫 출력"), encoding="utf-8")
    server = Server(project, tmp_path, kb_options="      snippets: code\n")
    try:
        server.wait("the first build", lambda: "Serving on" in server.text())
        sites = [p for p in tmp_path.glob("mkdocs_*") if p.is_dir() and (p / "index.html").exists()
                 and "첫 출력" in (p / "index.html").read_text(encoding="utf-8")]
        assert sites, server.text()
        before = server.builds()
        (project / "code" / "hello.py").write_text(SNIPPET.format(text="고친 출력"), encoding="utf-8")
        server.wait("a rebuild after the snippet alone changed", lambda: server.builds() > before)
        page = (sites[0] / "index.html").read_text(encoding="utf-8")
        assert "고친 출력" in page and "첫 출력" not in page
    finally:
        server.stop()
