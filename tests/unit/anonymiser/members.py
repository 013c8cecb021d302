"""Invented members for the anonymiser tests (example.org addresses, no real people)."""

from __future__ import annotations

from pspn_core.notes.anonymiser import RosterEntry

__all__ = ["MEMBERS"]

MEMBERS = (
    RosterEntry("Christopher Wardlow", "chris_w", "Royal Elmbridge NHS Foundation Trust"),
    RosterEntry(
        "Rebecca Ostrowska", "bex_o", "Milton Abbas University Hospital NHS Foundation Trust"
    ),
    RosterEntry("Will Ashcombe", "will.ashcombe", "Fernhill Healthcare NHS Trust"),
    RosterEntry("Siobhan O'Neill-Baptiste", "siobhan_onb", "Patient Safety Learning"),
    RosterEntry("Femi Adebayo-Clarke", "femi_ac", "Norbury and Kestlewood University Hospitals"),
)
