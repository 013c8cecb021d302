"""PHP bracket notation for form fields, both ways.

Invision reads request parameters the way PHP fills ``$_GET`` and ``$_POST``:
``to[]=4&to[]=9`` is a list, ``location[city]=Leeds`` a nested object. The
client encodes with :func:`encode`; the fake Invision decodes with :func:`decode`.
Booleans travel as ``1``/``0``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FormValue", "decode", "encode"]

#: What a form field may hold: a scalar, a list, or a nested mapping.
FormValue = str | int | bool | Iterable[Any] | Mapping[str, Any] | None

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def encode(fields: Mapping[str, FormValue]) -> list[tuple[str, str]]:
    """Flatten ``fields`` into ``(name, value)`` pairs; ``None`` values are left out."""
    pairs: list[tuple[str, str]] = []
    for name, value in fields.items():
        _encode_into(pairs, name, value)
    return pairs


def _encode_into(pairs: list[tuple[str, str]], name: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        pairs.append((name, "1" if value else "0"))
    elif isinstance(value, str | int):
        pairs.append((name, str(value)))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _encode_into(pairs, f"{name}[{key}]", item)
    else:
        for item in value:
            _encode_into(pairs, f"{name}[]", item)


def decode(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Rebuild nested dicts and lists from ``(name, value)`` pairs, as PHP does.

    A later scalar for the same name wins, as in PHP; a malformed name is kept as is.
    """
    result: dict[str, Any] = {}
    for name, value in pairs:
        match = _KEY.match(name)
        if match is None:
            result[name] = value
            continue
        base, brackets = match.groups()
        keys = [base, *re.findall(r"\[([^\[\]]*)\]", brackets)]
        _assign(result, keys, value)
    return result


def _assign(container: dict[str, Any] | list[Any], keys: list[str], value: str) -> None:
    key, rest = keys[0], keys[1:]
    if not rest:
        if isinstance(container, list):
            container.append(value)
        else:
            container[key] = value
        return
    child: dict[str, Any] | list[Any] = [] if rest[0] == "" else {}
    if isinstance(container, list):
        container.append(child)
    else:
        existing = container.get(key)
        if isinstance(existing, list | dict) and isinstance(existing, type(child)):
            child = existing
        container[key] = child
    _assign(child, rest, value)
