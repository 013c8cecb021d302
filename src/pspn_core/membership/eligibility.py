"""Who may join a network: the membership config and the rules that advise on applications.

Rules advise; a person decides. Each rule looks at one application and says
``pass``, ``fail`` or ``needs-a-person``, with a reason a person can act on.
The built-in rules come from ``[networks.<slug>.membership]``; plugins add
their own through ``pspn_register_eligibility_rules(registry)``. Pure: no I/O
here, the organisation list is passed in.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:  # annotations only: every command's config loads this module
    from pspn_core.membership.model import Application
    from pspn_core.membership.organisations import OrganisationList
    from pspn_core.networks.model import Network

__all__ = [
    "DEFAULT_QUESTIONS",
    "Assessment",
    "EligibilityRule",
    "MembershipConfig",
    "RuleContext",
    "RuleResult",
    "Verdict",
    "default_rules",
    "evaluate",
]

DEFAULT_QUESTIONS: dict[str, str] = {
    "role": "What is your role?",
    "organisation": "Which NHS organisation do you work with?",
    "region": "Which region are you in?",
    "heard_from": "How did you hear about the network?",
}
_PLACEHOLDERS = {"name", "network", "question"}


class MembershipConfig(BaseModel):
    """``[networks.<slug>.membership]``: what applicants are asked and what the rules check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    questions: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_QUESTIONS))
    """Answer key to the question asked; the keys are what ``--answer KEY=TEXT`` takes."""
    required: tuple[str, ...] = ("role", "organisation")
    """Answers an application must have."""
    allowed_roles: tuple[str, ...] = ("Patient Safety Partner",)
    """Roles the network is for (any case); empty allows every role."""
    organisations: Path | None = None
    """A newer CSV of NHS organisations, relative to pspn.toml; default: the bundled list."""
    email_domains: tuple[str, ...] = ()
    """If set, e-mail domains (and their subdomains) allowed, e.g. ``["nhs.net", "nhs.uk"]``."""
    welcome_subject: str = "Welcome to {network}"
    welcome_message: str = (
        "Hello {name},\n\nYou are now a member of {network}. The private group and its "
        "meeting notes are open to you. We look forward to meeting you."
    )
    decline_subject: str = "Your request to join {network}"
    decline_message: str = (
        "Hello {name},\n\nThank you for asking to join {network}. We are not able to offer "
        "you a place: the network is for Patient Safety Partners working with NHS "
        "organisations in England."
    )
    question_subject: str = "Your request to join {network}: a question"

    @field_validator("email_domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(domain.strip().lstrip("@").casefold() for domain in value if domain.strip())

    @field_validator(
        "welcome_subject",
        "welcome_message",
        "decline_subject",
        "decline_message",
        "question_subject",
    )
    @classmethod
    def _template(cls, value: str) -> str:
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as error:
            raise ValueError(f"not a valid message template ({error}); write {{ as {{{{") from None
        unknown = fields - _PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {', '.join(sorted(unknown))}; "
                f"use {', '.join('{' + p + '}' for p in sorted(_PLACEHOLDERS))}"
            )
        return value

    @model_validator(mode="after")
    def _required_are_asked(self) -> MembershipConfig:
        missing = [key for key in self.required if key not in self.questions]
        if missing:
            raise ValueError(
                f"required answers {', '.join(missing)} are not among the questions; "
                "add them to membership.questions or remove them from membership.required"
            )
        return self


class Verdict(enum.StrEnum):
    PASS = "pass"  # noqa: S105  (a verdict, not a password)
    FAIL = "fail"
    NEEDS_A_PERSON = "needs-a-person"


