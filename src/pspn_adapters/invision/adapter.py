"""The :class:`~pspn_core.ports.Forum` of one network on Invision Community.

A network's private group is either a club (``club_id``) or a secondary
member group (``group_id``); its notes go to a forum and its meetings to a
calendar; an API key acts as one member (``acting_member_id``), who authors
topics, events and messages.

Invision has no external id, so every topic and event carries a marker
(``<!-- pspn:note:KEY -->``) and is found again by it: a publish looks the
marker up before creating, and a create whose answer was lost (timeout,
dropped connection, 5xx) is followed by a lookup; it is never blindly repeated.
Invision's API cannot edit or hide a post, so republishing a note whose text
changed makes a new topic that says which one it replaces (and a reply in the
old topic points to the new one). Every write first checks that the place it
goes into is private to the network at that moment.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pspn_adapters._http import Progress
from pspn_adapters.invision import mapping
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.join_requests import JoinRequestInbox
from pspn_adapters.invision.settings import InvisionNetworkSettings, InvisionSettings
from pspn_adapters.invision.setup_check import check_setup
from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
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

__all__ = ["InvisionForum", "InvisionNetworkSettings", "InvisionSettings"]

log = logging.getLogger(__name__)
#: Failures that say nothing about privacy: they stop the command, with their own words.
#: (A 403 is different: the key works but was not granted that endpoint.)
_PASSING = (ForumUnavailable, RateLimited)


def _refused_key(error: AuthenticationFailed) -> bool:
    """A wrong key (401, or the bad-key lock-out), not an endpoint the key lacks (403)."""
    return error.status != 403


class InvisionForum:
    """One network's forum on Invision Community, through its REST API."""

    def __init__(
        self,
        client: InvisionClient,
        target: InvisionNetworkSettings,
        inbox: JoinRequestInbox,
        *,
        progress: Progress | None = None,
        display_field: int | None = None,
    ) -> None:
        self.client = client
        self.display_field = display_field
        self.target = target
        self.inbox = inbox
        self.progress = progress

    def __repr__(self) -> str:
        return f"InvisionForum({self.client!r}, {self.target!r})"

    # -- members ------------------------------------------------------------------

    def members(self) -> Iterator[ForumUser]:
        if self.target.club_id is not None:
            people = self._club_people()
            if self.progress is not None:
                self.progress(len(people), len(people))
            yield from people
            return
        listing = self.client.members(group=self.target.group_id, progress=self.progress)
        for member in listing:
            yield mapping.user(member, self.display_field)

    def join_requests(self) -> list[JoinRequest]:
        pending = self.inbox.pending()
        if not pending or self.target.club_id is None:
            return []
        inside = {user.forum_id for user in self._club_people()}
        requests = []
        for user in pending:
            if user.forum_id in inside:
                self.inbox.discard(user.forum_id)
            else:
                requests.append(JoinRequest(request_id=user.forum_id, user=user))
        return requests

    def webhook_is_ours(self, authorization: str | None) -> bool:
        """Whether a webhook's ``Authorization`` header carries our API key."""
        return self.client.auth.matches(authorization)

    def receive_webhook(self, event_key: str, payload: Mapping[str, Any]) -> bool:
        """Take in an Invision webhook; returns whether it changed the join requests.

        ``event_key`` is the ``Webhook-Event`` header and ``payload`` the JSON
        body (JSON whatever the Content-Type says). Check the sender first with
        :meth:`webhook_is_ours`. ``club_member_added`` with status
        ``requested`` is a new request; any other status, or
        ``club_member_removed``, settles it.
        """
        if self.target.club_id is None:
            return False
        change = mapping.join_request_change(event_key, payload, self.target.club_id)
        if change is None:
            return False
        requested, user = change
        if requested:
            self.inbox.record(user)
        else:
            self.inbox.discard(user.forum_id)
        return True

    def accept_request(self, request: JoinRequest) -> None:
        member_id = mapping.to_int(request.request_id)
        self._admit(member_id)
        self.inbox.discard(request.request_id)

    def decline_request(self, request: JoinRequest) -> None:
        """Decline, unless someone let them in on the site meanwhile (never throw them out)."""
        member_id = mapping.to_int(request.request_id)
        if self.target.club_id is not None and not self._in_club(member_id):
            with contextlib.suppress(AdapterNotFound):  # the account is gone, and its request
                self.client.set_club_member(self.target.club_id, member_id, "declined")
        self.inbox.discard(request.request_id)

    def add_member(self, username: str) -> None:
        self._admit(self._member_id(username))

    def remove_member(self, username: str) -> None:
        member_id = self._member_id(username)
        if self.target.club_id is not None:
            if self._in_club(member_id):
                self.client.remove_club_member(self.target.club_id, member_id)
        elif self.target.group_id is not None:
            self.client.remove_secondary_group(member_id, self.target.group_id)

    def _admit(self, member_id: int) -> None:
        """Let a member in; a leader or moderator already in keeps their role."""
        if self.target.club_id is not None:
            if not self._in_club(member_id):
                self.client.set_club_member(self.target.club_id, member_id, "member")
        elif self.target.group_id is not None:
            self.client.add_secondary_group(member_id, self.target.group_id)

    def _in_club(self, member_id: int) -> bool:
        assert self.target.club_id is not None
        return any(user.forum_id == str(member_id) for user in self._club_people())

    def _club_people(self) -> list[ForumUser]:
        assert self.target.club_id is not None
        membership = self.client.club_members(self.target.club_id)
        return mapping.club_people(membership, self.display_field)

    def _member_id(self, username: str) -> int:
        """The id of the member called exactly ``username`` (``name`` is only a prefix filter)."""
        wanted = username.casefold()
        for member in self.client.members(name=username):
            if str(member.get("name", "")).casefold() == wanted:
                return mapping.to_int(member["id"])
        raise AdapterNotFound(f"no Invision member is called {username!r}; check the name")

    # -- privacy ------------------------------------------------------------------

    def check_notes_privacy(self) -> PrivacyCheck:
        return self._forum_privacy(self.target.notes_forum_id)

    def check_calendar_privacy(self) -> PrivacyCheck:
        return self._calendar_privacy(self.target.calendar_id)

    def _forum_privacy(self, forum_id: int) -> PrivacyCheck:
        try:
            if self.target.club_id is not None:
                return self._club_node_privacy(forum_id, "forum")
            assert self.target.group_id is not None
            for forum in self.client.forums():
                if mapping.to_int(forum.get("id")) == forum_id:
                    return mapping.forum_privacy(
                        forum, self.target.group_id, self.target.staff_group_ids
                    )
        except _PASSING:
            raise
        except AuthenticationFailed as error:
            if _refused_key(error):
                raise
            return PrivacyCheck(Privacy.UNKNOWN, f"could not read forum {forum_id}: {error}")
        except AdapterError as error:
            return PrivacyCheck(Privacy.UNKNOWN, f"could not read forum {forum_id}: {error}")
        return PrivacyCheck(Privacy.UNKNOWN, f"forum {forum_id} is not among the site's forums")

    def _calendar_privacy(self, calendar_id: int) -> PrivacyCheck:
        try:
            if self.target.club_id is not None:
                return self._club_node_privacy(calendar_id, "calendar")
            assert self.target.group_id is not None
            calendar = self.client.calendar(calendar_id)
        except _PASSING:
            raise
        except AdapterError as error:
            if isinstance(error, AuthenticationFailed) and _refused_key(error):
                raise
            why = f"could not read calendar {calendar_id}: {error}"
            return PrivacyCheck(Privacy.UNKNOWN, why)
        return mapping.forum_privacy(
            calendar, self.target.group_id, self.target.staff_group_ids, kind="calendar"
        )

    def _club_node_privacy(self, node_id: int, kind: str) -> PrivacyCheck:
        assert self.target.club_id is not None
        club = self.client.club(self.target.club_id)
        nodes = self.client.club_nodes(self.target.club_id)
        return mapping.club_privacy(
            club, nodes, node_id, kind=kind, staff_groups=self.target.staff_group_ids
        )

    def _require_private(self, check: PrivacyCheck, what: str) -> None:
        if not check.is_private:
            raise PrivacyNotVerified(
                f"refusing to publish {what}: {check.reason}. Nothing was posted"
            )

    def _verify_place(
        self, found: Mapping[str, Any], field: str, configured: int, what: str
    ) -> None:
        """Refuse to write into a topic or event that now sits somewhere not private."""
        place = found.get(field)
        try:
            place_id = mapping.to_int(place.get("id") if isinstance(place, Mapping) else place)
        except ValueError:
            raise PrivacyNotVerified(
                f"{what} does not say which {field} it is in now, so it was not changed"
            ) from None
        if place_id == configured:
            return  # verified just before this write
        check = (
            self._forum_privacy(place_id) if field == "forum" else self._calendar_privacy(place_id)
        )
        if not check.is_private:
            raise PrivacyNotVerified(
                f"{what} has been moved to {field} {place_id}, which is not private"
                f" ({check.reason}), so it was not changed. Move it back to {field}"
                f" {configured} (or delete it), then publish again"
            )

    # -- notes --------------------------------------------------------------------

    def find_post(self, key: str) -> str | None:
        """The newest topic published under ``key`` (a changed note has several)."""
        topic = self._newest_topic(key)
        return None if topic is None else str(mapping.to_int(topic["id"]))

    def _newest_topic(self, key: str, post: Post | None = None) -> dict[str, Any] | None:
        """The newest topic carrying ``key``'s marker (and saying ``post``, if given)."""
        mark = mapping.marker("note", key)
        topics = self.client.topics(
            self.target.notes_forum_id, author_id=self.target.acting_member_id
        )
        for topic in topics:
            content = mapping.first_post_content(topic)
            if mapping.has_marker(content, mark) and (
                post is None or mapping.says_note(content, post)
            ):
                return dict(topic)
        return None

    def publish_post(self, post: Post, *, known_id: str | None = None) -> str:
        """Publish a note; a changed one as a new topic that says it replaces the old.

        Invision's REST API can neither edit nor hide a post, so a note whose
        text changed is published again as a new topic whose first line names
        the topic it replaces, and a reply in the old topic points to the new
        one. Both writes are made only if the place they go is private now.
        """
        self._require_private(self.check_notes_privacy(), repr(post.key))
        mark = mapping.marker("note", post.key)
        topic = self._known(self.client.topic, known_id, mapping.first_post_content, mark)
        newest = self._newest_topic(post.key)
        if newest is not None and (
            topic is None or mapping.to_int(newest["id"]) > mapping.to_int(topic["id"])
        ):
            topic = newest
        if topic is None:
            return self._create_once(
                lambda: self.client.create_topic(
                    self.target.notes_forum_id,
                    self.target.acting_member_id,
                    post.title,
                    mapping.note_html(post),
                ),
                lambda: self._found_id(self._newest_topic(post.key, post)),
            )
        old_id = mapping.to_int(topic["id"])
        self._verify_place(topic, "forum", self.target.notes_forum_id, f"topic {old_id}")
        if mapping.says_note(mapping.first_post_content(topic), post):
            return str(old_id)
        new_id = self._create_once(
            lambda: self.client.create_topic(
                self.target.notes_forum_id,
                self.target.acting_member_id,
                post.title,
                mapping.note_html(post, supersedes=old_id),
            ),
            lambda: self._found_id(self._newest_topic(post.key, post)),
        )
        try:
            self.client.create_post(
                old_id, self.target.acting_member_id, mapping.superseded_notice(int(new_id))
            )
        except AdapterError as error:  # the new topic already says what it replaces
            log.warning("could not point topic %s to its new version: %s", old_id, error)
        return new_id

    @staticmethod
    def _found_id(topic: Mapping[str, Any] | None) -> str | None:
        return None if topic is None else str(mapping.to_int(topic["id"]))

    # -- events -------------------------------------------------------------------

    def find_event(self, key: str) -> str | None:
        mark = mapping.marker("event", key)
        for event in self.client.events(self.target.calendar_id):
            if mapping.has_marker(event.get("description"), mark):
                return str(mapping.to_int(event["id"]))
        return None

    def publish_event(self, event: CalendarEvent, *, known_id: str | None = None) -> str:
        if not event.public:
            self._require_private(self.check_calendar_privacy(), f"meeting {event.key!r}")
        mark = mapping.marker("event", event.key)
        fields = mapping.event_fields(
            event,
            calendar_id=self.target.calendar_id,
            author_id=self.target.acting_member_id,
        )
        current = self._known(self.client.event, known_id, mapping.event_description, mark)
        if current is None:
            found = self.find_event(event.key)
            current = self.client.event(int(found)) if found else None
        if current is not None and not event.public:
            what = f"event {mapping.to_int(current['id'])}"
            self._verify_place(current, "calendar", self.target.calendar_id, what)
        if current is not None and current.get("end") is None:
            # An all-day event (an earlier edit lost its end) never becomes timed again.
            self.client.delete_event(mapping.to_int(current["id"]))
            current = None
        if current is None:
            return self._create_once(
                lambda: self.client.create_event(fields), lambda: self.find_event(event.key)
            )
        if not mapping.event_matches(current, fields):
            self.client.edit_event(mapping.to_int(current["id"]), fields)
        return str(mapping.to_int(current["id"]))

    # -- messages -----------------------------------------------------------------

    def erasure_steps(self, username: str) -> list[str]:
        """What an Invision administrator must do after ``pspn members erase``."""
        return [
            f"in the Invision AdminCP, open Members > {username} and delete the member, "
            "choosing to delete their content too (or to keep it as a guest's)",
            "the personal conversations pspn started with them (sign-in links, survey "
            "invitations) go with the account",
        ]

    def send_message(self, username: str, subject: str, body: str) -> str:
        """Send a message; ``""`` when Invision accepted it without saying its id."""
        recipient = self._member_id(username)
        sent = self.client.send_message(
            self.target.acting_member_id, [recipient], subject, mapping.text_to_html(body)
        )
        return "" if sent is None else str(sent)

    # -- setup --------------------------------------------------------------------

    def check_setup(self) -> SetupCheck:
        """Check every configured id and what the API key may read; report every problem."""
        return check_setup(self.client, self.target)

    # -- helpers ------------------------------------------------------------------

    def _known(
        self,
        read: Callable[[int], dict[str, Any]],
        known_id: str | None,
        text: Callable[[Mapping[str, Any]], str],
        mark: str,
    ) -> dict[str, Any] | None:
        """The object the store remembered, if it still exists and still carries our marker."""
        if not known_id:
            return None
        try:
            found = read(mapping.to_int(known_id))
        except (AdapterNotFound, ValueError):
            return None
        return found if mapping.has_marker(text(found), mark) else None

    def _create_once(
        self, create: Callable[[], Mapping[str, Any]], find: Callable[[], str | None]
    ) -> str:
        """Create; if the answer is lost, look for what we may have created.

        A lost answer (timeout, dropped connection, 5xx) does not say whether
        the forum committed the write, and a slow server may still commit it
        after we stop waiting. So we look for our marker once and, if it is not
        there yet, give up rather than create a second copy: the next run finds
        the object by its marker, or creates it if it never arrived.
        """
        try:
            return str(mapping.to_int(create()["id"]))
        except ForumUnavailable:
            found = find()
            if found is not None:
                log.info("recovered a create whose answer was lost: forum id %s", found)
                return found
            raise
