"""The safe-space note anonymiser: non-attributable notes from minutes, chats and transcripts.

``anonymise(text, roster=compile_roster(entries))`` returns the anonymised
text and the findings. See :mod:`.pipeline` for the guarantees.
"""

from __future__ import annotations

from pspn_core.anonymiser.context import DetectionContext, Detector
from pspn_core.anonymiser.formats import FORMATS, detect_format
from pspn_core.anonymiser.io import load_roster_file, read_note_file
from pspn_core.anonymiser.model import (
    LABELS,
    AnonymisedNote,
    Finding,
    Label,
    NotesPolicy,
    RosterEntry,
)
from pspn_core.anonymiser.patterns import nhs_number_is_valid
from pspn_core.anonymiser.pipeline import (
    TAGS,
    DetectorRegistry,
    anonymise,
    default_detectors,
    merge_findings,
)
from pspn_core.anonymiser.report import findings_to_json, findings_to_text
from pspn_core.anonymiser.roster import CompiledRoster, compile_roster

__all__ = [
    "FORMATS",
    "LABELS",
    "TAGS",
    "AnonymisedNote",
    "CompiledRoster",
    "DetectionContext",
    "Detector",
    "DetectorRegistry",
    "Finding",
    "Label",
    "NotesPolicy",
    "RosterEntry",
    "anonymise",
    "compile_roster",
    "default_detectors",
    "detect_format",
    "findings_to_json",
    "findings_to_text",
    "load_roster_file",
    "merge_findings",
    "nhs_number_is_valid",
    "read_note_file",
]
