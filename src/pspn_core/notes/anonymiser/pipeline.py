"""Run every detector, merge what they found, apply the network's policy.

``anonymise`` is pure: text, roster and policy in; an :class:`AnonymisedNote`
out. Every detector runs and none can switch another off: their findings are
merged into one non-overlapping set that covers the union of all of them.
A detector that raises stops the whole call (fail closed), since a note
that one detector could not check is not known to be safe.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from operator import attrgetter

from pspn_core.errors import InputError, OperationError
from pspn_core.notes.anonymiser.addresses import AddressDetector
from pspn_core.notes.anonymiser.birthdates import BirthDateDetector
from pspn_core.notes.anonymiser.contacts import ContactDetector
from pspn_core.notes.anonymiser.context import DetectionContext, Detector
from pspn_core.notes.anonymiser.folding import Folded, fold
from pspn_core.notes.anonymiser.formats import FORMATS, SpeakerDetector, detect_format
from pspn_core.notes.anonymiser.handles import HandleDetector
from pspn_core.notes.anonymiser.heuristics import NameDetector
from pspn_core.notes.anonymiser.hospitals import HospitalDetector, widen_sites
from pspn_core.notes.anonymiser.model import AnonymisedNote, Finding, Label, NotesPolicy
from pspn_core.notes.anonymiser.patterns import PatternDetector
from pspn_core.notes.anonymiser.places import PlaceDetector
from pspn_core.notes.anonymiser.propagate import join_places, propagate
from pspn_core.notes.anonymiser.references import ReferenceDetector
from pspn_core.notes.anonymiser.roster import CompiledRoster
from pspn_core.notes.anonymiser.roster_detector import RosterDetector
from pspn_core.notes.anonymiser.sites import SiteDetector
from pspn_core.notes.anonymiser.spoken import SpokenDetector

__all__ = ["TAGS", "anonymise", "default_detectors", "merge_findings"]

TAGS: dict[Label, str] = {
    "PERSON": "[name]",
    "USERNAME": "[username]",
    "EMAIL": "[email]",
    "PHONE": "[phone]",
    "NHS_NUMBER": "[NHS number]",
    "MEDICAL_ID": "[medical ID]",
    "POSTCODE": "[postcode]",
    "ADDRESS": "[address]",
    "DATE_OF_BIRTH": "[date of birth]",
    "ORGANISATION": "[organisation]",
    "LOCATION": "[location]",
    "URL": "[URL]",
}
_PSEUDONYM_NOUN: dict[str, str] = {
    "PERSON": "Person",
    "USERNAME": "Person",
    "ORGANISATION": "Organisation",
    "LOCATION": "Place",
}


def _noun(finding: Finding) -> str:
    """ "Member" for people the roster knows, "Person" for others (patients, staff, guests)."""
    noun = _PSEUDONYM_NOUN.get(finding.label, "")
    if noun == "Person" and finding.key.startswith("person:"):
        return "Member"
    return noun


def _entity(finding: Finding, text: str) -> str:
    return finding.key or text[finding.start : finding.end].lower()


def default_detectors() -> list[Detector]:
    """The built-in detectors, in no particular order (all of them always run)."""
    return [
        RosterDetector(),
        SpeakerDetector(),
        PatternDetector(),
        NameDetector(),
        PlaceDetector(),
        SiteDetector(),
        SpokenDetector(),
        BirthDateDetector(),
        ContactDetector(),
        HandleDetector(),
        ReferenceDetector(),
        AddressDetector(),
        HospitalDetector(),
    ]


def _trimmed(finding: Finding, text: str) -> Finding | None:
    """The finding within the text and without surrounding whitespace (None if nothing is left)."""
    start, end = finding.start, finding.end
    if 0 <= start < end <= len(text) and not (text[start].isspace() or text[end - 1].isspace()):
        return finding
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    if (start, end) == (finding.start, finding.end):
        return finding
    return Finding(start, end, finding.label, finding.detector, finding.confidence, key=finding.key)


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Merge overlapping findings into one per cluster, covering their union.

    The merged finding takes the label, detector and key of the most confident
    member (the longest on a tie) and the highest confidence.
    """
    ordered = sorted(findings, key=_START)
    merged: list[Finding] = []
    i, count = 0, len(ordered)
    while i < count:  # one cluster per turn: ordered[i:j]
        first = ordered[i]
        end = first.end
        j = i + 1
        while j < count and ordered[j].start < end:
            end = max(end, ordered[j].end)
            j += 1
        if j == i + 1:
            merged.append(first)
        else:
            best = max(ordered[i:j], key=_strength)
            merged.append(
                Finding(first.start, end, best.label, best.detector, best.confidence, key=best.key)
            )
        i = j
    return merged


