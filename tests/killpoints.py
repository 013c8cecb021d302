"""Kill points: run an action in a child process that is SIGKILLed before its nth SQL statement.

The child is forked from the test process, so it needs no imports and starts in
milliseconds; every SQLite connection it opens reports each statement before
running it, and the nth report kills the process, as ``kill -9`` would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Callable
from typing import Any

__all__ = ["count_statements", "killed_before"]


def _child(action: Callable[[], object], kill_at: int, report: int) -> None:
    count = 0

    def trace(_statement: str) -> None:
        nonlocal count
        count += 1
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        conn.set_trace_callback(trace)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    code = 0
    try:
        action()
    except BaseException:
        code = 1
    os.write(report, str(count).encode())
    os._exit(code)


def _fork(action: Callable[[], object], kill_at: int) -> tuple[int, int]:
    """(the child's wait status, the statements it ran) for one run of ``action``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        os.close(read)
        _child(action, kill_at, write)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as pipe:
        ran = pipe.read()
    return status, int(ran or 0)


def count_statements(action: Callable[[], object]) -> int:
    """How many SQL statements ``action`` runs, when nothing stops it (in a child)."""
    status, ran = _fork(action, kill_at=0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "the action failed"
    return ran


def killed_before(action: Callable[[], object], statement: int) -> bool:
    """Run ``action`` in a child killed before its ``statement``-th SQL statement.

    Returns ``True`` if it was killed, ``False`` if it finished first.
    """
    status, _ = _fork(action, kill_at=statement)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    return False
