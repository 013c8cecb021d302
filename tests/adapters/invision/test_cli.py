"""``pspn`` from a pspn.toml that points at the fake Invision: meetings and notes end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pspn_adapters.invision
from pspn_adapters.invision import mapping
from pspn_adapters.invision.fake import FakeInvision, seed
from pspn_core.cli import App, cli
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.testing import write_hub_config

RAW = "Present: the network.\n\nWe agreed to pilot the handover checklist on two wards.\n"


class Hub:
    """Runs ``pspn`` in-process against a hub whose forum is the fake Invision."""

    def __init__(self, folder: Path, fake: FakeInvision) -> None:
        self.folder = folder
        self.fake = fake
        ids = seed(fake)
        write_hub_config(
            folder,
            forum="invision",
            network_forum={
                "club_id": ids["club_id"],
                "notes_forum_id": ids["notes_forum_id"],
                "calendar_id": ids["calendar_id"],
                "acting_member_id": ids["member_id"],
            },
            tables={
                "adapters.invision": {
                    "base_url": fake.url,
                    "api_key_env": "NORTH_INVISION_KEY",
                    "requests_per_minute": 6000,
                    "retries": 1,
                }
            },
        )
        self.plugins = Plugins(
            make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.invision])
        )

    def __call__(self, *args: str, key: str | None = None) -> Result:
        environ = {"NORTH_INVISION_KEY": self.fake.api_key if key is None else key}
        app = App(self.folder / "pspn.toml", plugins=self.plugins, environ=environ)
        try:
            return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()

    def add_note(self) -> str:
        (self.folder / "raw.txt").write_text(RAW, encoding="utf-8")
        added = self("notes", "add", str(self.folder / "raw.txt"), "--by", "note-taker", "-q")
        assert added.exit_code == 0, added.output
        note = added.output.strip()
        assert self("notes", "approve", note, "--by", "reviewer").exit_code == 0
        return note


@pytest.fixture
def hub(tmp_path: Path, fake: FakeInvision) -> Hub:
    made = Hub(tmp_path, fake)
    assert made("networks", "setup").exit_code == 0
    assert made("keys", "init").exit_code == 0
    return made


def test_meetings_are_published_moved_and_cancelled(hub: Hub, fake: FakeInvision) -> None:
    planned = hub("meetings", "plan", "--from", "2030-01-01", "--to", "2030-04-30")
    assert planned.exit_code == 0, planned.output
    uids = re.findall(r"^(\S+@pspn)\s", planned.output, flags=re.MULTILINE)
    assert hub("meetings", "publish").exit_code == 0
    assert len(fake.state.events) == len(uids) > 0
    assert "up to date" in hub("meetings", "publish").output
    moved = hub("meetings", "move", uids[0], "--to", "2030-01-21 12:30")
    assert moved.exit_code == 0, moved.output
    cancelled = hub("meetings", "cancel", uids[1], "--reason", "Clash with a conference")
    assert cancelled.exit_code == 0, cancelled.output
    assert len(fake.state.events) == len(uids)
    (first,) = fake.events_containing(mapping.marker("event", uids[0]))
    assert (first.start.day, first.start.hour) == (21, 12)  # January: GMT is UTC
    (second,) = fake.events_containing(mapping.marker("event", uids[1]))
    assert second.title.startswith("Cancelled: ")
    assert all(event.end is not None for event in fake.state.events.values())


def test_a_note_is_published_once(hub: Hub, fake: FakeInvision) -> None:
    note = hub.add_note()
    published = hub("notes", "publish", note)
    assert published.exit_code == 0, published.output
    assert "already" in hub("notes", "publish", note).output
    (topic,) = fake.state.topics.values()
    assert "pilot the handover checklist" in topic.posts[0].content


def test_a_public_notes_forum_refuses_and_posts_nothing(hub: Hub, fake: FakeInvision) -> None:
    note = hub.add_note()
    fake.set_club_type(1, "open")
    refused = hub("notes", "publish", note)
    assert refused.exit_code != 0
    assert "Nothing was posted" in refused.output
    assert fake.state.topics == {}


def test_an_interrupted_publish_run_again_leaves_one_topic_and_one_event(
    hub: Hub, fake: FakeInvision
) -> None:
    note = hub.add_note()
    assert hub("meetings", "plan", "--from", "2030-01-01", "--to", "2030-01-31").exit_code == 0
    fake.faults.fail(503, match="POST /forums/topics")
    fake.faults.fail(503, match="POST /calendar/events")
    assert hub("notes", "publish", note).exit_code != 0
    assert hub("meetings", "publish").exit_code != 0
    fake.faults.drop_after_commit(match="POST /forums/topics")
    fake.faults.drop_after_commit(match="POST /calendar/events")
    assert hub("notes", "publish", note).exit_code == 0
    assert hub("meetings", "publish").exit_code == 0
    assert hub("notes", "publish", note).exit_code == 0
    assert "up to date" in hub("meetings", "publish").output
    assert len(fake.state.topics) == 1
    assert len(fake.state.events) == 1


# -- issue 14 -------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PEOPLE = ("Alex Example", "Sam Sample")


def _survey(hub: Hub) -> None:
    for name in PEOPLE:
        assert hub("members", "add", name, "--name", name).exit_code == 0
    text = (EXAMPLES / "survey-psp-role.toml").read_text(encoding="utf-8")
    (hub.folder / "survey.toml").write_text(text.replace("2027-03-31", "2099-12-31"))
    assert hub("surveys", "create", str(hub.folder / "survey.toml")).exit_code == 0


def _received(fake: FakeInvision) -> dict[str, int]:
    counts: dict[str, int] = {}
    for conversation in fake.state.conversations.values():
        for member in conversation.recipients:
            name = fake.state.members[member].name
            counts[name] = counts.get(name, 0) + 1
    return counts


def test_invitations_answered_with_no_body_are_sent_and_recorded(
    hub: Hub, fake: FakeInvision
) -> None:
    """Item 7: the documented 201 with no body is a message sent, recorded once."""
    fake.state.empty_message_answer = True
    _survey(hub)
    invited = hub("surveys", "invite", "psp-role-2027")
    assert invited.exit_code == 0, invited.output
    assert "Sent 2 single-use link(s)" in invited.output
    assert "Sent 0" in hub("surveys", "invite", "psp-role-2027").output
    assert _received(fake) == dict.fromkeys(PEOPLE, 1)


def test_an_invitation_whose_answer_was_lost_is_never_sent_twice(
    hub: Hub, fake: FakeInvision
) -> None:
    _survey(hub)
    fake.faults.drop_after_commit(match="POST /core/messages")
    lost = hub("surveys", "invite", "psp-role-2027")
    assert lost.exit_code == 1
    assert "may or may not have arrived" in lost.output and "Traceback" not in lost.output
    rerun = hub("surveys", "invite", "psp-role-2027")
    assert rerun.exit_code == 0, rerun.output
    assert _received(fake) == dict.fromkeys(PEOPLE, 1)


def test_an_admission_answered_with_no_body_says_the_message_went(
    hub: Hub, fake: FakeInvision
) -> None:
    fake.state.empty_message_answer = True
    applied = hub(
        "members",
        "apply",
        "Jo Applicant",
        "--name",
        "Jo Applicant",
        "--answer",
        "role=Patient Safety Partner",
        "--answer",
        "organisation=RR8",
    )
    assert applied.exit_code == 0, applied.output
    application = re.findall(r"application (\d+)", applied.output)[0]
    decided = hub("members", "decide", application, "--admit", "--by", "Lead", "--reason", "ok")
    assert decided.exit_code == 0, decided.output
    assert "not confirmed" not in decided.output and "no account" not in decided.output
    assert _received(fake) == {"Jo Applicant": 1}


def test_a_bad_key_locked_out_is_named_not_retried(hub: Hub, fake: FakeInvision) -> None:
    """Item 6: the lock-out's code arrives escaped (1S290\\/D) and is still recognised."""
    assert hub("members", "sync", key="wrong-key").exit_code != 0
    before = len(fake.requests)
    locked = hub("members", "sync", key="wrong-key")
    assert locked.exit_code != 0
    assert "refused our API key" in locked.output and "rate" not in locked.output.lower()
    assert len(fake.requests) == before + 1  # not retried: ten bad keys ban the address


