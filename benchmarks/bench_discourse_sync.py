"""Member sync of a 10,000-member Discourse group against the fake Discourse.

    python benchmarks/bench_discourse_sync.py [--members 10000] [--limit 1000]

The fake enforces Discourse's default admin limit (60 requests a minute) and
checks every request and answer against the contract; the client paces itself
with its default rate limiter. Prints the request count (the budget is
ceil(members / limit) + 5) and the wall-clock time.
"""

from __future__ import annotations

import argparse
import math
import time

from pspn_adapters.discourse.adapter import DiscourseForum, DiscourseNetworkSettings
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.fake import FakeDiscourse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=1000, help="page size (1..1000)")
    parser.add_argument("--per-minute", type=int, default=60, help="the forum's admin limit")
    args = parser.parse_args()

    with FakeDiscourse(rate_limit_per_minute=args.per_minute) as fake:
        group = fake.site.add_group("north-network")
        group.members.extend(
            fake.site.add_user(f"member{n:05d}.example", f"Member {n}").id
            for n in range(args.members)
        )
        settings = DiscourseNetworkSettings(
            group="north-network", notes_category_id=1, calendar_category_id=2
        )
        with DiscourseClient(
            fake.url,
            api_key=fake.api_key,
            api_username=fake.api_username,
            per_minute=args.per_minute,
        ) as client:
            forum = DiscourseForum(client, settings, page_size=args.limit)
            started = time.perf_counter()
            synced = {user.username for user in forum.members()}
            elapsed = time.perf_counter() - started
        requests = len(fake.requests)
        rate_limited = sum(1 for r in fake.requests if r.status == 429)
        budget = math.ceil(args.members / args.limit) + 5
        print(f"members synced: {len(synced)} of {args.members}")
        print(f"requests: {requests} (budget {budget}); 429s: {rate_limited}")
        print(f"time: {elapsed:.2f} s")
        print(f"contract violations: {len(fake.violations)}")
        ok = len(synced) == args.members and requests <= budget and not fake.violations
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
