"""Membership use cases on the store and the embedded forum: apply, decide, sync, export, erase.

The forum here lives in its own database file, so that a search of the store's
file for an erased person's name sees only what the store holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import pspn_adapters.local
from pspn_adapters.local import LocalForum, LocalHub, LocalNetworkSettings
from pspn_core import hookimpl
from pspn_core.errors import ForumUnavailable, InputError, NotFound, OperationError
from pspn_core.meetings.model import Meeting
from pspn_core.membership import service as service
from pspn_core.membership.model import Application, ApplicationStatus, Decision, Member, Outcome
from pspn_core.membership.organisations import load_organisations
from pspn_core.networks.model import Network
from pspn_core.networks.service import setup_network
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.ports import Forum
from pspn_core.store import SqliteStore
from pspn_core.store.personal import FORMER_MEMBER
from pspn_core.testing import ForumHarness

GROUP = "psp-network"
NETWORK = Network(
    slug="pspn",
    name="Patient Safety Partners Network",
    forum={"group": GROUP, "notes_area": "PSPN notes", "calendar": "PSPN meetings"},
)
ANSWERS = {"role": "Patient Safety Partner", "organisation": "RR8", "region": "North East"}
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


class Admissions:
    """Records the admission notifications."""

    def __init__(self) -> None:
        self.admitted: list[tuple[str, str]] = []

    @hookimpl
    def pspn_member_admitted(self, member: Member, decision: Decision) -> None:
        self.admitted.append((member.username, decision.by))


@pytest.fixture
def admissions() -> Admissions:
    return Admissions()


@pytest.fixture
def plugins(admissions: Admissions) -> Plugins:
    return Plugins(
        make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local, admissions])
    )


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[LocalHub]:
    hub = LocalHub(tmp_path / "forum" / "forum.db")
    yield hub
    hub.close()


@pytest.fixture
def forum(hub: LocalHub) -> LocalForum:
    return LocalForum(hub, LocalNetworkSettings.model_validate(NETWORK.forum))


@pytest.fixture
def store(tmp_path: Path, forum: LocalForum, plugins: Plugins) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "data", clock=lambda: NOW)
    setup_network(NETWORK, store, forum, plugins)
    yield store
    store.close()


def application(username: str = "kit_m", **changes: object) -> Application:
    values: dict[str, object] = {
        "network": "pspn",
        "username": username,
        "display_name": "Kit Marlowe",
        "email": "kit.marlowe@example.nhs.uk",
        "answers": ANSWERS,
        "received_at": NOW,
    }
    return Application.model_validate({**values, **changes})


def apply(store: SqliteStore, username: str = "kit_m", **changes: object) -> Application:
    return service.apply(NETWORK, application(username, **changes), store, load_organisations())


def decide(
    store: SqliteStore,
    forum: Forum,
    plugins: Plugins,
    app_id: int,
    outcome: Outcome,
    **kwargs: str,
) -> service.DecisionResult:
    kwargs.setdefault("reason", "a Patient Safety Partner at an NHS trust")
    return service.decide(
        NETWORK,
        app_id,
        outcome,
        by="Sam Coordinator",
        store=store,
        forum=forum,
        plugins=plugins,
        clock=lambda: NOW,
        **kwargs,
    )


# -- applications ------------------------------------------------------------------


def test_an_application_is_stored_with_the_organisation_as_listed(store: SqliteStore) -> None:
    stored = apply(store)
    assert stored.id == 1 and stored.status is ApplicationStatus.OPEN
    assert stored.answers["organisation"] == "Leeds Teaching Hospitals NHS Trust"
    assert store.applications("pspn") == [stored]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"organisation": "Acme Clinic"}, "'Acme Clinic' is not in the bundled"),
        ({"shoe_size": "9"}, "unknown answer"),
    ],
)
def test_bad_applications_change_nothing(
    store: SqliteStore, answers: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        apply(store, answers=answers)
    assert store.applications("pspn") == []


def test_a_second_open_application_is_refused(store: SqliteStore) -> None:
    apply(store)
    with pytest.raises(OperationError, match=r"already has an open application .*number 1"):
        apply(store, display_name="K. Marlowe")
    assert len(store.applications("pspn")) == 1


def test_forum_join_requests_are_stored_once_however_often_seen(
    store: SqliteStore, hub: LocalHub, forum: LocalForum
) -> None:
    hub.create_user("lou_b", "Lou Brand")
    hub.request_join(GROUP, "lou_b", "PSP at Leeds")
    first = service.collect_requests(NETWORK, store, forum, clock=lambda: NOW)
    again = service.collect_requests(NETWORK, store, forum, clock=lambda: NOW)
    assert [a.username for a in first] == ["lou_b"] and again == []
    (stored,) = store.applications("pspn")
    assert stored.source == "forum" and stored.answers == {"message": "PSP at Leeds"}


def test_assess_gives_every_rule_on_every_application(store: SqliteStore, plugins: Plugins) -> None:
    apply(store)
    apply(store, "lou_b", answers={"role": "Ward Manager", "organisation": "RR8"})
    assessed = service.assess(
        NETWORK, store.applications("pspn"), plugins.eligibility_rules(), load_organisations()
    )
    assert [a.verdict for a in assessed] == ["pass", "fail"]


# -- decisions ---------------------------------------------------------------------


def test_admitting_adds_to_the_group_welcomes_records_and_notifies(
    store: SqliteStore,
    hub: LocalHub,
    forum: LocalForum,
    plugins: Plugins,
    admissions: Admissions,
) -> None:
    stored = apply(store)
    assert stored.id is not None
    result = decide(store, forum, plugins, stored.id, Outcome.ADMIT)
    assert result.application.status is ApplicationStatus.ADMITTED and result.message_sent
    assert "kit_m" in hub.group_members(GROUP)
    (welcome,) = hub.messages("kit_m")
    assert welcome.subject == "Welcome to Patient Safety Partners Network"
    assert welcome.body.startswith("Hello Kit Marlowe,")
    member = store.member("pspn", "kit_m")
    assert member.organisation == "Leeds Teaching Hospitals NHS Trust"
    (decision,) = store.decisions(stored.id)
    assert (decision.by, decision.outcome, decision.decided_at) == (
        "Sam Coordinator",
        Outcome.ADMIT,
        NOW,
    )
    assert admissions.admitted == [("kit_m", "Sam Coordinator")]
    assert store.audit_log("pspn")[-1]["action"] == "member.added"


def test_admitting_a_forum_request_accepts_it(
    store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    hub.create_user("lou_b", "Lou Brand")
    hub.request_join(GROUP, "lou_b")
    (stored,) = service.collect_requests(NETWORK, store, forum)
    assert stored.id is not None
    decide(store, forum, plugins, stored.id, Outcome.ADMIT)
    assert list(forum.join_requests()) == []
    assert "lou_b" in hub.group_members(GROUP)


def test_declining_declines_the_request_and_says_so(
    store: SqliteStore,
    hub: LocalHub,
    forum: LocalForum,
    plugins: Plugins,
    admissions: Admissions,
) -> None:
    hub.create_user("lou_b", "Lou Brand")
    hub.request_join(GROUP, "lou_b")
    (stored,) = service.collect_requests(NETWORK, store, forum)
    assert stored.id is not None
    result = decide(store, forum, plugins, stored.id, Outcome.DECLINE, reason="not a PSP")
    assert result.application.status is ApplicationStatus.DECLINED
    assert list(forum.join_requests()) == [] and "lou_b" not in hub.group_members(GROUP)
    assert (
        hub.messages("lou_b")[0].subject == "Your request to join Patient Safety Partners Network"
    )
    assert store.members("pspn") == [] and admissions.admitted == []


def test_asking_sends_the_question_and_keeps_the_application_open(
    store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    hub.create_user("kit_m", "Kit Marlowe")
    stored = apply(store)
    assert stored.id is not None
    question = "Which {team} are you in?"
    result = decide(
        store, forum, plugins, stored.id, Outcome.ASK, question=question, reason="team unclear"
    )
    assert result.application.status is ApplicationStatus.NEEDS_INFORMATION
    assert hub.messages("kit_m")[0].body == question
    decide(store, forum, plugins, stored.id, Outcome.ADMIT)
    assert [d.outcome for d in store.decisions(stored.id)] == [Outcome.ASK, Outcome.ADMIT]


def test_a_message_to_someone_with_no_forum_account_is_reported(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    stored = apply(store)
    assert stored.id is not None
    result = decide(store, forum, plugins, stored.id, Outcome.DECLINE)
    assert not result.message_sent
    assert result.application.status is ApplicationStatus.DECLINED


def test_a_question_that_cannot_be_sent_records_nothing(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    """Issue 14 item 5: asking is the message; if it is refused, nothing is marked."""
    stored = apply(store)
    assert stored.id is not None
    with pytest.raises(OperationError, match=r"question was not sent.*no account.*still open"):
        decide(store, forum, plugins, stored.id, Outcome.ASK, question="Which trust?")
    assert store.application(stored.id).status is ApplicationStatus.OPEN
    assert store.decisions(stored.id) == []


class LostAnswerForum(LocalForum):
    """Delivers every message, then loses the forum's answer."""

    def send_message(self, username: str, subject: str, body: str) -> str:
        super().send_message(username, subject, body)
        raise ForumUnavailable("POST /messages: could not reach the forum (ReadTimeout)")


