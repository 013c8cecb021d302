"""Reading notes and rosters from files, with errors that say what to do.

This is the only module of the anonymiser that touches the file system; the
pipeline itself is pure.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pspn_core.errors import InputError
from pspn_core.files import read_limited
from pspn_core.notes.anonymiser.model import RosterEntry

__all__ = ["DEFAULT_MAX_BYTES", "load_roster_file", "read_note_file"]

DEFAULT_MAX_BYTES = 5_000_000


def _read_bytes(path: Path, max_bytes: int, what: str) -> bytes:
    """At most ``max_bytes`` of ``path``, read in bounded pieces.

    The size the file system reports is not trusted: ``/dev/zero``, a FIFO or a
    process substitution report 0 and never end, so reading stops one byte past
    the limit whatever the file claims to be.
    """
    advice = "Split it, or raise the limit if this is expected."
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_limited says what is wrong with the path
    if size > max_bytes:
        raise InputError(
            f"{path}: the {what} is {size:,} bytes, over the limit of {max_bytes:,}. {advice}"
        )
    return read_limited(path, max_bytes, what, advice=advice)


def _decode(path: Path, data: bytes, what: str) -> str:
    if b"\x00" in data:  # anywhere, not only near the start
        raise InputError(
            f"{path}: this looks like a binary file, not a {what}. Export the note as plain "
            "text, WebVTT (.vtt) or a copied chat, then try again."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not valid UTF-8 (byte {error.start}). Save the file as UTF-8 and try again."
        ) from None
    if not text.strip():
        raise InputError(f"{path}: the {what} is empty. Nothing to do.")
    return text


def read_note_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a note as UTF-8 text; :class:`InputError` names the file and the fix."""
    path = Path(path)
    return _decode(path, _read_bytes(path, max_bytes, "note"), "note")


def load_roster_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[RosterEntry]:
    """Load a roster: CSV with a header row, or a JSON list of objects.

    Fields: ``name`` (required), ``username``, ``organisation`` and, in JSON,
    ``aliases`` (a list of strings; in CSV, separated by ``;``).
    """
    path = Path(path)
    text = _decode(path, _read_bytes(path, max_bytes, "roster"), "roster")
    if text.lstrip()[:1] in ("[", "{"):
        return _from_json(path, text)
    return _from_csv(path, text)


def _entry(path: Path, where: str, row: dict[str, object]) -> RosterEntry:
    def field(name: str) -> str:
        value = row.get(name) or ""
        if not isinstance(value, str):
            raise InputError(f"{path}, {where}: field {name!r} must be text.")
        return value.strip()

    name = field("name")
    if not name:
        raise InputError(
            f"{path}, {where}: field 'name' is missing or empty. Every member needs one."
        )
    aliases = row.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split(";")]
    if not isinstance(aliases, list | tuple) or not all(isinstance(a, str) for a in aliases):
        raise InputError(f"{path}, {where}: field 'aliases' must be a list of names.")
    return RosterEntry(
        name=name,
        username=field("username"),
        organisation=field("organisation"),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
    )


def _from_json(path: Path, text: str) -> list[RosterEntry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}, line {error.lineno}: invalid JSON ({error.msg}).") from None
    if not isinstance(data, list):
        raise InputError(f"{path}: a JSON roster must be a list of member objects.")
    entries = []
    for n, row in enumerate(data, 1):
        if not isinstance(row, dict):
            raise InputError(f"{path}, item {n}: each member must be an object with a 'name'.")
        entries.append(_entry(path, f"item {n}", row))
    return entries


def _from_csv(path: Path, text: str) -> list[RosterEntry]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "name" not in fields:
        raise InputError(
            f"{path}, line 1: a CSV roster needs a header row with a 'name' column "
            "(and optionally username, organisation, aliases)."
        )
    entries = []
    for row in reader:
        clean = {(k or "").strip().lower(): v for k, v in row.items() if k}
        entries.append(_entry(path, f"line {reader.line_num}", dict(clean)))
    return entries
