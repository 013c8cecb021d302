"""Joining a network: applications, advice, decisions, roster sync, export and erasure.

Each use case is one function taking its ports (store, forum, plugins) as
parameters. A decision is recorded step by step (see :func:`decide`), so a
failure or an interruption part-way is finished by running it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from pspn_core.config import describe_validation_error
from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
    ForumUnavailable,
    InputError,
    NotFound,
    OperationError,
    RateLimited,
    Remedy,
)
from pspn_core.membership.eligibility import Assessment, EligibilityRule, RuleContext, evaluate
from pspn_core.membership.model import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionRun,
    DecisionStep,
    Erasure,
    Member,
    Outcome,
    clean_name,
)
from pspn_core.membership.organisations import OrganisationList, load_organisations
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import (
    AdvisesErasure,
    ErasesAccounts,
    Forum,
    ForumUser,
    JoinRequest,
    Provisionable,
    Store,
)

__all__ = [
    "DecisionResult",
    "MembershipStore",
    "RosterDiff",
    "SyncResult",
    "add_member",
    "apply",
    "apply_sync",
    "assess",
    "collect_requests",
    "compare_rosters",
    "decide",
    "erase_member",
    "export_member",
    "organisations_for",
    "require_held",
    "sync",
]

Clock = Callable[[], datetime]
#: Forum failures that say nothing about the person: never taken as "no such account".
_PASSING = (ForumUnavailable, RateLimited, AuthenticationFailed)
Progress = Callable[[int], None]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class MembershipStore(Protocol):
    """The part of the store these use cases need (:class:`~pspn_core.store.SqliteStore`)."""

    def networks(self) -> list[str]: ...
    def members(self, network: str) -> list[Member]: ...
    def add_member(self, member: Member) -> bool: ...
    def remove_from_roster(self, network: str, username: str) -> bool: ...
    def record_application(self, application: Application) -> tuple[Application, bool]: ...
    def application(self, application_id: int) -> Application: ...
    def applications(self, network: str) -> list[Application]: ...
    def record_decision(self, decision: Decision) -> Application: ...
    def decision_run(self, application_id: int) -> DecisionRun | None: ...
    def start_decision(self, decision: Decision) -> DecisionRun: ...
    def advance_decision(self, application_id: int, step: DecisionStep) -> None: ...
    def cancel_decision(self, application_id: int) -> None: ...
    def finish_decision(
        self, decision: Decision, member: Member | None, *, message_sent: bool | None
    ) -> bool: ...
    def end_decision(self, application_id: int) -> None: ...
    def personal_data(self, network: str, username: str) -> dict[str, Any]: ...
    def holds_data_on(self, network: str, username: str) -> bool: ...
    def erase_person(self, network: str, username: str, *, by: str = "") -> Erasure: ...
    @property
    def data_dir(self) -> Path: ...


def organisations_for(network: Network, config_dir: Path | None) -> OrganisationList:
    """The organisation list ``network`` checks against (its own CSV, or the bundled one)."""
    path = network.membership.organisations
    if path is not None and config_dir is not None and not path.is_absolute():
        path = config_dir / path
    return load_organisations(path)


# -- applications -----------------------------------------------------------------


def apply(
    network: Network,
    application: Application,
    store: MembershipStore,
    organisations: OrganisationList,
) -> Application:
    """Record an application that came by e-mail or in person (the CLI's ``apply``).

    Refuses, changing nothing: a network not set up, answers to questions the
    network does not ask, an organisation not in the list, someone already a
    member, and a second open application from the same person.
    """
    if network.slug not in store.networks():
        raise OperationError(
            f"the network {network.slug!r} has not been set up yet",
            remedy=Remedy("setup-network", {"network": network.slug}),
        )
    unknown = sorted(set(application.answers) - set(network.membership.questions))
    if unknown:
        raise InputError(
            f"unknown answer(s) {', '.join(unknown)}; {network.slug} asks: "
            f"{', '.join(network.membership.questions)}"
        )
    answers = dict(application.answers)
    if answers.get("organisation", "").strip():
        found = organisations.find(answers["organisation"])
        if found is None:
            hint = organisations.suggest(answers["organisation"])
            raise InputError(
                f"the organisation {answers['organisation']!r} is not in {organisations.source}"
                + (f"; did you mean: {'; '.join(hint)}?" if hint else ".")
                + " Give its name as listed or its ODS code (e.g. RR8)."
            )
        answers["organisation"] = found.name
    if any(
        m.username.casefold() == application.username.casefold()
        for m in store.members(network.slug)
    ):
        raise OperationError(f"{application.username} is already a member of {network.slug}")
    stored, new = store.record_application(application.model_copy(update={"answers": answers}))
    if not new:
        raise OperationError(
            f"{application.username} already has an open application to {network.slug} "
            f"(number {stored.id})",
            remedy=Remedy("decide-application", {"id": str(stored.id)}),
        )
    return stored


def collect_requests(
    network: Network, store: MembershipStore, forum: Forum, *, clock: Clock = _utcnow
) -> list[Application]:
    """Store the forum's pending join requests as applications; return the new ones.

    A request already stored (by its id, or an open application from the same
    person) is not stored again, however often it is seen.
    """
    new = []
    for request in forum.join_requests():
        answers = {k: v for k, v in request.answers.items() if v}
        if request.message:
            answers.setdefault("message", request.message)
        application = Application(
            network=network.slug,
            username=request.user.username,
            display_name=clean_name(request.user.display_name),
            answers=answers,
            source="forum",
            source_ref=request.request_id,
            received_at=clock(),
        )
        stored, created = store.record_application(application)
        if created:
            new.append(stored)
    return new


def assess(
    network: Network,
    applications: Iterable[Application],
    rules: Sequence[EligibilityRule],
    organisations: OrganisationList,
) -> list[Assessment]:
    """Every rule's advice on every application."""
    context = RuleContext(network, organisations)
    return [evaluate(application, rules, context) for application in applications]


# -- decisions ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    """The application after the decision, who was admitted, and if the message went."""

    application: Application
    decision: Decision
    member: Member | None
    message_sent: bool | None
    """``None``: an earlier run stopped while sending it, so it may not have arrived."""
    message_problem: str = ""
    """Why the message was not (or may not have been) delivered, in words; ``""`` if sent."""


def decide(
    network: Network,
    application_id: int,
    outcome: Outcome,
    *,
    by: str,
    reason: str,
    question: str = "",
    store: MembershipStore,
    forum: Forum,
    plugins: Plugins,
    clock: Clock = _utcnow,
) -> DecisionResult:
    """Admit, decline or ask about an open application, on the forum and in the store.

    Every input is checked before the first effect. The decision is then a
    resumable workflow (:class:`~pspn_core.store.decisions.DecisionStep`): each
    step is recorded as it is done, so running the same decision again after
    an interruption finishes what is missing and repeats nothing.
    """
    application = store.application(application_id)
    if application.network != network.slug:
        raise NotFound(f"application {application_id} is not for {network.slug}")
    run = store.decision_run(application_id)
    if run is None:
        if application.status not in (
            ApplicationStatus.OPEN,
            ApplicationStatus.NEEDS_INFORMATION,
        ):
            raise OperationError(
                f"application {application_id} was already decided ({application.status}); "
                "nothing changed"
            )
        decision = _decision(application_id, outcome, by, reason, question, clock)
    else:
        decision = run.decision
        if decision.outcome is not outcome:
            raise OperationError(
                f"an earlier run stopped part-way through deciding to {decision.outcome} "
                f"application {application_id}; decide it the same way again to finish it",
                remedy=Remedy(
                    "finish-decision",
                    {"id": str(application_id), "outcome": decision.outcome.value},
                ),
            )
    member, subject, body = _effects_of(network, application, decision)

    if run is None:
        run = store.start_decision(decision)
    step = run.step
    if step is DecisionStep.FORUM:
        try:
            _decide_on_forum(forum, application, decision.outcome)
        except BaseException:
            store.cancel_decision(application_id)  # nothing else was done: decide afresh
            raise
        step = DecisionStep.MESSAGE
        store.advance_decision(application_id, step)
    sent = run.message_sent
    problem: _Undelivered | None = None
    if step is DecisionStep.MESSAGE:
        store.advance_decision(application_id, DecisionStep.RECORD)  # at most once
        try:
            problem = _message(forum, application.username, subject, body)
        except BaseException:
            store.advance_decision(application_id, DecisionStep.MESSAGE)  # it did not go
            raise
        if decision.outcome is Outcome.ASK and problem is not None and not problem.uncertain:
            store.cancel_decision(application_id)  # asking did nothing on the forum
            raise OperationError(
                f"the question was not sent to {application.username}: {problem.text}. "
                f"Nothing was recorded; application {application_id} is still open"
            )
        sent = problem is None
        step = DecisionStep.RECORD
    added = run.member_added
    if step is DecisionStep.RECORD:
        added = store.finish_decision(decision, member, message_sent=sent)
    store.end_decision(application_id)  # before the hooks, so that they fire at most once
    if member is not None:
        if added:
            plugins.member_added(network, member)
        plugins.member_admitted(network, member, decision)
    stored = store.application(application_id)
    return DecisionResult(stored, decision, member, sent, problem.text if problem else "")


def _decision(
    application_id: int, outcome: Outcome, by: str, reason: str, question: str, clock: Clock
) -> Decision:
    try:
        decision = Decision(
            application_id=application_id,
            outcome=outcome,
            by=by,
            reason=reason,
            question=question,
            decided_at=clock(),
        )
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from None
    if outcome is Outcome.ASK and not question.strip():
        raise InputError(
            "asking for more information needs the question to send",
            remedy=Remedy("give-question"),
        )
    return decision


def _effects_of(
    network: Network, application: Application, decision: Decision
) -> tuple[Member | None, str, str]:
    """The member to add and the message to send, checked before anything is done."""
    texts = network.membership
    member: Member | None = None
    if decision.outcome is Outcome.ADMIT:
        try:
            member = Member(
                network=network.slug,
                username=application.username,
                display_name=application.display_name or application.username,
                organisation=application.answers.get("organisation", ""),
                joined_at=decision.decided_at,
            )
        except ValidationError as error:
            raise InputError(
                f"application {application.id} cannot become a member: "
                f"{describe_validation_error(error)}. Nothing was done."
            ) from None
        subject, body = texts.welcome_subject, texts.welcome_message
    elif decision.outcome is Outcome.DECLINE:
        subject, body = texts.decline_subject, texts.decline_message
    else:
        subject, body = texts.question_subject, "{question}"
    values = {
        "name": application.display_name or application.username,
        "network": network.name,
        "question": decision.question,
    }
    return member, subject.format_map(values), body.format_map(values)


def _decide_on_forum(forum: Forum, application: Application, outcome: Outcome) -> None:
    """The forum's side of the decision (admitting and declining are idempotent)."""
    request = _request_of(forum, application)
    if outcome is Outcome.ADMIT:
        _admit_on_forum(forum, application, request)
    elif outcome is Outcome.DECLINE and request is not None:
        forum.decline_request(request)


def _request_of(forum: Forum, application: Application) -> JoinRequest | None:
    """The forum's pending join request behind ``application``, if there is one."""
    name = application.username.casefold()
    for request in forum.join_requests():
        if (application.source == "forum" and request.request_id == application.source_ref) or (
            request.user.username.casefold() == name
        ):
            return request
    return None


def _admit_on_forum(forum: Forum, application: Application, request: JoinRequest | None) -> None:
    if isinstance(forum, Provisionable):  # the embedded forum: make the account if missing
        forum.ensure_user(application.username, application.display_name)
    try:
        if request is not None:
            forum.accept_request(request)
        else:
            forum.add_member(application.username)
    except _PASSING:
        raise
    except AdapterError as error:
        raise OperationError(
            f"the forum has no account {application.username!r} it will add to the group "
            f"({error}): ask them to sign up on the forum, then decide again. "
            "Nothing was recorded."
        ) from None


@dataclass(frozen=True)
class _Undelivered:
    text: str
    uncertain: bool
    """``True`` when the message may have arrived (a lost answer): it is never re-sent."""


def _message(forum: Forum, username: str, subject: str, body: str) -> _Undelivered | None:
    """Send a message through the forum; ``None`` once sent, else why not.

    A forum rate-limiting or refusing our credentials is an error (nothing is
    recorded and the decision can be retried). A message that may have gone
    (the answer was lost) counts as sent, so a rerun never sends it twice. A
    refusal of this message is reported in the forum's words: no account, or
    the message itself refused (too short, messages closed).
    """
    try:
        forum.send_message(username, subject, body)
    except (RateLimited, AuthenticationFailed):
        raise
    except AdapterNotFound:
        return _Undelivered(f"the forum has no account {username!r}", uncertain=False)
    except AdapterError as error:
        if error.may_have_taken_effect:
            return _Undelivered(
                f"the forum did not confirm the message to {username} ({error}); it may have "
                "arrived, so it is not sent again",
                uncertain=True,
            )
        return _Undelivered(f"the forum refused the message ({error})", uncertain=False)
    return None


# -- keeping the roster true --------------------------------------------------------


@dataclass(frozen=True)
class RosterDiff:
    """Who is in the forum group and not on the roster, and the other way round."""

    forum_only: tuple[ForumUser, ...]
    store_only: tuple[Member, ...]
    in_both: int

    def __len__(self) -> int:
        return len(self.forum_only) + len(self.store_only)


@dataclass(frozen=True)
class SyncResult:
    diff: RosterDiff
    added_to_store: int = 0
    removed_from_store: int = 0
    removed_from_forum: int = 0


def compare_rosters(network: Network, store: MembershipStore, forum: Forum) -> RosterDiff:
    """Compare the forum's private group with the store's roster (usernames, any case)."""
    roster = {m.username.casefold(): m for m in store.members(network.slug)}
    on_forum = {u.username.casefold(): u for u in forum.members()}
    return RosterDiff(
        forum_only=tuple(u for key, u in sorted(on_forum.items()) if key not in roster),
        store_only=tuple(m for key, m in sorted(roster.items()) if key not in on_forum),
        in_both=len(roster.keys() & on_forum.keys()),
    )


def apply_sync(
    network: Network,
    diff: RosterDiff,
    store: MembershipStore,
    forum: Forum,
    plugins: Plugins,
    *,
    remove_from_forum: bool = False,
    progress: Progress | None = None,
) -> SyncResult:
    """Make the store match the forum group.

    People in the group but not on the roster are added to the roster, or, with
    ``remove_from_forum``, taken out of the group instead. People on the roster
    but not in the group have left: they come off the roster. ``progress`` is
    called with 1 after each person.
    """
    added = removed = dropped = 0
    for user in diff.forum_only:
        if remove_from_forum:
            forum.remove_member(user.username)
            dropped += 1
        else:
            member = Member(
                network=network.slug,
                username=user.username,
                display_name=clean_name(user.display_name) or user.username,
            )
            if store.add_member(member):
                added += 1
                plugins.member_added(network, member)
        if progress is not None:
            progress(1)
    for member in diff.store_only:
        removed += store.remove_from_roster(network.slug, member.username)
        if progress is not None:
            progress(1)
    return SyncResult(diff, added, removed, dropped)


def sync(
    network: Network,
    store: MembershipStore,
    forum: Forum,
    plugins: Plugins,
    *,
    apply_changes: bool = False,
    remove_from_forum: bool = False,
    progress: Progress | None = None,
) -> SyncResult:
    """Compare, and with ``apply_changes`` fix the store (see :func:`apply_sync`)."""
    diff = compare_rosters(network, store, forum)
    if not apply_changes:
        return SyncResult(diff)
    return apply_sync(
        network, diff, store, forum, plugins, remove_from_forum=remove_from_forum, progress=progress
    )


# -- a member's rights over their data ------------------------------------------------


def require_held(network: Network, username: str, store: MembershipStore) -> None:
    """Refuse (:class:`NotFound`) a username the store holds nothing about."""
    if not store.holds_data_on(network.slug, username):
        raise NotFound(
            f"nothing is held about {username!r} in {network.slug}",
            remedy=Remedy("check-username", {"network": network.slug}),
        )


def export_member(
    network: Network, username: str, store: MembershipStore, *, clock: Clock = _utcnow
) -> dict[str, Any]:
    """Everything the store holds about ``username`` in ``network`` (UK GDPR access)."""
    require_held(network, username, store)
    data = store.personal_data(network.slug, username)
    return {"exported_at": clock().isoformat(timespec="seconds"), **data}


def erase_member(
    network: Network,
    username: str,
    store: MembershipStore,
    forum: Forum,
    plugins: Plugins,
    *,
    by: str = "",
) -> Erasure:
    """Remove ``username`` from the forum group and their personal data from the store.

    Their chairing of meetings becomes "a former member"; published notes are
    already anonymised. On the embedded forum (pspn is the forum) the account is
    erased too; on other forums, :attr:`Erasure.forum` says what their
    administrator must delete.
    """
    require_held(network, username, store)
    try:
        forum.remove_member(username)
    except _PASSING:
        raise  # the forum is unreachable: erase nothing yet, try again later
    except AdapterError:
        pass  # the forum has no such account: there is nothing to remove there
    erased = store.erase_person(network.slug, username, by=by)
    if isinstance(forum, ErasesAccounts):
        erased = replace(erased, forum=tuple(forum.erase_account(username)))
    elif isinstance(forum, AdvisesErasure):
        erased = replace(erased, forum=tuple(forum.erasure_steps(username)))
    else:
        steps = (
            f"ask the forum's administrator to delete the account {username!r}, its posts "
            "and its private messages",
        )
        erased = replace(erased, forum=steps)
    plugins.member_erased(network, username, store.data_dir)
    return erased


def add_member(
    network: Network, member: Member, store: Store, forum: Forum, plugins: Plugins
) -> bool:
    """Add ``member`` to the roster and to the network's group on the forum.

    Returns ``False`` if they were already on the roster (the forum group is
    still made to match).
    """
    if network.slug not in store.networks():
        raise OperationError(
            f"the network {network.slug!r} has not been set up yet",
            remedy=Remedy("setup-network", {"network": network.slug}),
        )
    if isinstance(forum, Provisionable):
        forum.ensure_user(member.username, member.display_name)
    forum.add_member(member.username)
    added = store.add_member(member)
    if added:
        plugins.member_added(network, member)
    return added
