"""A fake Microsoft Graph for tests and dry runs: a real HTTPS server on 127.0.0.1.

    with FakeGraph() as fake:
        settings = fake.settings()           # the [platforms.teams] table for pspn
        fake.tenant.finish_meeting(uid, transcript=vtt, chat=[("Ada", "Topic: ...")])

It serves Entra's token endpoint (client credentials, for MSAL) and the Graph
v1.0 calls the Teams adapter makes, checks every body against Graph's own CSDL
(vendored in ``contract/``), and injects faults. ``python -m
pspn_adapters.teams.fake --port 0`` serves one and prints the settings.
"""

from __future__ import annotations

from pspn_adapters.teams.fake.graph import FakeOnlineMeeting, Tenant
from pspn_adapters.teams.fake.server import FakeGraph, Fault, Recorded

__all__ = ["FakeGraph", "FakeOnlineMeeting", "Fault", "Recorded", "Tenant"]
