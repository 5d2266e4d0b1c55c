"""Build time of the Obsidian engine against the floor (plain MkDocs + Material).

For each vault size a deterministic synthetic Obsidian vault is generated twice:

* the **engine** vault, with ``[[wikilinks]]``, ``![[embeds]]`` and ``^block`` ids,
  built with the repository's ``mkdocs.yml`` (hooks on);
* the **floor** vault, the same notes with every wikilink and embed already
  converted to an ordinary Markdown link (``[alias](relative/path.md#anchor)``)
  and block ids written as ``attr_list`` ids, built with a copy of
  ``mkdocs.yml`` minus the ``hooks`` entry (same theme, plugins, extensions and
  validation settings).

Both builds must finish without a single warning, so the floor validates exactly
the links the engine emits. Each build runs ``mkdocs build`` in a subprocess,
``--repeat`` times, alternating the order (the first round without ``-q``, to
check for warnings; the others with ``-q``); the median is reported, as wall
seconds (``time.perf_counter``) and as CPU seconds of the build process (less
disturbed by other work on a shared machine).

With ``--paired`` each engine build (and each ``links`` build) instead runs at the
same time as a floor build, each pinned to its own CPU, swapping CPUs every
round, and the geometric mean of the per-pair CPU ratios is reported as well
(``--repeat`` must then be even): this VM's speed drifts by tens of percent
between minutes, which sequential builds turn into noise larger than the gap
being measured; builds sharing the same seconds share the drift. Its two CPUs
need not be equally fast either (the floor build paired with a copy of itself
measured 0.960 one way round and 1.055 the other): with each build on each CPU
equally often, the geometric mean cancels that factor, which a median of an odd
number of rounds does not.

Then the **serve latency**: ``mkdocs serve`` on a ``--serve-notes`` vault (1,000
notes), engine and floor one after the other in the same run. Each edit appends
a sentence with a link to another note (a wikilink for the engine, the equivalent
Markdown link for the floor) and is timed from the moment the file is saved
until the server tells browsers to reload (its ``Reloading browsers`` line); for
the engine the served files are then checked to hold the new link on the edited
page and the edited note among the linked note's backlinks. One warm-up edit,
then the median of ``--serve-edits`` edits.

Usage::

    python benchmarks/bench_vault.py [--sizes 1000 5000] [--repeat 2]
        [--serve-notes 1000] [--serve-edits 3] [--paired] [--profile] [--keep]

Progress goes to stderr, the final table to stdout. Temp dirs are removed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import posixpath
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "mkdocs.yml"
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENGINE_DIR = str(REPO / "hooks")

SEED = 20260501

TOP = ["운영체제", "프로그래밍 언어", "자료구조", "네트워크", "데이터베이스", "도구"]
MID = ["기초", "심화", "사례 연구", "실습"]
LOW = ["가", "나", "다"]
WORDS = ["프로세스", "스레드", "힙", "스택", "가비지 컬렉션", "락", "세마포어", "메모리",
         "스케줄러", "캐시", "파일", "소켓", "인덱스", "트랜잭션", "컴파일러", "인터프리터",
         "큐", "트리", "그래프", "해시"]
SUFFIXES = ["개요", "정리", "예제", "함정", "비교", "원리", "구현", "측정"]
HEAD_WORDS = ["정의", "동작 원리", "예시", "주의할 점", "성능", "구현 방법", "관련 개념",
              "역사", "실험 결과", "요약", "질문", "참고 자료"]
SENTENCES = [
    "이 노트는 운영체제가 자원을 나누는 방식을 정리한다.",
    "실제로 실행해 본 결과를 바탕으로 설명한다.",
    "메모리는 힙과 스택으로 나뉘며 각각 수명이 다르다.",
    "스레드는 같은 주소 공간을 공유하므로 동기화가 필요하다.",
    "GIL은 한 번에 하나의 스레드만 바이트코드를 실행하게 한다.",
    "프로세스를 새로 만들면 주소 공간이 복사되거나 새로 만들어진다.",
    "**중요**: 측정 없이 성능을 단정하지 않는다.",
    "`threading.Lock`을 쓰면 경쟁 상태를 막을 수 있다.",
]
CODE_BLOCKS = [
    "```python\ngrid = [[0] * 3 for _ in range(3)]\nprint(\"%d%%\" % 50, grid[[0][0]])\n```",
    "~~~text\n[[이것은 링크가 아니다]] ![[임베드도 아니다]]\n~~~",
    "```bash\nps -eLf | grep python  # [[0]]\n```",
]


@dataclass
class NoteSpec:
    path: str                       # vault path, "a/b/c/name.md"
    name: str                       # file stem
    headings: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


def slugify_factory():
    from pymdownx.slugs import slugify

    return slugify(case="lower")


# -- vault generation ---------------------------------------------------------
def plan_notes(n: int, rng: random.Random) -> list[NoteSpec]:
    folders = [""]
    for t in TOP:
        folders.append(t)
        for m in MID:
            folders.append(f"{t}/{m}")
            folders.extend(f"{t}/{m}/{lo}" for lo in LOW)
    deep = [f for f in folders if f.count("/") == 2]
    notes: list[NoteSpec] = []
    taken: set[str] = set()
    for i in range(n):
        folder = rng.choice(deep) if rng.random() < 0.7 else rng.choice(folders)
        if i > 20 and rng.random() < 0.05:  # same name in another folder
            name = rng.choice(notes[: i - 1]).name
        else:
            name = f"{rng.choice(WORDS)} {rng.choice(SUFFIXES)} {i}"
        path = f"{folder}/{name}.md" if folder else f"{name}.md"
        if path.casefold() in taken:
            name = f"{name} {i}"
            path = f"{folder}/{name}.md" if folder else f"{name}.md"
        taken.add(path.casefold())
        k = rng.randint(3, 5)
        heads = rng.sample(HEAD_WORDS, k)
        headings = [f"{h} {j + 1}" for j, h in enumerate(heads)]
        blocks = [f"blk-{i}-{j}" for j in range(rng.choice([0, 0, 0, 1, 2]))]
        notes.append(NoteSpec(path, name, headings, blocks))
    return notes


def resolve_name(name: str, source: NoteSpec, by_name: dict[str, list[NoteSpec]]) -> NoteSpec:
    """Obsidian's rule for a bare name: own folder first, else the shortest path."""
    cands = by_name[name.casefold()]
    for c in cands:
        if c.folder == source.folder:
            return c
    return min(cands, key=lambda c: (len(c.path), c.path))


