"""Shared fixtures: an invented roster (example.org addresses, no real people)."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, compile_roster
from tests.unit.anonymiser.members import MEMBERS


@pytest.fixture(scope="session")
def roster() -> CompiledRoster:
    return compile_roster(MEMBERS)


@pytest.fixture(scope="session")
def empty_roster() -> CompiledRoster:
    return compile_roster([])