def test_a_message_that_may_have_gone_counts_as_sent_and_is_recorded(
    store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    """Issue 14 item 7: a send recorded once it may have happened, never repeated."""
    hub.create_user("kit_m", "Kit Marlowe")
    stored = apply(store)
    assert stored.id is not None
    lossy = LostAnswerForum(forum.hub, forum.settings)
    result = decide(store, lossy, plugins, stored.id, Outcome.ASK, question="Which trust?")
    assert result.application.status is ApplicationStatus.NEEDS_INFORMATION
    assert not result.message_sent and "may have arrived" in result.message_problem
    assert len(hub.messages("kit_m")) == 1


def test_a_decided_application_cannot_be_decided_again(
    store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    stored = apply(store)
    assert stored.id is not None
    decide(store, forum, plugins, stored.id, Outcome.DECLINE)
    before = (store.audit_log(), hub.messages("kit_m"))
    with pytest.raises(OperationError, match="already decided \\(declined\\); nothing changed"):
        decide(store, forum, plugins, stored.id, Outcome.ADMIT)
    assert (store.audit_log(), hub.messages("kit_m")) == before
    assert "kit_m" not in hub.group_members(GROUP)


def test_a_decision_needs_who_and_why(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    stored = apply(store)
    assert stored.id is not None
    with pytest.raises(InputError, match="reason"):
        decide(store, forum, plugins, stored.id, Outcome.ADMIT, reason="")
    with pytest.raises(InputError, match="needs the question to send"):
        decide(store, forum, plugins, stored.id, Outcome.ASK)
    assert store.application(stored.id).status is ApplicationStatus.OPEN


def test_an_unknown_application_is_not_found(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    with pytest.raises(NotFound, match="there is no application 99"):
        decide(store, forum, plugins, 99, Outcome.ADMIT)


def test_someone_already_a_member_cannot_apply(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    stored = apply(store)
    assert stored.id is not None
    decide(store, forum, plugins, stored.id, Outcome.ADMIT)
    with pytest.raises(OperationError, match="kit_m is already a member of pspn"):
        apply(store)


# -- sync --------------------------------------------------------------------------


def roster(store: SqliteStore) -> list[str]:
    return [m.username for m in store.members("pspn")]


@pytest.fixture
def drifted(store: SqliteStore, hub: LocalHub, forum: LocalForum) -> SqliteStore:
    """ada_l in both; bram_s only on the forum; cleo_w only on the roster."""
    for username, name in (("ada_l", "Ada Lovelock"), ("bram_s", "Bram Stokeley")):
        hub.create_user(username, name)
        forum.add_member(username)
    for username, name in (("ada_l", "Ada Lovelock"), ("cleo_w", "Cleo Wainwright")):
        store.add_member(Member(network="pspn", username=username, display_name=name))
    return store


def test_sync_compares_without_changing_anything(
    drifted: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    result = service.sync(NETWORK, drifted, forum, plugins)
    assert [u.username for u in result.diff.forum_only] == ["bram_s"]
    assert [m.username for m in result.diff.store_only] == ["cleo_w"]
    assert result.diff.in_both == 1
    assert roster(drifted) == ["ada_l", "cleo_w"]
    assert hub.group_members(GROUP) == ["ada_l", "bram_s"]


def test_sync_apply_fixes_the_store_and_never_the_forum(
    drifted: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    steps: list[int] = []
    result = service.sync(
        NETWORK, drifted, forum, plugins, apply_changes=True, progress=steps.append
    )
    assert (result.added_to_store, result.removed_from_store, result.removed_from_forum) == (
        1,
        1,
        0,
    )
    assert steps == [1, 1]
    assert roster(drifted) == ["ada_l", "bram_s"]
    assert drifted.member("pspn", "bram_s").display_name == "Bram Stokeley"
    assert hub.group_members(GROUP) == ["ada_l", "bram_s"]
    assert len(service.compare_rosters(NETWORK, drifted, forum)) == 0


def test_sync_removes_from_the_forum_only_when_asked(
    drifted: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    service.sync(NETWORK, drifted, forum, plugins, apply_changes=True, remove_from_forum=True)
    assert hub.group_members(GROUP) == ["ada_l"]
    assert roster(drifted) == ["ada_l"]


# -- export and erasure --------------------------------------------------------------

PLANTED = "Zebedee Quillfeather"


@pytest.fixture
def involved(store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins) -> Member:
    """A member with an application, a decision, volunteering, a vote, a topic and a chair."""
    stored = apply(store, "zeb_q", display_name=PLANTED, email="zeb.q@example.nhs.uk")
    assert stored.id is not None
    decide(store, forum, plugins, stored.id, Outcome.ADMIT, reason=f"{PLANTED} is a PSP")
    store.set_volunteer("pspn", "zeb_q", ["daytime"])
    topic = store.add_topic("pspn", "Learning from incidents", "zeb_q")
    store.vote(topic.id, "zeb_q")
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 12, 8, 12, 30, tzinfo=london)
    store.add_meetings(
        [
            Meeting(
                uid="pspn-20261208",
                network="pspn",
                original_date=start.date(),
                start=start,
                end=start + timedelta(hours=1),
                slot="daytime",
                chair=PLANTED,
            )
        ]
    )
    store.add_member(Member(network="pspn", username="ada_l", display_name="Ada Lovelock"))
    return store.member("pspn", "zeb_q")


def test_export_holds_everything_about_them(involved: Member, store: SqliteStore) -> None:
    data = service.export_member(NETWORK, "zeb_q", store, clock=lambda: NOW)
    assert data["member"]["display_name"] == PLANTED
    (app,) = data["applications"]
    assert app["email"] == "zeb.q@example.nhs.uk"
    assert app["decisions"][0]["reason"] == f"{PLANTED} is a PSP"
    assert data["volunteering"] == [["daytime"]]
    assert data["votes"] == [{"topic": 1, "title": "Learning from incidents"}]
    assert data["topics_raised"] == [
        {"topic": 1, "title": "Learning from incidents", "raised_at": "2027-01-05T09:00:00+00:00"}
    ]
    assert data["meetings_chaired"] == [
        {"meeting": "pspn-20261208", "start": "2026-12-08T12:30:00+00:00"}
    ]
    json.dumps(data)  # it is JSON as it stands


def _database_bytes(store: SqliteStore) -> bytes:
    files = [store.path, *store.path.parent.glob(store.path.name + "-*")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def test_erasure_leaves_nothing_personal_in_the_store(
    involved: Member, store: SqliteStore, hub: LocalHub, forum: LocalForum, plugins: Plugins
) -> None:
    assert PLANTED.encode() in _database_bytes(store)
    erased = service.erase_member(
        NETWORK, "zeb_q", store, forum, plugins, by="Data Protection Officer"
    )
    sections = ("applications", "memberships", "volunteering", "votes", "topics", "chairing")
    assert [erased[section] for section in sections] == [1, 1, 1, 1, 1, 1]
    blob = _database_bytes(store)
    for planted in (PLANTED, "zeb_q", "zeb.q@example.nhs.uk", "Zebedee"):
        assert planted.encode() not in blob, planted
    assert store.meeting("pspn-20261208").chair == FORMER_MEMBER
    assert store.topics("pspn")[0].raised_by is None and store.topics("pspn")[0].votes == 0
    assert "zeb_q" not in hub.group_members(GROUP)
    last = store.audit_log("pspn")[-1]
    assert last["action"] == "member.erased" and last["actor"] == "Data Protection Officer"
    assert roster(store) == ["ada_l"]  # nobody else was touched


def test_export_and_erase_of_someone_unknown_is_not_found(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    with pytest.raises(NotFound, match="nothing is held about 'nobody' in pspn"):
        service.export_member(NETWORK, "nobody", store)
    with pytest.raises(NotFound, match="nothing is held about 'nobody'"):
        service.erase_member(NETWORK, "nobody", store, forum, plugins)


def test_an_applicant_who_never_joined_can_be_erased(
    store: SqliteStore, forum: LocalForum, plugins: Plugins
) -> None:
    apply(store, "zeb_q", display_name=PLANTED)
    service.erase_member(NETWORK, "zeb_q", store, forum, plugins)
    assert PLANTED.encode() not in _database_bytes(store)
    assert store.applications("pspn") == []


# -- the same workflow on the fake Discourse and the fake Invision --------------------


@pytest.fixture(params=["discourse", "invision"])
def remote(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ForumHarness]:
    """A harness (see :mod:`pspn_core.testing`) around a fake forum over real HTTP."""
    if request.param == "discourse":
        yield from _discourse(tmp_path)
    else:
        yield from _invision(tmp_path)


def _discourse(tmp_path: Path) -> Iterator[ForumHarness]:
    from pspn_adapters._http import RateLimiter, RetryPolicy
    from pspn_adapters.discourse.adapter import DiscourseForum, DiscourseNetworkSettings
    from pspn_adapters.discourse.client import DiscourseClient
    from pspn_adapters.discourse.fake import FakeDiscourse
    from tests.adapters.discourse.conftest import GROUP as D_GROUP
    from tests.adapters.discourse.conftest import DiscourseHarness

    with FakeDiscourse() as fake:
        fake.site.add_group(D_GROUP)
        notes = fake.site.add_category("North notes", groups={D_GROUP: 1, "staff": 1})
        calendar = fake.site.add_category("North meetings", groups={D_GROUP: 1, "staff": 1})
        settings = DiscourseNetworkSettings(
            group=D_GROUP, notes_category_id=notes.id, calendar_category_id=calendar.id
        )
        with DiscourseClient(
            fake.url,
            api_key=fake.api_key,
            api_username=fake.api_username,
            retry=RetryPolicy(sleep=lambda _: None),
            limiter=RateLimiter(60_000, burst=1_000),
            timeout=(2.0, 2.0),
        ) as client:
            yield DiscourseHarness(fake, DiscourseForum(client, settings, now=lambda: NOW))
    assert fake.violations == []


def _invision(tmp_path: Path) -> Iterator[ForumHarness]:
    from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings
    from pspn_adapters.invision.fake import FakeInvision
    from pspn_adapters.invision.join_requests import JoinRequestInbox
    from tests.adapters.invision.conftest import FULL_NAME_FIELD, InvisionHarness, make_client

    with FakeInvision() as fake:
        bot = fake.add_member("pspn-bot", group=4)
        club = fake.add_club("North network", owner=bot, type="private")
        settings = InvisionNetworkSettings(
            club_id=club,
            notes_forum_id=fake.add_forum("North notes", club=club),
            calendar_id=fake.add_calendar("North meetings", club=club),
            acting_member_id=bot,
        )
        client = make_client(fake.url, fake.api_key, [])
        inbox = JoinRequestInbox(tmp_path / "invision" / "join-requests.sqlite3")
        try:
            forum = InvisionForum(client, settings, inbox, display_field=FULL_NAME_FIELD)
            yield InvisionHarness(fake, forum)
        finally:
            client.close()
    assert fake.violations == []


def test_decide_sync_and_erase_on_each_fake_forum(
    remote: ForumHarness, tmp_path: Path, plugins: Plugins, admissions: Admissions
) -> None:
    forum = remote.forum
    store = SqliteStore(tmp_path / "remote-data", clock=lambda: NOW)
    try:
        setup_network(NETWORK, store, forum, plugins)
        staff = remote.group_members()  # Invision's club owner is in the club
        remote.add_user("kit_m", "Kit Marlowe")
        remote.add_user("lou_b", "Lou Brand")
        remote.request_join("kit_m", "PSP at Leeds")
        remote.request_join("lou_b")
        kit, lou = service.collect_requests(NETWORK, store, forum, clock=lambda: NOW)
        assert service.collect_requests(NETWORK, store, forum) == []
        assert (kit.username, lou.username) == ("kit_m", "lou_b")
        assert kit.id is not None and lou.id is not None

        result = decide(store, forum, plugins, kit.id, Outcome.ADMIT)
        assert result.message_sent and admissions.admitted == [("kit_m", "Sam Coordinator")]
        decide(store, forum, plugins, lou.id, Outcome.DECLINE, reason="not a PSP")
        assert remote.group_members() == staff | {"kit_m"}
        assert remote.pending_requests() == set()
        assert any("You are now a member" in body for body in remote.messages("kit_m"))
        assert any("not able to offer" in body for body in remote.messages("lou_b"))

        emailed = apply(store, "no_account")
        assert emailed.id is not None
        with pytest.raises(OperationError, match="the forum has no account 'no_account'"):
            decide(store, forum, plugins, emailed.id, Outcome.ADMIT)
        assert store.application(emailed.id).status is ApplicationStatus.OPEN

        remote.add_user("bram_s", "Bram Stokeley")
        remote.add_to_group("bram_s")
        synced = service.sync(NETWORK, store, forum, plugins, apply_changes=True)
        assert {u.username for u in synced.diff.forum_only} == staff | {"bram_s"}
        assert set(roster(store)) == staff | {"bram_s", "kit_m"}
        assert remote.group_members() == staff | {"kit_m", "bram_s"}  # the forum is untouched

        service.erase_member(NETWORK, "kit_m", store, forum, plugins)
        assert remote.group_members() == staff | {"bram_s"}
        assert "kit_m" not in roster(store)
    finally:
        store.close()


def test_a_name_check_refuses_exactly_the_breaking_categories() -> None:
    """The quick check agrees with Unicode on every code point: control characters,
    surrogates, line and paragraph separators, and nothing else."""
    import unicodedata

    from pspn_core.membership.model import clean_name, has_control_characters

    breaking = {"Cc", "Cs", "Zl", "Zp"}
    disagree = [
        hex(point)
        for point in range(0x110000)
        if has_control_characters(chr(point)) != (unicodedata.category(chr(point)) in breaking)
    ]
    assert disagree == []
    assert clean_name("Ada\u2028Lovelace\x07 ") == "Ada Lovelace"
