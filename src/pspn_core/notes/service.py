"""Notes from the note-taker's raw text to the network's private area.

Raw text is only ever held encrypted. The anonymised text and its findings
(where, what kind, how sure: never the value) are stored for review; an
approved note is published through an outbox, so that a crash or a lost
response at any point is finished by running the publish again, without a
second post. The raw text is deleted in the same transaction that records the
post, unless the network keeps it (still encrypted) for a while.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from pspn_core.errors import InputError, OperationError, PrivacyNotVerified, Remedy
from pspn_core.meetings.model import Meeting
from pspn_core.networks.model import Network
from pspn_core.notes.anonymiser import (
    AnonymisedNote,
    CompiledRoster,
    NotesPolicy,
    RosterEntry,
    anonymise,
    compile_roster,
)
from pspn_core.notes.keys import KeyRing
from pspn_core.notes.model import Note, NoteStatus, OutboxEntry, StoredFinding
from pspn_core.plugins import Plugins
from pspn_core.ports import Forum, Post, Privacy, PrivacyCheck

if TYPE_CHECKING:  # the storage's type only: notes commands read no Member
    from pspn_core.membership.model import Member

__all__ = [
    "NoteReview",
    "NoteStorage",
    "PublishOutcome",
    "ReviewItem",
    "add_note",
    "anonymise_for",
    "approve_note",
    "hub_roster",
    "note_history",
    "original_text",
    "policy_of",
    "privacy_advice",
    "publish_note",
    "purge_raw",
    "redact_more",
    "render",
    "restore_finding",
    "review_note",
    "review_order",
    "rotate_keys",
    "submit_note",
]


class NoteStorage(Protocol):
    """The part of the store these use cases need (:class:`~pspn_core.store.SqliteStore`)."""

    def networks(self) -> list[str]: ...
    def members(self, network: str) -> list[Member]: ...
    def everyone(self) -> list[tuple[str, str, str, tuple[str, ...]]]: ...
    def meeting(self, uid: str) -> Meeting: ...
    def add_note(
        self,
        *,
        network: str,
        meeting_uid: str | None,
        fmt: str,
        text: str,
        findings: Sequence[StoredFinding],
        raw_ciphertext: bytes,
        by: str,
    ) -> Note: ...
    def note(self, note_id: int) -> Note: ...
    def note_uid(self, note_id: int) -> str: ...
    def note_findings(self, note_id: int) -> list[StoredFinding]: ...
    def note_changes(self, note_id: int) -> list[dict[str, Any]]: ...
    def raw_ciphertext(self, note_id: int) -> bytes | None: ...
    def revise_note(
        self,
        note_id: int,
        text: str,
        findings: Sequence[StoredFinding],
        *,
        by: str,
        action: str,
        finding: int | None,
        reason: str,
    ) -> None: ...
    def approve_note(self, note_id: int, by: str) -> None: ...
    def note_added_by(self, note_id: int) -> str: ...
    def audit(
        self,
        action: str,
        *,
        network: str | None = None,
        actor: str = "",
        subject: str = "",
        detail: str = "",
    ) -> None: ...
    def audit_log(self, network: str | None = None) -> list[dict[str, str]]: ...
    def outbox_entry(self, note_id: int) -> OutboxEntry | None: ...
    def record_publish_intent(self, note_id: int, post_key: str) -> OutboxEntry: ...
    def record_published(
        self, note_id: int, forum_id: str, *, by: str, keep_raw_until: datetime | None
    ) -> None: ...
    def purge_raw(self, now: datetime) -> list[int]: ...
    def all_ciphertexts(self) -> dict[int, bytes]: ...
    def replace_ciphertexts(self, tokens: dict[int, bytes]) -> None: ...


def policy_of(network: Network) -> NotesPolicy:
    notes = network.notes
    return NotesPolicy(
        redact=frozenset(notes.redact),
        replacement=notes.replacement,
        review_below=notes.review_below,
    )


def hub_roster(store: NoteStorage) -> list[RosterEntry]:
    """Everyone pspn knows on the hub, in every network: anyone may be named in a note."""
    entries = {}
    for username, name, organisation, aliases in store.everyone():
        entries[username.lower()] = RosterEntry(
            name=name, username=username, organisation=organisation, aliases=aliases
        )
    return list(entries.values())


def anonymise_for(
    network: Network,
    text: str,
    plugins: Plugins,
    roster: Sequence[RosterEntry],
    fmt: str = "auto",
    compiler: Callable[[Sequence[RosterEntry]], CompiledRoster] = compile_roster,
) -> AnonymisedNote:
    """Anonymise ``text`` with the network's policy and every registered detector.

    :param compiler: compiles the roster; the CLI passes
        :meth:`~pspn_core.store.roster_cache.RosterCache.compile`, which keeps it.
    """
    return anonymise(
        text,
        roster=compiler(roster),
        policy=policy_of(network),
        detectors=plugins.detectors(),
        fmt=fmt,
    )


def add_note(
    network: Network,
    raw: str,
    *,
    store: NoteStorage,
    keys: KeyRing,
    plugins: Plugins,
    by: str,
    meeting_uid: str | None = None,
    fmt: str = "auto",
    extra_roster: Sequence[RosterEntry] = (),
    compiler: Callable[[Sequence[RosterEntry]], CompiledRoster] = compile_roster,
) -> tuple[Note, list[StoredFinding]]:
    """Encrypt and store the raw text; anonymise it; store the draft note."""
    if meeting_uid is not None:
        meeting = store.meeting(meeting_uid)
        if meeting.network != network.slug:
            raise InputError(f"meeting {meeting_uid} belongs to {meeting.network!r}")
    roster = [*hub_roster(store), *extra_roster]
    result = anonymise_for(network, raw, plugins, roster, fmt, compiler)
    findings = [
        StoredFinding(f.start, f.end, f.label, f.detector, f.confidence, f.replacement)
        for f in result.findings
    ]
    with keys.writing() as current:  # no rotation until the note is stored
        note = store.add_note(
            network=network.slug,
            meeting_uid=meeting_uid,
            fmt=result.format,
            text=result.text,
            findings=findings,
            raw_ciphertext=current.encrypt(raw.encode("utf-8")),
            by=by,
        )
    return note, findings


def render(raw: str, findings: Sequence[StoredFinding]) -> str:
    """The raw text with every finding that is not restored replaced."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.restored:
            continue
        pieces += [raw[position : finding.start], finding.replacement]
        position = finding.end
    pieces.append(raw[position:])
    return "".join(pieces)