def rel_href(target: NoteSpec, source: NoteSpec) -> str:
    rel = posixpath.relpath(target.path, source.folder or ".")
    return quote(rel, safe="/")


def make_link(rng, source: NoteSpec, notes, by_name, slug, embed=False) -> tuple[str, str]:
    """One link as (wikilink text, ordinary Markdown link text)."""
    target = rng.choice(notes)
    kind = rng.random()
    if embed:
        h = rng.choice(target.headings)
        resolved = resolve_name(target.name, source, by_name)
        # a bare name that Obsidian would resolve elsewhere is written as a vault path
        wiki_target = target.path[:-3] if resolved is not target else target.name
        anchor = slug(h, "-")
        return (f"![[{wiki_target}#{h}]]",
                f"[{target.name} › {h}]({rel_href(target, source)}#{anchor})")
    if kind < 0.06:  # same note heading
        h = rng.choice(source.headings)
        return f"[[#{h}]]", f"[{h}](#{slug(h, '-')})"
    if kind < 0.25:  # [[folder/name]]
        wiki = target.path[:-3]
        return f"[[{wiki}]]", f"[{wiki}]({rel_href(target, source)})"
    # bare names resolve by Obsidian's rule; the floor points where Obsidian would
    target = resolve_name(target.name, source, by_name)
    if kind < 0.50:
        return f"[[{target.name}]]", f"[{target.name}]({rel_href(target, source)})"
    if kind < 0.68:
        alias = f"{rng.choice(WORDS)} 참고"
        return f"[[{target.name}|{alias}]]", f"[{alias}]({rel_href(target, source)})"
    if kind < 0.92 or not target.blocks:
        h = rng.choice(target.headings)
        return (f"[[{target.name}#{h}]]",
                f"[{target.name}#{h}]({rel_href(target, source)}#{slug(h, '-')})")
    b = rng.choice(target.blocks)
    return (f"[[{target.name}#^{b}|블록]]", f"[블록]({rel_href(target, source)}#^{b})")


