"""Discourse as a :class:`~pspn_core.ports.Forum`: one network's group, notes and calendar.

Writes are idempotent on our key: a note or a meeting is a topic carrying an
``external_id`` derived from the key, looked up before anything is created,
and looked up again when a create's answer was lost. Publishing a note refuses
(``PrivacyNotVerified``, nothing posted) unless the notes category is verified
private to the network's group; callers check too, this is the last guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from pspn_adapters._http import Progress
from pspn_adapters.discourse import mapping
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.settings import MAX_PAGE, DiscourseNetworkSettings, DiscourseSettings
from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
    ConflictError,
    ForumUnavailable,
    PrivacyNotVerified,
    RateLimited,
)
from pspn_core.ports import (
    CalendarEvent,
    ForumUser,
    JoinRequest,
    Post,
    Privacy,
    PrivacyCheck,
    SetupCheck,
)

__all__ = ["DiscourseForum", "DiscourseNetworkSettings", "DiscourseSettings"]


class DiscourseForum:
    """One network on a Discourse forum.

    Forum ids are topic ids for notes and post ids (which Discourse also uses
    as event ids) for meetings. ``known_id`` is accepted but not needed: the
    ``external_id`` lookup finds the topic even when the store lost its id.
    """

    def __init__(
        self,
        client: DiscourseClient,
        settings: DiscourseNetworkSettings,
        *,
        page_size: int = MAX_PAGE,
        progress: Progress | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.settings = settings
        self.page_size = page_size
        self.progress = progress
        self._now = now
        self._group_id: int | None = None

    def __repr__(self) -> str:
        return f"DiscourseForum({self.client.base_url!r}, group={self.settings.group!r})"

    @property
    def group_id(self) -> int:
        """The group's numeric id (member writes need it), fetched once."""
        if self._group_id is None:
            self._group_id = int(self.client.get_group(self.settings.group)["id"])
        return self._group_id

    # -- members ------------------------------------------------------------
    def members(self) -> Iterator[ForumUser]:
        pages = self.client.group_members(
            self.settings.group, limit=self.page_size, progress=self.progress
        )
        return (mapping.user_from_member(item) for item in pages)

    def join_requests(self) -> Iterator[JoinRequest]:
        pages = self.client.group_members(
            self.settings.group, limit=self.page_size, requesters=True
        )
        return (mapping.join_request_from_requester(item) for item in pages)

    def accept_request(self, request: JoinRequest) -> None:
        self._settle(request, accept=True)

    def decline_request(self, request: JoinRequest) -> None:
        self._settle(request, accept=False)

    def _settle(self, request: JoinRequest, *, accept: bool) -> None:
        try:
            user_id = int(request.request_id)
        except ValueError:
            raise AdapterNotFound(f"{request.request_id!r} is not a Discourse user id") from None
        try:
            self.client.handle_membership_request(self.group_id, user_id, accept=accept)
        except AdapterError as error:
            if error.status not in (400, 404, 409, 422):
                raise
            if accept and self._is_member(request.user.username):
                return  # accepted earlier: not an error
            if not accept and not self._has_request(user_id):
                return  # declined (or withdrawn) earlier
            raise

    def add_member(self, username: str) -> None:
        try:
            self.client.add_members(self.group_id, [username])
        except ConflictError:
            if not self._is_member(username):  # 422 also means "already a member"
                raise
        except AdapterError as error:
            if error.status == 400:  # invalid_parameters: the username is unknown
                raise AdapterNotFound(
                    f"Discourse has no user called {username!r}; check the username"
                    " (not the display name)",
                    status=400,
                ) from None
            raise

    def remove_member(self, username: str) -> None:
        self.client.remove_members(self.group_id, [username])  # skips non-members

    def _is_member(self, username: str) -> bool:
        found = self.client.group_members(self.settings.group, filter=username)
        return any(str(m.get("username", "")).lower() == username.lower() for m in found)

    def _has_request(self, user_id: int) -> bool:
        found = self.client.group_members(self.settings.group, requesters=True)
        return any(m.get("id") == user_id for m in found)

    # -- privacy ------------------------------------------------------------
    def check_notes_privacy(self) -> PrivacyCheck:
        return self._category_privacy(self.settings.notes_category_id, "notes")

    def check_calendar_privacy(self) -> PrivacyCheck:
        return self._category_privacy(self.settings.calendar_category_id, "calendar")

    def _category_privacy(self, category_id: int, what: str) -> PrivacyCheck:
        """The privacy of one category; a key the forum refuses is an error, not a verdict."""
        try:
            category = self.client.get_category(category_id)
        except AuthenticationFailed:
            self._check_key()  # a wrong key fails here; a category hidden from us does not
            why = f"pspn's API user may not read {what} category {category_id}"
            return PrivacyCheck(Privacy.UNKNOWN, why)
        except (ForumUnavailable, RateLimited):
            raise
        except AdapterError as error:
            why = f"could not read {what} category {category_id}: {error}"
            return PrivacyCheck(Privacy.UNKNOWN, why)
        return mapping.privacy_of_category(category, self.settings.group)

    def _check_key(self) -> None:
        """Raise ``AuthenticationFailed`` if the forum refuses the key itself."""
        try:
            self.client.get_group(self.settings.group)
        except AuthenticationFailed as error:
            raise AuthenticationFailed(
                "Discourse refused pspn's API key or api_username: check the key in the"
                " environment variable named by api_key_env, and api_username",
                status=error.status,
            ) from None
        except AdapterError:
            pass

    def _verify_place(self, topic: dict[str, Any], key: str, configured: int) -> None:
        """Refuse to edit a topic that now sits somewhere not private to the group."""
        topic_id = topic.get("id")
        category_id = topic.get("category_id")
        if not isinstance(category_id, int):
            raise PrivacyNotVerified(
                f"topic {topic_id} (published for {key!r}) does not say which category it is"
                " in now, so it was not edited"
            )
        if category_id == configured:
            return  # verified just before this write
        check = self._category_privacy(category_id, "the topic's")
        if not check.is_private:
            raise PrivacyNotVerified(
                f"topic {topic_id} (published for {key!r}) has been moved to category"
                f" {category_id}, which is not private ({check.reason}), so it was not"
                f" edited. Move it back to category {configured} (or delete it), then"
                " publish again"
            )

    # -- notes --------------------------------------------------------------
    def find_post(self, key: str) -> str | None:
        topic_id = self.client.topic_id_by_external_id(mapping.external_id(key))
        return None if topic_id is None else str(topic_id)

    def publish_post(self, post: Post, *, known_id: str | None = None) -> str:
        check = self.check_notes_privacy()
        if not check.is_private:
            raise PrivacyNotVerified(
                f"refusing to publish {post.key!r}: {check.reason}. Nothing was posted. Make"
                f" the category readable only by the group {self.settings.group!r}, then"
                " publish again"
            )
        raw = post.body if post.body.endswith("\n") else post.body + "\n"
        category = self.settings.notes_category_id
        topic_id, _ = self._upsert(post.key, post.title, raw, category, "note updated")
        return str(topic_id)

    # -- calendar -----------------------------------------------------------
    def find_event(self, key: str) -> str | None:
        topic_id = self.client.topic_id_by_external_id(mapping.external_id(key))
        return None if topic_id is None else str(_first_post_id(self.client.get_topic(topic_id)))

    def publish_event(self, event: CalendarEvent, *, known_id: str | None = None) -> str:
        """Publish a meeting; a private one only into a calendar private to the group."""
        if not event.public:
            check = self.check_calendar_privacy()
            if not check.is_private:
                raise PrivacyNotVerified(
                    f"refusing to publish meeting {event.key!r}: {check.reason}. Nothing was"
                    f" posted. Make the calendar category readable only by the group"
                    f" {self.settings.group!r}, or allow a public calendar in the network's"
                    " meeting rules (date and slot only)"
                )
        raw = mapping.event_markup(event, self.settings.group)
        title = mapping.event_title(event)
        category = self.settings.calendar_category_id
        _, post_id = self._upsert(
            event.key, title, raw, category, "meeting changed", guard=not event.public
        )
        if event.end > self._now() and not self._has_event(post_id):
            self._render_again(post_id)  # the plugin was off when the post was last written
            if not self._has_event(post_id):
                raise AdapterError(
                    f"meeting {event.key!r} was posted (post {post_id}) but Discourse made no"
                    " calendar event from it: the calendar plugin (discourse-calendar,"
                    " settings calendar_enabled and discourse_post_event_enabled) looks"
                    " switched off. Enable it, then publish again."
                )
        return str(post_id)

    def _has_event(self, post_id: int) -> bool:
        try:
            return bool(self.client.events_for_post(post_id))
        except AdapterNotFound:
            return False  # the plugin's routes are gone: it is off

    def _render_again(self, post_id: int) -> None:
        """Edit the post so the plugin reads its ``[event]`` block again.

        Discourse ignores an edit that changes nothing, so the edit adds (or
        removes) an invisible marker that comparisons leave out.
        """
        raw = str(self.client.get_post(post_id).get("raw", ""))
        if mapping.RENDER_MARK in raw:
            again = raw.replace(mapping.RENDER_MARK, "")
        else:
            again = raw.rstrip("\n") + "\n" + mapping.RENDER_MARK + "\n"
        self.client.update_post(post_id, again, edit_reason="calendar event rebuilt")

    # -- messages -----------------------------------------------------------
    def erasure_steps(self, username: str) -> list[str]:
        """What a Discourse administrator must do after ``pspn members erase``."""
        return [
            f"in Discourse, open Admin > Users > {username} and choose Anonymize user (keeps "
            "their posts without their name) or Delete user with their posts",
            "the private messages pspn sent them (sign-in links, survey invitations) go with "
            "the account; check no topic in the network's categories names them",
        ]

    def send_message(self, username: str, subject: str, body: str) -> str:
        try:
            post = self.client.send_private_message([username], title=subject, raw=body)
        except ConflictError as error:
            if not self._user_exists(username):
                raise AdapterNotFound(f"Discourse has no user called {username!r}") from None
            raise ConflictError(
                f"Discourse refused the message to {username!r} (too short, or the forum's"
                " message rules)",
                status=error.status,
                excerpt=error.excerpt,
            ) from None
        return str(post.get("topic_id", post.get("id", "")))

    def _user_exists(self, username: str) -> bool:
        try:
            self.client.get_user(username)
        except AdapterNotFound:
            return False
        return True

    # -- setup --------------------------------------------------------------
    def check_setup(self) -> SetupCheck:
        """Check the API user, the group and both categories; report every problem."""
        problems: list[str] = []
        notes: list[str] = []
        user = self.client.get_user_or_none(self.client.api_username)
        name = self.client.api_username
        if user is None:
            problems.append(f"api_username {name!r}: Discourse has no such user")
        elif not (user.get("admin") or user.get("moderator")):
            problems.append(
                f"api_username {name!r} is not staff: Discourse honours external_id only for"
                " staff, so pspn could not find its posts again and would post them twice;"
                " use an admin's username, or make this user an admin"
            )
        else:
            notes.append(f"api_username {name!r} is staff")
        try:
            self.client.get_group(self.settings.group)
            notes.append(f"group {self.settings.group!r} exists")
        except AdapterNotFound:
            problems.append(f"group {self.settings.group!r}: Discourse has no group by that name")
        for setting, category_id in (
            ("notes_category_id", self.settings.notes_category_id),
            ("calendar_category_id", self.settings.calendar_category_id),
        ):
            try:
                category = self.client.get_category(category_id)
            except AdapterNotFound:
                problems.append(f"{setting} = {category_id}: Discourse has no such category")
                continue
            except AuthenticationFailed:
                problems.append(f"{setting} = {category_id}: pspn's API user may not read it")
                continue
            check = mapping.privacy_of_category(category, self.settings.group)
            if setting == "notes_category_id" and not check.is_private:
                problems.append(f"{setting} = {category_id}: not private: {check.reason}")
            else:
                notes.append(f"{setting} = {category_id}: {check.reason}")
        return SetupCheck(tuple(problems), tuple(notes))

    # -- the idempotent write -----------------------------------------------
    def _upsert(
        self, key: str, title: str, raw: str, category: int, reason: str, *, guard: bool = True
    ) -> tuple[int, int]:
        """Create the topic for ``key``, or bring its first post up to date.

        Returns ``(topic_id, first_post_id)``. Looks up by ``external_id``
        first; if the create fails in a way that may have hidden a commit
        (conflict, lost answer), looks up again before giving up. With
        ``guard``, an existing topic is edited only if the category it is in
        now is private to the group.
        """
        ext = mapping.external_id(key)
        topic_id = self.client.topic_id_by_external_id(ext)
        if topic_id is None:
            try:
                created = self.client.create_topic(
                    title=title, raw=raw, category=category, external_id=ext
                )
            except (ConflictError, ForumUnavailable):
                topic_id = self.client.topic_id_by_external_id(ext)
                if topic_id is None:
                    raise
            else:
                return _created_ids(created, key)
        topic = self.client.get_topic(topic_id)
        if guard:
            self._verify_place(topic, key, category)
        post_id = _first_post_id(topic)
        current = str(self.client.get_post(post_id).get("raw", ""))
        if mapping.same_raw(current, raw):
            return topic_id, post_id
        self.client.update_post(post_id, raw, edit_reason=reason)
        return topic_id, post_id


def _first_post_id(topic: dict[str, Any]) -> int:
    stream = topic.get("post_stream")
    posts = stream.get("posts") if isinstance(stream, dict) else None
    first = posts[0] if isinstance(posts, list) and posts else None
    if not isinstance(first, dict) or not isinstance(first.get("id"), int):
        raise AdapterError(f"topic {topic.get('id')} came back without its first post")
    return int(first["id"])


def _created_ids(created: dict[str, Any], key: str) -> tuple[int, int]:
    if created.get("action") == "enqueued":
        raise AdapterError(
            f"Discourse queued {key!r} for approval instead of posting it. Approve it in the"
            " review queue (or exempt the API user from approval), then publish again."
        )
    try:
        return int(created["topic_id"]), int(created["id"])
    except (KeyError, TypeError, ValueError):
        raise AdapterError(f"the forum's answer to creating {key!r} had no topic id") from None
