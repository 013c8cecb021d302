"""The Discourse adapter under faults: rate limits, 5xx, slow and dropped answers, bad setups."""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters._http import RateLimiter, RetryPolicy
from pspn_adapters.discourse import mapping
from pspn_adapters.discourse.adapter import DiscourseForum, DiscourseNetworkSettings
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
    ForumUnavailable,
    PrivacyNotVerified,
    RateLimited,
)
from pspn_core.ports import CalendarEvent, Post, Privacy

GROUP = "north-network"
NOTE = Post("note-2030-03-north", "North network meeting notes — 2030-03-12", "A" * 80)
START = datetime(2030, 3, 12, 12, 30, tzinfo=ZoneInfo("Europe/London"))
MEETING = CalendarEvent(
    "meeting-2030-03-12", "North network meeting", START, START + timedelta(hours=1)
)


def _members(fake: FakeDiscourse, count: int) -> None:
    ids = [fake.site.add_user(f"member{n:03d}.example").id for n in range(count)]
    fake.site.groups[GROUP].members.extend(ids)


def test_a_429_is_waited_out_as_the_server_says(
    forum: DiscourseForum, fake: FakeDiscourse, sleeps: list[float]
) -> None:
    _members(fake, 5)
    fake.fail_next(429, retry_after=3, wait_seconds=30, path="/members.json")
    assert len(list(forum.members())) == 5
    assert sleeps == [3.0]


def test_a_429_without_retry_after_uses_wait_seconds(
    forum: DiscourseForum, fake: FakeDiscourse, sleeps: list[float]
) -> None:
    fake.fail_next(429, wait_seconds=12, path="/members.json")
    assert list(forum.members()) == []
    assert sleeps == [12.0]


def test_5xx_on_reads_are_retried_with_backoff(
    forum: DiscourseForum, fake: FakeDiscourse, sleeps: list[float]
) -> None:
    fake.fail_next(503, times=2, path="/c/")
    assert forum.check_notes_privacy().is_private
    assert sleeps == [0.5, 1.0]


def test_a_forum_that_keeps_limiting_ends_in_rate_limited(
    network: DiscourseNetworkSettings, sleeps: list[float]
) -> None:
    with FakeDiscourse(rate_limit_per_minute=3) as fake:
        fake.site.add_group(GROUP)
        with DiscourseClient(
            fake.url,
            api_key=fake.api_key,
            api_username=fake.api_username,
            retry=RetryPolicy(attempts=3, sleep=sleeps.append),
            limiter=RateLimiter(6000),
        ) as client:
            for _ in range(3):
                client.get_group(GROUP)
            with pytest.raises(RateLimited) as caught:
                client.get_group(GROUP)
    assert caught.value.status == 429
    assert len(sleeps) == 2 and all(50 < s <= 61 for s in sleeps)


def test_a_slow_read_is_retried_after_its_timeout(
    fake: FakeDiscourse, network: DiscourseNetworkSettings, sleeps: list[float]
) -> None:
    fake.slow_next(1.0, path="/c/")
    with DiscourseClient(
        fake.url,
        api_key=fake.api_key,
        api_username=fake.api_username,
        retry=RetryPolicy(sleep=sleeps.append),
        limiter=RateLimiter(6000),
        timeout=(1.0, 0.3),
    ) as client:
        assert client.get_category(network.notes_category_id)["read_restricted"] is True
    assert fake.count("GET", "/c/") == 2