@dataclass(frozen=True)
class ReviewItem:
    """One finding as a reviewer sees it: its number in the note, and the original only
    when it was asked for."""

    number: int
    finding: StoredFinding
    doubtful: bool
    original: str | None = None


@dataclass(frozen=True)
class NoteReview:
    """A note for review: the text with every redaction numbered («3:[name]»), the
    findings with the doubtful ones first, and who changed what."""

    note: Note
    marked_text: str
    items: tuple[ReviewItem, ...]
    changes: tuple[dict[str, Any], ...]
    has_raw: bool


def review_note(
    store: NoteStorage,
    keys: KeyRing,
    note_id: int,
    *,
    review_below: float,
    with_originals: bool = False,
) -> NoteReview:
    """Note ``note_id`` as its reviewer sees it.

    The raw text is decrypted only while the note is not published and still
    held; the originals of redactions are returned only with ``with_originals``.
    """
    note = store.note(note_id)
    findings = store.note_findings(note_id)
    token = store.raw_ciphertext(note_id)
    raw = None
    if note.status is not NoteStatus.PUBLISHED and token is not None:
        raw = keys.decrypt(token, f"note {note_id}").decode("utf-8")
    items = tuple(
        ReviewItem(
            number=number,
            finding=finding,
            doubtful=doubtful,
            original=raw[finding.start : finding.end] if with_originals and raw else None,
        )
        for number, finding, doubtful in review_order(findings, review_below)
    )
    marked = _marked(raw, findings) if raw is not None else note.text
    return NoteReview(note, marked, items, tuple(store.note_changes(note_id)), raw is not None)


def review_order(
    findings: Sequence[StoredFinding], review_below: float
) -> list[tuple[int, StoredFinding, bool]]:
    """(number, finding, doubtful) for each finding, the least certain first.

    The findings below ``review_below`` come first, least confident first; then
    the rest; ties in the note's order. Numbers count from 1 in the note's order.
    """
    numbered = [(n, f, f.confidence < review_below) for n, f in enumerate(findings, start=1)]
    return sorted(numbered, key=lambda item: (not item[2], item[1].confidence, item[0]))


