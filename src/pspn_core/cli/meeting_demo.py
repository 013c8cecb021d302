"""The demo's online meeting: held on the embedded platform, then collected.

The first planned meeting gets its transcript, chat and attendance dropped into
its folder, as an operator would after a meeting, and is collected as if it
had just ended. Every name and detail is invented.
"""

from __future__ import annotations

from datetime import timedelta

import click

from pspn_core.cli.app import App
from pspn_core.meetings.model import MeetingStatus

__all__ = ["DEMO_CHAT", "DEMO_TRANSCRIPT", "demo_online_meeting"]

DEMO_TRANSCRIPT = """\
WEBVTT

00:00:02.000 --> 00:00:07.500
<v Ada Lovelock>Welcome, everyone. Bram, would you start with the PSIRF update?</v>

00:00:08.000 --> 00:00:16.000
<v Bram Stokeley>Thanks Ada. At Frimley our first after action reviews went well.</v>

00:00:17.000 --> 00:00:24.000
<v Cleo Wainwright>We struggled to get families involved; Dev has a leaflet to share.</v>
"""

DEMO_CHAT = """\
[12:34] Dev Patelson
Topic: involving families in after action reviews

[12:36] Edie Kowalczyk
Has anyone run a learning event with the ICB yet?

[12:40] Cleo Wainwright
topic: Martha's Rule posters in waiting areas

[12:41] Ada Lovelock
Thanks all, notes to follow.
"""

#: Minutes each attendee stayed (no names: the platform's report is reduced to this).
DEMO_ATTENDANCE = (58, 60, 61, 59, 45, 52, 12, 30, 55)


def demo_online_meeting(app: App) -> None:
    from pspn_core.meetings.collect import CollectStatus, collect_meeting

    network = next(iter(app.config.networks.values()))
    held = app.platform(network.slug)
    meetings = [
        m for m in app.store.meetings(network.slug) if m.status is not MeetingStatus.CANCELLED
    ]
    if held is None or not meetings:
        click.echo("  no meeting platform or no meeting; skipped")
        return
    name, platform = held
    meeting = meetings[0]
    online = app.store.online_meeting(meeting.uid, name)
    if online is None:
        click.echo(f"  {meeting.uid} is not held on {name}; run `pspn meetings publish`")
        return
    click.echo(f"  {meeting.uid} is held on the {name} platform: join at {online.join_url}")
    folder = getattr(platform, "folder", None)
    if folder is not None:
        target = folder / meeting.uid
        (target / "transcript.vtt").write_text(DEMO_TRANSCRIPT, encoding="utf-8")
        (target / "chat.txt").write_text(DEMO_CHAT, encoding="utf-8")
        minutes = "\n".join(str(m) for m in DEMO_ATTENDANCE) + "\n"
        (target / "attendance.txt").write_text(minutes, encoding="utf-8")
        click.echo(f"  dropped a transcript, the chat and attendance into {target}")
    outcome = collect_meeting(
        network,
        meeting.uid,
        store=app.store,
        platform=platform,
        platform_name=name,
        keys=app.keys,
        plugins=app.plugins,
        now=meeting.end + timedelta(hours=1),  # as if the meeting had just ended
    )
    if outcome.status is CollectStatus.ALREADY:
        click.echo(f"  already collected into draft note {outcome.note_id}")
        return
    if outcome.status is not CollectStatus.COLLECTED:
        click.echo(f"  not ready, try later: {outcome.reason}")
        return
    assert outcome.note_id is not None
    note = app.store.note(outcome.note_id)
    click.echo(
        f"  collected the transcript and chat into draft note {note.id}, waiting for "
        "review (never published without approval). The anonymised draft:"
    )
    for line in note.text.strip().splitlines():
        click.echo(f"    | {line}")
    click.echo(f"  {len(outcome.topics)} topic(s) raised from the chat, by nobody:")
    for topic in outcome.topics:
        click.echo(f"    - {topic}")
    for question in outcome.candidates:
        click.echo(f"  unanswered in the chat, offered in review: {question}")
    if outcome.attendance is not None:
        attendees = outcome.attendance.get("attendees")
        click.echo(f"  attendance: {attendees} attendees, counted by how long they stayed")