def note_texts(note: NoteSpec, i: int, rng, notes, by_name, slug) -> tuple[str, str]:
    eng: list[str] = []
    flo: list[str] = []

    def both(text: str) -> None:
        eng.append(text)
        flo.append(text)

    if rng.random() < 0.3:
        both(f"---\ntags: [{rng.choice(WORDS).replace(' ', '-')}, 벤치마크]\n---\n")
    both(rng.choice(SENTENCES))
    both("")
    if rng.random() < 0.1:  # embeds live in the intro, never inside a heading's section
        w, f = make_link(rng, note, notes, by_name, slug, embed=True)
        eng.append(w + "\n")
        flo.append(f + "\n")
    n_links = rng.randint(13, 17)
    per_section = [n_links // len(note.headings)] * len(note.headings)
    per_section[0] += n_links - sum(per_section)
    blocks = list(note.blocks)
    for j, h in enumerate(note.headings):
        level = "##" if j == 0 or rng.random() < 0.6 else "###"
        both(f"{level} {h}\n")
        words_e, words_f = [rng.choice(SENTENCES)], [None]
        for _ in range(per_section[j]):
            w, f = make_link(rng, note, notes, by_name, slug)
            words_e.append(w)
            words_f.append(f)
            s = rng.choice(SENTENCES)
            words_e.append(s)
            words_f.append(None)
        line_e = " ".join(words_e)
        line_f = " ".join(x if y is None else y for x, y in zip(words_e, words_f, strict=True))
        if blocks and rng.random() < 0.5:
            b = blocks.pop()
            eng.append(f"{line_e} ^{b}\n")
            flo.append(f"{line_f}\n{{: #^{b} }}\n")
        else:
            eng.append(line_e + "\n")
            flo.append(line_f + "\n")
        if rng.random() < 0.25:
            both(rng.choice(CODE_BLOCKS) + "\n")
    for b in blocks:  # leftover block ids: a short list item paragraph
        eng.append(f"마지막 요약 문장 {i}. ^{b}\n")
        flo.append(f"마지막 요약 문장 {i}.\n{{: #^{b} }}\n")
    return "\n".join(eng), "\n".join(flo)


def write_vaults(n: int, root: Path) -> tuple[Path, Path]:
    rng = random.Random(SEED + n)
    slug = slugify_factory()
    notes = plan_notes(n, rng)
    by_name: dict[str, list[NoteSpec]] = {}
    for note in notes:
        by_name.setdefault(note.name.casefold(), []).append(note)
    eng_root, flo_root = root / f"vault-{n}", root / f"floor-{n}"
    for r in (eng_root, flo_root):
        (r / ".obsidian").mkdir(parents=True)
    index = "# 벤치마크 보관함\n\n합성 노트 모음.\n"
    (eng_root / "index.md").write_text(index, encoding="utf-8")
    (flo_root / "index.md").write_text(index, encoding="utf-8")
    for i, note in enumerate(notes):
        e, f = note_texts(note, i, rng, notes, by_name, slug)
        for r, text in ((eng_root, e), (flo_root, f)):
            p = r / note.path
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
    return eng_root, flo_root


# -- configs --------------------------------------------------------------------
def floor_config(tmp: Path) -> Path:
    """The repository's mkdocs.yml minus ``hooks``; ``watch`` paths made absolute."""
    text = CONFIG.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^hooks:\n(?:[ \t]+-.*\n)+", "", text)
    assert n == 1, "could not find the hooks entry in mkdocs.yml"

    def absolute_watch(m: re.Match[str]) -> str:
        return "".join(f"  - {REPO / item.strip()[2:].strip()}\n"
                       for item in m.group(1).splitlines(keepends=True))

    text = re.sub(r"(?m)^watch:\n((?:[ \t]+-.*\n)+)",
                  lambda m: "watch:\n" + absolute_watch(m), text)
    path = tmp / "mkdocs-floor.yml"
    path.write_text(text, encoding="utf-8")
    return path


def check_configs(floor_cfg: Path, env: dict[str, str]) -> None:
    """The two configs must differ in ``hooks`` (and file locations) only."""
    from mkdocs.config import load_config

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        a = load_config(str(CONFIG))
        b = load_config(str(floor_cfg))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    for key in ("theme", "markdown_extensions", "validation", "use_directory_urls",
                "docs_dir", "site_dir", "strict", "extra_css", "site_url"):
        va, vb = a[key], b[key]
        if key == "theme":
            va, vb = (dict(va._vars), va.name), (dict(vb._vars), vb.name)
        assert va == vb, f"configs differ in {key}: {va!r} != {vb!r}"
    hooks = {str(h) for h in a["hooks"]}
    plugins_a = [k for k in a["plugins"] if k not in hooks]
    assert plugins_a == list(b["plugins"]), f"plugins differ: {plugins_a} != {list(b['plugins'])}"
    assert str(a["mdx_configs"]) == str(b["mdx_configs"]), "configs differ in mdx_configs"
    assert a["hooks"] and not b["hooks"]


# -- building -------------------------------------------------------------------
def run_build(cfg: Path, env: dict[str, str], *, quiet: bool = True) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the build process) and its log."""
    cmd = [*MKDOCS, "build", "-f", str(cfg)] + (["-q"] if quiet else [])
    full_env = {**os.environ, **env}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=full_env, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({cfg}):\n{proc.stderr[-4000:]}")
    return elapsed, cpu, proc.stderr


def run_builds_at_once(builds: list[tuple[Path, dict[str, str]]], *, quiet: bool,
                       tmp: Path) -> list[tuple[float, float, str]]:
    """``run_build`` for each build, all at the same time, each pinned to its own CPU (the
    i-th build on the i-th usable CPU). Builds that share the same seconds share the
    machine's drift in speed too, which on a shared VM is larger than the gap measured."""
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) < len(builds):
        raise SystemExit(f"--paired needs {len(builds)} usable CPUs, this machine has {len(usable)}")
    procs = []
    for i, (cfg, env) in enumerate(builds):
        cmd = [*MKDOCS, "build", "-f", str(cfg)] + (["-q"] if quiet else [])
        log = (tmp / f"build-{i}.log").open("w+", encoding="utf-8")
        cpu = usable[i]
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=REPO, stdout=subprocess.DEVNULL,
                                stderr=log, preexec_fn=lambda cpu=cpu: os.sched_setaffinity(0, {cpu}))
        procs.append((proc, log, time.perf_counter(), cfg))
    ended: dict[int, tuple[float, int, resource.struct_rusage]] = {}
    while len(ended) < len(procs):  # in the order they end: each build's own wall time
        pid, status, usage = os.wait4(-1, 0)  # and its own CPU time
        ended[pid] = (time.perf_counter(), status, usage)
    results = []
    for proc, log, t0, cfg in procs:
        end, status, usage = ended[proc.pid]
        elapsed = end - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
        log.close()
        if proc.returncode != 0:
            raise SystemExit(f"build failed ({cfg}):\n{text[-4000:]}")
        results.append((elapsed, usage.ru_utime + usage.ru_stime, text))
    return results


