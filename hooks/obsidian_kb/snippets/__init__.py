'''Build-time snippet runner: run every program in ``snippets/`` for real.

Public API::

    runner = SnippetRunner(snippets_dir, cache_dir, jobs=2, progress=log.info,
                           execute=True, vault_root=vault_root)
    runner.start(paths)                      # returns at once, runs in threads
    report = runner.report("snippets/x.py")  # blocks for that one ("x.py" or a Path work too)
    html = render_snippet_html(report, show="both", title=None)
    if not report.ok:
        for problem in report.problems:      # str(problem) == "snippets/x.py:12: ..."
            log.warning(str(problem))
    reports = runner.wait_all()              # {resolved absolute Path: SnippetReport}
    runner.close()                           # or use ``with SnippetRunner(...) as runner``

Add ``SNIPPETS_CSS`` (``obsidian_kb/assets/snippets.css``) to the page styles.
The HTML is a fragment with newlines inside ``<pre>``: stash it (e.g.
``md.htmlStash.store``) rather than feeding it back through Markdown.

Snippet header format (for authors)
-----------------------------------

A snippet is a normal Python file that runs with ``python file.py``; put all
multiprocessing code behind ``if __name__ == "__main__":``. An optional
PEP 723-style block of ``# ``-prefixed TOML lines configures and checks it::

    # /// kb
    # timeout = 60        # wall-clock seconds, default 30
    # repeat = 20         # run N times (sequentially), default 1
    # alone = true        # never run while another snippet runs, default false
    # memory_mb = 1024    # RLIMIT_AS per process, default 2048
    # max_procs = 64      # processes in the snippet's tree (sampled), default 256
    # output_limit = 200000  # bytes kept per stream, default 200000
    # exit = 1            # expected exit code, default 0
    # signal = 11         # expected death by this signal instead of an exit
    # [[expect]]
    # name = "락이 있으면 손실이 없다"   # shown on the page
    # pattern = 'with lock: lost=(\\d+)'  # regex with exactly one group
    # stream = "stdout"   # or "stderr", default stdout
    # all = "== 0"        # exactly one of: any / all / distinct / same
    # ///

Claims (values are the capture group of every match, per run):

- ``any = "> 0"``: at least one value in a run satisfies it, in at least
  ``min_runs`` runs (default 1); reported as "observed in k of N runs".
- ``all = "== 0"``: every value in every run satisfies it, and every run has
  at least one match.
- ``distinct = true``: in each run, >= 2 matches and all different.
- ``same = true``: in each run, >= 2 matches and all equal.

Comparisons are ``== != > >= < <=`` then a number (compared numerically; a
non-numeric capture fails) or a quoted string (compared as text). Unknown
keys, malformed TOML, a regex without exactly one group and similar mistakes
are errors naming ``snippets/x.py:LINE``. A non-zero exit (e.g. a failing
``assert``) fails the snippet unless ``exit``/``signal`` says otherwise; the
reason given is the exception line of the last traceback.

Sidecar (for a script that cannot be edited, e.g. a published example meant
to fail): ``x.kb.toml`` beside ``x.py`` holds the same keys as plain TOML (no
``# `` prefixes). Obsidian never rewrites it; errors name
``snippets/x.kb.toml:LINE``; a script with both a header and a sidecar is an
error::

    # demo_traceback.kb.toml
    exit = 1
    [[expect]]
    name = "죽은 프록시는 ReferenceError를 낸다"
    pattern = '(?m)^(ReferenceError):'
    stream = "stderr"
    all = '== "ReferenceError"'

Environment inside a snippet: ``cwd`` is a throw-away copy of the script's own
folder (see :mod:`.workdir`: at most 4000 files / 64 MiB, else a located
error), the script runs as ``python x.py`` there, the build interpreter's
``bin`` is first on ``PATH`` (a child ``python3`` is the same Python),
``PYTHONPATH`` is the snippets folder (local helper modules import),
``KB_FIGURES_DIR`` is where to save png/svg/jpg/gif figures, ``MPLBACKEND=Agg``,
``PYTHONHASHSEED=0``, UTF-8, ``TZ=UTC``, ``NO_COLOR=1``, ``COLUMNS=80``.
See :mod:`.runner` for limits and isolation, :mod:`.cache` for the cache policy
(failures are cached too, keyed on the code; ``KB_SNIPPETS_FRESH=1`` forces
fresh runs), :mod:`.interrupt` for Ctrl-C. ``execute=False`` runs nothing.
'''

from .cache import RunCache, cache_key, local_modules
from .claims import ClaimOutcome, SnippetReport, check_claim, judge, summarize
from .pool import SnippetRunner
from .render import SNIPPETS_CSS, render_snippet_html, strip_header
from .runner import (
    RUNNER_VERSION,
    Figure,
    Interpreter,
    RunnerError,
    RunResult,
    probe_interpreter,
    run_once,
)
from .spec import Comparison, Expect, Problem, SnippetSpec, SpecError, parse_spec

__all__ = [
    "RUNNER_VERSION",
    "SNIPPETS_CSS",
    "ClaimOutcome",
    "Comparison",
    "Expect",
    "Figure",
    "Interpreter",
    "Problem",
    "RunCache",
    "RunResult",
    "RunnerError",
    "SnippetReport",
    "SnippetRunner",
    "SnippetSpec",
    "SpecError",
    "cache_key",
    "check_claim",
    "judge",
    "local_modules",
    "parse_spec",
    "probe_interpreter",
    "render_snippet_html",
    "run_once",
    "strip_header",
    "summarize",
]
