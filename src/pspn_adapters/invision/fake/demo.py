"""The fake Invision for operators: a community to point ``pspn`` at in a dry run.

``python -m pspn_adapters.invision.fake --port 8086 --seed`` (``--port 0``: any
free port) serves it, prints its address and, with ``--seed``, the ids of a
small demo community, and delivers queued webhooks every two seconds.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pspn_adapters.invision.fake.server import CONTRACT, FakeInvision
from pspn_core.errors import ConfigError

__all__ = ["main", "seed"]


def seed(fake: FakeInvision) -> dict[str, int]:
    """A small community for dry runs: an acting admin, a private club, its forum and calendar."""
    admin = fake.add_member("pspn-bot", group=4)
    club = fake.add_club("Patient Safety Partners", owner=admin)
    for name in ("Alex Example", "Sam Sample"):
        fake.set_club_status(club, fake.add_member(name), "member")
    fake.request_join(club, fake.add_member("Jo Applicant"))
    notes = fake.add_forum("PSPN notes", club=club)
    calendar = fake.add_calendar("PSPN meetings", club=club)
    return {"member_id": admin, "club_id": club, "notes_forum_id": notes, "calendar_id": calendar}


def main(argv: list[str] | None = None) -> int:
    """Run the fake until interrupted (``python -m pspn_adapters.invision.fake``)."""
    parser = argparse.ArgumentParser(description="Serve a fake Invision Community for dry runs.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8086)
    parser.add_argument("--api-key", default="fake-invision-key")
    parser.add_argument(
        "--contract", type=Path, default=CONTRACT, help="path to an openapi.json (plain or .gz)"
    )
    parser.add_argument("--seed", action="store_true", help="create a small demo community")
    args = parser.parse_args(argv)
    try:
        fake = FakeInvision(
            api_key=args.api_key, contract=args.contract, host=args.host, port=args.port
        )
    except ConfigError as problem:
        parser.exit(2, f"error: {problem}\n")
    except ModuleNotFoundError as missing:  # jsonschema, without the testing extra
        parser.exit(2, f"error: {missing}\n")
    ids = seed(fake) if args.seed else {}
    with fake:
        print(f"Fake Invision on {fake.url} (key {args.api_key!r}); Ctrl-C to stop", flush=True)
        if ids:
            forum = ", ".join(f"{k} = {v}" for k, v in ids.items())
            print(f"[networks.<slug>.forum] {forum}", flush=True)
        try:
            while True:  # Invision's task runs every two minutes; the fake is quicker
                time.sleep(2)
                fake.deliver_webhooks()
        except KeyboardInterrupt:
            pass
        finally:
            for violation in fake.violations:
                print("contract violation:", violation)
    return 0