def test_a_dropped_create_is_recovered_in_the_same_run(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    fake.drop_next(method="POST", path="/posts.json")
    topic_id = forum.publish_post(NOTE)
    assert [t.id for t in fake.site.topics_with_external_id(NOTE.key)] == [int(topic_id)]
    assert fake.count("POST", "/posts.json") == 1  # the create was never resent


def test_an_interrupted_run_run_again_leaves_one_topic_and_one_event(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    fake.drop_next(method="POST", path="/posts.json")  # committed, answer lost
    fake.fail_next(503, times=5, path="/t/external_id/", skip=1)  # then the forum goes away
    with pytest.raises(ForumUnavailable):
        forum.publish_event(MEETING)
    assert fake.faults == []
    event_id = forum.publish_event(MEETING)  # the run, again
    topics = fake.site.topics_with_external_id(mapping.external_id(MEETING.key))
    assert len(topics) == 1
    assert list(fake.site.events) == [int(event_id)] == topics[0].post_ids
    assert fake.count("POST", "/posts.json") == 1


@pytest.mark.parametrize("privacy", [Privacy.PUBLIC, Privacy.UNKNOWN])
def test_a_note_is_refused_unless_the_category_is_private(
    forum: DiscourseForum, fake: FakeDiscourse, privacy: Privacy
) -> None:
    category = fake.site.categories[forum.settings.notes_category_id]
    if privacy is Privacy.PUBLIC:
        category.read_restricted, category.permissions = False, {"everyone": 1}
    else:
        category.hidden = True
    with pytest.raises(PrivacyNotVerified, match="refusing to publish") as caught:
        forum.publish_post(NOTE)
    assert GROUP in str(caught.value)
    assert fake.count("POST") == 0
    assert fake.site.topics == {}


def test_a_calendar_plugin_that_is_off_is_named(forum: DiscourseForum, fake: FakeDiscourse) -> None:
    fake.site.calendar_enabled = False
    with pytest.raises(AdapterError, match="calendar plugin") as caught:
        forum.publish_event(MEETING)
    assert "discourse_post_event_enabled" in str(caught.value)


def test_calendar_routes_that_are_gone_also_mean_the_plugin_is_off(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    fake.fail_next(404, times=2, path="/discourse-post-event/")
    with pytest.raises(AdapterError, match="calendar plugin"):
        forum.publish_event(MEETING)


def test_a_post_held_for_approval_is_reported(forum: DiscourseForum, fake: FakeDiscourse) -> None:
    fake.site.approval_required = True
    with pytest.raises(AdapterError, match="approval"):
        forum.publish_post(NOTE)


def test_a_forum_that_is_down_is_forum_unavailable(
    forum: DiscourseForum, fake: FakeDiscourse, sleeps: list[float]
) -> None:
    fake.fail_next(502, times=100)
    with pytest.raises(ForumUnavailable) as caught:
        list(forum.members())
    assert caught.value.status == 502
    assert len(sleeps) == 4


def test_a_slow_create_that_times_out_is_not_resent_and_a_rerun_posts_once(
    fake: FakeDiscourse, network: DiscourseNetworkSettings, sleeps: list[float]
) -> None:
    fake.slow_next(0.8, method="POST", path="/posts.json")
    with DiscourseClient(
        fake.url,
        api_key=fake.api_key,
        api_username=fake.api_username,
        retry=RetryPolicy(sleep=sleeps.append),
        limiter=RateLimiter(6000),
        timeout=(1.0, 0.3),
    ) as client:
        forum = DiscourseForum(client, network)
        with contextlib.suppress(ForumUnavailable):
            forum.publish_post(NOTE)  # the answer never came in time
        (create,) = [r for r in fake.requests if r.method == "POST"]
        deadline = time.monotonic() + 5
        while create.status is None and time.monotonic() < deadline:
            time.sleep(0.05)  # let the slow create finish on the server
        assert create.status == 200
        topic_id = forum.publish_post(NOTE)
    assert [t.id for t in fake.site.topics_with_external_id(NOTE.key)] == [int(topic_id)]
    assert fake.count("POST", "/posts.json") == 1


def test_the_key_never_reaches_the_logs(
    forum: DiscourseForum, fake: FakeDiscourse, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.fail_next(503, times=2)
    fake.fail_next(429, retry_after=1)
    forum.check_notes_privacy()
    forum.publish_post(NOTE)
    assert "retrying" in caplog.text
    assert fake.api_key not in caplog.text


# -- issue 14: the place written into is checked at that moment -----------------------


def test_a_post_moved_to_a_public_category_is_not_edited(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    topic_id = int(forum.publish_post(NOTE))
    public = fake.site.add_category("Everyone")
    fake.site.move_topic(topic_id, public.id)
    changed = Post(NOTE.key, NOTE.title, "B" * 80)
    with pytest.raises(PrivacyNotVerified, match=f"topic {topic_id}.*moved.*not edited"):
        forum.publish_post(changed)
    assert fake.count("PUT", "/posts/") == 0
    (post_id,) = fake.site.topics[topic_id].post_ids
    assert fake.site.posts[post_id].raw.startswith("A" * 80)


def test_a_post_moved_to_another_private_category_is_still_edited(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    topic_id = int(forum.publish_post(NOTE))
    archive = fake.site.add_category("North archive", groups={GROUP: 1})
    fake.site.move_topic(topic_id, archive.id)
    forum.publish_post(Post(NOTE.key, NOTE.title, "B" * 80))
    (post_id,) = fake.site.topics[topic_id].post_ids
    assert fake.site.posts[post_id].raw.startswith("B" * 80)


def test_a_meeting_is_refused_in_a_public_calendar(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    calendar = fake.site.categories[forum.settings.calendar_category_id]
    calendar.read_restricted, calendar.permissions = False, {"everyone": 1}
    assert forum.check_calendar_privacy().privacy is Privacy.PUBLIC
    with pytest.raises(PrivacyNotVerified, match="Nothing was posted"):
        forum.publish_event(MEETING)
    assert fake.count("POST", "/posts.json") == 0


def test_a_public_event_goes_to_a_public_calendar_without_invitees(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    calendar = fake.site.categories[forum.settings.calendar_category_id]
    calendar.read_restricted, calendar.permissions = False, {"everyone": 1}
    public = CalendarEvent(MEETING.key, MEETING.title, START, MEETING.end, public=True)
    post_id = int(forum.publish_event(public))
    event = fake.site.events[post_id]
    assert (event["status"], event["raw_invitees"]) == ("standalone", [])


def test_a_meeting_moved_to_a_public_category_is_not_edited(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    post_id = int(forum.publish_event(MEETING))
    fake.site.move_topic(fake.site.posts[post_id].topic_id, fake.site.add_category("Open").id)
    moved = CalendarEvent(
        MEETING.key, MEETING.title, START + timedelta(days=7), MEETING.end + timedelta(days=7)
    )
    with pytest.raises(PrivacyNotVerified, match="not edited"):
        forum.publish_event(moved)
    assert fake.count("PUT", "/posts/") == 0


def test_a_plugin_switched_off_then_on_gets_its_event_on_the_rerun(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    fake.site.calendar_enabled = False
    with pytest.raises(AdapterError, match="calendar plugin"):
        forum.publish_event(MEETING)
    fake.site.calendar_enabled = True
    post_id = int(forum.publish_event(MEETING))
    assert post_id in fake.site.events
    edits = fake.count("PUT", "/posts/")
    assert forum.publish_event(MEETING) == str(post_id)  # the marker is no change
    assert fake.count("PUT", "/posts/") == edits


def test_adding_an_unknown_user_says_there_is_no_such_user(forum: DiscourseForum) -> None:
    with pytest.raises(AdapterNotFound, match="no user called 'nosuchuser'"):
        forum.add_member("nosuchuser")


def test_a_short_message_is_refused_as_such_not_as_no_account(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    fake.site.add_user("alice.example")
    with pytest.raises(AdapterError, match="refused the message") as caught:
        forum.send_message("alice.example", "A question from the network", "Trust?")
    assert not isinstance(caught.value, AdapterNotFound)
    with pytest.raises(AdapterNotFound):
        forum.send_message("nobody.example", "A question from the network", "Which trust?" * 3)


def test_a_wrong_key_is_an_authentication_error_not_a_privacy_verdict(
    fake: FakeDiscourse, network: DiscourseNetworkSettings
) -> None:
    with DiscourseClient(fake.url, api_key="f" * 64, api_username=fake.api_username) as client:
        wrong = DiscourseForum(client, network)
        with pytest.raises(AuthenticationFailed, match="API key"):
            wrong.check_notes_privacy()


def test_setup_check_reports_every_problem_at_once(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    assert forum.check_setup().problems == ()
    bot = fake.site.user(fake.api_username)
    assert bot is not None
    bot.admin = False
    bad = DiscourseNetworkSettings(
        group="nosuch", notes_category_id=9999, calendar_category_id=9998
    )
    problems = DiscourseForum(forum.client, bad).check_setup().problems
    assert len(problems) == 4
    assert "not staff" in problems[0]
    assert "nosuch" in problems[1]
    assert "notes_category_id = 9999" in problems[2]
    assert "calendar_category_id = 9998" in problems[3]


def test_setup_check_names_a_public_notes_category(
    forum: DiscourseForum, fake: FakeDiscourse
) -> None:
    notes = fake.site.categories[forum.settings.notes_category_id]
    notes.read_restricted, notes.permissions = False, {"everyone": 1}
    (problem,) = forum.check_setup().problems
    assert problem.startswith(f"notes_category_id = {notes.id}: not private")


def test_a_non_staff_user_loses_external_ids(forum: DiscourseForum, fake: FakeDiscourse) -> None:
    bot = fake.site.user(fake.api_username)
    assert bot is not None
    bot.admin = False
    forum.publish_post(NOTE)
    assert forum.find_post(NOTE.key) is None  # why setup insists on a staff user
