"""The ports: what the core needs exactly one of per network.

A :class:`Forum` is the forum a network lives on (the embedded local forum,
Discourse or Invision Community). Adapters register a factory for one through
the ``pspn_register_forums`` hook; the core then talks to it only through this
Protocol and the small value types beside it.

Every write is idempotent on the ``key`` we give it: publishing the same post
or event twice leaves one post or one event on the forum.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pspn_core.config import Config
    from pspn_core.membership.model import Member

__all__ = [
    "AdvisesErasure",
    "Attendance",
    "CalendarEvent",
    "ChatMessage",
    "Delivery",
    "ErasesAccounts",
    "EventStatus",
    "Forum",
    "ForumUser",
    "Intent",
    "IntentKind",
    "JoinRequest",
    "MeetingPlatform",
    "OnlineMeeting",
    "PlatformMeeting",
    "Post",
    "Privacy",
    "PrivacyCheck",
    "Provisionable",
    "SetupCheck",
    "SetupCheckable",
    "Store",
    "WebhookReceiver",
    "WebhookRequest",
]


@dataclass(frozen=True)
class ForumUser:
    """A person as the forum knows them."""

    username: str
    display_name: str = ""
    forum_id: str = ""


@dataclass(frozen=True)
class JoinRequest:
    """Someone asking the forum to let them into the network's private group."""

    request_id: str
    user: ForumUser
    message: str = ""
    answers: dict[str, str] = field(default_factory=dict)


class Privacy(enum.Enum):
    PRIVATE = "private"
    PUBLIC = "public"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrivacyCheck:
    """The adapter's verdict on whether an area is private to the network.

    Only ``PRIVATE`` allows publishing: ``PUBLIC`` and ``UNKNOWN`` refuse.
    """

    privacy: Privacy
    reason: str

    @property
    def is_private(self) -> bool:
        return self.privacy is Privacy.PRIVATE


@dataclass(frozen=True)
class Post:
    """A post for the network's private notes area.

    ``key`` is our stable id for it (Discourse ``external_id``, a marker on Invision).
    """

    key: str
    title: str
    body: str


