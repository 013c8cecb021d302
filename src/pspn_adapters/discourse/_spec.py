"""The Discourse OpenAPI contract, as the fake server uses it.

Finds ``openapi.json`` (an argument, ``$PSPN_CONTRACTS_DIR/discourse``, or
``<repo>/../shared/contracts/discourse``), matches requests to operations,
validates requests and 2xx responses with ``jsonschema`` (the document is
OpenAPI 3.1, whose schemas are JSON Schema 2020-12), and builds response
bodies that hold every required field, so the fake sends documented fields only.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["Contract", "Operation", "find_contract"]

_MISSING: Any = object()


def find_contract(path: Path | None = None) -> Path:
    """Where ``openapi.json`` is: ``path``, ``$PSPN_CONTRACTS_DIR``, or beside the repo."""
    if path is not None:
        return path
    root = os.environ.get("PSPN_CONTRACTS_DIR")
    base = Path(root) if root else Path(__file__).resolve().parents[3].parent / "shared/contracts"
    found = base / "discourse" / "openapi.json"
    if not found.is_file():
        raise FileNotFoundError(
            f"the Discourse contract {found} is missing; set PSPN_CONTRACTS_DIR to the"
            " folder that holds discourse/openapi.json"
        )
    return found


@dataclass(frozen=True)
class Operation:
    """One method on one path of the contract."""

    method: str
    template: str
    spec: Mapping[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", f"{self.method} {self.template}"))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}]+\})", self.template)
        regex = "".join(
            f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
        )
        return re.compile(regex)

    def parameters(self, where: str) -> dict[str, Mapping[str, Any]]:
        return {p["name"]: p for p in self.spec.get("parameters") or [] if p.get("in") == where}

    def request_schema(self) -> Mapping[str, Any] | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        return (content.get("application/json") or {}).get("schema")

    def response_schema(self, status: int) -> Mapping[str, Any] | None:
        response = (self.spec.get("responses") or {}).get(str(status)) or {}
        return ((response.get("content") or {}).get("application/json") or {}).get("schema")


class Contract:
    """The operations of one OpenAPI document, with validation and body building."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = find_contract(path)
        document = json.loads(self.path.read_text(encoding="utf-8"))
        self.operations = [
            Operation(method.upper(), template, spec)
            for template, item in document["paths"].items()
            for method, spec in item.items()
            if isinstance(spec, dict) and "responses" in spec
        ]
        # literal segments beat parameters: /t/external_id/{x}.json before /t/{id}.json
        self.operations.sort(key=lambda op: (op.template.count("{"), -len(op.template)))
        self._validators: dict[int, Draft202012Validator] = {}

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        for op in self.operations:
            if op.method == method and (found := op.pattern.fullmatch(path)):
                return op, found.groupdict()
        return None

    def check_request(
        self,
        op: Operation,
        path_params: Mapping[str, str],
        query: Mapping[str, str],
        body: Any,
    ) -> list[str]:
        """Contract violations of one request (undeclared query parameters are allowed)."""
        problems = [
            f"{op.operation_id}: path parameter {name}={value!r}: {why}"
            for name, value in path_params.items()
            if (why := _param_problem(op.parameters("path").get(name), value))
        ]
        for name, param in op.parameters("query").items():
            if name in query and (why := _param_problem(param, query[name])):
                problems.append(f"{op.operation_id}: query {name}={query[name]!r}: {why}")
            elif name not in query and param.get("required"):
                problems.append(f"{op.operation_id}: missing query parameter {name}")
        schema = op.request_schema()
        if body is not None:
            if schema is None:
                problems.append(f"{op.operation_id}: the contract defines no JSON request body")
            else:
                problems += self._errors(schema, body, f"{op.operation_id} request")
        return problems

    def check_response(self, op: Operation, status: int, body: Any) -> list[str]:
        """Contract violations of one 2xx response (others are not in the spec)."""
        schema = op.response_schema(status)
        if schema is None:
            declared = str(status) in (op.spec.get("responses") or {})
            return [] if declared else [f"{op.operation_id}: status {status} is not documented"]
        return self._errors(schema, body, f"{op.operation_id} {status} response")

    def build(self, op: Operation, values: Any, status: int = 200) -> Any:
        """``values`` completed with every required field of the response schema."""
        return build(op.response_schema(status) or {}, values)

    def _errors(self, schema: Mapping[str, Any], instance: Any, where: str) -> list[str]:
        validator = self._validators.get(id(schema))
        if validator is None:
            validator = self._validators[id(schema)] = Draft202012Validator(schema)
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
            for e in validator.iter_errors(instance)
        ]


def _param_problem(param: Mapping[str, Any] | None, value: str) -> str:
    schema = (param or {}).get("schema") or {}
    kind = schema.get("type")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return "not an integer"
    if kind == "boolean" and value not in ("true", "false"):
        return "not a boolean"
    if "enum" in schema and value not in [str(v).lower() for v in schema["enum"]]:
        return f"not one of {schema['enum']}"
    return ""


def build(schema: Mapping[str, Any], value: Any = _MISSING) -> Any:
    """Fill ``value`` with type defaults for every required field ``schema`` names."""
    if value is _MISSING:
        value = _default(schema)
    if isinstance(value, dict) and ("properties" in schema or schema.get("type") == "object"):
        properties = schema.get("properties") or {}
        out = {name: build(properties.get(name) or {}) for name in schema.get("required") or []}
        out.update({k: build(properties.get(k) or {}, v) for k, v in value.items()})
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [build(schema["items"], item) for item in value]
    return value


def _default(schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type", "object" if "properties" in schema else None)
    kinds = kind if isinstance(kind, list) else [kind]
    if "null" in kinds:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    defaults = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": []}
    return {} if kinds[0] == "object" else defaults.get(kinds[0])
