"""The one contract checker both fakes use, on a small invented OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pspn_adapters._fakes.openapi import FORM, Contract
from pspn_core.errors import ConfigError

REF = {"$ref": "#/components/schemas/Topic"}
ANSWER = {"200": {"description": "ok", "content": {"application/json": {"schema": REF}}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
PAGE = {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        # the parameter template comes first: matching must still prefer the literal one
        "/t/{id}.json": {
            "parameters": [ID],
            "get": {
                "operationId": "getTopic",
                "parameters": [
                    {"name": "print", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "order", "in": "query", "schema": {"enum": ["asc", "desc"]}},
                ],
                "responses": ANSWER,
            },
            "put": {
                "operationId": "updateTopic",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Edit"}},
                        FORM: {"schema": {"$ref": "#/components/schemas/Edit"}},
                    },
                },
                "responses": ANSWER,
            },
        },
        "/t/external_id/{external_id}.json": {
            "get": {
                "operationId": "getTopicByExternalId",
                "parameters": [
                    {"name": "external_id", "in": "path", "schema": {"type": "string"}},
                    {
                        "name": "page",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "integer"},
                    },
                ],
                "responses": {"301": {"description": "moved"}},
            }
        },
    },
    "webhooks": {
        "topic_created": {
            "post": {"requestBody": {"content": {"application/json": {"schema": REF}}}}
        }
    },
    "components": {
        "schemas": {
            "Topic": {
                "type": "object",
                "required": ["id", "title", "tags"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "closed": {"type": "boolean"},
                },
            },
            "Edit": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"title": {"type": "string"}, "category": {"type": "integer"}},
            },
            "Error": {
                "type": "object",
                "required": ["errorCode"],
                "properties": {"errorCode": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture
def contract() -> Contract:
    """The Discourse way: JSON bodies, undocumented query parameters tolerated."""
    return Contract(DOCUMENT)


@pytest.fixture
def forms() -> Contract:
    """The Invision way: form fields, undocumented parameters reported, ``key`` ignored."""
    return Contract(DOCUMENT, body=FORM, allow_undocumented_query=False, ignored={"key"})


def _problems(contract: Contract, method: str, path: str, query: Any, body: Any) -> list[str]:
    found = contract.match(method, path)
    assert found is not None
    return contract.request_problems(found[0], found[1], query, body)


def test_literal_segments_win_over_parameters(contract: Contract) -> None:
    found = contract.match("GET", "/t/external_id/note-1.json")
    assert found is not None
    assert (found[0].operation_id, found[1]) == ("getTopicByExternalId", {"external_id": "note-1"})
    found = contract.match("GET", "/t/42.json")
    assert found is not None
    assert (found[0].operation_id, found[1]) == ("getTopic", {"id": "42"})
    assert contract.match("DELETE", "/t/42.json") is None
    assert contract.allows_path("/t/42.json")  # so the fake answers 405, not 404
    assert not contract.allows_path("/u/42.json")


def test_path_and_query_parameters_are_checked_as_strings_coerced(contract: Contract) -> None:
    assert _problems(contract, "GET", "/t/42.json", {"print": "true", "order": "asc"}, None) == []
    problems = _problems(contract, "GET", "/t/x.json", {"print": "yes", "order": "up"}, None)
    assert problems == [
        "getTopic path id='x': (root): 'x' is not of type 'integer'",
        "getTopic query print='yes': (root): 'yes' is not of type 'boolean'",
        "getTopic query order='up': (root): 'up' is not one of ['asc', 'desc']",
    ]
    missing = _problems(contract, "GET", "/t/external_id/a.json", {}, None)
    assert missing == ["getTopicByExternalId: missing query parameter 'page'"]


def test_undocumented_query_parameters_are_an_option(contract: Contract, forms: Contract) -> None:
    query = {"key": "secret", "utm": "x"}
    assert _problems(contract, "GET", "/t/42.json", query, None) == []
    assert _problems(forms, "GET", "/t/42.json", query, None) == [
        "getTopic: undocumented query parameter 'utm'"
    ]


def test_json_bodies_are_validated_through_refs(contract: Contract) -> None:
    assert _problems(contract, "PUT", "/t/42.json", {}, {"title": "New", "category": 3}) == []
    wrong = _problems(contract, "PUT", "/t/42.json", {}, {"title": 7, "notify": True})
    assert wrong == [
        "updateTopic request body: (root): Additional properties are not allowed"
        " ('notify' was unexpected)",
        "updateTopic request body: title: 7 is not of type 'string'",
    ]
    assert _problems(contract, "PUT", "/t/42.json", {}, None) == [
        "updateTopic: missing request body"
    ]
    assert _problems(contract, "GET", "/t/42.json", {}, {"title": "x"}) == [
        "getTopic: takes no request body, got ['title']"
    ]


def test_form_fields_are_coerced_as_php_reads_them(forms: Contract) -> None:
    assert _problems(forms, "PUT", "/t/42.json", {}, {"category": "3", "key": "k"}) == []
    problems = _problems(forms, "PUT", "/t/42.json", {}, {"category": "three", "colour": "red"})
    assert problems[0] == "updateTopic: undocumented form fields ['colour']"
    assert "updateTopic request body: category: 'three' is not of type 'integer'" in problems


def test_answers_are_checked_against_their_schema_and_errors_against_error(
    contract: Contract,
) -> None:
    op = contract.operation("GET", "/t/{id}.json")
    assert contract.response_problems(op, 200, {"id": 1, "title": "A", "tags": []}) == []
    assert contract.response_problems(op, 200, {"id": 1, "title": "A"}) == [
        "getTopic 200 answer: (root): 'tags' is a required property"
    ]
    assert contract.response_problems(op, 201, {}) == ["getTopic: undocumented status 201"]
    assert contract.response_problems(op, 404, {"errorCode": "2S1/1"}) == []
    assert contract.response_problems(op, 404, {"errors": ["gone"]}) == [
        "getTopic error body: (root): 'errorCode' is a required property"
    ]
    redirect = contract.operation("GET", "/t/external_id/{external_id}.json")
    assert contract.response_problems(redirect, 301, None) == []  # documented, no body


def test_error_bodies_go_unchecked_without_an_error_schema() -> None:
    document = json.loads(json.dumps(DOCUMENT))
    del document["components"]["schemas"]["Error"]
    contract = Contract(document)
    op = contract.operation("GET", "/t/{id}.json")
    assert contract.response_problems(op, 404, ["anything"]) == []


def test_answers_are_built_with_every_required_field(contract: Contract) -> None:
    op = contract.operation("GET", "/t/{id}.json")
    built = contract.build(op, {"id": 5, "closed": True})
    assert built == {"id": 5, "title": "", "tags": [], "closed": True}
    assert contract.response_problems(op, 200, built) == []


def test_webhook_payloads_are_checked(contract: Contract) -> None:
    assert contract.webhook_problems("topic_created", {"id": 1, "title": "A", "tags": []}) == []
    assert contract.webhook_problems("topic_created", {"id": "1", "title": "A", "tags": []}) == [
        "webhook topic_created: id: '1' is not of type 'integer'"
    ]
    assert contract.webhook_problems("topic_deleted", {}) == [
        "webhook 'topic_deleted' is not in the contract"
    ]


def test_a_file_is_parsed_once_and_a_missing_one_named(tmp_path: Path) -> None:
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    assert Contract.load(source) is Contract.load(source)
    assert Contract.load(source, body=FORM) is not Contract.load(source)
    with pytest.raises(ConfigError, match=r"^the contract .*nowhere\.json does not exist"):
        Contract.load(tmp_path / "nowhere.json")
