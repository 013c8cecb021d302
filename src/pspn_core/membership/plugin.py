"""The membership feature's built-in behaviour, registered as a plugin like any other.

The built-in eligibility rules go through the same hook as a third party's,
first, so that they are reported first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pspn_core.registries import EligibilityRegistry

__all__ = ["pspn_register_eligibility_rules"]


@hookimpl(tryfirst=True)
def pspn_register_eligibility_rules(registry: EligibilityRegistry) -> None:
    from pspn_core.membership.eligibility import default_rules

    for rule in default_rules():
        registry.add(rule)