def test_club_notes_publish_when_the_forum_carries_only_its_permissions(
    hub: Hub, fake: FakeInvision
) -> None:
    """Item 8: the documented club node (``perm_view``, no ``public``)."""
    fake.state.documented_names = True
    note = hub.add_note()
    published = hub("notes", "publish", note)
    assert published.exit_code == 0, published.output
    assert len(fake.state.topics) == 1


def test_a_survey_report_with_new_responses_is_published_as_a_new_version(
    hub: Hub, fake: FakeInvision
) -> None:
    """Item 9: Invision cannot edit a post; the new version says what it replaces."""
    _survey(hub)
    lines = (EXAMPLES / "survey-responses.csv").read_text(encoding="utf-8").splitlines()
    (hub.folder / "first.csv").write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")
    (hub.folder / "more.csv").write_text("\n".join([lines[0], *lines[60:80]]) + "\n")
    assert hub("surveys", "import", "psp-role-2027", str(hub.folder / "first.csv")).exit_code == 0
    first = hub("surveys", "publish", "psp-role-2027")
    assert first.exit_code == 0, first.output
    assert hub("surveys", "import", "psp-role-2027", str(hub.folder / "more.csv")).exit_code == 0
    second = hub("surveys", "publish", "psp-role-2027")
    assert second.exit_code == 0, second.output
    old, new = sorted(fake.state.topics.values(), key=lambda t: t.id)
    assert f"replaces the earlier version in topic {old.id}" in new.posts[0].content
    assert f"topic {new.id}" in old.posts[-1].content
    assert f"forum id {new.id}" in second.output
    assert "already published" in hub("surveys", "publish", "psp-role-2027").output
