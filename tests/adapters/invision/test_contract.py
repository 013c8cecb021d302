"""The adapter contract suite, run against the Invision adapter on the fake Invision.

Invision's REST API (as the contract documents it) has two limits, declared
here and tested as declared: club join requests carry no message (the
club_member_added webhook sends only {club, member, status}), and a published
post cannot be edited, so republishing a changed note is refused with a
ConflictError naming the topic to edit by hand.
"""

from __future__ import annotations

from pspn_core.testing import ForumContract


class TestInvisionContract(ForumContract):
    """Every contract test; the ``harness`` fixture comes from conftest.py."""

    join_request_messages = False
    posts_are_editable = False
