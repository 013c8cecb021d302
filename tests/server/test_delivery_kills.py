"""A delivery is never lost to a crash, nor done twice by a replay (issue 15, items 1 and 11).

``pspn serve`` killed before any SQL statement of handling a delivery: after a
restart the forum's redelivery (same id) is handled, and the topic is raised
exactly once. A captured body resent with a new delivery id raises nothing new.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from pspn_adapters.server.serve import build_context
from pspn_core.cli import App
from pspn_core.plugins import Plugins
from tests.killpoints import count_statements, killed_before
from tests.server.conftest import ENV, Client
from tests.server.test_discourse import TOPIC, deliver


def _deliver(hub_dir: Path, plugins: Plugins, event_id: str = "1001") -> str:
    """Start the server's context (as `pspn serve` does), deliver, stop; the answer's status."""
    app = App(hub_dir / "pspn.toml", plugins=plugins, environ=ENV)
    context = build_context(app)
    try:
        answer = deliver(Client(context), TOPIC, event_id=event_id)
        assert answer.status == 200, answer.body
        status: str = answer.json()["status"]
        return status
    finally:
        context.close()
        if "store" in app.__dict__:
            app.store.close()


def _topics(hub_dir: Path, plugins: Plugins) -> list[str]:
    app = App(hub_dir / "pspn.toml", plugins=plugins, environ=ENV)
    try:
        return [t.title for t in app.store.topics("pspn")]
    finally:
        app.store.close()


def test_a_delivery_killed_at_any_statement_is_handled_once_after_a_restart(
    server_hub: Path, server_plugins: Plugins, tmp_path: Path
) -> None:
    scratch = tmp_path / "count"
    shutil.copytree(server_hub, scratch)
    statements = count_statements(partial(_deliver, scratch, server_plugins))
    assert statements > 5
    for point in range(1, statements + 1):
        hub_dir = tmp_path / f"kill-{point}"
        shutil.copytree(server_hub, hub_dir)
        killed = killed_before(partial(_deliver, hub_dir, server_plugins), point)
        again = _deliver(hub_dir, server_plugins)  # the forum delivers again after a restart
        assert again in ("accepted", "duplicate"), point
        if not killed:
            assert again == "duplicate"
        assert _topics(hub_dir, server_plugins) == [TOPIC["topic"]["title"]], point
        shutil.rmtree(hub_dir)


def test_a_replayed_body_with_a_new_delivery_id_raises_no_second_topic(
    server_hub: Path, server_plugins: Plugins
) -> None:
    assert _deliver(server_hub, server_plugins, "2001") == "accepted"
    assert _deliver(server_hub, server_plugins, "2002") == "accepted"
    assert _topics(server_hub, server_plugins) == [TOPIC["topic"]["title"]]