def _marked(raw: str, findings: Sequence[StoredFinding]) -> str:
    """The anonymised text with each redaction numbered: «3:[name]»."""
    pieces, position = [], 0
    for number, finding in enumerate(findings, start=1):
        if finding.restored:
            continue
        pieces += [raw[position : finding.start], f"«{number}:{finding.replacement}»"]
        position = finding.end
    pieces.append(raw[position:])
    return "".join(pieces)


def _draft(store: NoteStorage, note_id: int) -> Note:
    note = store.note(note_id)
    if note.status is not NoteStatus.DRAFT:
        raise OperationError(f"note {note_id} is {note.status.value}; only a draft can be changed")
    return note


def _raw(store: NoteStorage, keys: KeyRing, note_id: int) -> str:
    token = store.raw_ciphertext(note_id)
    if token is None:
        raise OperationError(f"the raw text of note {note_id} has been deleted")
    return keys.decrypt(token, f"note {note_id}").decode("utf-8")


def redact_more(
    store: NoteStorage, keys: KeyRing, note_id: int, text: str, *, label: str, by: str
) -> int:
    """Redact every occurrence of ``text`` the anonymiser missed; returns how many."""
    from pspn_core.notes.anonymiser.pipeline import TAGS

    _draft(store, note_id)
    if label not in TAGS:
        raise InputError(f"unknown label {label!r}; use one of {', '.join(TAGS)}")
    if not text.strip():
        raise InputError("give the text to redact")
    raw = _raw(store, keys, note_id)
    findings = store.note_findings(note_id)
    spans = [
        (m.start(), m.end())
        for m in re.finditer(rf"(?<!\w){re.escape(text.strip())}(?!\w)", raw, re.IGNORECASE)
    ]
    added = [
        StoredFinding(start, end, label, "reviewer", 1.0, TAGS[label])
        for start, end in spans
        if not any(f.start < end and start < f.end and not f.restored for f in findings)
    ]
    if not added:
        return 0
    kept = [f for f in findings if not any(f.start < a.end and a.start < f.end for a in added)]
    merged = sorted([*kept, *added], key=lambda f: f.start)
    store.revise_note(
        note_id,
        render(raw, merged),
        merged,
        by=by,
        action="redacted",
        finding=None,
        reason=f"{len(added)} more span(s), {label}",
    )
    return len(added)


def restore_finding(
    store: NoteStorage, keys: KeyRing, note_id: int, index: int, *, reason: str, by: str
) -> None:
    """Put a finding's original text back (a false alarm), with the reviewer's reason."""
    _draft(store, note_id)
    if not reason.strip():
        raise InputError("a restored finding needs a reason", remedy=Remedy("give-reason"))
    findings = store.note_findings(note_id)
    if not 1 <= index <= len(findings):
        raise InputError(f"note {note_id} has findings 1 to {len(findings)}; there is no {index}")
    raw = _raw(store, keys, note_id)
    findings[index - 1] = replace(findings[index - 1], restored=True)
    store.revise_note(
        note_id,
        render(raw, findings),
        findings,
        by=by,
        action="restored",
        finding=index,
        reason=reason.strip(),
    )


def approve_note(
    store: NoteStorage,
    note_id: int,
    by: str,
    *,
    network: Network | Callable[[str], Network] | None = None,
) -> Note:
    """Mark a draft ready to publish. With ``two_person_approval`` on the note's network,
    the person who added the note may not approve it.

    :param network: the network the note must belong to, or a look-up of a network by
        its slug (the command line passes its config's), checked after the inputs.
    """
    if not by.strip():
        raise InputError(
            "approving a note needs the approver's name", remedy=Remedy("give-approver")
        )
    note = _draft(store, note_id)
    if callable(network):
        network = network(note.network)
    if network is not None and note.network != network.slug:
        raise InputError(f"note {note_id} belongs to {note.network!r}, not {network.slug!r}")
    if (
        network is not None
        and network.notes.two_person_approval
        and store.note_added_by(note_id).casefold() == by.strip().casefold()
    ):
        raise OperationError(
            f"note {note_id} was added by {by.strip()}; {network.slug} needs a second person "
            "to approve it (two_person_approval)"
        )
    store.approve_note(note_id, by.strip())
    return store.note(note_id)