def record(times: dict[str, list[float]], cpus: dict[str, list[float]], label: str, n: int, r: int,
           result: tuple[float, float, str], say) -> None:
    """Keep one build's times. The first round is not quiet: both builds must be free of
    warnings (a floor with broken links would skip work and flatter the engine)."""
    t, cpu, log = result
    if r == 0:
        warns = warnings_in(log)
        if warns:
            print("\n".join(warns[:20]), file=sys.stderr)
            raise SystemExit(f"{label} build of {n} notes has {len(warns)} warning(s); "
                             "the comparison would not be honest")
    times[label].append(t)
    cpus[label].append(cpu)
    say(f"{n} notes: {label} run {r + 1}: {t:.2f}s wall, {cpu:.2f}s CPU" + (", 0 warnings" if r == 0 else ""))


def warnings_in(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("WARNING")]


def profile_engine(env: dict[str, str], top: int) -> tuple[float, float, str]:
    """Profile an in-process engine build; return (total s, engine s, top functions)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        cfg = load_config(str(CONFIG))
        prof = cProfile.Profile()
        prof.enable()
        build(cfg)
        prof.disable()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    stats = pstats.Stats(prof)
    raw = stats.stats  # type: ignore[attr-defined]

    def ours(fn: tuple[str, int, str]) -> bool:
        return fn[0].startswith(ENGINE_DIR)

    # Entry points of the engine: our functions no other function of ours calls.
    # (Nested embeds re-enter through Python-Markdown; their cost is counted
    # once, inside the outer handleMatch, because cProfile reports cumulative
    # time for the outermost activation of a recursive function only.)
    engine = 0.0
    for fn, (_cc, _nc, _tt, ct, callers) in raw.items():
        if ours(fn) and not any(ours(c) for c in callers):
            engine += ct
    prof_total = sum(tt for (_cc, _nc, tt, _ct, _callers) in raw.values())
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(ENGINE_DIR, top)
    return prof_total, engine, out.getvalue()


# -- serve latency ------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _page_file(site: Path, note: NoteSpec) -> Path:
    return site / note.path[: -len(".md")] / "index.html"


def serve_latency(n: int, tmp: Path, edits: int, say) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds from saving a one-note edit to the reload, per server (engine, floor)."""
    eng_vault, flo_vault = write_vaults(n, tmp / "serve")
    notes = plan_notes(n, random.Random(SEED + n))  # the plan write_vaults used
    rng = random.Random(SEED)
    pairs = [tuple(rng.sample(notes, 2)) for _ in range(edits + 1)]
    floor_cfg = floor_config(tmp)
    return {label: _serve_edits(label, cfg, vault, tmp, pairs, say)
            for label, cfg, vault in (("floor", floor_cfg, flo_vault), ("engine", CONFIG, eng_vault))}


