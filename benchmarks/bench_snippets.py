"""Benchmark of the snippet runner (a script, not a test; prints tables and ratios).

(a) per-snippet overhead: for each program, the median wall time through the
    runner (fresh, no cache: parse, cache key, copy of the script's folder, run,
    judge, store) against a bare ``subprocess.run([sys.executable, file])`` in the
    script's own folder (a direct run) measured in the same loop, alternating.
    Target: < 30 ms added. The copy of the folder is also timed on its own
    (``copy ms``: plan + copy + delete of the throw-away folder).
(b) cold run of all programs through the pool against the sum of their single
    runs (the parallel speed-up; ``alone`` snippets serialise part of it).
(c) warm run (everything cached) against the cold run.

Usage: python benchmarks/bench_snippets.py [--reps 3] [--skip-slow SECONDS] [--generated-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from obsidian_kb.snippets import SnippetRunner, SpecError, parse_spec
from obsidian_kb.snippets.workdir import copy_folder, plan_copy

REPO = Path(__file__).resolve().parent.parent
TRIVIAL = {
    "bench_hello.py": 'print("hello")\n',
    "bench_imports.py": "import json, collections, re, pathlib\nprint(json.dumps([1, 2]))\n",
    "bench_threads.py": (
        "import threading\n"
        "ts = [threading.Thread(target=print, args=(i,)) for i in range(8)]\n"
        "[t.start() for t in ts]\n[t.join() for t in ts]\n"
    ),
    "bench_output.py": "import sys\nsys.stdout.write('x' * 79 + '\\n' * 1)\n" * 1
    + "for i in range(20000):\n    print(i)\n",
}


def bare(path: Path, repeat: int, figures: Path) -> float:
    """A direct run in the script's folder (what the page must equal)."""
    figures.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for _ in range(repeat):
        subprocess.run([sys.executable, path.name], cwd=path.parent, capture_output=True,
                       stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(path.parent),
                                                      "MPLBACKEND": "Agg",
                                                      "PYTHONDONTWRITEBYTECODE": "1",
                                                      "KB_FIGURES_DIR": str(figures)})
    return time.perf_counter() - t0


def copy_cost(folder: Path, reps: int = 5) -> tuple[float, int, int]:
    """Median seconds to plan, copy and delete one throw-away copy; files; bytes."""
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        plan = plan_copy(folder)
        with tempfile.TemporaryDirectory() as tmp:
            copy_folder(plan, Path(tmp))
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(plan.files), plan.total_bytes


def through_runner(path: Path, snippets_dir: Path, cache: Path) -> tuple[float, str, int]:
    t0 = time.perf_counter()
    with SnippetRunner(snippets_dir, cache, fresh=True, jobs=1) as runner:
        report = runner.report(path)
    elapsed = time.perf_counter() - t0
    problems = "; ".join(str(p) for p in report.problems)[:150]
    return elapsed, problems, len(report.runs)


def _is_alone(path: Path) -> bool:
    try:
        return parse_spec(path, path.read_text(encoding="utf-8"), path.name).alone
    except SpecError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--skip-slow", type=float, default=10.0,
                        help="programs whose single run takes longer get 1 repetition")
    parser.add_argument("--generated-only", action="store_true",
                        help="only the generated trivial programs (quick, less noisy)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="obsidian-kb-bench-") as tmp_name:
        tmp = Path(tmp_name)
        gen_dir = tmp / "generated"
        gen_dir.mkdir()
        for name, src in TRIVIAL.items():
            (gen_dir / name).write_text(src)
        cwd = tmp / "cwd"
        cwd.mkdir()
        programs = [] if args.generated_only else [
            (REPO / "snippets", p) for p in sorted((REPO / "snippets").glob("*.py"))
        ]
        programs += [(gen_dir, p) for p in sorted(gen_dir.glob("*.py"))]

        print("(a) per-snippet overhead: runner (fresh, no cache) vs a bare run in the script's folder")
        for folder in sorted({p.parent for _, p in programs}):
            seconds, files, size = copy_cost(folder)
            print(f"copy of {folder.name}/: {files} files, {size / 1024:.0f} KiB, "
                  f"{seconds * 1000:.1f} ms per run (included in 'runner ms')")
        print(f"{'program':34} {'runs':>4} {'bare ms':>9} {'runner ms':>10} {'added ms':>9}")
        added_all: list[float] = []
        singles: dict[Path, float] = {}
        for snippets_dir, path in programs:
            first, problems, runs = through_runner(path, snippets_dir, tmp / "c0")
            reps = 1 if first > args.skip_slow else args.reps
            b_times, r_times = [], []
            for i in range(reps):
                r_times.append(through_runner(path, snippets_dir, tmp / f"c{i}")[0])
                b_times.append(bare(path, runs, cwd))
            b, r = statistics.median(b_times), statistics.median(r_times)
            singles[path] = r
            added = (r - b) * 1000 / max(runs, 1)  # per execution
            added_all.append(added)
            flag = f"  (not ok: {problems})" if problems else ""
            print(f"{path.name:34} {runs:>4} {b * 1000:>9.1f} {r * 1000:>10.1f} "
                  f"{added:>9.1f}{flag}")
        print(f"median added per execution: {statistics.median(added_all):.1f} ms "
              f"(target < 30 ms)\n")

        print(f"(b) cold pool run, jobs={os.cpu_count()}, vs sum of single runs")
        cache = tmp / "pool-cache"
        by_dir: dict[Path, list[Path]] = {}
        for snippets_dir, path in programs:
            by_dir.setdefault(snippets_dir, []).append(path)
        t0 = time.perf_counter()
        runners = [SnippetRunner(d, cache, fresh=True) for d in by_dir]
        for runner, paths in zip(runners, by_dir.values(), strict=True):
            runner.start(paths)
        for runner in runners:
            runner.wait_all()
            runner.close()
        cold = time.perf_counter() - t0
        total = sum(singles.values())
        alone = sum(t for p, t in singles.items() if _is_alone(p))
        jobs = os.cpu_count() or 1
        bound = alone + (total - alone) / jobs  # alone snippets cannot overlap anything
        print(f"sum of single runs {total:8.2f} s   pool {cold:8.2f} s   "
              f"speed-up {total / cold:5.2f}x")
        print(f"of which alone=true {alone:8.2f} s; best possible with jobs={jobs}: "
              f"{bound:.2f} s (speed-up {total / bound:.2f}x)\n")

        print("(c) warm run (all cached) vs cold pool run")
        t0 = time.perf_counter()
        cached = 0
        rerun: list[str] = []
        for d, paths in by_dir.items():
            with SnippetRunner(d, cache, fresh=False) as runner:
                runner.start(paths)
                for path, report in runner.wait_all().items():
                    cached += report.from_cache
                    if not report.from_cache:
                        rerun.append(path.name)
        warm = time.perf_counter() - t0
        print(f"warm {warm * 1000:8.1f} ms for {cached}/{len(programs)} cached   "
              f"cold/warm {cold / warm:8.1f}x")
        if rerun:
            print(f"re-ran (not cached): {', '.join(rerun)}")


if __name__ == "__main__":
    main()
