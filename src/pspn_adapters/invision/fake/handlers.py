"""What the fake Invision's endpoint handlers share: errors, paging, lookups.

A handler takes the :class:`~.state.State`, the path parameters, the
decoded query and form, and the time, and returns ``(status, body)`` or raises
:class:`ApiError` with Invision's code. The handlers themselves live in
``core_app.py`` (the ``core`` app) and ``content_apps.py`` (calendar and
forums).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from pspn_adapters.invision.fake.state import Club, Member, State

__all__ = [
    "NO_BODY",
    "Answer",
    "ApiError",
    "Fields",
    "Handler",
    "Params",
    "find_club",
    "find_member",
    "id_filter",
    "paginate",
    "parse_int",
    "parse_when",
    "sort_by",
]

Answer = tuple[int, Any]
#: An answer with no body at all (what the documentation says some endpoints send).
NO_BODY: Any = object()
Params = Mapping[str, str]
Fields = Mapping[str, Any]
Handler = Callable[[State, Params, Fields, Fields, datetime], Answer]


class ApiError(Exception):
    """An Invision error answer: HTTP status, ``errorCode`` and ``errorMessage``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message = status, code, message

    @property
    def body(self) -> dict[str, str]:
        return {"errorCode": self.code, "errorMessage": self.message}


def parse_when(text: str) -> datetime | None:
    """Parse an input date-time the 4.7.12 way: keep the wall time, drop the offset, minutes."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return moment.replace(tzinfo=None, second=0, microsecond=0)


def parse_int(value: Any) -> int | None:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def paginate(items: list[Any], query: Mapping[str, Any]) -> Answer:
    page = max(1, parse_int(query.get("page")) or 1)
    per_page = max(1, parse_int(query.get("perPage")) or 25)
    chunk = items[(page - 1) * per_page : page * per_page]
    return 200, {
        "page": page,
        "perPage": per_page,
        "totalResults": len(items),
        "totalPages": math.ceil(len(items) / per_page),
        "results": chunk,
    }


def id_filter(query: Mapping[str, Any], name: str) -> set[int] | None:
    text = query.get(name)
    if not isinstance(text, str) or not text:
        return None
    return {int(part) for part in text.split(",") if part.strip().isdigit()}


def sort_by(items: list[Any], query: Mapping[str, Any], keys: Mapping[str, str]) -> list[Any]:
    attribute = keys.get(str(query.get("sortBy", "")), "id")
    items = sorted(items, key=lambda item: (getattr(item, attribute), item.id))
    return items[::-1] if query.get("sortDir") == "desc" else items


def find_member(state: State, value: Any, code: str, message: str, status: int = 404) -> Member:
    ident = parse_int(value) if not isinstance(value, int) else value
    if ident is None or ident not in state.members:
        raise ApiError(status, code, message)
    return state.members[ident]


def find_club(state: State, path: Mapping[str, str], code: str) -> Club:
    club = state.clubs.get(int(path["id"]))
    if club is None:
        raise ApiError(404, code, "INVALID_ID")
    return club
