"""Microsoft Graph's own type metadata (OData CSDL), read with the standard library.

``contract/v1.0-Prod.csdl.gz`` (vendored from ``microsoftgraph/msgraph-metadata``,
MIT, gzipped) defines every entity and complex type of Graph v1.0: property names,
types, collections, nullability, enumerations, and bound actions with their
parameters. :class:`Csdl` reads it once and checks a JSON value against a type:
an unknown property, a wrong type or an enumeration value Graph does not know
is a problem. Graph marks some types open (``OpenType``); the fake checks them
as closed, so a misspelt property fails instead of passing as a dynamic one.
``@odata.*`` annotations are allowed anywhere; ``@odata.type`` switches to the
derived type it names.
"""

from __future__ import annotations

import functools
import importlib.resources
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pspn_adapters._fakes.contracts import read_contract

__all__ = ["Csdl", "Property", "StructuredType", "contract_file", "load_csdl"]

_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
_NAMESPACE = "microsoft.graph"
_ALIAS = "graph"


def contract_file(name: str = "v1.0-Prod.csdl.gz") -> Path:
    """A file of the vendored contract (``LICENSE``, ``README.md``, the gzipped CSDL)."""
    return Path(str(importlib.resources.files(__package__ or __name__) / "contract" / name))


@dataclass(frozen=True)
class Property:
    """One property: its type (``graph.x`` or ``Edm.String``), whether a collection."""

    name: str
    type: str
    collection: bool
    nullable: bool
    navigation: bool = False


@dataclass(frozen=True)
class StructuredType:
    """An entity or complex type, with the name of its base type."""

    name: str
    base: str | None
    properties: dict[str, Property]


def _short(type_name: str) -> str:
    for prefix in (f"{_NAMESPACE}.", f"{_ALIAS}."):
        if type_name.startswith(prefix):
            return type_name[len(prefix) :]
    return type_name


def _property(element: ET.Element, navigation: bool) -> Property:
    raw = element.attrib["Type"]
    collection = raw.startswith("Collection(")
    inner = raw[len("Collection(") : -1] if collection else raw
    return Property(
        name=element.attrib["Name"],
        type=inner,
        collection=collection,
        nullable=element.attrib.get("Nullable", "true") != "false",
        navigation=navigation,
    )


