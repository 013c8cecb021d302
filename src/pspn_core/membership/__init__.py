"""Membership: members, applications, eligibility advice, decisions, roster sync,
export and erasure.

The names below are the package's public API; each submodule is imported on
first use (see :mod:`pspn_core._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core._lazy import lazy_exports

if TYPE_CHECKING:
    from pspn_core.membership.eligibility import (
        Assessment,
        EligibilityRule,
        MembershipConfig,
        RuleContext,
        RuleResult,
        Verdict,
        default_rules,
        evaluate,
    )
    from pspn_core.membership.model import Application, ApplicationStatus, Decision, Member, Outcome
    from pspn_core.membership.organisations import (
        Organisation,
        OrganisationList,
        load_organisations,
    )
    from pspn_core.membership.service import (
        MembershipStore,
        add_member,
        apply,
        assess,
        decide,
        erase_member,
        export_member,
        sync,
    )

__all__ = [
    "Application",
    "ApplicationStatus",
    "Assessment",
    "Decision",
    "EligibilityRule",
    "Member",
    "MembershipConfig",
    "MembershipStore",
    "Organisation",
    "OrganisationList",
    "Outcome",
    "RuleContext",
    "RuleResult",
    "Verdict",
    "add_member",
    "apply",
    "assess",
    "decide",
    "default_rules",
    "erase_member",
    "evaluate",
    "export_member",
    "load_organisations",
    "sync",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "Application": "model",
        "ApplicationStatus": "model",
        "Decision": "model",
        "Member": "model",
        "Outcome": "model",
        "Assessment": "eligibility",
        "EligibilityRule": "eligibility",
        "MembershipConfig": "eligibility",
        "RuleContext": "eligibility",
        "RuleResult": "eligibility",
        "Verdict": "eligibility",
        "default_rules": "eligibility",
        "evaluate": "eligibility",
        "Organisation": "organisations",
        "OrganisationList": "organisations",
        "load_organisations": "organisations",
        "MembershipStore": "service",
        "add_member": "service",
        "apply": "service",
        "assess": "service",
        "decide": "service",
        "erase_member": "service",
        "export_member": "service",
        "sync": "service",
    },
)
