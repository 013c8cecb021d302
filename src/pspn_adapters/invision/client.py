"""The Invision Community REST API, one method per endpoint pspn uses.

Built on the shared plumbing in :mod:`pspn_adapters._http` (timeouts, pacing,
retries, typed errors, pagination), with what Invision needs on top:

- the API key as the HTTP Basic user name with an empty password, masked
  wherever it could leak (:class:`InvisionAuth`);
- request bodies as form fields in PHP bracket notation, never JSON, which
  Invision silently ignores (:class:`Form`);
- both URL forms: ``https://site/api`` and ``https://site/api/index.php?``;
- paged listings walked to ``totalPages``;
- ``Cache-Control: no-cache`` on every request, since GET answers may be
  cached for 60 s and a stale list could hide a topic we just created.

Answers are returned as decoded JSON; :mod:`.mapping` reads them.
"""

from __future__ import annotations

import base64
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from pspn_adapters import _http
from pspn_adapters._http import HeaderAuth, HttpClient, Page, Paginator, Progress
from pspn_adapters.invision import php_forms
from pspn_adapters.invision.mapping import to_int
from pspn_core.errors import AuthenticationFailed

__all__ = ["Form", "InvisionAuth", "InvisionClient", "normalise_base_url"]


class InvisionAuth(HeaderAuth):
    """``Authorization: Basic base64("<key>:")``, masking the key and its encoding."""

    def __init__(self, api_key: str) -> None:
        if not api_key:
            raise ValueError("the Invision API key is empty")
        token = base64.b64encode(f"{api_key}:".encode()).decode("ascii")
        super().__init__(secret={"Authorization": f"Basic {token}"})
        self._key = api_key

    def mask(self, text: str) -> str:
        return super().mask(text).replace(self._key, _http.MASK)

    def matches(self, authorization: str | None) -> bool:
        """Whether an ``Authorization`` header carries our key, compared in constant time.

        Invision signs nothing; a webhook registered through ``POST /core/webhooks``
        sends the registering key as Basic auth, the only sign it is genuine.
        """
        expected = self._secret["Authorization"].encode()
        return hmac.compare_digest((authorization or "").strip().encode(), expected)


@dataclass(frozen=True)
class Form:
    """Form fields for a POST, encoded in PHP bracket notation."""

    fields: Mapping[str, php_forms.FormValue]

    def pairs(self) -> list[tuple[str, str]]:
        return php_forms.encode(self.fields)


def normalise_base_url(base_url: str) -> str:
    """``https://site/api`` stays; ``.../api/index.php`` gains its ``?`` (no URL rewriting)."""
    base = base_url.strip().rstrip("/")
    if base.endswith("index.php"):
        return base + "?"
    return base


class _Http(HttpClient):
    """:class:`HttpClient` that sends :class:`Form` bodies as form fields.

    It also stops at Invision's bad-key guard: a 429 ``1S290/D`` means the
    key is wrong, and retrying would get the address banned after ten tries.
    """

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        allow_redirects: bool,
    ) -> requests.Response:
        if json is not None and not isinstance(json, Form):
            raise TypeError("Invision ignores JSON bodies: send a Form")
        self.requests_made += 1
        response = self.session.request(
            method,
            self.base_url + path,
            params=php_forms.encode(params or {}),
            data=json.pairs() if isinstance(json, Form) else None,
            auth=self.auth,
            timeout=self.timeout,
            allow_redirects=allow_redirects,
        )
        if response.status_code == 429 and _error_code(response) == "1S290/D":
            raise AuthenticationFailed(
                f"{method} {path}: Invision refused our API key twice in five minutes; "
                "check the key before trying again (ten failures ban this address)",
                status=429,
                excerpt=self.auth.mask(response.text[:200]),
            )
        return response


