"""The Invision contract (``shared/contracts/invision/openapi.json``) as a checker.

The fake Invision routes every request through :class:`Contract`: it finds the
operation, checks the query string and form fields against the operation's
parameters and request-body schema, and checks every answer it gives against
the documented response schema. Problems come back as plain sentences, so the
fake can record them and the test that caused them fails.

Form fields arrive as strings (PHP gives the server nothing else), so values
are coerced to the schema's integer type before validation, as PHP's loose
comparisons would. Validation uses ``jsonschema`` (Draft 2020-12, the dialect
of OpenAPI 3.1) with the whole document as one ``referencing`` resource.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from pspn_core.errors import ConfigError

__all__ = ["Contract", "Operation", "default_contract_path"]

_URI = "urn:pspn:invision-openapi"
_METHODS = ("get", "post", "put", "delete")


def default_contract_path(contracts_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where ``invision/openapi.json`` is: argument, ``PSPN_CONTRACTS_DIR``, or ``../shared``."""
    if contracts_dir is None:
        contracts_dir = os.environ.get("PSPN_CONTRACTS_DIR") or (
            Path(__file__).resolve().parents[3].parent / "shared" / "contracts"
        )
    path = Path(contracts_dir) / "invision" / "openapi.json"
    if not path.is_file():
        raise ConfigError(
            f"the Invision contract {path} does not exist: pass --contracts or set "
            "PSPN_CONTRACTS_DIR to the folder holding invision/openapi.json"
        )
    return path


@dataclass(frozen=True)
class Operation:
    """One documented method on one path template."""

    method: str
    template: str
    spec: Mapping[str, Any] = field(repr=False)
    parameters: Mapping[str, Mapping[str, Any]] = field(repr=False)

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", f"{self.method} {self.template}"))


class Contract:
    """Routing and validation against one OpenAPI document."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._registry: Registry[Any] = Registry().with_resource(
            _URI, Resource.from_contents(dict(document), default_specification=DRAFT202012)
        )
        self._routes: list[tuple[re.Pattern[str], dict[str, Operation]]] = []
        for template, item in document["paths"].items():
            shared = {p["name"]: p for p in item.get("parameters", [])}
            operations = {}
            for method in _METHODS:
                if method in item:
                    own = {p["name"]: p for p in item[method].get("parameters", [])}
                    operations[method.upper()] = Operation(
                        method.upper(), template, item[method], {**shared, **own}
                    )
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            self._routes.append((re.compile(f"^{pattern}$"), operations))

    @classmethod
    def load(cls, contracts_dir: str | os.PathLike[str] | None = None) -> Contract:
        return _load(default_contract_path(contracts_dir))

    def route(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for ``method path`` and its path parameters, or ``None``."""
        for pattern, operations in self._routes:
            match = pattern.match(path)
            if match and method in operations:
                return operations[method], match.groupdict()
        return None

    def allows_path(self, path: str) -> bool:
        return any(pattern.match(path) for pattern, _ in self._routes)

    def request_problems(
        self, op: Operation, path: Mapping[str, str], query: Mapping[str, Any], form: Any
    ) -> list[str]:
        """What is wrong with a request's path, query string and form fields."""
        problems: list[str] = []
        for name, value in path.items():
            problems += self._check_parameter(op, name, value)
        for name, value in query.items():
            if name == "key":
                continue
            if name not in op.parameters or op.parameters[name]["in"] != "query":
                problems.append(f"{op.operation_id}: undocumented query parameter {name!r}")
            else:
                problems += self._check_parameter(op, name, value)
        for name, spec in op.parameters.items():
            if spec.get("required") and spec["in"] == "query" and name not in query:
                problems.append(f"{op.operation_id}: missing query parameter {name!r}")
        body = op.spec.get("requestBody")
        if body is None:
            if form:
                problems.append(f"{op.operation_id}: takes no form fields, got {sorted(form)}")
            return problems
        schema = self._resolve(body["content"]["application/x-www-form-urlencoded"]["schema"])
        properties = schema.get("properties", {})
        unknown = sorted(set(form) - set(properties) - {"key"})
        if unknown:
            problems.append(f"{op.operation_id}: undocumented form fields {unknown}")
        coerced = {k: _coerce(v, properties.get(k, {})) for k, v in form.items() if k != "key"}
        problems += self._errors(schema, coerced, f"{op.operation_id} form")
        return problems

    def response_problems(self, op: Operation, status: int, body: Any) -> list[str]:
        """What is wrong with an answer (2xx against its schema, errors against ``Error``)."""
        if status >= 400:
            error = {"$ref": f"{_URI}#/components/schemas/Error"}
            return self._errors(error, body, f"{op.operation_id} error body")
        responses = op.spec["responses"]
        if str(status) not in responses:
            return [f"{op.operation_id}: undocumented status {status}"]
        pointer = "/".join(
            [f"{_URI}#/paths", _escape(op.template), op.method.lower(), "responses", str(status)]
        )
        schema = {"$ref": f"{pointer}/content/application~1json/schema"}
        return self._errors(schema, body, f"{op.operation_id} {status} answer")

    def webhook_problems(self, event_key: str, payload: Any) -> list[str]:
        """What is wrong with a webhook payload, against the ``webhooks`` section."""
        if event_key not in self.document.get("webhooks", {}):
            return [f"webhook {event_key!r} is not in the contract"]
        pointer = f"{_URI}#/webhooks/{event_key}/post/requestBody/content/application~1json/schema"
        return self._errors({"$ref": pointer}, payload, f"webhook {event_key}")

    def _check_parameter(self, op: Operation, name: str, value: Any) -> list[str]:
        spec = op.parameters.get(name)
        if spec is None:
            return [f"{op.operation_id}: unknown parameter {name!r}"]
        schema = spec.get("schema", {})
        return self._errors(schema, _coerce(value, schema), f"{op.operation_id} {name!r}")

    def _resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if not ref:
            return schema
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return self._resolve(node)

    def _errors(self, schema: Mapping[str, Any], instance: Any, what: str) -> list[str]:
        validator = _validator(self, json.dumps(schema, sort_keys=True))
        return [
            f"{what}: {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in validator.iter_errors(instance)
        ]


@cache
def _validator(contract: Contract, schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), registry=contract._registry)


@cache
def _load(path: Path) -> Contract:
    return Contract(json.loads(path.read_text(encoding="utf-8")))


def _escape(template: str) -> str:
    return template.replace("~", "~0").replace("/", "~1")


def _coerce(value: Any, schema: Mapping[str, Any]) -> Any:
    """Form strings to the schema's types: ``"7"`` to ``7`` where an integer is expected."""
    kinds = schema.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if isinstance(value, list):
        item = schema.get("items", {})
        return [_coerce(v, item) for v in value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _coerce(v, props.get(k, {})) for k, v in value.items()}
    numeric = isinstance(value, str) and re.fullmatch(r"-?\d+", value)
    if numeric and ("integer" in kinds or int(value) in schema.get("enum", [])):
        return int(value)
    return value
