"""Roles come from the roster and ``[networks.<slug>.roles]``."""

from __future__ import annotations

from pspn_core.networks.roles import Role, RolesConfig, roles_of

CONFIG = RolesConfig(leads=("Ada_L",), chairs=("bram_s",), note_takers=("cleo_w",))
ROSTER = ["ada_l", "bram_s", "cleo_w", "dev_p"]


def test_each_role_includes_the_ones_below_it() -> None:
    assert roles_of(CONFIG, ROSTER, "ada_l") == set(Role)
    assert roles_of(CONFIG, ROSTER, "bram_s") == {Role.MEMBER, Role.CHAIR, Role.NOTE_TAKER}
    assert roles_of(CONFIG, ROSTER, "cleo_w") == {Role.MEMBER, Role.NOTE_TAKER}
    assert roles_of(CONFIG, ROSTER, "DEV_P") == {Role.MEMBER}


def test_a_role_counts_only_while_on_the_roster() -> None:
    assert roles_of(CONFIG, ["dev_p"], "ada_l") == frozenset()
    assert roles_of(RolesConfig(), ["ada_l"], "ada_l") == {Role.MEMBER}
