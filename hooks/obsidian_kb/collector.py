"""CPython's cycle collector around a build.

A build keeps its vault records (scans, links, resolutions: ~300k tracked objects at
5,000 notes) alive from the index to the end. A full collection walks every tracked
object, and one runs each time a quarter as many objects as it last kept have been
promoted since, so those records were walked again and again while MkDocs rendered
pages: the engine's full collections walked 4.0M objects against the plain site's
2.0M. None of them is garbage before the build ends, so they leave the walks:

- :func:`paused` while the engine makes many containers and no garbage cycles (the
  index and its resolutions, the graph and search files written at the end);
- :func:`freeze` once the pages start, :func:`thaw` when the build ends or fails
  (``gc.freeze`` moves every object alive into a generation no collection walks;
  garbage among them waits for the thaw).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside (reference counting still frees everything acyclic)."""
    if not gc.isenabled():  # someone else paused it: leave it as we found it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def freeze() -> None:
    gc.freeze()


def thaw() -> None:
    """Idempotent; also thaws whatever another caller froze (CPython has one frozen set)."""
    gc.unfreeze()
