"""One place that turns an error nobody planned for into one line a person can act on.

:class:`~pspn_core.errors.PspnError` already says what went wrong. Anything
else (a full disk, a read-only directory, a bug) reaches :func:`explain`,
which names what happened and what to do; ``PSPN_DEBUG=1`` shows the
traceback instead.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Mapping

__all__ = ["DEBUG_VARIABLE", "debugging", "explain"]

DEBUG_VARIABLE = "PSPN_DEBUG"

_DEBUG_HINT = f"run again with {DEBUG_VARIABLE}=1 to see the details"

_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
    errno.EFBIG: "a file grew past the size this process may write: raise the limit "
    "(ulimit -f) or free space, and run the command again",
    errno.EROFS: "the file system is read-only: use a writable data directory",
    errno.EACCES: "permission denied: make it readable and writable by this user",
    errno.EPERM: "permission denied: make it readable and writable by this user",
    errno.ENOENT: "it does not exist: check the path (and that its directory exists)",
    errno.ENOTDIR: "a part of the path is not a directory: check the path",
    errno.EISDIR: "it is a directory: give a file name",
}

_SQLITE_ADVICE = (
    ("disk is full", "the disk is full: free some space and run the command again"),
    ("readonly", "the data directory is read-only: make it writable by this user"),
    (
        "disk i/o error",
        "the disk refused a write (full, read-only or failing): check the "
        "data directory's free space and permissions",
    ),
    (
        "unable to open",
        "the database cannot be opened: check that the data directory "
        "exists and is readable and writable by this user",
    ),
    ("locked", "another pspn command is holding the database: wait for it and try again"),
    ("malformed", "the database is damaged: restore pspn.db from a backup"),
    ("not a database", "the data directory holds something that is not a pspn database"),
)


def debugging(environ: Mapping[str, str]) -> bool:
    """Whether ``PSPN_DEBUG`` asks for tracebacks instead of one line."""
    return environ.get(DEBUG_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def explain(error: BaseException) -> str:
    """One line: what happened and what to do. Never more than one line, never a traceback."""
    if isinstance(error, sqlite3.Error):
        text = str(error).lower()
        advice = next((a for key, a in _SQLITE_ADVICE if key in text), None)
        if advice is None:
            line = f"the database failed ({_one_line(error)}); {_DEBUG_HINT}"
        else:
            line = f"the database could not be used: {advice}. Nothing more was changed"
    elif isinstance(error, OSError):
        where = f"cannot use {error.filename}" if error.filename else "a file operation failed"
        advice = _OS_ADVICE.get(error.errno or 0)
        if advice is None:
            line = f"{where} ({_one_line(error)}); {_DEBUG_HINT}"
        else:
            line = f"{where}: {advice}"
    elif isinstance(error, MemoryError):
        line = "ran out of memory: give the command a smaller input"
    else:
        line = (
            f"unexpected error ({type(error).__name__}: {_one_line(error)}): this is a bug "
            f"in pspn; {_DEBUG_HINT} and report it"
        )
    return line


def _one_line(error: BaseException, limit: int = 200) -> str:
    text = " ".join(str(error).split()) or "no message"
    return text if len(text) <= limit else text[: limit - 1] + "…"
