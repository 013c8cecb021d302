"""Signed but hostile webhook bodies are refused with a 400, never a 500."""

from __future__ import annotations

import pytest

from pspn_adapters._payload import as_int, json_object
from pspn_core.errors import WebhookRefused
from tests.server.conftest import Client
from tests.server.test_discourse import TOPIC, deliver


@pytest.mark.parametrize(
    "category_id", ["¹²", "１２", "99999999999999999999999", 10**30, -12, "", None, [12]]
)
def test_an_id_that_is_no_id_is_ignored(client: Client, category_id: object) -> None:
    payload = {"topic": {**TOPIC["topic"], "category_id": category_id}}
    answer = deliver(client, payload)
    assert answer.status == 200, answer.body
    assert answer.json()["result"] == "ignored"


def test_json_nested_thousands_deep_is_a_400(client: Client) -> None:
    body = b"[" * 2000 + b"]" * 2000
    answer = deliver(client, None, body=body)
    assert answer.status == 400
    assert "nested" in answer.json()["error"]


def test_an_integer_of_thousands_of_digits_is_a_400() -> None:
    with pytest.raises(WebhookRefused) as raised:
        json_object(b'{"id": ' + b"7" * 5000 + b"}")
    assert raised.value.status == 400


def test_ids_are_ascii_digits_that_sqlite_can_hold() -> None:
    assert as_int("12") == 12
    assert as_int(" 12 ") == 12
    assert as_int(2**63 - 1) == 2**63 - 1
    assert [as_int(v) for v in ("²", "١٢", str(2**63), 2**63, -1, True, 1.0)] == [None] * 7