#: Reloads after which the edited page did not show the edit yet (reported with the figures).
stale: list[str] = []
keep_log = [False]


def _serve_edits(label: str, cfg: Path, vault: Path, tmp: Path, pairs, say) -> list[tuple[float, float]]:
    import psutil

    serve_tmp = tmp / f"serve-tmp-{label}"
    serve_tmp.mkdir()
    env = {**os.environ, "KB_VAULT": str(vault), "KB_SNIPPETS": str(tmp / "snippets"),
           "TMPDIR": str(serve_tmp), "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    log_path = tmp / f"serve-{label}.log"
    cmd = [*MKDOCS, "serve", "-f", str(cfg), "-a", f"127.0.0.1:{free_port()}"]
    with log_path.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    server = psutil.Process(proc.pid)

    def cpu() -> float:
        t = server.cpu_times()
        return t.user + t.system

    def log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until(done, start: float) -> float:
        while not done():
            if proc.poll() is not None or time.perf_counter() - start > 900:
                raise SystemExit(f"mkdocs serve ({label}) failed:\n{log()[-4000:]}")
            time.sleep(0.02)
        return time.perf_counter() - start

    try:
        first = wait_until(lambda: "Serving on" in log(), time.perf_counter())
        say(f"serve: {label} first build {first:.1f}s")
        site = next(p for p in serve_tmp.glob("mkdocs_*") if p.is_dir())
        times = []
        for k, (source, target) in enumerate(pairs):
            if label == "engine":
                line = f"\n\n새 링크 {k}: [[{target.path[:-3]}]] 를 덧붙였다.\n"
            else:
                line = f"\n\n새 링크 {k}: [{target.name}]({rel_href(target, source)}) 를 덧붙였다.\n"
            path = vault / source.path
            text = path.read_text(encoding="utf-8") + line
            before, cpu_before = log().count("Reloading browsers"), cpu()
            start = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            while True:
                elapsed = wait_until(lambda b=before: log().count("Reloading browsers") > b, start)
                page = _page_file(site, source).read_text(encoding="utf-8")
                if f"새 링크 {k}" in page:
                    break
                # A reload whose page lacks the edit is counted (and the timing runs on until
                # the reload that shows it): a stale page is what this benchmark must not hide.
                stale.append(f"{label} edit {k}: a reload at {elapsed:.2f}s without the edit")
                say(f"serve: {stale[-1]}; log kept at {log_path}")
                keep_log[0] = True
                before = log().count("Reloading browsers")
            used = cpu() - cpu_before
            if label == "engine":
                linked = _page_file(site, target).read_text(encoding="utf-8")
                backlinks = linked[linked.find('class="kb-backlinks"'):]
                assert f"새 링크 {k}" in backlinks, "engine: the linked note's backlinks lack the edit"
            say(f"serve: {label} edit {k}{' (warm-up)' if k == 0 else ''}: {elapsed:.2f}s wall, "
                f"{used:.2f}s CPU")
            if k:
                times.append((elapsed, used))
            time.sleep(1.0)  # let the watcher settle between edits
        return times
    finally:
        stop_server(proc)


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a ``mkdocs serve`` the way Ctrl-C would, then for good."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile an in-process engine build of the first size (engine share)")
    ap.add_argument("--top", type=int, default=25, help="engine functions shown with --profile")
    ap.add_argument("--serve-notes", type=int, default=1000,
                    help="vault size of the serve-latency comparison (0 skips it)")
    ap.add_argument("--serve-edits", type=int, default=3, help="timed edits per server")
    ap.add_argument("--paired", action="store_true",
                    help="run each engine build at the same time as a floor build, on its own CPU, "
                         "and report the geometric mean of the per-pair CPU ratios (needs 2 CPUs and "
                         "an even --repeat)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (for debugging)")
    args = ap.parse_args()
    if args.paired and args.repeat % 2:
        ap.error("--paired needs an even --repeat: each build on each CPU equally often")

    def say(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    rows = []
    paired: list[tuple[int, dict[str, list[float]]]] = []
    latency: dict[str, list[tuple[float, float]]] = {}
    try:
        snippets = tmp / "snippets"
        snippets.mkdir()
        if args.serve_notes:
            latency = serve_latency(args.serve_notes, tmp, args.serve_edits, say)
        for n in args.sizes:
            floor_cfg = floor_config(tmp)  # per size: mkdocs.yml may change during a long run
            say(f"{n} notes: generating vaults")
            eng_vault, flo_vault = write_vaults(n, tmp)
            env_e = {"KB_VAULT": str(eng_vault), "KB_SITE_DIR": str(tmp / f"site-e-{n}"),
                     "KB_SNIPPETS": str(snippets)}
            env_f = {"KB_VAULT": str(flo_vault), "KB_SITE_DIR": str(tmp / f"site-f-{n}"),
                     "KB_SNIPPETS": str(snippets)}
            check_configs(floor_cfg, env_f)
            # "links": the same engine without the per-note backlinks and local graph
            env_l = {**env_e, "KB_SITE_DIR": str(tmp / f"site-l-{n}"), "KB_NOTE_PANELS": "0"}
            times: dict[str, list[float]] = {"floor": [], "engine": [], "links": []}
            cpus: dict[str, list[float]] = {"floor": [], "engine": [], "links": []}
            pair_ratios: dict[str, list[float]] = {"engine": [], "links": []}

            for r in range(args.repeat):
                order = [("floor", floor_cfg, env_f), ("engine", CONFIG, env_e), ("links", CONFIG, env_l)]
                if r % 2:
                    order.reverse()
                if not args.paired:
                    for label, cfg, env in order:
                        record(times, cpus, label, n, r, run_build(cfg, env, quiet=r > 0), say)
                    continue
                for other in ("engine", "links"):  # floor and ``other`` at once, CPUs swapped each round
                    pair = [b for b in order if b[0] in ("floor", other)]
                    results = run_builds_at_once([(cfg, env) for _, cfg, env in pair], quiet=r > 0, tmp=tmp)
                    got = {label: res for (label, _, _), res in zip(pair, results, strict=True)}
                    for label, res in got.items():
                        record(times, cpus, label, n, r, res, say)
                    pair_ratios[other].append(got[other][1] / got["floor"][1])
                    say(f"{n} notes: {other} / floor CPU in this pair: {pair_ratios[other][-1]:.3f}")
            share = None
            if args.profile and n == args.sizes[0]:
                say(f"{n} notes: profiling an in-process engine build")
                prof_total, engine, top = profile_engine(env_e, args.top)
                share = engine / prof_total
                say(f"{n} notes: engine {engine:.2f}s of {prof_total:.2f}s profiled ({share:.1%})")
                print(top, file=sys.stderr)
            floor, eng = statistics.median(times["floor"]), statistics.median(times["engine"])
            rows.append((n, floor, eng, share,
                         statistics.median(cpus["floor"]), statistics.median(cpus["engine"]),
                         statistics.median(times["links"]), statistics.median(cpus["links"])))
            if args.paired:
                paired.append((n, pair_ratios))
            for d in (eng_vault, flo_vault, tmp / f"site-e-{n}", tmp / f"site-f-{n}", tmp / f"site-l-{n}"):
                shutil.rmtree(d, ignore_errors=True)
    finally:
        if args.keep or keep_log[0]:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("wall = median perf_counter seconds of `mkdocs build -q`; "
          "cpu = median user+sys seconds of the same builds")
    print(f"{'notes':>6} {'floor s':>8} {'engine s':>9} {'ratio':>6} "
          f"{'floor ms/note':>13} {'engine ms/note':>14} "
          f"{'floor cpu':>9} {'engine cpu':>10} {'cpu ratio':>9} {'engine share':>12} "
          f"{'links s':>8} {'links cpu':>9} {'links cpu ratio':>15}")
    for n, floor, eng, share, fcpu, ecpu, lwall, lcpu in rows:
        sh = f"{share:.1%}" if share is not None else "-"
        print(f"{n:>6} {floor:>8.2f} {eng:>9.2f} {eng / floor:>6.3f} "
              f"{floor / n * 1000:>13.2f} {eng / n * 1000:>14.2f} "
              f"{fcpu:>9.2f} {ecpu:>10.2f} {ecpu / fcpu:>9.3f} {sh:>12} "
              f"{lwall:>8.2f} {lcpu:>9.2f} {lcpu / fcpu:>15.3f}")
    print("links = the engine with KB_NOTE_PANELS=0 (no backlinks or local graph under each note)")
    for n, ratios in paired:
        print(f"paired at {n} notes (floor built at the same time on the other CPU, CPUs swapped "
              "each round), geometric mean of the CPU ratios: "
              + ", ".join(f"{label} {statistics.geometric_mean(v):.3f} "
                          f"(rounds: {', '.join(f'{x:.3f}' for x in v)})"
                          for label, v in ratios.items()))
    if latency:
        wall = {k: statistics.median(t for t, _ in v) for k, v in latency.items()}
        cpu = {k: statistics.median(c for _, c in v) for k, v in latency.items()}
        print(f"serve latency at {args.serve_notes} notes, one-note edit adding a link, save -> browsers "
              f"reload (median of {args.serve_edits}):")
        print(f"  wall: floor {wall['floor']:.2f}s, engine {wall['engine']:.2f}s, "
              f"engine/floor {wall['engine'] / wall['floor']:.3f}")
        print(f"  cpu of the server: floor {cpu['floor']:.2f}s, engine {cpu['engine']:.2f}s, "
              f"engine/floor {cpu['engine'] / cpu['floor']:.3f}")
        for label, values in latency.items():
            print(f"  {label} edits (wall/cpu s): " + ", ".join(f"{t:.2f}/{c:.2f}" for t, c in values))
        print(f"  reloads without the edit: {len(stale)}" + "".join(f"\n    {s}" for s in stale))
    if len(rows) >= 2:
        (n0, f0, e0, _, fc0, ec0, _, lc0), (n1, f1, e1, _, fc1, ec1, _, lc1) = rows[0], rows[-1]
        print(f"growth {n0} -> {n1} notes (linear = {n1 / n0:.1f}x): "
              f"wall floor {f1 / f0:.2f}x, engine {e1 / e0:.2f}x; "
              f"cpu floor {fc1 / fc0:.2f}x, engine {ec1 / ec0:.2f}x, links {lc1 / lc0:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
