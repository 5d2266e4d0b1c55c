"""Many rebuilds in a row under a real ``mkdocs serve`` of this repository's vault.

A copy of ``docs/`` and ``snippets/`` is served with the repository's
``mkdocs.yml`` (snippets on). Each round appends a sentence to a note that embeds
snippets and waits for the server's ``Reloading browsers``; every tenth round also
adds a statement to a snippet, so that snippet runs again for real while the others
are keyed and read from the cache (the log must show that one ran). After every
round the server's log must hold no new warning or error (a snippet failure is a
warning), and at the end no served page may show a failed snippet box.

Usage::

    python benchmarks/soak_serve.py [--rounds 200] [--note 스레드.md]

Exit status 1 on any spurious failure. Progress to stderr, the summary to stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_vault import free_port, stop_server  # this folder: the scripts run from it

REPO = Path(__file__).resolve().parent.parent
BAD = ("WARNING", "ERROR", "Traceback", "SystemError")
PROGRESS = re.compile(r"snippets: (\d+)/(\d+) done, (\d+) cached")


def ran_some(log: str) -> bool:
    """The build ran a snippet rather than reading every one from the cache."""
    return any(done == total and cached < total
               for done, total, cached in (map(int, m.groups()) for m in PROGRESS.finditer(log)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--note", default="스레드.md", help="the note edited each round (in docs/)")
    ap.add_argument("--snippet", default="thread_ids.py", help="the snippet edited every tenth round")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kb-soak-"))
    vault, snippets = tmp / "vault", tmp / "snippets"
    shutil.copytree(REPO / "docs", vault)
    shutil.copytree(REPO / "snippets", snippets, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp / "serve-tmp").mkdir()
    env = {**os.environ, "KB_VAULT": str(vault), "KB_SNIPPETS": str(snippets),
           "TMPDIR": str(tmp / "serve-tmp"), "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("KB_SNIPPETS_FRESH", None)
    log_path = tmp / "serve.log"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(REPO / "mkdocs.yml"),
           "-a", f"127.0.0.1:{free_port()}"]
    with log_path.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)

    def log() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    def wait(done, what: str) -> float:
        start = time.perf_counter()
        while not done():
            if proc.poll() is not None or time.perf_counter() - start > 600:
                raise SystemExit(f"mkdocs serve: {what} did not happen:\n{log()[-4000:]}")
            time.sleep(0.05)
        return time.perf_counter() - start

    def say(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    failures: list[str] = []
    times: list[float] = []
    runs = 0
    try:
        wait(lambda: "Serving on" in log(), "the first build")
        first = log()
        failures += [f"first build: {line}" for line in first.splitlines() if line.startswith(BAD)]
        note, snippet = vault / args.note, snippets / args.snippet
        code = snippet.read_text(encoding="utf-8")
        # The cache outlives this run (the repository's .cache): a program text an earlier
        # soak already ran is, rightly, read from it. A token of this run's keeps it new.
        token = secrets.token_hex(8)
        for k in range(1, args.rounds + 1):
            before = log()
            reloads = before.count("Reloading browsers")
            if k % 10 == 0:
                # a statement, not a comment: the cache key is the program's syntax tree
                snippet.write_text(f"{code}\n_soak_round = '{token}-{k}'\n", encoding="utf-8")
            with note.open("a", encoding="utf-8") as f:
                f.write(f"\n\n소크 {k}번째 수정.\n")
            times.append(wait(lambda r=reloads: log().count("Reloading browsers") > r, f"rebuild {k}"))
            time.sleep(0.6)  # let a second batch of watcher events start (and finish) its build
            wait(lambda: log().count("Detected file changes") <= log().count("Reloading browsers"),
                 f"rebuild {k} settling")
            new = log()[len(before):]
            bad = [line for line in new.splitlines() if line.startswith(BAD) or "SystemError" in line]
            if k % 10 == 0 and not ran_some(new):
                bad.append("the edited snippet did not run again")
            runs += k % 10 == 0 and ran_some(new)
            failures += [f"rebuild {k}: {line}" for line in bad]
            if k % 20 == 0 or bad:
                say(f"rebuild {k}: {times[-1]:.2f}s, {len(failures)} failure line(s) so far")
        site = next(p for p in (tmp / "serve-tmp").glob("mkdocs_*") if p.is_dir())
        boxes = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
                 if "kb-snippet-failed" in p.read_text(encoding="utf-8", errors="replace")]
        failures += [f"failed snippet box on {p}" for p in boxes]
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{len(times)} rebuilds of a real `mkdocs serve` of docs/ (snippet edited every 10th): "
          f"median {statistics.median(times):.2f}s, max {max(times):.2f}s save -> reload; "
          f"{runs} real snippet runs; {len(failures)} failure line(s)")
    for line in failures[:40]:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
