"""The adapter contract suite, run against the Discourse adapter on the fake Discourse."""

from __future__ import annotations

from pspn_core.testing import ForumContract, ForumHarness


class TestDiscourseContract(ForumContract):
    """Every contract test; the ``harness`` fixture comes from conftest.py."""


def test_the_harness_satisfies_the_protocol(harness: ForumHarness) -> None:
    assert isinstance(harness, ForumHarness)