def original_text(store: NoteStorage, keys: KeyRing, note_id: int, *, by: str) -> str:
    """The raw text, for the person who added the note and nobody else (it is not anonymised)."""
    added_by = store.note_added_by(note_id)
    if not by.strip() or added_by.casefold() != by.strip().casefold():
        raise OperationError(f"only the person who added note {note_id} may see its original text")
    return _raw(store, keys, note_id)


def submit_note(store: NoteStorage, note_id: int, *, by: str) -> Note:
    """Send a reviewed draft for approval (recorded in the note's history)."""
    note = _draft(store, note_id)
    store.audit("note.submitted", network=note.network, actor=by, subject=f"note {note_id}")
    return note


def note_history(store: NoteStorage, note_id: int) -> list[dict[str, str]]:
    """Who added, reviewed, sent, approved and published the note, and when (oldest first)."""
    note = store.note(note_id)
    return [e for e in store.audit_log(note.network) if e["subject"] == f"note {note_id}"]


@dataclass(frozen=True)
class PublishOutcome:
    note: Note
    forum_id: str
    already: bool
    """``True`` when the note had been published before; nothing was sent."""


def publish_note(
    network: Network,
    note_id: int,
    *,
    store: NoteStorage,
    forum: Forum,
    plugins: Plugins,
    by: str,
    now: datetime,
) -> PublishOutcome:
    """Publish an approved note to the network's private notes area, exactly once.

    Refuses, publishing nothing, unless the forum confirms the area is private
    to the network.
    """
    note = store.note(note_id)
    if note.network != network.slug:
        raise InputError(f"note {note_id} belongs to {note.network!r}, not {network.slug!r}")
    entry = store.outbox_entry(note_id)
    if entry is not None and entry.state == "sent":
        assert entry.forum_id is not None
        return PublishOutcome(note, entry.forum_id, already=True)
    if note.status is NoteStatus.DRAFT:
        raise OperationError(
            f"note {note_id} is not approved yet",
            remedy=Remedy("approve-note", {"id": str(note_id)}),
        )
    check = forum.check_notes_privacy()
    if not check.is_private:
        raise PrivacyNotVerified(
            f"refusing to publish note {note_id}: {check.reason}. Nothing was posted. "
            + privacy_advice(check)
        )
    entry = entry or store.record_publish_intent(note_id, f"pspn-note-{store.note_uid(note_id)}")
    post = Post(key=entry.post_key, title=_title(network, note, store), body=_body(note))
    forum_id = forum.publish_post(post, known_id=entry.forum_id)
    days = network.notes.keep_raw_days
    store.record_published(
        note_id, forum_id, by=by, keep_raw_until=now + timedelta(days=days) if days else None
    )
    published = store.note(note_id)
    plugins.notes_published(network, note_id, forum_id)
    return PublishOutcome(published, forum_id, already=False)


def privacy_advice(check: PrivacyCheck) -> str:
    """What to do about an area that is not confirmed private, by what is wrong with it."""
    if check.privacy is Privacy.PUBLIC:
        return "Make the area private to the network's group, then try again"
    return (
        "pspn could not confirm who can read the area: check that it exists, that the "
        "network's group has access, and that pspn's forum account may read its settings"
    )


def _title(network: Network, note: Note, store: NoteStorage) -> str:
    """A title unique by construction (forums such as Discourse refuse a repeated one)."""
    if note.meeting_uid:
        meeting = store.meeting(note.meeting_uid)
        return f"{network.name}: notes of the meeting on {meeting.start:%d %B %Y} (note {note.id})"
    return f"{network.name}: notes ({note.created_at:%d %B %Y}, note {note.id})"


def _body(note: Note) -> str:
    return (
        f"{note.text.rstrip()}\n\n"
        "---\nThese notes are non-attributable: names, organisations and other details "
        "that could identify anyone have been removed. Please keep them within the network.\n"
    )


def purge_raw(store: NoteStorage, now: datetime) -> list[int]:
    """Delete the kept raw texts whose keeping time has passed."""
    return store.purge_raw(now)


def rotate_keys(store: NoteStorage, keys: KeyRing) -> int:
    """Re-encrypt every stored raw text with the newest key; returns how many."""
    tokens = {
        note_id: keys.rotate(token, f"note {note_id}")
        for note_id, token in store.all_ciphertexts().items()
    }
    store.replace_ciphertexts(tokens)
    return len(tokens)