class EventStatus(enum.Enum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as a calendar event. ``start`` and ``end`` are time-zone aware."""

    key: str
    title: str
    start: datetime
    end: datetime
    description: str = ""
    status: EventStatus = EventStatus.CONFIRMED
    timezone: str = "Europe/London"
    location: str = ""
    public: bool = False
    """``True`` when the event holds only what the network allows everyone to see
    (date and slot). Only such an event may be written into a calendar that is
    not private to the network; adapters refuse any other (fail closed)."""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("CalendarEvent start and end must be time-zone aware")
        if self.end <= self.start:
            raise ValueError("CalendarEvent end must be after its start")


@runtime_checkable
class Forum(Protocol):
    """The forum one network lives on, seen from the core.

    Methods raise :class:`pspn_core.errors.AdapterError` subclasses on failure.
    """

    def members(self) -> Iterable[ForumUser]:
        """Everyone in the network's private group, fetched lazily page by page."""
        ...

    def join_requests(self) -> Iterable[JoinRequest]:
        """Pending requests to join the network's private group."""
        ...

    def accept_request(self, request: JoinRequest) -> None:
        """Let the requester into the private group. Accepting twice is not an error."""
        ...

    def decline_request(self, request: JoinRequest) -> None:
        """Refuse the request. Declining one already gone is not an error."""
        ...

    def add_member(self, username: str) -> None:
        """Put a forum user into the private group (no-op if already there)."""
        ...

    def remove_member(self, username: str) -> None:
        """Take a forum user out of the private group (no-op if not there)."""
        ...

    def check_notes_privacy(self) -> PrivacyCheck:
        """Say whether the notes area is private to the network.

        Must fail closed: anything it cannot confirm is ``UNKNOWN``, not ``PRIVATE``.
        """
        ...

    def check_calendar_privacy(self) -> PrivacyCheck:
        """Say whether the calendar meetings go in is private to the network.

        Must fail closed, like :meth:`check_notes_privacy`.
        """
        ...

    def find_post(self, key: str) -> str | None:
        """The forum id of the post published under ``key``, or ``None``."""
        ...

    def publish_post(self, post: Post, *, known_id: str | None = None) -> str:
        """Create the post in the notes area, or update the one already there.

        ``known_id`` is the forum id the store recorded earlier, if any. The
        adapter must look the post up by ``post.key`` before creating one, so a
        retry after a lost response never duplicates. Every write verifies the
        place it writes into at that moment: the notes area before a create,
        and the topic's *current* area before an edit or a reply (a moderator
        may have moved it). Anything not confirmed private raises
        :class:`~pspn_core.errors.PrivacyNotVerified` and writes nothing.
        Returns the forum id.
        """
        ...

    def find_event(self, key: str) -> str | None:
        """The forum id of the calendar event published under ``key``, or ``None``."""
        ...

    def publish_event(self, event: CalendarEvent, *, known_id: str | None = None) -> str:
        """Create or update the calendar event (a move or a cancellation is an update).

        Unless ``event.public``, the calendar (and, for an event already there,
        the place it is now) must be confirmed private to the network at that
        moment, or :class:`~pspn_core.errors.PrivacyNotVerified` is raised and
        nothing is written.
        """
        ...

    def send_message(self, username: str, subject: str, body: str) -> str:
        """Send a private message to one forum user.

        Returns the forum id, or ``""`` when the forum accepted the message
        without saying its id. Raises :class:`~pspn_core.errors.AdapterNotFound`
        when the forum has no such user, and
        :class:`~pspn_core.errors.ForumUnavailable` when the message may or may
        not have been delivered (a lost answer).
        """
        ...


# -- meeting platforms --------------------------------------------------------
# A network's meetings happen on one platform (Teams, or the embedded local one).
# Platforms register a factory through ``pspn_register_platforms``; the core
# then talks to them only through :class:`MeetingPlatform`.


@dataclass(frozen=True)
class OnlineMeeting:
    """A planned meeting as a platform is asked to hold it. ``key`` is our meeting UID."""

    key: str
    title: str
    start: datetime
    end: datetime
    description: str = ""
    timezone: str = "Europe/London"

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("OnlineMeeting start and end must be time-zone aware")
        if self.end <= self.start:
            raise ValueError("OnlineMeeting end must be after its start")


@dataclass(frozen=True)
class PlatformMeeting:
    """Where the platform keeps a meeting: what the store records to find it again.

    :param platform_id: the platform's id for what we created (Teams: the calendar event).
    :param join_url: the joining link for members.
    :param meeting_id: the platform's id for the meeting itself, where it differs
        (Teams: the online meeting, which holds transcripts and attendance).
    :param chat_id: the meeting chat's id, if the platform has one.
    """

    platform_id: str
    join_url: str
    meeting_id: str = ""
    chat_id: str = ""


@dataclass(frozen=True)
class ChatMessage:
    """One message of a meeting chat. ``author`` is used only to anonymise the note."""

    id: str
    sent_at: datetime
    author: str
    text: str
    reply_to: str = ""


@dataclass(frozen=True)
class Attendance:
    """How long each attendee stayed, without saying who: one duration per attendee."""

    durations: tuple[timedelta, ...]


@runtime_checkable
class MeetingPlatform(Protocol):
    """Where a network's meetings happen (Teams, or the embedded local platform).

    Every write is idempotent on the meeting's ``key`` (our UID): creating it
    twice, or again after a lost response, leaves one meeting on the platform.
    Methods raise :class:`pspn_core.errors.AdapterError` subclasses on failure.
    """

    def find_meeting(self, key: str) -> PlatformMeeting | None:
        """The meeting created for ``key`` earlier, or ``None``."""
        ...

    def publish_meeting(
        self, meeting: OnlineMeeting, *, known: PlatformMeeting | None = None
    ) -> PlatformMeeting:
        """Create the meeting, or update the one already there (a move is an update).

        ``known`` is what the store recorded earlier, if anything. Without it the
        adapter must look the meeting up by ``meeting.key`` before creating one.
        """
        ...

    def cancel_meeting(self, known: PlatformMeeting, reason: str = "") -> None:
        """Cancel the meeting. Cancelling one already cancelled or gone is not an error."""
        ...

    def transcript(self, known: PlatformMeeting) -> str | None:
        """The meeting's transcript as WebVTT, or ``None`` when it is not ready (yet)."""
        ...

    def chat(self, known: PlatformMeeting) -> Iterable[ChatMessage]:
        """The meeting chat's messages, oldest first (people's messages, not system events)."""
        ...

    def attendance(self, known: PlatformMeeting) -> Attendance | None:
        """How long attendees stayed, or ``None`` when the platform has no report."""
        ...


@runtime_checkable
class Provisionable(Protocol):
    """A forum pspn may set up itself (the embedded one); real forums are set up by their admins."""

    def provision(self) -> list[str]:
        """Create the network's group, private notes area and calendar if missing.

        Returns what was created, in words.
        """
        ...

    def ensure_user(self, username: str, display_name: str) -> None:
        """Create the forum account if there is none."""
        ...


@dataclass(frozen=True)
class SetupCheck:
    """What ``pspn networks setup`` found when it checked a forum's configured ids."""

    problems: tuple[str, ...] = ()
    """Each thing that is wrong, in words naming the setting and the fix."""
    notes: tuple[str, ...] = ()
    """What was confirmed, in words."""


@runtime_checkable
class SetupCheckable(Protocol):
    """A forum that can check, before first use, that its configured ids are right."""

    def check_setup(self) -> SetupCheck:
        """Check every configured id (exists, right kind, private where it must be)
        and the API user's rights; report every problem, never stop at the first.
        """
        ...


class Store(Protocol):
    """The core's own state: what the forum does not keep.

    :class:`pspn_core.store.SqliteStore` is the implementation; tests and other
    backends may provide another.
    """

    def ensure_network(self, slug: str, name: str) -> bool:
        """Record a network; ``True`` if it was new."""
        ...

    def networks(self) -> list[str]:
        """The slugs of the networks recorded."""
        ...

    def add_member(self, member: Member) -> bool:
        """Add a member to a network's roster; ``False`` if already there."""
        ...

    def members(self, network: str) -> list[Member]:
        """The network's roster, by display name."""
        ...

    def member(self, network: str, username: str) -> Member:
        """One member; raises :class:`~pspn_core.errors.NotFound` if absent."""
        ...

    def audit(
        self,
        action: str,
        *,
        network: str | None = None,
        actor: str = "",
        subject: str = "",
        detail: str = "",
    ) -> None:
        """Record who did what, when. Never content."""
        ...


@runtime_checkable
class ErasesAccounts(Protocol):
    """A forum pspn may erase people from itself (the embedded one, where pspn is the forum)."""

    def erase_account(self, username: str) -> list[str]:
        """Erase ``username``'s account and what it holds, as far as this network goes.

        Returns what was removed, counted, in words (never the data).
        """
        ...


@runtime_checkable
class AdvisesErasure(Protocol):
    """A forum whose administrator must erase people by hand (Discourse, Invision)."""

    def erasure_steps(self, username: str) -> list[str]:
        """What the forum's administrator must delete for ``username``, step by step."""
        ...


# -- webhooks ---------------------------------------------------------------
# A forum type that sends webhooks gives its ForumType a WebhookReceiver;
# ``pspn serve`` then receives its deliveries at ``/webhooks/<forum type>``.


class IntentKind(enum.StrEnum):
    """What a forum's news means for pspn."""

    IGNORED = "ignored"
    ROSTER_CHANGED = "roster.changed"
    TOPIC_RAISED = "topic.raised"
    APPLIED = "application.received"
    JOIN_REQUEST = "join_request.changed"
    EVENT_CHANGED = "meeting.event_changed"
    EVENT_DELETED = "meeting.event_deleted"


@dataclass(frozen=True)
class Intent:
    """One delivery's meaning for one network.

    ``event`` and ``payload`` are handed back to a forum adapter that keeps
    state fed by webhooks (Invision's join-request inbox).
    """

    kind: IntentKind
    network: str | None = None
    title: str = ""
    username: str = ""
    display_name: str = ""
    ref: str = ""
    event: str = ""
    payload: Mapping[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class WebhookRequest:
    """A delivery as received: lower-case header names and the exact body bytes."""

    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Delivery:
    """An authenticated delivery: its id (a replay of the id changes nothing) and meaning.

    ``identity`` names the content itself (for example the topic id and the
    event), so the same content resent under a new delivery id is still
    recognised; leave it empty where the id already covers the content.
    """

    id: str
    event: str
    intents: tuple[Intent, ...]
    identity: str = ""


@runtime_checkable
class WebhookReceiver(Protocol):
    """How one forum type's webhooks are authenticated and read."""

    def load_secret(
        self, config: Config, environ: Mapping[str, str], *, required: bool
    ) -> bytes | None:
        """The credential deliveries must carry, from the variable the config names.

        :param required: whether this forum is the hub's own (``hub.forum``).
        Return ``None`` when the variable is not set and not ``required`` (the
        route then answers 404). Raise :class:`~pspn_core.errors.ConfigError`
        naming the variable when it is required but missing, or set but unusable;
        ``pspn serve`` does not start then.
        """
        ...

    def read(
        self,
        request: WebhookRequest,
        secret: bytes,
        config: Config,
        routes: Mapping[str, Mapping[str, Any]],
    ) -> Delivery:
        """Check the credential, then say what the delivery means.

        :param routes: ``[adapters.server.networks.<slug>]`` for each network, as tables.
        Raise :class:`~pspn_core.errors.WebhookRefused` for a delivery to refuse.
        """
        ...