_START = attrgetter("start")


def _strength(finding: Finding) -> tuple[float, int]:
    return finding.confidence, finding.end - finding.start


def _pseudonyms(findings: list[Finding], text: str, secret: bytes) -> dict[tuple[str, str], str]:
    """Letters per entity, ordered by a keyed hash so nothing links two notes."""
    keys: dict[str, set[str]] = {}
    for f in findings:
        noun = _noun(f)
        if noun:
            keys.setdefault(noun, set()).add(_entity(f, text))
    names: dict[tuple[str, str], str] = {}
    for noun, entity_keys in keys.items():
        ordered = sorted(
            entity_keys,
            key=lambda k: hmac.new(secret, k.encode(), hashlib.sha256).digest(),
        )
        for n, key in enumerate(ordered):
            names[noun, key] = f"{noun} {_letters(n)}"
    return names


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def anonymise(
    text: str,
    *,
    roster: CompiledRoster,
    policy: NotesPolicy | None = None,
    detectors: Sequence[Detector] | None = None,
    fmt: str = "auto",
    secret: bytes | None = None,
) -> AnonymisedNote:
    """Anonymise one note. Pure: no I/O, no global state.

    :param fmt: ``auto`` (detect), or one of ``text``, ``vtt``, ``teams-chat``, ``email``.
    :param secret: key for pseudonym order; a fresh random one per call when
        ``None`` (pass one only in tests), so pseudonyms cannot be linked across notes.
    """
    policy = policy or NotesPolicy()
    if fmt != "auto" and fmt not in FORMATS:
        raise InputError(f"unknown note format {fmt!r}; use auto or one of {', '.join(FORMATS)}")
    original, folded = text, fold(text)
    text = folded.text  # what detectors read: "Love\u00adlock" as "Lovelock" (see .folding)
    if fmt == "auto":
        fmt = detect_format(text)
    context = DetectionContext(text=text, roster=roster, format=fmt)
    found: list[Finding] = []
    for detector in default_detectors() if detectors is None else detectors:
        try:
            for finding in detector.detect(text, context):
                trimmed = _trimmed(finding, text)
                if trimmed is not None and trimmed.label in policy.redact:
                    found.append(trimmed)
        except Exception as error:
            raise OperationError(
                f"detector {detector.name!r} failed ({type(error).__name__}); the note was "
                "not anonymised. Fix or disable the plugin that provides it."
            ) from None
    merged = merge_findings(found)
    merged = merge_findings(
        [*merged, *propagate(text, merged, context.normalised, roster.name_parts)]
    )
    merged = join_places(text, merge_findings(widen_sites(text, merged)))
    if policy.replacement == "pseudonym":
        names = _pseudonyms(merged, text, secret or secrets.token_bytes(32))
    else:
        names = {}
    final: list[Finding] = []
    pieces: list[str] = []
    pos = 0
    for f in merged:
        replacement = names.get((_noun(f), _entity(f, text)), TAGS[f.label])
        start, end = _original_span(folded, f, pos)
        if start >= end:
            continue  # within one character that the finding before already covers
        final.append(Finding(start, end, f.label, f.detector, f.confidence, replacement, key=f.key))
        pieces += [original[pos:start], replacement]
        pos = end
    pieces.append(original[pos:])
    return AnonymisedNote(text="".join(pieces), findings=tuple(final), format=fmt)


def _original_span(folded: Folded, finding: Finding, after: int) -> tuple[int, int]:
    """The finding's offsets in the original text, starting no earlier than ``after``."""
    if not folded.changes:
        return finding.start, finding.end
    return max(after, folded.start(finding.start)), folded.end(finding.end)