class Csdl:
    """The types and actions of one CSDL document."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.types: dict[str, StructuredType] = {}
        self.enums: dict[str, frozenset[str]] = {}
        self.actions: dict[tuple[str, str], dict[str, Property]] = {}
        root = ET.fromstring(read_contract(path))  # noqa: S314  (our own vendored file)
        for schema in root.iter(f"{_EDM}Schema"):
            if schema.attrib.get("Namespace") != _NAMESPACE:
                continue
            for element in schema:
                tag = element.tag.removeprefix(_EDM)
                if tag in ("EntityType", "ComplexType"):
                    self._add_type(element)
                elif tag == "EnumType":
                    members = {m.attrib["Name"] for m in element.iter(f"{_EDM}Member")}
                    self.enums[element.attrib["Name"]] = frozenset(members)
                elif tag == "Action" and element.attrib.get("IsBound") == "true":
                    params = [_property(p, False) for p in element.iter(f"{_EDM}Parameter")]
                    bound, rest = params[0], params[1:]
                    key = (element.attrib["Name"], _short(bound.type))
                    self.actions[key] = {p.name: p for p in rest}

    def _add_type(self, element: ET.Element) -> None:
        properties = {}
        for child in element:
            tag = child.tag.removeprefix(_EDM)
            if tag in ("Property", "NavigationProperty"):
                prop = _property(child, tag == "NavigationProperty")
                properties[prop.name] = prop
        base = element.attrib.get("BaseType")
        name = element.attrib["Name"]
        self.types[name] = StructuredType(name, _short(base) if base else None, properties)

    def properties(self, type_name: str) -> dict[str, Property]:
        """Every property of ``type_name``, its base types' included."""
        found: dict[str, Property] = {}
        current: str | None = _short(type_name)
        while current is not None:
            structured = self.types.get(current)
            if structured is None:
                raise KeyError(f"the contract has no type {type_name!r}")
            found = {**structured.properties, **found}
            current = structured.base
        return found

    def derives_from(self, type_name: str, base: str) -> bool:
        current: str | None = _short(type_name)
        while current is not None:
            if current == _short(base):
                return True
            current = self.types[current].base if current in self.types else None
        return False

    # -- checking ---------------------------------------------------------------
    def check(self, type_name: str, value: Any, where: str, *, partial: bool = True) -> list[str]:
        """What is wrong with ``value`` as a ``type_name`` (``[]`` if nothing).

        ``partial``: a request or a ``$select`` answer need not hold every
        property; non-nullable ones must not be ``null`` when present.
        """
        if not isinstance(value, dict):
            return [f"{where}: expected a {type_name} object, got {type(value).__name__}"]
        actual = _short(type_name)
        declared = value.get("@odata.type")
        if isinstance(declared, str):
            derived = _short(declared.lstrip("#"))
            if derived not in self.types or not self.derives_from(derived, actual):
                return [f"{where}: @odata.type {declared!r} is not a {type_name}"]
            actual = derived
        known = self.properties(actual)
        problems = []
        for key, item in value.items():
            if key.startswith("@") or "@odata." in key:
                continue
            prop = known.get(key)
            if prop is None:
                problems.append(f"{where}.{key}: {actual} has no property {key!r}")
                continue
            problems += self._check_value(prop, item, f"{where}.{key}")
        return problems

    def check_action(self, action: str, bound_to: str, value: Any, where: str) -> list[str]:
        """What is wrong with the body of a bound action (e.g. ``cancel`` on ``event``)."""
        params = self.actions.get((action, _short(bound_to)))
        if params is None:
            return [f"{where}: the contract has no action {action!r} bound to {bound_to}"]
        if not isinstance(value, dict):
            return [f"{where}: the body of {action} must be a JSON object"]
        problems = []
        for key, item in value.items():
            prop = params.get(key)
            if prop is None:
                problems.append(f"{where}.{key}: {action} has no parameter {key!r}")
            else:
                problems += self._check_value(prop, item, f"{where}.{key}")
        return problems

    def _check_value(self, prop: Property, value: Any, where: str) -> list[str]:
        if value is None:
            return [] if prop.nullable or prop.collection else [f"{where}: must not be null"]
        if prop.collection:
            if not isinstance(value, list):
                return [f"{where}: expected a list of {prop.type}"]
            single = Property(prop.name, prop.type, False, prop.nullable, prop.navigation)
            return [
                p
                for i, v in enumerate(value)
                for p in self._check_value(single, v, f"{where}[{i}]")
            ]
        return self._check_single(prop.type, value, where)

    def _check_single(self, type_name: str, value: Any, where: str) -> list[str]:
        if type_name.startswith("Edm."):
            return _check_edm(type_name, value, where)
        short = _short(type_name)
        if short in self.enums:
            if not isinstance(value, str):
                return [f"{where}: expected a {short} name"]
            unknown = [v for v in value.split(",") if v.strip() not in self.enums[short]]
            return [f"{where}: {value!r} is not a {short}"] if unknown else []
        return self.check(short, value, where)


def _check_edm(type_name: str, value: Any, where: str) -> list[str]:
    if type_name in ("Edm.String", "Edm.Guid", "Edm.Duration", "Edm.Date", "Edm.TimeOfDay"):
        ok = isinstance(value, str)
    elif type_name == "Edm.Boolean":
        ok = isinstance(value, bool)
    elif type_name in ("Edm.Int32", "Edm.Int64", "Edm.Int16", "Edm.Byte"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif type_name in ("Edm.Double", "Edm.Single", "Edm.Decimal"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif type_name == "Edm.DateTimeOffset":
        ok = isinstance(value, str) and _is_timestamp(value)
    else:  # streams, binary, geography: never sent as JSON here
        return [f"{where}: a {type_name} is not sent in a JSON body"]
    return [] if ok else [f"{where}: {value!r} is not an {type_name}"]


def _is_timestamp(text: str) -> bool:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


@functools.lru_cache(maxsize=2)
def load_csdl(path: Path | None = None) -> Csdl:
    """The parsed contract (once per process: the CSDL is 3 MB)."""
    return Csdl(path or contract_file())
