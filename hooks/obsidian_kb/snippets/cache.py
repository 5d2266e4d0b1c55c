"""On-disk cache of successful runs, keyed by everything that can change them.

Key = sha256 over: the snippet source, the sources of local modules it imports
from the snippets folder (followed recursively with ``ast``), the interpreter
(path and ``sys.version`` as reported by that interpreter), ``RUNNER_VERSION``
and the parsed header settings. Only the runs are stored; claims are judged
again on load (cheap, and a changed claim checker applies at once).

Layout: ``<cache>/<key>.json`` plus content-addressed figure files in
``<cache>/figures/``. Figures are written first and the JSON last, each with a
temporary file and ``os.replace``, so a reader sees either a whole entry or none.

Policy: only ok reports are stored (a failure is retried on the next build).
``KB_SNIPPETS_FRESH=1`` ignores reads but still writes. Tests use a fresh
temporary cache directory; CI should run with ``KB_SNIPPETS_FRESH=1`` so the
published outputs are really from that build.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .runner import RUNNER_VERSION, Figure, Interpreter, RunResult
from .spec import SnippetSpec


def local_modules(source: str, snippets_dir: Path) -> list[Path]:
    """Files in ``snippets_dir`` that ``source`` imports, directly or through each other."""
    found: dict[Path, None] = {}
    pending = [source]
    while pending:
        text = pending.pop()
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # the run will report it; the key still covers the source
        for name in _imported_names(tree):
            for path in _module_files(name, snippets_dir):
                if path not in found:
                    found[path] = None
                    pending.append(path.read_text(encoding="utf-8", errors="replace"))
    return sorted(found)


def _imported_names(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            # ``from pkg import mod`` may name a submodule file
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_files(dotted: str, root: Path) -> list[Path]:
    parts = dotted.split(".")
    out = []
    for i in range(1, len(parts) + 1):
        base = root.joinpath(*parts[:i])
        if base.with_suffix(".py").is_file():
            out.append(base.with_suffix(".py"))
        elif (base / "__init__.py").is_file():
            out.append(base / "__init__.py")
        else:
            break
    return out


def cache_key(spec: SnippetSpec, snippets_dir: Path, interpreter: Interpreter) -> str:
    h = hashlib.sha256()

    def feed(label: str, data: str | bytes) -> None:
        raw = data.encode() if isinstance(data, str) else data
        h.update(f"{label}:{len(raw)}:".encode())
        h.update(raw)

    feed("runner", RUNNER_VERSION)
    feed("python", interpreter.executable)
    feed("version", interpreter.version)
    feed("spec", json.dumps(spec.settings(), sort_keys=True))
    feed("source", spec.source)
    for path in local_modules(spec.source, snippets_dir):
        feed("module", path.relative_to(snippets_dir).as_posix())
        feed("module-source", path.read_bytes())
    return h.hexdigest()


class RunCache:
    """Load and store the runs of one snippet under a key."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def load(self, key: str) -> tuple[RunResult, ...] | None:
        path = self.root / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return tuple(_run_from_json(item, self.root) for item in data["runs"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or damaged entry: run again

    def store(self, key: str, runs: tuple[RunResult, ...]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        figures_dir = self.root / "figures"
        items = []
        for run in runs:
            item = asdict(run)
            refs = []
            for fig in run.figures:
                digest = hashlib.sha256(fig.data).hexdigest()
                stored = f"{digest}{Path(fig.name).suffix.lower()}"
                target = figures_dir / stored
                if not target.exists():
                    figures_dir.mkdir(exist_ok=True)
                    _atomic_write(target, fig.data)
                refs.append({"name": fig.name, "file": stored})
            item["figures"] = refs
            item["from_cache"] = False
            items.append(item)
        payload = json.dumps({"runner": RUNNER_VERSION, "runs": items}, ensure_ascii=False)
        _atomic_write(self.root / f"{key}.json", payload.encode("utf-8"))


def _run_from_json(item: dict[str, Any], root: Path) -> RunResult:
    figures = tuple(
        Figure(ref["name"], (root / "figures" / ref["file"]).read_bytes())
        for ref in item.pop("figures")
    )
    return replace(RunResult(**item, figures=figures), from_cache=True)


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
