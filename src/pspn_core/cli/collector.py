"""Python's garbage collector during a ``pspn`` command.

A command imports a few hundred modules and may then load large, long-lived
data (word lists, a compiled roster of tens of thousands of names) while
making almost no cyclic garbage. Left alone, the collector walks all of it
again and again: about 80 ms of a ``pspn notes add``. So :func:`main
<pspn_core.cli.main>` turns it off while the command is found and imported,
then :func:`started` moves what start-up built to the permanent generation
(``gc.freeze``, never walked again) and turns it back on, so that long-running
commands (``pspn serve``) collect as usual. Bounded batch work (anonymising
one note) runs under :func:`paused`. Only ``main`` does this: a test's process,
which runs many commands, keeps its collector as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused", "started", "starting"]

_managed = False  # set by main(): a test's process keeps its collector as it is


def starting() -> None:
    """Turn the collector off for start-up (``main`` only: not in a test's process)."""
    global _managed
    _managed = True
    gc.disable()


def started() -> None:
    """Start-up is over: freeze what it built and collect as usual from now on."""
    if _managed and not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block: bounded work that keeps what it allocates.

    What the block built is frozen at its end, as start-up's is, so that the
    next collection does not walk it all at once.
    """
    if not _managed:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