def _error_code(response: requests.Response) -> str:
    """The ``errorCode`` of an error answer (PHP escapes its slash as ``\\/`` in JSON)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("errorCode", "")) if isinstance(body, dict) else ""


class InvisionClient:
    """Typed access to the endpoints pspn uses. Errors are the ``AdapterError`` family.

    :param base_url: the ``/api`` root, or ``.../api/index.php`` without URL rewriting.
    :param api_key: the REST API key (AdminCP > REST & OAuth > API Keys).
    :param per_page: page size for listings (Invision's default is 25; no maximum).
    :param retry, limiter, timeout, session: passed to :class:`HttpClient`.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        per_page: int = 250,
        retry: _http.RetryPolicy | None = None,
        limiter: _http.RateLimiter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
    ) -> None:
        self.auth = InvisionAuth(api_key)
        self.http = _Http(
            normalise_base_url(base_url),
            auth=self.auth,
            retry=retry,
            limiter=limiter,
            timeout=timeout,
            session=session,
        )
        self.http.session.headers["Cache-Control"] = "no-cache"
        self.per_page = per_page

    def __repr__(self) -> str:
        return f"InvisionClient({self.http.base_url!r}, auth={self.auth!r})"

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def close(self) -> None:
        self.http.close()

    # -- plumbing -----------------------------------------------------------------

    def _get(self, path: str, **params: Any) -> Any:
        return self.http.get_json(path, params=params)

    def _post(self, path: str, fields: Mapping[str, Any], *, idempotent: bool = False) -> Any:
        return self.http.send_json("POST", path, json=Form(fields), idempotent=idempotent)

    def _pages(
        self, path: str, params: Mapping[str, Any], progress: Progress | None
    ) -> Paginator[dict[str, Any]]:
        def fetch(page: int) -> Page[dict[str, Any]]:
            data = self._get(path, **params, page=page, perPage=self.per_page)
            last = to_int(data.get("totalPages", 0))
            return Page(
                items=list(data.get("results") or []),
                total=to_int(data.get("totalResults", 0)),
                next=page + 1 if page < last else None,
            )

        return Paginator(fetch, start=1, progress=progress)

    # -- core ---------------------------------------------------------------------

    def hello(self) -> dict[str, Any]:
        """``GET /core/hello``: community name, URL, version and apps."""
        return dict(self._get("/core/hello"))

    def members(
        self, *, name: str | None = None, group: int | None = None, progress: Progress | None = None
    ) -> Paginator[dict[str, Any]]:
        """``GET /core/members``: ``name`` is a prefix; ``group`` matches primary or secondary.

        With ``name``, results are sorted by name, so an exact match comes first.
        """
        params: dict[str, Any] = {"name": name, "sortBy": "name"} if name is not None else {}
        if group is not None:
            params["group"] = group
        return self._pages("/core/members", params, progress)

    def member(self, member_id: int) -> dict[str, Any]:
        return dict(self._get(f"/core/members/{member_id}"))

    def add_secondary_group(self, member_id: int, group_id: int) -> dict[str, Any]:
        """``POST /core/members/{id}/secgroup/{groupId}`` (201, the member)."""
        path = f"/core/members/{member_id}/secgroup/{group_id}"
        return dict(self.http.send_json("POST", path, idempotent=True))

    def remove_secondary_group(self, member_id: int, group_id: int) -> dict[str, Any]:
        """``DELETE /core/members/{id}/secgroup/{groupId}`` (answers 201, not 200)."""
        return dict(self.http.send_json("DELETE", f"/core/members/{member_id}/secgroup/{group_id}"))

    def club(self, club_id: int) -> dict[str, Any]:
        return dict(self._get(f"/core/clubs/{club_id}"))

    def club_members(self, club_id: int) -> dict[str, Any]:
        """``GET /core/clubs/{id}/members``: owner, leaders, moderators and members, unpaged."""
        return dict(self._get(f"/core/clubs/{club_id}/members"))

    def set_club_member(self, club_id: int, member_id: int, status: str) -> dict[str, Any]:
        """``POST /core/clubs/{id}/members``: with a key the status applies directly."""
        fields = {"id": member_id, "status": status}
        return dict(self._post(f"/core/clubs/{club_id}/members", fields, idempotent=True))

    def remove_club_member(self, club_id: int, member_id: int) -> dict[str, Any]:
        return dict(self.http.send_json("DELETE", f"/core/clubs/{club_id}/members/{member_id}"))

    def club_nodes(self, club_id: int) -> list[dict[str, Any]]:
        """``GET /core/clubs/{id}/nodes``: the club's forums and calendars."""
        return list(self._get(f"/core/clubs/{club_id}/nodes").get("nodes") or [])

    def register_webhook(self, url: str, events: list[str]) -> dict[str, Any]:
        """``POST /core/webhooks``: deliveries then carry this key as Basic auth."""
        return dict(self._post("/core/webhooks", {"events": events, "url": url}))

    def send_message(self, sender: int, to: list[int], title: str, body: str) -> int | None:
        """``POST /core/messages``: start a conversation.

        4.7.12 answers the conversation's bare id; the documentation says there
        is no response, so a 2xx with an empty (or unreadable) body is a
        message sent whose id we were not told: ``None``.
        """
        fields: dict[str, php_forms.FormValue] = {
            "from": sender,
            "to": to,
            "title": title,
            "body": body,
        }
        response = self.http.request("POST", "/core/messages", json=Form(fields))
        try:
            return to_int(response.json())
        except ValueError:
            return None

    def group(self, group_id: int) -> dict[str, Any]:
        """``GET /core/groups/{id}``."""
        return dict(self._get(f"/core/groups/{group_id}"))

    # -- forums -------------------------------------------------------------------

    def forums(self, *, progress: Progress | None = None) -> Paginator[dict[str, Any]]:
        """``GET /forums/forums``: paged since 4.7.5, so every page is read."""
        return self._pages("/forums/forums", {}, progress)

    def topics(self, forum_id: int, *, author_id: int | None = None) -> Paginator[dict[str, Any]]:
        """Topics of one forum, newest first (how a lost topic is found again)."""
        params: dict[str, Any] = {"forums": str(forum_id), "sortBy": "date", "sortDir": "desc"}
        if author_id is not None:
            params["authors"] = str(author_id)
        return self._pages("/forums/topics", params, None)

    def topic(self, topic_id: int) -> dict[str, Any]:
        return dict(self._get(f"/forums/topics/{topic_id}"))

    def create_topic(self, forum_id: int, author_id: int, title: str, post: str) -> dict[str, Any]:
        """``POST /forums/topics``. Not idempotent: never retried here (see the adapter)."""
        fields = {"forum": forum_id, "author": author_id, "title": title, "post": post}
        return dict(self._post("/forums/topics", fields))

    def create_post(self, topic_id: int, author_id: int, post: str) -> dict[str, Any]:
        fields = {"topic": topic_id, "author": author_id, "post": post}
        return dict(self._post("/forums/posts", fields))

    # -- calendar -----------------------------------------------------------------

    def events(self, calendar_id: int) -> Paginator[dict[str, Any]]:
        """Events of one calendar, newest first."""
        params = {"calendars": str(calendar_id), "sortBy": "date", "sortDir": "desc"}
        return self._pages("/calendar/events", params, None)

    def calendar(self, calendar_id: int) -> dict[str, Any]:
        """``GET /calendar/calendars/{id}``: the calendar node, with its permissions."""
        return dict(self._get(f"/calendar/calendars/{calendar_id}"))

    def event(self, event_id: int) -> dict[str, Any]:
        return dict(self._get(f"/calendar/events/{event_id}"))

    def create_event(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /calendar/events``. Not idempotent: never retried here (see the adapter)."""
        return dict(self._post("/calendar/events", fields))

    def edit_event(self, event_id: int, fields: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /calendar/events/{id}``; idempotent since we always send every field.

        ``fields`` must hold ``start``, ``end`` and ``description``: an edit
        without them turns the event all-day or blanks it (gotcha 7).
        """
        missing = {"start", "end", "description"} - set(fields)
        if missing:
            raise ValueError(f"an event edit must send {sorted(missing)} too")
        return dict(self._post(f"/calendar/events/{event_id}", fields, idempotent=True))

    def delete_event(self, event_id: int) -> None:
        self.http.request("DELETE", f"/calendar/events/{event_id}")
