"""Survey use cases: one function each, taking the store and forum as parameters.

Publishing follows the same rules as notes (``notes/service.py``): the forum
must confirm the private area is private to the network, or nothing is posted,
and it checks again where the post actually is before editing it; the post has
a stable key (``pspn-survey-<id>``), its forum id is recorded after the call,
and a rerun finds the post by key and updates it (or, on a forum that cannot
edit posts, publishes a new version that says it replaces the old), so a crash
or a lost response never makes a second post.

Invitations are recorded before they are sent and kept whenever the send may
have happened, so a rerun never sends a member a second link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from pspn_core.errors import AdapterError, InputError, OperationError, PrivacyNotVerified, Remedy
from pspn_core.files import read_limited
from pspn_core.membership.model import Member
from pspn_core.notes.anonymiser import RosterEntry
from pspn_core.notes.service import privacy_advice
from pspn_core.ports import Forum, Post
from pspn_core.surveys.model import Answers, Survey
from pspn_core.surveys.report import Report, build_report, render_markdown
from pspn_core.surveys.responses import (
    ImportResult,
    check_answers,
    hash_token,
    import_csv,
    new_token,
)

__all__ = [
    "BadRows",
    "Published",
    "SurveyStorage",
    "import_responses",
    "invite_members",
    "network_roster",
    "post_key",
    "publish_survey",
    "report_for",
    "respond",
]


class SurveyStorage(Protocol):
    """The part of the store these use cases need (:class:`~pspn_core.store.SqliteStore`)."""

    def members(self, network: str) -> list[Member]: ...
    def survey(self, survey_id: str) -> Survey: ...
    def invited(self, survey_id: str) -> set[str]: ...
    def add_invitation(self, survey_id: str, username: str, token_hash: str) -> bool: ...
    def withdraw_invitation(self, survey_id: str, username: str, token_hash: str) -> None: ...
    def token_survey(self, token_hash: str) -> str: ...
    def add_token_response(self, token_hash: str, answers: Answers) -> None: ...
    def add_responses(
        self,
        survey_id: str,
        responses: Sequence[Answers],
        *,
        digest: str,
        keys: Sequence[str] | None = None,
    ) -> int: ...
    def responses(self, survey_id: str) -> list[Answers]: ...
    def survey_publication(self, survey_id: str) -> tuple[str | None, str | None]: ...
    def mark_survey_published(self, survey_id: str, forum_id: str, digest: str) -> None: ...
    def audit(
        self,
        action: str,
        *,
        network: str | None = None,
        actor: str = "",
        subject: str = "",
        detail: str = "",
    ) -> None: ...


class BadRows(InputError):
    """Rows of an import do not fit the survey, so nothing was imported."""


def post_key(survey: Survey) -> str:
    return f"pspn-survey-{survey.id}"


#: Far more than any form tool's export of a network's survey.
MAX_CSV_BYTES = 50_000_000


def import_responses(
    store: SurveyStorage,
    survey: Survey,
    path: Path,
    columns: Mapping[str, str] | None = None,
    *,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Import a form tool's CSV export. Imports nothing if a row does not fit, unless told to skip.

    A response already held (the same row, however the file was saved since) is
    not imported again.
    """
    content = read_limited(path, MAX_CSV_BYTES, "CSV export")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read {path}: {error}; export the CSV as UTF-8") from None
    result = import_csv(survey, text, columns)
    if result.problems and not skip_bad_rows:
        listed = "; ".join(str(p) for p in result.problems[:10])
        more = f" (and {len(result.problems) - 10} more)" if len(result.problems) > 10 else ""
        raise BadRows(
            f"{path}: {len(result.problems)} row(s) do not fit survey {survey.id!r}, so nothing "
            f"was imported: {listed}{more}",
            remedy=Remedy("skip-bad-rows"),
        )
    if not result.responses:
        raise InputError(f"{path} holds no responses that fit survey {survey.id!r}")
    added = store.add_responses(
        survey.id,
        result.responses,
        digest=hashlib.sha256(content).hexdigest(),
        keys=result.keys,
    )
    return replace(result, already=len(result.responses) - added)


