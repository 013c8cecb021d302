"""Member sync of a 10,000-member network against the fake Invision: requests and time.

    python benchmarks/bench_invision_sync.py [--members 10000] [--per-page 100]

Two shapes of network: a club (``GET /core/clubs/{id}/members`` answers every
member in one unpaged response) and a secondary member group (``GET
/core/members?group=`` walked page by page to ``totalPages``). The fake checks
every answer against the contract, as in the tests, so the times include that
validation. Pacing is off unless ``--paced``; the line after each result then
says how long the default client-side limit (60 requests a minute) would add.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from pspn_adapters._http import RateLimiter
from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.join_requests import JoinRequestInbox


def build(fake: FakeInvision, members: int) -> tuple[int, int, int]:
    bot = fake.add_member("pspn-bot", group=4)
    club = fake.add_club("North network", owner=bot)
    group = fake.add_group("North network")
    fake.state.members[bot].secondary_groups.add(group)
    for number in range(members - 1):  # the bot (the club's owner) is the last one
        ident = fake.add_member(f"member{number:05}.example")
        fake.set_club_status(club, ident, "member")
        fake.state.members[ident].secondary_groups.add(group)
    return bot, club, group


def sync(
    fake: FakeInvision, network: InvisionNetworkSettings, per_page: int, inbox: Path, paced: bool
) -> None:
    limiter = RateLimiter(60) if paced else None
    client = InvisionClient(fake.url, fake.api_key, per_page=per_page, limiter=limiter)
    forum = InvisionForum(client, network, JoinRequestInbox(inbox))
    started = time.perf_counter()
    count = sum(1 for _ in forum.members())
    elapsed = time.perf_counter() - started
    requests = client.requests_made
    client.close()
    pacing = max(0.0, (requests - 5) * 60 / 55)  # RateLimiter(60, burst=5)
    shape = "club " if network.club_id else "group"
    print(f"{shape}: {count} members in {requests} request(s), {elapsed:.2f} s")
    if not limiter:
        print(f"       at the default 60 requests a minute: at least {pacing:.0f} s of pacing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=250)
    parser.add_argument("--paced", action="store_true", help="use the default 60/minute limit")
    args = parser.parse_args()
    with FakeInvision() as fake, tempfile.TemporaryDirectory() as folder:
        bot, club, group = build(fake, args.members)
        common = {"notes_forum_id": 1, "calendar_id": 1, "acting_member_id": bot}
        inbox = Path(folder) / "inbox.sqlite3"
        sync(
            fake, InvisionNetworkSettings(club_id=club, **common), args.per_page, inbox, args.paced
        )
        sync(
            fake,
            InvisionNetworkSettings(group_id=group, **common),
            args.per_page,
            inbox,
            args.paced,
        )
        pages = math.ceil(args.members / args.per_page)
        print(
            f"(group listing: {pages} pages of {args.per_page}; fake violations: "
            f"{len(fake.violations)})"
        )


if __name__ == "__main__":
    main()
