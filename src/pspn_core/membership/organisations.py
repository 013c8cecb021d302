"""The list of NHS organisations in England an applicant's organisation is checked against.

The bundled list (``nhs_organisations.csv`` in ``data/`` beside this module, from the public
ODS data under the Open Government Licence) can be replaced by a newer CSV: in
this module's own shape (a header naming ``ods_code`` and ``name``) or as an ODS
extract is downloaded (no header; code, then name). Names match without regard
to case, punctuation or a leading "The", so "leeds teaching hospitals nhs trust"
and "RR8" both find the Leeds Teaching Hospitals NHS Trust.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pspn_core.errors import ConfigError

__all__ = ["BUNDLED_LIST", "Organisation", "OrganisationList", "load_organisations"]

BUNDLED_LIST = "nhs_organisations.csv"

_WORDS = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"^[A-Z0-9]{3,5}$")


@dataclass(frozen=True)
class Organisation:
    """One NHS organisation: its ODS code, name and kind (``trust`` or ``icb``)."""

    code: str
    name: str
    kind: str = "trust"


def _key(name: str) -> str:
    """A name reduced to its words: no case, punctuation, '&' or leading 'the'."""
    plain = name.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = _WORDS.findall(plain)
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


class OrganisationList:
    """Organisations found by ODS code or by name."""

    def __init__(self, organisations: Iterable[Organisation], *, source: str) -> None:
        self.source = source
        self._by_code: dict[str, Organisation] = {}
        self._by_name: dict[str, Organisation] = {}
        for organisation in organisations:
            self._by_code[organisation.code.upper()] = organisation
            self._by_name[_key(organisation.name)] = organisation

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Organisation]:
        return iter(sorted(self._by_code.values(), key=lambda o: o.name))

    def find(self, text: str) -> Organisation | None:
        """The organisation ``text`` names (by code, name, or "Name (CODE)"), or ``None``."""
        text = text.strip()
        code = re.search(r"\(([A-Za-z0-9]{3,5})\)\s*$", text)
        if code and code.group(1).upper() in self._by_code:
            return self._by_code[code.group(1).upper()]
        if text.upper() in self._by_code:
            return self._by_code[text.upper()]
        return self._by_name.get(_key(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Names close to ``text``, for a "did you mean" hint."""
        names = difflib.get_close_matches(_key(text), list(self._by_name), n=limit, cutoff=0.6)
        return [self._by_name[name].name for name in names]


def load_organisations(path: Path | None = None) -> OrganisationList:
    """Read the list at ``path``, or the bundled one when ``path`` is ``None``."""
    if path is None:
        bundled = resources.files(__package__).joinpath("data", BUNDLED_LIST)
        text = bundled.read_text(encoding="utf-8")
        return OrganisationList(_parse(text, BUNDLED_LIST), source=f"the bundled {BUNDLED_LIST}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(
            f"cannot read the organisation list {path}: {error.strerror}. Check the path in "
            "membership.organisations, or remove the key to use the bundled list."
        ) from None
    organisations = list(_parse(text, str(path)))
    if not organisations:
        raise ConfigError(f"the organisation list {path} holds no organisations")
    return OrganisationList(organisations, source=str(path))


def _parse(text: str, source: str) -> Iterator[Organisation]:
    rows = csv.reader(io.StringIO(text))
    first = next(rows, None)
    if first is None:
        return
    header = [cell.strip().casefold() for cell in first]
    if "ods_code" in header and "name" in header:
        code_at, name_at = header.index("ods_code"), header.index("name")
        kind_at = header.index("kind") if "kind" in header else None
        body: Iterable[list[str]] = rows
    else:  # an ODS extract as downloaded: no header, code then name
        code_at, name_at, kind_at = 0, 1, None
        body = [first, *rows]
    for line, row in enumerate(body, start=2 if body is rows else 1):
        if not any(cell.strip() for cell in row):
            continue
        try:
            code, name = row[code_at].strip().upper(), row[name_at].strip()
        except IndexError:
            raise ConfigError(f"{source}, line {line}: expected an ODS code and a name") from None
        if not _CODE.match(code) or not name:
            raise ConfigError(
                f"{source}, line {line}: {code!r} is not an ODS code (3 to 5 letters or digits)"
            )
        kind = row[kind_at].strip() if kind_at is not None and kind_at < len(row) else "trust"
        yield Organisation(code, name, kind or "trust")
