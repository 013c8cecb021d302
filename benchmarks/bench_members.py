"""10,000 members and 2,000 open applications: listing, advice on every one, and a sync.

Run with ``python benchmarks/bench_members.py [HUBDIR]``. Builds the example hub
on the embedded forum (in a temporary directory unless one is given), with
10,000 members on the roster and in the forum group (100 of them only in the
group and 100 only on the roster, so a sync has work to do) and 2,000 open
applications. Prints the time of each step; the target is under 2 s each.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

import pspn_adapters.local
from pspn_adapters.local import LocalForum
from pspn_core.cli import App, cli
from pspn_core.cli.setup import write_example_config
from pspn_core.membership import service as service
from pspn_core.membership.organisations import load_organisations
from pspn_core.networks.service import setup_network
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.store import transaction

MEMBERS, APPLICATIONS, DRIFT = 10_000, 2_000, 100
TARGET_SECONDS = 2.0
ROLES = ("Patient Safety Partner", "Patient Safety Partner", "Patient Safety Partner", "Ward clerk")


def seed(app: App) -> None:
    """Fill the store and the embedded forum directly (set-up is not what is measured)."""
    network = app.network("pspn")
    forum = app.forum("pspn")
    assert isinstance(forum, LocalForum)
    setup_network(network, app.store, forum, app.plugins)
    organisations = [o.name for o in load_organisations()]
    now = datetime(2027, 1, 5, tzinfo=UTC).isoformat()
    people = [(f"member_{n:05d}", f"Member {n:05d}") for n in range(MEMBERS)]
    on_roster = people[: MEMBERS - DRIFT] + [(f"left_{n:03d}", f"Left {n}") for n in range(DRIFT)]
    with transaction(app.store.conn) as conn:
        conn.executemany(
            "INSERT INTO members (network, username, display_name, organisation, aliases,"
            " joined_at) VALUES ('pspn', ?, ?, ?, '[]', ?)",
            [
                (u, d, organisations[i % len(organisations)], now)
                for i, (u, d) in enumerate(on_roster)
            ],
        )
        conn.executemany(
            "INSERT INTO applications (network, username, display_name, email, answers, source,"
            " source_ref, received_at, status) VALUES ('pspn', ?, ?, ?, ?, 'forum', ?, ?, 'open')",
            [
                (
                    f"applicant_{n:04d}",
                    f"Applicant {n:04d}",
                    f"applicant.{n}@example.nhs.uk",
                    json.dumps(
                        {
                            "role": ROLES[n % len(ROLES)],
                            "organisation": organisations[n % len(organisations)]
                            if n % 10
                            else "Acme Private Clinic",
                            "region": "North East",
                        }
                    ),
                    str(n),
                    now,
                )
                for n in range(APPLICATIONS)
            ],
        )
    hub = forum.hub
    group = hub.group_id(forum.settings.group)
    with transaction(hub.conn) as conn:
        conn.executemany("INSERT INTO lf_users (username, display_name) VALUES (?, ?)", people)
        conn.execute(
            "INSERT INTO lf_group_members (group_id, user_id) SELECT ?, id FROM lf_users",
            (group,),
        )


def timed(label: str, step: Callable[[], object]) -> float:
    began = time.perf_counter()
    outcome = step()
    seconds = time.perf_counter() - began
    verdict = "ok" if seconds < TARGET_SECONDS else "SLOW"
    print(f"{label:<58} {seconds:6.3f} s  {verdict}  ({outcome})")
    return seconds


def main(hub_dir: Path) -> int:
    write_example_config(hub_dir)
    plugins = Plugins(make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local]))
    app = App(hub_dir / "pspn.toml", plugins=plugins, environ={})
    seed(app)
    network, store, forum = app.network("pspn"), app.store, app.forum("pspn")
    runner = CliRunner()

    def command(*args: str) -> str:
        result = runner.invoke(
            cli,
            list(args),
            obj=App(hub_dir / "pspn.toml", plugins=plugins, environ={}),
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        return f"{len(result.output.splitlines())} lines of output"

    def assess() -> str:
        organisations = service.organisations_for(network, hub_dir)
        held = store.applications("pspn")
        advice = service.assess(network, held, plugins.eligibility_rules(), organisations)
        counts: dict[str, int] = {}
        for assessment in advice:
            counts[assessment.verdict] = counts.get(assessment.verdict, 0) + 1
        return ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))

    def compare() -> str:
        diff = service.compare_rosters(network, store, forum)
        return f"{diff.in_both} in both, {len(diff.forum_only)} + {len(diff.store_only)} apart"

    print(f"{MEMBERS:,} members, {APPLICATIONS:,} open applications, hub in {hub_dir}")
    times = [
        timed("list the roster (store)", lambda: f"{len(store.members('pspn'))} members"),
        timed(
            "list open applications (store)",
            lambda: f"{len(store.applications('pspn'))} applications",
        ),
        timed("evaluate every application's rules", assess),
        timed(
            "pspn members applications --no-fetch (CLI, end to end)",
            lambda: command("members", "applications", "--no-fetch"),
        ),
        timed("compare the forum group with the roster", compare),
        timed(
            "pspn members sync --apply (CLI, end to end)",
            lambda: command("members", "sync", "--apply"),
        ),
    ]
    store.close()
    return 0 if max(times) < TARGET_SECONDS else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    with tempfile.TemporaryDirectory() as directory:
        sys.exit(main(Path(directory)))
