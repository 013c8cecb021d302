"""One OpenAPI 3.1 contract checker, shared by the fake Discourse and the fake Invision.

A fake routes every request through a :class:`Contract`: it finds the
operation (literal path segments win over parameters), checks the path and
query parameters and the request body, checks every answer it gives (2xx
against the documented schema, errors against the document's ``Error`` schema
when it has one), checks webhook payloads, and builds answers that hold every
required field. Problems come back as plain sentences, so the fake can record
them and the test that caused them fails.

Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect), validated with
``jsonschema``; every ``$ref`` resolves through one ``referencing`` resource
that holds the whole document. The forums differ only in constructor options:
Discourse takes JSON bodies and tolerates undocumented query parameters;
Invision takes form fields (strings, coerced to the schema's types as PHP
would), reports undocumented parameters, and ignores its ``key`` credential.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from pspn_adapters._fakes.contracts import read_contract
from pspn_core.errors import ConfigError

try:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012
except ModuleNotFoundError as missing:  # installed without the testing extra
    raise ModuleNotFoundError(
        f"the fake forums need {missing.name}: pip install 'pspn[testing]'", name=missing.name
    ) from None

__all__ = ["FORM", "JSON", "Contract", "Operation", "Parameter"]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
_URI = "urn:pspn:openapi"
_METHODS = ("get", "put", "post", "delete", "patch")
_MISSING: Any = object()


@dataclass(frozen=True)
class Parameter:
    """One documented parameter; ``pointer`` locates its schema in the document."""

    name: str
    location: str  # "path", "query" or "header"
    required: bool
    pointer: str


@dataclass(frozen=True)
class Operation:
    """One method on one path template, with its parameters (path-item ones included)."""

    method: str
    template: str
    pointer: str
    spec: Mapping[str, Any] = field(repr=False)
    parameters: Mapping[tuple[str, str], Parameter] = field(repr=False)
    pattern: re.Pattern[str] = field(repr=False, compare=False)

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId", f"{self.method} {self.template}"))

    def located(self, location: str) -> dict[str, Parameter]:
        return {name: p for (where, name), p in self.parameters.items() if where == location}


class Contract:
    """Routing, validation and answer building against one OpenAPI document.

    :param body: the media type request bodies arrive in; anything but JSON is
        form fields, whose string values are coerced to the schema's types.
    :param allow_undocumented_query: tolerate query parameters the operation
        does not declare (Discourse ignores them; Invision's fake reports them).
    :param ignored: parameter and form-field names never checked (a credential
        such as Invision's ``key``).
    """

    def __init__(
        self,
        document: Mapping[str, Any],
        *,
        body: str = JSON,
        allow_undocumented_query: bool = True,
        ignored: Iterable[str] = (),
    ) -> None:
        self.document = document
        self.body = body
        self.allow_undocumented_query = allow_undocumented_query
        self.ignored = frozenset(ignored)
        resource = Resource.from_contents(dict(document), default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_URI, resource)
        self._resolver = self._registry.resolver()
        self._validators: dict[str, Draft202012Validator] = {}
        schemas = (document.get("components") or {}).get("schemas") or {}
        self._error_pointer = "/components/schemas/Error" if "Error" in schemas else None
        # literal segments beat parameters: /t/external_id/{x}.json before /t/{id}.json
        self.operations = sorted(
            self._read_operations(), key=lambda op: ["{" in s for s in op.template.split("/")]
        )

    @classmethod
    def load(
        cls,
        source: Traversable,
        *,
        body: str = JSON,
        allow_undocumented_query: bool = True,
        ignored: Iterable[str] = (),
    ) -> Contract:
        """The contract in the file ``source``, parsed once per file and options."""
        key = (str(source), body, allow_undocumented_query, frozenset(ignored))
        if (found := _LOADED.get(key)) is None:
            if not source.is_file():
                raise ConfigError(f"the contract {source} does not exist: pass an openapi.json")
            document = json.loads(read_contract(source).decode("utf-8"))
            found = _LOADED[key] = cls(
                document,
                body=body,
                allow_undocumented_query=allow_undocumented_query,
                ignored=key[3],
            )
        return found

    # -- routing -------------------------------------------------------------------------

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for ``method path`` and its path parameters, or ``None``."""
        for op in self.operations:
            if op.method == method and (found := op.pattern.fullmatch(path)):
                return op, found.groupdict()
        return None

    def allows_path(self, path: str) -> bool:
        """Whether any method is documented for ``path`` (so another method is a 405)."""
        return any(op.pattern.fullmatch(path) for op in self.operations)

    def operation(self, method: str, template: str) -> Operation:
        return next(o for o in self.operations if (o.method, o.template) == (method, template))

    # -- checks --------------------------------------------------------------------------

    def request_problems(
        self, op: Operation, path: Mapping[str, str], query: Mapping[str, Any], body: Any
    ) -> list[str]:
        """What is wrong with a request's path, query string and body (``None``: no body)."""
        name_of = op.operation_id
        problems: list[str] = []
        for name, value in path.items():
            problems += self._parameter_problems(op, "path", name, value)
        declared = op.located("query")
        for name, value in query.items():
            if name in self.ignored:
                continue
            if name in declared:
                problems += self._parameter_problems(op, "query", name, value)
            elif not self.allow_undocumented_query:
                problems.append(f"{name_of}: undocumented query parameter {name!r}")
        problems += [
            f"{name_of}: missing query parameter {name!r}"
            for name, param in declared.items()
            if param.required and name not in query
        ]
        return problems + self._body_problems(op, body)

    def response_problems(self, op: Operation, status: int, body: Any) -> list[str]:
        """What is wrong with an answer: by its documented schema, or the ``Error`` schema."""
        if status >= 400:
            if self._error_pointer is None:
                return []
            return self._errors(self._error_pointer, body, f"{op.operation_id} error body")
        pointer, response = self._walk(op.pointer, "responses", str(status))
        if response is None:
            return [f"{op.operation_id}: undocumented status {status}"]
        pointer, schema = self._walk(pointer, "content", JSON, "schema")
        if schema is None:
            return []
        return self._errors(pointer, body, f"{op.operation_id} {status} answer")

    def webhook_problems(self, event_key: str, payload: Any) -> list[str]:
        """What is wrong with a webhook payload, against the ``webhooks`` section."""
        pointer, schema = self._walk(
            "/webhooks", event_key, "post", "requestBody", "content", JSON, "schema"
        )
        if schema is None:
            return [f"webhook {event_key!r} is not in the contract"]
        return self._errors(pointer, payload, f"webhook {event_key}")

    # -- answers built from the contract ---------------------------------------------------

    def build(self, op: Operation, values: Any, status: int = 200) -> Any:
        """``values`` completed with every required field of the answer's schema."""
        _, schema = self._walk(op.pointer, "responses", str(status), "content", JSON, "schema")
        return self._build(schema or {}, values)

    def _build(self, schema: Mapping[str, Any], value: Any = _MISSING) -> Any:
        schema = self._deref(schema)
        if value is _MISSING:
            value = _default(schema)
        if isinstance(value, dict) and ("properties" in schema or schema.get("type") == "object"):
            properties = schema.get("properties") or {}
            out = {n: self._build(properties.get(n) or {}) for n in schema.get("required") or []}
            out.update({k: self._build(properties.get(k) or {}, v) for k, v in value.items()})
            return out
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [self._build(schema["items"], item) for item in value]
        return value

    # -- internals -----------------------------------------------------------------------

    def _read_operations(self) -> Iterator[Operation]:
        for template, item in self.document["paths"].items():
            base = f"/paths/{_escape(template)}"
            parts = re.split(r"(\{[^}]+\})", template)
            pattern = re.compile(
                "".join(f"(?P<{p[1:-1]}>[^/]+)" if p[:1] == "{" else re.escape(p) for p in parts)
            )
            shared = self._parameters(base, item)
            for method in _METHODS:
                if isinstance(item.get(method), dict):
                    pointer = f"{base}/{method}"
                    own = self._parameters(pointer, item[method])
                    yield Operation(
                        method.upper(), template, pointer, item[method], {**shared, **own}, pattern
                    )

    def _parameters(
        self, pointer: str, node: Mapping[str, Any]
    ) -> dict[tuple[str, str], Parameter]:
        found: dict[tuple[str, str], Parameter] = {}
        for index in range(len(node.get("parameters") or [])):
            where, spec = self._walk(pointer, "parameters", str(index))
            param = Parameter(spec["name"], spec["in"], bool(spec.get("required")), where)
            found[param.location, param.name] = param
        return found

    def _parameter_problems(self, op: Operation, location: str, name: str, value: Any) -> list[str]:
        param = op.parameters.get((location, name))
        if param is None:
            return [f"{op.operation_id}: undocumented {location} parameter {name!r}"]
        pointer, schema = self._walk(param.pointer, "schema")
        if schema is None:
            return []
        coerced = self._coerce(value, schema)
        return self._errors(pointer, coerced, f"{op.operation_id} {location} {name}={value!r}")

    def _body_problems(self, op: Operation, body: Any) -> list[str]:
        form = self.body != JSON
        if form and body is None:
            body = {}  # an empty form is still a form: PHP sees no fields
        pointer, spec = self._walk(op.pointer, "requestBody")
        if spec is None:
            if body:
                return [f"{op.operation_id}: takes no request body, got {_excerpt(body)}"]
            return []
        pointer, schema = self._walk(pointer, "content", self.body, "schema")
        if schema is None:
            return [f"{op.operation_id}: the contract defines no {self.body} request body"]
        if body is None:
            return [f"{op.operation_id}: missing request body"] if spec.get("required") else []
        problems = []
        if form and isinstance(body, Mapping):
            body = {k: v for k, v in body.items() if k not in self.ignored}
            unknown = sorted(set(body) - set(self._deref(schema).get("properties") or {}))
            if unknown:
                problems.append(f"{op.operation_id}: undocumented form fields {unknown}")
            body = self._coerce(body, schema)
        return problems + self._errors(pointer, body, f"{op.operation_id} request body")

    def _coerce(self, value: Any, schema: Mapping[str, Any]) -> Any:
        """Strings to the schema's types, as a server reading a query or form would."""
        schema = self._deref(schema)
        if isinstance(value, list):
            return [self._coerce(v, schema.get("items") or {}) for v in value]
        if isinstance(value, dict):
            props = schema.get("properties") or {}
            return {k: self._coerce(v, props.get(k) or {}) for k, v in value.items()}
        kinds = schema.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(value, str):
            return value
        if re.fullmatch(r"-?\d+", value) and (
            {"integer", "number"} & set(kinds) or int(value) in schema.get("enum", [])
        ):
            return int(value)
        if "boolean" in kinds and value in ("true", "false"):
            return value == "true"
        return value

    def _walk(self, pointer: str, *parts: str) -> tuple[str, Any]:
        """The node at ``pointer`` then ``parts`` (``None`` if absent) and where it really is.

        Reference objects (``{"$ref": "#/..."}``) met on the way are followed, so
        the pointer returned can be handed to a validator as it stands.
        """
        try:
            node = self._resolver.lookup(f"{_URI}#{pointer}").contents
        except Unresolvable:
            return pointer, None
        for part in parts:
            pointer, node = self._follow(pointer, node)
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                return pointer, None
            pointer = f"{pointer}/{_escape(part)}"
        if isinstance(node, Mapping) and set(node) == {"$ref"}:
            pointer, node = self._follow(pointer, node)
        return pointer, node

    def _follow(self, pointer: str, node: Any) -> tuple[str, Any]:
        while isinstance(node, Mapping) and str(node.get("$ref", "")).startswith("#"):
            pointer = node["$ref"][1:]
            node = self._resolver.lookup(f"{_URI}#{pointer}").contents
        return pointer, node

    def _deref(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        _, node = self._follow("", schema)
        return node if isinstance(node, Mapping) else {}

    def _errors(self, pointer: str, instance: Any, where: str) -> list[str]:
        validator = self._validators.get(pointer)
        if validator is None:
            schema = {"$ref": f"{_URI}#{pointer}"}
            validator = Draft202012Validator(schema, registry=self._registry)
            self._validators[pointer] = validator
        return [
            f"{where}: {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}"
            for e in validator.iter_errors(instance)
        ]


_LOADED: dict[tuple[str, str, bool, frozenset[str]], Contract] = {}


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _excerpt(body: Any) -> str:
    return str(sorted(body)) if isinstance(body, Mapping) else repr(body)[:100]


def _default(schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type", "object" if "properties" in schema else None)
    kinds = kind if isinstance(kind, list) else [kind]
    if "null" in kinds:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    defaults = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": []}
    return {} if kinds[0] == "object" else defaults.get(kinds[0])
