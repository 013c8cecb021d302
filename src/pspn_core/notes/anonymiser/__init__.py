"""The safe-space note anonymiser: non-attributable notes from minutes, chats and transcripts.

``anonymise(text, roster=compile_roster(entries))`` returns the anonymised
text and the findings. See :mod:`.pipeline` for the guarantees.
"""

from __future__ import annotations

from pspn_core.notes.anonymiser.context import DetectionContext, Detector
from pspn_core.notes.anonymiser.formats import FORMATS, detect_format
from pspn_core.notes.anonymiser.io import load_roster_file, read_note_file
from pspn_core.notes.anonymiser.model import (
    LABELS,
    AnonymisedNote,
    Finding,
    Label,
    NotesPolicy,
    RosterEntry,
)
from pspn_core.notes.anonymiser.patterns import nhs_number_is_valid
from pspn_core.notes.anonymiser.pipeline import (
    TAGS,
    anonymise,
    default_detectors,
    merge_findings,
)
from pspn_core.notes.anonymiser.report import findings_to_json, findings_to_text
from pspn_core.notes.anonymiser.roster import CompiledRoster, compile_roster

__all__ = [
    "FORMATS",
    "LABELS",
    "TAGS",
    "AnonymisedNote",
    "CompiledRoster",
    "DetectionContext",
    "Detector",
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
