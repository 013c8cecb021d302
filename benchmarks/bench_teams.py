"""Benchmark the Teams platform against the fake Graph: a decade of meetings, a long chat.

Usage: python benchmarks/bench_teams.py [--meetings 120] [--messages 1000]

Prints the CSDL load, the time and Graph requests to publish ``--meetings``
meetings (then the rerun, which must create nothing), and the time and pages
to read a chat of ``--messages`` messages. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pspn_adapters._http import RetryPolicy
from pspn_adapters.teams.adapter import TeamsPlatform
from pspn_adapters.teams.client import GraphClient, MsalAuth, msal_token_source, new_session
from pspn_adapters.teams.fake import FakeGraph
from pspn_adapters.teams.fake.csdl import Csdl, contract_file
from pspn_adapters.teams.settings import TeamsSettings
from pspn_core.ports import OnlineMeeting


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=120)
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    began = time.perf_counter()
    Csdl(contract_file())
    print(f"CSDL parse: {time.perf_counter() - began:.2f} s")
    with FakeGraph() as fake:
        fake.tenant.page_size = 50
        settings = TeamsSettings.model_validate(fake.settings())
        session = new_session(settings)
        secret = fake.tenant.client_secret
        auth = MsalAuth(msal_token_source(settings, secret, session), secrets=[secret])
        client = GraphClient(settings, auth, session=session, retry=RetryPolicy())
        platform = TeamsPlatform(client)
        start = datetime(2027, 1, 12, 18, 30, tzinfo=ZoneInfo("Europe/London"))
        meetings = [
            OnlineMeeting(
                f"bench-{n}@pspn",
                "Bench",
                start + timedelta(weeks=4 * n),
                start + timedelta(weeks=4 * n, hours=1),
            )
            for n in range(args.meetings)
        ]
        for label in ("first publish", "rerun (look-ups only)"):
            before, began = fake.count(), time.perf_counter()
            held = [platform.publish_meeting(m) for m in meetings]
            took = time.perf_counter() - began
            print(
                f"{label}: {len(meetings)} meetings in {took:.2f} s "
                f"({took / len(meetings) * 1000:.1f} ms each), {fake.count() - before} requests, "
                f"{len(fake.tenant.events)} events"
            )
        chat = [(f"Person {n % 40}", f"message {n}") for n in range(args.messages)]
        fake.tenant.finish_meeting(meetings[0].key, chat=chat)
        before, began = fake.count(), time.perf_counter()
        read = list(platform.chat(held[0]))
        print(
            f"chat: {len(read)} messages in {time.perf_counter() - began:.2f} s, "
            f"{fake.count() - before} pages; {len(fake.violations)} contract violations"
        )


if __name__ == "__main__":
    main()
