"""The Graph client: MSAL tokens from the fake's token endpoint, masking, paging, errors."""

from __future__ import annotations

import pytest

from pspn_adapters.teams.client import GraphClient
from pspn_adapters.teams.fake import FakeGraph
from pspn_adapters.teams.settings import TeamsSettings
from pspn_core.errors import AdapterError, AuthenticationFailed, ForumUnavailable
from tests.adapters.teams.conftest import make_client


def test_msal_gets_one_token_and_reuses_it(fake: FakeGraph, client: GraphClient) -> None:
    for _ in range(3):
        client.get_json(f"{client.organiser_path}/events")
    assert fake.count("POST", "/oauth2/v2.0/token") == 1
    assert fake.count("GET", "/.well-known/openid-configuration") == 1
    assert fake.count("GET", "/events") == 3


def test_a_wrong_secret_is_one_clear_error_that_never_shows_the_secret(
    fake: FakeGraph, settings: TeamsSettings, sleeps: list[float]
) -> None:
    wrong = "not-the-secret-" + "x" * 20
    with make_client(settings, wrong, sleeps) as client:
        with pytest.raises(AuthenticationFailed) as caught:
            client.get_json(f"{client.organiser_path}/events")
        assert wrong not in repr(client) + str(caught.value)
    assert "AADSTS7000215" in str(caught.value)
    assert "client_id and the secret" in str(caught.value)


def test_an_unreachable_authority_is_unavailable_not_a_traceback(
    fake: FakeGraph, settings: TeamsSettings, sleeps: list[float]
) -> None:
    elsewhere = settings.model_copy(update={"tenant_id": "no-such-tenant"})
    with (
        make_client(elsewhere, fake.tenant.client_secret, sleeps) as client,
        pytest.raises(ForumUnavailable, match="could not get a token from"),
    ):
        client.get_json(f"{client.organiser_path}/events")


def test_the_token_is_masked_in_errors(fake: FakeGraph, client: GraphClient) -> None:
    client.get_json(f"{client.organiser_path}/events")
    token = next(iter(fake._issued.tokens))
    assert client.auth.mask(f"Bearer {token}") == "Bearer ****"
    assert token not in repr(client.auth)


def test_a_next_link_to_another_host_is_refused(client: GraphClient) -> None:
    fetch = client.pages("/chats/x/messages")._fetch
    with pytest.raises(AdapterError, match="next page is elsewhere"):
        fetch("https://graph.example.org/v1.0/chats/x/messages?$skiptoken=2")
    assert client.requests_made == 0
