"""The fake Discourse for operators: a seeded demo forum to point ``pspn`` at.

``python -m pspn_adapters.discourse.fake --port 8085`` (``--port 0``: any free
port) serves it and prints the address and the ``pspn.toml`` settings.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pspn_adapters.discourse.fake.server import CONTRACT, FakeDiscourse
from pspn_core.errors import ConfigError

__all__ = ["main", "seed_demo"]


def seed_demo(fake: FakeDiscourse, *, group: str = "north-network") -> dict[str, Any]:
    """A demo network: a group with two members and a request, private notes, a calendar."""
    site = fake.site
    site.add_group(group)
    for username, name in (("alice.example", "Alice Example"), ("bob.example", "Bob Example")):
        site.groups[group].members.append(site.add_user(username, name).id)
    carol = site.add_user("carol.example", "Carol Example")
    site.groups[group].requests[carol.id] = "I chair a patient-safety group at work."
    notes = site.add_category("North network notes", groups={group: 1, "staff": 1})
    calendar = site.add_category("North network meetings", groups={group: 1, "staff": 1})
    return {"group": group, "notes_category_id": notes.id, "calendar_category_id": calendar.id}


def main(
    argv: list[str] | None = None, *, serve: Callable[[FakeDiscourse], None] | None = None
) -> int:
    """``python -m pspn_adapters.discourse.fake --port 8085``: serve a demo forum."""
    parser = argparse.ArgumentParser(description="Serve a fake Discourse for dry runs.")
    parser.add_argument("--port", type=int, default=8085)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--contract", type=Path, default=CONTRACT, help="path to an openapi.json (plain or .gz)"
    )
    parser.add_argument("--rate-limit", type=int, default=60, help="admin requests a minute")
    args = parser.parse_args(argv)
    try:
        fake = FakeDiscourse(
            contract=args.contract,
            rate_limit_per_minute=args.rate_limit,
            host=args.host,
            port=args.port,
        )
    except ConfigError as problem:
        parser.exit(2, f"error: {problem}\n")
    except ModuleNotFoundError as missing:  # jsonschema, without the testing extra
        parser.exit(2, f"error: {missing}\n")
    network = seed_demo(fake)
    with fake:
        print(
            f'Fake Discourse on {fake.url}\n\n[adapters.discourse]\nbase_url = "{fake.url}"\n'
            f'api_username = "{fake.api_username}"\napi_key_env = "PSPN_DISCOURSE_API_KEY"\n\n'
            f'[networks.north.forum]\ngroup = "{network["group"]}"\n'
            f"notes_category_id = {network['notes_category_id']}\n"
            f"calendar_category_id = {network['calendar_category_id']}\n\n"
            f"export PSPN_DISCOURSE_API_KEY={fake.api_key}   # the fake's key, not a secret\n",
            flush=True,
        )
        (serve or _wait)(fake)
    return 0


def _wait(fake: FakeDiscourse) -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print(f"\n{len(fake.requests)} requests, {len(fake.violations)} contract violations")
