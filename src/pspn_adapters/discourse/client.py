"""The Discourse HTTP API, one method per endpoint we use (see operations.json).

Knows URLs, verbs and the documented request fields; returns decoded JSON as
plain dicts for :mod:`pspn_adapters.discourse.mapping` to read leniently. We
send only fields the OpenAPI document lists, as JSON, so a real forum and the
fake one accept the same requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import requests

from pspn_adapters._http import (
    HeaderAuth,
    HttpClient,
    Page,
    Paginator,
    Progress,
    RateLimiter,
    RetryPolicy,
)
from pspn_adapters.discourse.mapping import topic_id_from_location
from pspn_adapters.discourse.settings import MAX_PAGE
from pspn_core.errors import AdapterError

__all__ = ["MAX_PAGE", "DiscourseClient", "discourse_auth"]

Json = dict[str, Any]


def discourse_auth(api_key: str, api_username: str) -> HeaderAuth:
    """Admin API key headers. Both are needed: an all-users key with no username is a 403."""
    if not api_username:
        raise ValueError("api_username is required with a Discourse admin API key")
    return HeaderAuth(public={"Api-Username": api_username}, secret={"Api-Key": api_key})


class DiscourseClient(HttpClient):
    """A Discourse API client (admin API key), paced under the site-wide admin limit."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str,
        api_username: str,
        per_minute: float = 60,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(
            base_url,
            auth=discourse_auth(api_key, api_username),
            retry=retry,
            limiter=limiter if limiter is not None else RateLimiter(per_minute),
            timeout=timeout,
            session=session,
            user_agent="pspn-discourse",
        )
        self.api_username = api_username

    # -- site ---------------------------------------------------------------

    def site_basic_info(self) -> Json:
        """``GET /site/basic-info.json``: the forum's title, locale, login_required."""
        return _obj(self.get_json("/site/basic-info.json"))

    # -- users --------------------------------------------------------------

    def get_user(self, username: str) -> Json:
        """``GET /u/{username}.json``: the user, with its ``admin`` and ``moderator`` flags."""
        return _obj(_obj(self.get_json(f"/u/{_seg(username)}.json")).get("user"))

    def get_user_or_none(self, username: str) -> Json | None:
        """:meth:`get_user`, or ``None`` when Discourse has no such user."""
        response = self.request("GET", f"/u/{_seg(username)}.json", ok=(404,))
        if response.status_code == 404:
            return None
        try:
            return _obj(_obj(response.json()).get("user"))
        except ValueError:
            raise _unexpected(response, "the user lookup was not JSON") from None

    # -- groups -------------------------------------------------------------

    def get_group(self, name: str) -> Json:
        """``GET /groups/{name}.json``: the group (its numeric ``id`` is needed for writes)."""
        return _obj(_obj(self.get_json(f"/groups/{_seg(name)}.json")).get("group"))

    def group_members(
        self,
        name: str,
        *,
        limit: int = MAX_PAGE,
        requesters: bool = False,
        filter: str | None = None,
        progress: Progress | None = None,
    ) -> Paginator[Json]:
        """``GET /groups/{name}/members.json`` page by page (``limit``/``offset``).

        With ``requesters=True`` it lists pending membership requests instead.
        Stops when ``offset + len(members) >= meta.total`` or a page is empty.
        """
        if not 0 < limit <= MAX_PAGE:
            raise ValueError(f"limit must be 1..{MAX_PAGE}")
        path = f"/groups/{_seg(name)}/members.json"

        def fetch(offset: int) -> Page[Json]:
            params: dict[str, Any] = {"limit": limit, "offset": offset}
            if requesters:
                params["requesters"] = "true"
            if filter:
                params["filter"] = filter
            body = _obj(self.get_json(path, params=params))
            members = [m for m in body.get("members") or [] if isinstance(m, dict)]
            total = _obj(body.get("meta")).get("total")
            total = total if isinstance(total, int) else None
            end = offset + len(members)
            more = members and (total is None or end < total)
            return Page(members, total=total, next=end if more else None)

        return Paginator(fetch, start=0, progress=progress)

    def add_members(self, group_id: int, usernames: Sequence[str]) -> Json:
        """``PUT /groups/{id}/members.json``. 422 if all are already members."""
        body = {"usernames": ",".join(usernames)}
        return _obj(self.send_json("PUT", f"/groups/{group_id}/members.json", json=body))

    def remove_members(self, group_id: int, usernames: Sequence[str]) -> Json:
        """``DELETE /groups/{id}/members.json``. Non-members are skipped, not refused."""
        body = {"usernames": ",".join(usernames)}
        return _obj(self.send_json("DELETE", f"/groups/{group_id}/members.json", json=body))

    def handle_membership_request(self, group_id: int, user_id: int, *, accept: bool) -> Json:
        """``PUT /groups/{id}/handle_membership_request.json`` (not in the spec).

        The server accepts whenever ``accept`` is present, whatever its value,
        so a denial leaves the field out.
        """
        body: Json = {"user_id": user_id}
        if accept:
            body["accept"] = True
        path = f"/groups/{group_id}/handle_membership_request.json"
        return _obj(self.send_json("PUT", path, json=body))

    # -- categories ---------------------------------------------------------

    def get_category(self, category_id: int) -> Json:
        """``GET /c/{id}/show.json``: ``read_restricted`` and ``group_permissions``."""
        return _obj(_obj(self.get_json(f"/c/{category_id}/show.json")).get("category"))

    # -- topics and posts ---------------------------------------------------

    def create_topic(self, *, title: str, raw: str, category: int, external_id: str) -> Json:
        """``POST /posts.json`` for a new topic. Not retried after it may have been sent."""
        body = {"title": title, "raw": raw, "category": category, "external_id": external_id}
        return _obj(self.send_json("POST", "/posts.json", json=body))

    def topic_id_by_external_id(self, external_id: str) -> int | None:
        """``GET /t/external_id/{id}.json`` without following the 301; ``None`` on 404."""
        response = self.request("GET", f"/t/external_id/{_seg(external_id)}.json", ok=(404,))
        if response.status_code == 404:
            return None
        topic_id = topic_id_from_location(response.headers.get("Location", ""))
        if topic_id is None:
            raise _unexpected(response, "no topic id in the redirect's Location")
        return topic_id

    def get_topic(self, topic_id: int) -> Json:
        """``GET /t/{id}.json``: the topic and its first posts."""
        return _obj(self.get_json(f"/t/{topic_id}.json"))

    def get_post(self, post_id: int) -> Json:
        """``GET /posts/{id}.json``: one post with its ``raw``."""
        return _obj(self.get_json(f"/posts/{post_id}.json"))

    def update_post(self, post_id: int, raw: str, *, edit_reason: str = "") -> Json:
        """``PUT /posts/{id}.json``: replace a post's raw (an ``[event]`` edit moves the event)."""
        post: Json = {"raw": raw}
        if edit_reason:
            post["edit_reason"] = edit_reason
        return _obj(self.send_json("PUT", f"/posts/{post_id}.json", json={"post": post}))

    def send_private_message(self, recipients: Sequence[str], *, title: str, raw: str) -> Json:
        """``POST /posts.json`` with ``archetype: private_message``."""
        body = {
            "title": title,
            "raw": raw,
            "archetype": "private_message",
            "target_recipients": ",".join(recipients),
        }
        return _obj(self.send_json("POST", "/posts.json", json=body))

    # -- calendar plugin ----------------------------------------------------

    def events_for_post(self, post_id: int) -> list[Json]:
        """``GET /discourse-post-event/events.json?post_id=``: the post's event, if any."""
        params = {"post_id": post_id, "include_details": "true"}
        body = _obj(self.get_json("/discourse-post-event/events.json", params=params))
        return [e for e in body.get("events") or [] if isinstance(e, dict)]


def _obj(value: Any) -> Json:
    """Read leniently: anything that is not an object counts as an empty one."""
    return value if isinstance(value, dict) else {}


def _seg(value: str) -> str:
    return quote(value, safe="")


def _unexpected(response: requests.Response, why: str) -> AdapterError:
    return AdapterError(f"unexpected answer from the forum: {why}", status=response.status_code)
