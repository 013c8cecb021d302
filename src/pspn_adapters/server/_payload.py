"""Reading untrusted webhook JSON leniently: a wrong shape reads as absent, never raises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["as_int", "as_map"]


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


#: The largest id SQLite can hold; anything larger is no id of ours.
_MAX_ID = 2**63 - 1


def as_int(value: Any) -> int | None:
    """A non-negative integer, or a string of ASCII digits, as an ``int`` (forums send both)
    that SQLite can hold; else ``None`` (a superscript digit or a huge number is no id)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 19):
            return None
        value = int(text)
    if isinstance(value, int) and 0 <= value <= _MAX_ID:
        return value
    return None
