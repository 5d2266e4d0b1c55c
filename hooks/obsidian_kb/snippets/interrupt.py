"""Ctrl-C ends every running snippet at once.

Each snippet runs in its own session (so one ``killpg`` ends its tree), which
also means the terminal's SIGINT never reaches it: without help, Ctrl-C leaves
the build waiting for each snippet's timeout, and a second Ctrl-C leaves the
snippets running as orphans. So the runner keeps the process groups it has
started (process-wide, like :mod:`subprocess` keeps its children) and, on
SIGINT or SIGTERM to the build, kills them all with SIGKILL before the
previous handler runs (for SIGINT normally ``KeyboardInterrupt``). From then
on no new snippet starts in this process.

The handler only makes system calls and sets a flag: no lock it could wait on.
Python signal handlers can only be installed from the main thread; a runner
made elsewhere (``mkdocs serve`` rebuilds in a thread) relies on the handler
installed by the first one made in the main thread.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from types import FrameType

_live: set[int] = set()  # process group ids of running snippets
_state = {"stopping": False, "installed": False}
_previous: dict[int, object] = {}


def register(pgid: int) -> None:
    _live.add(pgid)


def unregister(pgid: int) -> None:
    _live.discard(pgid)


def stopping() -> bool:
    """True once the build was interrupted: start nothing new, cache nothing."""
    return _state["stopping"]


def kill_all() -> None:
    """SIGKILL every running snippet's process group."""
    _state["stopping"] = True
    for pgid in list(_live):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)


def _handler(signum: int, frame: FrameType | None) -> None:
    kill_all()
    previous = _previous.get(signum)
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_IGN:
        return
    elif signum == signal.SIGINT:
        raise KeyboardInterrupt
    else:  # SIG_DFL for SIGTERM: die as the sender meant
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def install() -> bool:
    """Chain our handler in front of the current SIGINT/SIGTERM handlers (once, main thread)."""
    if _state["installed"] or threading.current_thread() is not threading.main_thread():
        return _state["installed"]
    for signum in (signal.SIGINT, signal.SIGTERM):
        _previous[signum] = signal.getsignal(signum)
        signal.signal(signum, _handler)
    _state["installed"] = True
    return True
