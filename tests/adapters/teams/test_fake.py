"""The fake Graph itself: it holds requests and answers to Graph's CSDL, and it can be run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from pspn_adapters.teams.fake import FakeGraph
from pspn_adapters.teams.fake.csdl import contract_file, load_csdl
from pspn_adapters.teams.settings import TeamsSettings
from pspn_core.errors import AdapterError
from tests.adapters.teams.conftest import make_client


@pytest.fixture
def lenient() -> Iterator[FakeGraph]:
    """A fake whose violations these tests provoke on purpose (and then check)."""
    with FakeGraph() as server:
        yield server


def test_the_contract_is_vendored_with_its_licence() -> None:
    assert "MIT License" in contract_file("LICENSE").read_text()
    assert "transactionId" in contract_file("README.md").read_text()
    csdl = load_csdl()
    assert {"transactionId", "onlineMeeting", "singleValueExtendedProperties"} <= set(
        csdl.properties("event")
    )
    assert csdl.properties("onlineMeeting")["chatInfo"].type == "graph.chatInfo"


def test_an_unknown_property_in_a_request_is_a_violation(
    lenient: FakeGraph, sleeps: list[float]
) -> None:
    config = TeamsSettings.model_validate(lenient.settings())
    with (
        make_client(config, lenient.tenant.client_secret, sleeps) as client,
        pytest.raises(AdapterError, match="HTTP 400"),
    ):
        client.send_json(
            "POST",
            f"{client.organiser_path}/events",
            json={"subject": "x", "isOnlineMeeting": True, "externalId": "pspn-1"},
        )
    assert lenient.violations == [
        "POST /v1.0/users/psp-meetings@example.nhs.uk/events body.externalId:"
        " event has no property 'externalId'"
    ]
    assert lenient.tenant.events == {}


def test_an_answer_the_csdl_does_not_allow_is_a_violation(
    lenient: FakeGraph, sleeps: list[float]
) -> None:
    config = TeamsSettings.model_validate(lenient.settings())
    lenient.tenant.events["AAMk1"] = {"id": "AAMk1", "meetingUrl": "https://example.org/x"}
    with (
        make_client(config, lenient.tenant.client_secret, sleeps) as client,
        pytest.raises(AdapterError, match="HTTP 500"),
    ):
        client.get_json(f"{client.organiser_path}/events")
    assert lenient.violations == [
        "GET /v1.0/users/psp-meetings@example.nhs.uk/events answer.value[0].meetingUrl:"
        " event has no property 'meetingUrl'"
    ]


def test_python_m_serves_a_fake_and_prints_its_settings() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pspn_adapters.teams.fake", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip())
            if line.startswith("export"):
                break
        settings = dict(
            line.split(" = ", 1) for line in lines if " = " in line and not line.startswith("[")
        )
        url = settings["authority_host"].strip('"')
        tenant = settings["tenant_id"].strip('"')
        answer = requests.get(
            f"{url}/{tenant}/v2.0/.well-known/openid-configuration",
            verify=settings["ca_bundle"].strip('"'),
            timeout=5,
        )
        assert answer.json()["token_endpoint"] == f"{url}/{tenant}/oauth2/v2.0/token"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
