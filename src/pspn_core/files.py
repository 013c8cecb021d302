"""Reading a file a person names, never more than a limit, whatever size it claims.

``/dev/zero``, a FIFO or a process substitution report a size of 0 and may
never end: reading stops one byte past the limit.
"""

from __future__ import annotations

from pathlib import Path

from pspn_core.errors import InputError

__all__ = ["read_limited", "read_text_limited"]


def read_limited(path: Path, limit: int, what: str, *, advice: str = "") -> bytes:
    """At most ``limit`` bytes of ``path``; :class:`InputError` if it holds more.

    :param advice: a sentence added to the error when the file is over the limit.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"{path}: cannot read the {what} ({reason}). Check the path.") from None
    if len(data) > limit:
        raise InputError(
            f"{path}: the {what} is over the limit of {limit:,} bytes (or never ends)."
            + (f" {advice}" if advice else "")
        )
    return data


def read_text_limited(path: Path, limit: int, what: str) -> str:
    """:func:`read_limited`, as UTF-8 text (a byte-order mark is dropped)."""
    data = read_limited(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: the {what} is not UTF-8 (byte {error.start}); save it as UTF-8."
        ) from None
