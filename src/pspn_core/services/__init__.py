"""Use cases: one function each, taking the ports and plugins they need as parameters."""

from __future__ import annotations

from pspn_core.services.networks import Provisionable, add_member, setup_network

__all__ = ["Provisionable", "add_member", "setup_network"]

# Use cases with heavier imports live in submodules: services.meetings, services.notes.
