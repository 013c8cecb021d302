"""The fake Discourse itself: contract checks, auth, faults, and the operators' entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from pspn_adapters._fakes.contracts import read_contract
from pspn_adapters.discourse.fake import CONTRACT, FakeDiscourse, main

GROUP = "north-network"


def _headers(fake: FakeDiscourse, **extra: str) -> dict[str, str]:
    return {"Api-Key": fake.api_key, "Api-Username": fake.api_username, **extra}


def test_a_request_that_breaks_the_contract_is_refused_and_recorded(fake: FakeDiscourse) -> None:
    group = fake.site.add_group(GROUP)
    answer = requests.put(
        f"{fake.url}/groups/{group.id}/members.json",
        json={"usernames": "pspn-bot", "notify_users": True},  # notify_users is not documented
        headers=_headers(fake),
        timeout=5,
    )
    assert answer.status_code == 400
    assert answer.json()["error_type"] == "invalid_parameters"
    assert any("notify_users" in v for v in fake.violations)
    fake.violations.clear()  # seen: do not fail the fixture


def test_a_form_encoded_body_is_a_violation(fake: FakeDiscourse) -> None:
    answer = requests.post(
        f"{fake.url}/posts.json", data={"raw": "x" * 30}, headers=_headers(fake), timeout=5
    )
    assert answer.status_code == 400
    assert fake.violations == ["POST /posts.json: body is not application/json"]
    fake.violations.clear()


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("GET", {}, "not_logged_in"),
        ("POST", {}, None),  # ["BAD CSRF"]
        ("GET", {"Api-Key": "wrong", "Api-Username": "pspn-bot"}, "invalid_access"),
        ("GET", {"Api-Key": "KEY", "Api-Username": "someone-else"}, "invalid_access"),
    ],
)
def test_credentials_are_checked_on_every_route(
    fake: FakeDiscourse, method: str, headers: dict[str, str], expected: str | None
) -> None:
    headers = {k: fake.api_key if v == "KEY" else v for k, v in headers.items()}
    answer = requests.request(method, f"{fake.url}/posts.json", headers=headers, timeout=5)
    assert answer.status_code == 403
    if expected is None:
        assert answer.text == '["BAD CSRF"]'
    else:
        assert answer.json()["error_type"] == expected


def test_the_external_id_redirect_names_slug_and_id(fake: FakeDiscourse) -> None:
    category = fake.site.add_category("Notes", groups={})
    created = requests.post(
        f"{fake.url}/posts.json",
        json={
            "title": "North network notes 2030",
            "raw": "x" * 30,
            "category": category.id,
            "external_id": "note-1",
        },
        headers=_headers(fake),
        timeout=5,
    ).json()
    answer = requests.get(
        f"{fake.url}/t/external_id/note-1.json",
        headers=_headers(fake),
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 301
    expected = f"/t/north-network-notes-2030/{created['topic_id']}.json?page="
    assert answer.headers["Location"].endswith(expected)


def test_the_site_limit_answers_429_as_discourse_does() -> None:
    with FakeDiscourse(rate_limit_per_minute=1) as fake:
        url, headers = f"{fake.url}/site/basic-info.json", _headers(fake)
        assert requests.get(url, headers=headers, timeout=5).status_code == 200
        limited = requests.get(url, headers=headers, timeout=5)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 61
    body = limited.json()
    assert body["error_type"] == "rate_limit"
    assert body["extras"]["wait_seconds"] == int(limited.headers["Retry-After"])


def test_a_dropped_connection_commits_then_closes(fake: FakeDiscourse) -> None:
    group = fake.site.add_group(GROUP)
    fake.drop_next(method="PUT")
    with pytest.raises(requests.ConnectionError):
        requests.put(
            f"{fake.url}/groups/{group.id}/members.json",
            json={"usernames": "pspn-bot"},
            headers=_headers(fake),
            timeout=5,
        )
    assert group.members == [fake.site.user("pspn-bot").id]  # type: ignore[union-attr]
    assert fake.requests[-1].status is None


def test_another_contract_can_be_given(tmp_path: Path) -> None:
    """The shipped contract is the default; ``contract=`` points the fake at another file."""
    document = json.loads(read_contract(CONTRACT))
    operation = document["paths"]["/site/basic-info.json"]["get"]
    required = {"name": "lang", "in": "query", "required": True, "schema": {"type": "string"}}
    operation["parameters"] = [*operation.get("parameters", []), required]
    other = tmp_path / "openapi.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    with FakeDiscourse(contract=other) as fake:
        answer = requests.get(f"{fake.url}/site/basic-info.json", headers=_headers(fake), timeout=5)
    assert answer.status_code == 400
    assert fake.violations == ["getSiteBasicInfo: missing query parameter 'lang'"]


def test_a_missing_contract_is_one_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "openapi.json"
    with pytest.raises(SystemExit) as exit:
        main(["--port", "0", "--contract", str(missing)])
    assert exit.value.code == 2
    assert (
        capsys.readouterr().err
        == f"error: the contract {missing} does not exist: pass an openapi.json\n"
    )


def test_operators_can_serve_a_seeded_demo(capsys: pytest.CaptureFixture[str]) -> None:
    seen: dict[str, int] = {}

    def visit(fake: FakeDiscourse) -> None:
        answer = requests.get(
            f"{fake.url}/groups/north-network/members.json", headers=_headers(fake), timeout=5
        )
        seen["members"] = answer.json()["meta"]["total"]
        assert fake.violations == []

    assert main(["--port", "0"], serve=visit) == 0
    printed = capsys.readouterr().out
    assert "[adapters.discourse]" in printed
    assert "notes_category_id = " in printed
    assert seen == {"members": 2}
