"""The command line's one progress bar: ``click.progressbar`` on standard error, on a terminal.

Long work reports how far it has got through a callback and never draws
anything itself: adapters through ``ForumContext.progress_of`` (wired to
:class:`ProgressBars` by the :class:`~pspn_core.cli.app.App`), use cases
through the ``progress`` argument they take (:func:`bar`). Only this module
draws; output to a file or a pipe stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

__all__ = ["ProgressBars", "bar", "terminal_bars"]


def _on_terminal(stream: TextIO) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


class ProgressBars:
    """A :data:`~pspn_core.registries.ProgressReport` that draws one bar per task on ``stream``.

    A bar starts when the task's total is first known and closes when it is
    reached; a task whose total is never known draws nothing.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._bars: dict[str, Any] = {}

    def __call__(self, task: str, done: int, total: int | None) -> None:
        if total is None:
            return
        shown = self._bars.get(task)
        if shown is None:
            shown = click.progressbar(length=total, label=task, file=self.stream)
            shown.__enter__()
            self._bars[task] = shown
        shown.length = max(total, 1)
        shown.update(min(done, total) - shown.pos)
        if done >= total:
            self._bars.pop(task).__exit__(None, None, None)


def terminal_bars(stream: TextIO | None = None) -> ProgressBars | None:
    """Bars on ``stream`` (default standard error) if it is a terminal, else ``None``."""
    stream = sys.stderr if stream is None else stream
    return ProgressBars(stream) if _on_terminal(stream) else None


@contextmanager
def bar(
    total: int, label: str, stream: TextIO | None = None
) -> Iterator[Callable[[int], None] | None]:
    """A bar of ``total`` steps for a use case's ``progress(steps)``; ``None`` off a terminal."""
    stream = sys.stderr if stream is None else stream
    if total == 0 or not _on_terminal(stream):
        yield None
        return
    with click.progressbar(length=total, label=label, file=stream) as shown:
        yield shown.update