@dataclass(frozen=True)
class RuleResult:
    """One rule's advice on one application."""

    rule: str
    verdict: Verdict
    reason: str


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at besides the application: the network and its lists."""

    network: Network
    organisations: OrganisationList

    @property
    def membership(self) -> MembershipConfig:
        return self.network.membership


@runtime_checkable
class EligibilityRule(Protocol):
    """A rule: a unique ``name`` and a ``check`` that never raises for bad answers."""

    name: str

    def check(self, application: Application, context: RuleContext) -> RuleResult: ...


@dataclass(frozen=True)
class Assessment:
    """Every rule's advice on one application, and the advice overall."""

    application: Application
    results: tuple[RuleResult, ...]

    @property
    def verdict(self) -> Verdict:
        """``fail`` if any rule fails, else ``needs-a-person`` if any asks, else ``pass``."""
        verdicts = {result.verdict for result in self.results}
        for verdict in (Verdict.FAIL, Verdict.NEEDS_A_PERSON):
            if verdict in verdicts:
                return verdict
        return Verdict.PASS


def evaluate(
    application: Application, rules: Iterable[EligibilityRule], context: RuleContext
) -> Assessment:
    """Run every rule on ``application``. A rule that raises is reported, not fatal."""
    results = []
    for rule in rules:
        try:
            results.append(rule.check(application, context))
        except Exception as error:  # a plugin's bug must not hide the other rules' advice
            reason = f"the rule failed ({type(error).__name__}); check by hand"
            results.append(RuleResult(rule.name, Verdict.NEEDS_A_PERSON, reason))
    return Assessment(application, tuple(results))


# -- the built-in rules ---------------------------------------------------------


def _answer(application: Application, key: str) -> str:
    return application.answers.get(key, "").strip()


class RequiredAnswers:
    name = "required-answers"

    def check(self, application: Application, context: RuleContext) -> RuleResult:
        missing = [k for k in context.membership.required if not _answer(application, k)]
        if missing:
            return RuleResult(self.name, Verdict.FAIL, f"no answer to: {', '.join(missing)}")
        return RuleResult(self.name, Verdict.PASS, "every required question is answered")


class AllowedRole:
    name = "allowed-role"

    def check(self, application: Application, context: RuleContext) -> RuleResult:
        allowed = context.membership.allowed_roles
        role = _answer(application, "role")
        if not allowed:
            return RuleResult(self.name, Verdict.PASS, "the network allows every role")
        if not role:
            return RuleResult(self.name, Verdict.NEEDS_A_PERSON, "no role was given")
        if role.casefold() in {r.casefold() for r in allowed}:
            return RuleResult(self.name, Verdict.PASS, f"{role!r} is an allowed role")
        return RuleResult(
            self.name, Verdict.FAIL, f"{role!r} is not one of the roles: {', '.join(allowed)}"
        )


class NhsOrganisation:
    name = "nhs-organisation"

    def check(self, application: Application, context: RuleContext) -> RuleResult:
        given = _answer(application, "organisation")
        if not given:
            return RuleResult(self.name, Verdict.NEEDS_A_PERSON, "no organisation was given")
        found = context.organisations.find(given)
        if found is not None:
            return RuleResult(self.name, Verdict.PASS, f"{found.name} ({found.code})")
        hint = context.organisations.suggest(given)
        return RuleResult(
            self.name,
            Verdict.NEEDS_A_PERSON,
            f"{given!r} is not in the list of NHS trusts and ICBs in England"
            + (f"; close: {'; '.join(hint)}" if hint else "; check it by hand"),
        )


class EmailDomain:
    name = "email-domain"

    def check(self, application: Application, context: RuleContext) -> RuleResult:
        domains: Sequence[str] = context.membership.email_domains
        if not domains:
            return RuleResult(self.name, Verdict.PASS, "no e-mail domain allow-list is set")
        email = application.email.strip().casefold()
        if "@" not in email:
            return RuleResult(self.name, Verdict.NEEDS_A_PERSON, "no e-mail address was given")
        domain = email.rsplit("@", 1)[1]
        if any(domain == d or domain.endswith("." + d) for d in domains):
            return RuleResult(self.name, Verdict.PASS, f"{domain} is on the allow-list")
        return RuleResult(self.name, Verdict.FAIL, f"{domain} is not on the e-mail allow-list")


def default_rules() -> list[EligibilityRule]:
    """The built-in rules, in the order they are reported."""
    return [RequiredAnswers(), AllowedRole(), NhsOrganisation(), EmailDomain()]