def invite_members(
    store: SurveyStorage, forum: Forum, survey: Survey, *, today: date, how_to_respond: str
) -> list[str]:
    """Send each member not yet invited their own single-use link; return who was sent one.

    ``how_to_respond`` is the message's instructions, with ``{token}`` where the token goes.
    The token is sent and forgotten: only its hash is stored, not linked to the member.
    The invitation is recorded before the send and withdrawn only when the forum
    refused it; when the send may have happened (a lost answer) it stays
    recorded, the run stops, and a rerun does not send that member a second link.
    """
    if today > survey.closes:
        raise OperationError(f"survey {survey.id!r} closed on {survey.closes}; no invitations")
    already = {name.lower() for name in store.invited(survey.id)}
    sent: list[str] = []
    for member in store.members(survey.network):
        if member.username.lower() in already:
            continue
        token = new_token()
        digest = hash_token(token)
        if not store.add_invitation(survey.id, member.username, digest):
            continue
        body = (
            f"{survey.title}\n\n{survey.description}\n\n"
            f"Open from {survey.opens:%d %B %Y} to {survey.closes:%d %B %Y}. Your answers are "
            "stored with no link to you, and only figures that protect small numbers are "
            "shared.\n\n" + how_to_respond.format(token=token)
        )
        try:
            forum.send_message(member.username, f"Survey: {survey.title}", body)
        except AdapterError as error:
            _audit_invited(store, survey, sent)
            if not error.may_have_taken_effect:
                store.withdraw_invitation(survey.id, member.username, digest)
                raise
            raise OperationError(
                f"the invitation to {member.username} may or may not have arrived ({error}). "
                "It is recorded as sent, so they will not get a second link; "
                f"{len(sent)} other invitation(s) went before it. Invite again to reach the "
                "members not yet invited"
            ) from None
        except BaseException:
            store.withdraw_invitation(survey.id, member.username, digest)
            raise
        sent.append(member.username)
    _audit_invited(store, survey, sent)
    return sent


def _audit_invited(store: SurveyStorage, survey: Survey, sent: list[str]) -> None:
    store.audit("survey.invited", network=survey.network, subject=survey.id, detail=f"{len(sent)}")


def respond(store: SurveyStorage, token: str, raw: Mapping[str, str], *, today: date) -> Survey:
    """Record one response through a link token; the token then stops working."""
    digest = hash_token(token)
    survey = store.survey(store.token_survey(digest))
    if not survey.is_open(today):
        raise OperationError(
            f"survey {survey.id!r} is open from {survey.opens} to {survey.closes}, not today"
        )
    store.add_token_response(digest, check_answers(survey, raw))
    return survey


def network_roster(store: SurveyStorage, network: str) -> list[RosterEntry]:
    """The network's members, so the anonymiser can find them in written answers."""
    return [
        RosterEntry(m.display_name, m.username, m.organisation, m.aliases)
        for m in store.members(network)
    ]


def report_for(store: SurveyStorage, survey: Survey) -> Report:
    return build_report(survey, store.responses(survey.id), network_roster(store, survey.network))


@dataclass(frozen=True)
class Published:
    forum_id: str
    already: bool


def publish_survey(store: SurveyStorage, forum: Forum, survey: Survey) -> Published:
    """Post the report to the network's private area, exactly once (updated if it changed)."""
    body = render_markdown(report_for(store, survey))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    known_id, published = store.survey_publication(survey.id)
    if known_id is not None and published == digest:
        return Published(known_id, already=True)
    check = forum.check_notes_privacy()
    if not check.is_private:
        raise PrivacyNotVerified(
            f"refusing to publish survey {survey.id!r}: {check.reason}. Nothing was posted. "
            + privacy_advice(check)
        )
    key = post_key(survey)
    known_id = known_id or forum.find_post(key)
    post = Post(key=key, title=f"Survey results: {survey.title} ({survey.id})", body=body)
    forum_id = forum.publish_post(post, known_id=known_id)
    store.mark_survey_published(survey.id, forum_id, digest)
    return Published(forum_id, already=False)
