"""Eligibility: the membership config, the organisation list and each rule's advice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from pspn_core.errors import ConfigError
from pspn_core.membership.eligibility import (
    MembershipConfig,
    RuleContext,
    RuleResult,
    Verdict,
    default_rules,
    evaluate,
)
from pspn_core.membership.model import Application
from pspn_core.membership.organisations import Organisation, OrganisationList, load_organisations
from pspn_core.networks.model import Network
from pspn_core.registries import EligibilityRegistry

ELIGIBLE = {"role": "Patient Safety Partner", "organisation": "Leeds Teaching Hospitals NHS Trust"}


def network(**membership: object) -> Network:
    return Network.model_validate({"slug": "pspn", "name": "PSPN", "membership": membership})


def application(answers: dict[str, str] | None = None, email: str = "") -> Application:
    return Application(
        network="pspn",
        username="kit_m",
        display_name="Kit Marlowe",
        email=email,
        answers=ELIGIBLE if answers is None else answers,
        received_at=datetime(2027, 1, 5, 9, 0, tzinfo=UTC),
    )


def advice(app: Application, net: Network | None = None) -> dict[str, RuleResult]:
    context = RuleContext(net or network(), load_organisations())
    return {r.rule: r for r in evaluate(app, default_rules(), context).results}


# -- the organisation list -------------------------------------------------------


def test_bundled_list_holds_trusts_and_every_icb() -> None:
    organisations = list(load_organisations())
    kinds = {o.kind for o in organisations}
    assert kinds == {"trust", "icb"}
    assert sum(o.kind == "icb" for o in organisations) == 42
    assert len({o.code for o in organisations}) == len(organisations)


@pytest.mark.parametrize(
    "given",
    [
        "RR8",
        "rr8",
        "leeds teaching hospitals nhs trust",
        "Leeds Teaching Hospitals NHS Trust (RR8)",
        "  The Leeds Teaching Hospitals NHS Trust ",
    ],
)
def test_an_organisation_is_found_by_code_or_name(given: str) -> None:
    found = load_organisations().find(given)
    assert found is not None and found.code == "RR8"


def test_names_match_without_punctuation_or_apostrophes() -> None:
    organisations = load_organisations()
    found = organisations.find("Queen Elizabeth Hospital Kings Lynn NHS Foundation Trust")
    assert found is not None and found.code == "RCX"
    found = organisations.find("Guy\u2019s & St Thomas\u2019 NHS Foundation Trust")
    assert found is not None and found.code == "RJ1"


def test_unknown_organisation_is_none_with_close_suggestions() -> None:
    organisations = load_organisations()
    assert organisations.find("Leeds Teaching Hospital") is None
    assert organisations.suggest("Leeds Teaching Hospital")[0] == (
        "Leeds Teaching Hospitals NHS Trust"
    )
    assert organisations.find("Acme Private Clinic Ltd") is None


def test_operator_list_in_pspn_shape_replaces_the_bundled_one(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("name,ods_code,kind\nNewtown NHS Foundation Trust,RZZ9,trust\n")
    organisations = load_organisations(path)
    assert len(organisations) == 1
    assert organisations.find("newtown nhs foundation trust") == Organisation(
        "RZZ9", "Newtown NHS Foundation Trust", "trust"
    )
    assert organisations.find("RR8") is None


def test_operator_list_as_an_ods_extract_without_header(tmp_path: Path) -> None:
    path = tmp_path / "etr.csv"
    path.write_text(
        '"RZZ","NEWTOWN NHS TRUST","Y56","Q71","1 HIGH STREET"\n'
        '"RZY","OLDTOWN NHS FOUNDATION TRUST","Y56","Q71","2 HIGH STREET"\n'
    )
    organisations = load_organisations(path)
    assert [o.code for o in organisations] == ["RZZ", "RZY"]
    found = organisations.find("Oldtown NHS Foundation Trust")
    assert found is not None and found.code == "RZY"


def test_a_bad_operator_list_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("ods_code,name\nRR8,Leeds Teaching Hospitals NHS Trust\nnot a code,Acme\n")
    with pytest.raises(ConfigError, match=r"orgs.csv, line 3: 'NOT A CODE' is not an ODS code"):
        load_organisations(path)
    with pytest.raises(ConfigError, match="cannot read the organisation list"):
        load_organisations(tmp_path / "missing.csv")


# -- the config ----------------------------------------------------------------


def test_default_config_asks_the_pspn_questions() -> None:
    config = MembershipConfig()
    assert list(config.questions) == ["role", "organisation", "region", "heard_from"]
    assert config.required == ("role", "organisation")


def test_required_answers_must_be_questions() -> None:
    with pytest.raises(ValidationError, match="required answers trust_id are not among"):
        MembershipConfig(required=("role", "trust_id"))


def test_message_templates_accept_only_known_placeholders() -> None:
    with pytest.raises(ValidationError, match=r"unknown placeholder\(s\) first_name"):
        MembershipConfig(welcome_message="Hello {first_name}")
    assert MembershipConfig(welcome_message="Hi {name}, welcome to {network}")


def test_email_domains_are_normalised() -> None:
    assert MembershipConfig(email_domains=("@NHS.net", " nhs.uk ")).email_domains == (
        "nhs.net",
        "nhs.uk",
    )


# -- the rules -----------------------------------------------------------------


def test_an_eligible_application_passes_every_rule() -> None:
    context = RuleContext(network(), load_organisations())
    assessment = evaluate(application(), default_rules(), context)
    assert assessment.verdict is Verdict.PASS
    assert [r.rule for r in assessment.results] == [
        "required-answers",
        "allowed-role",
        "nhs-organisation",
        "email-domain",
    ]
    assert assessment.results[2].reason == "Leeds Teaching Hospitals NHS Trust (RR8)"


def test_missing_required_answers_fail() -> None:
    result = advice(application({"role": "Patient Safety Partner"}))["required-answers"]
    assert result.verdict is Verdict.FAIL
    assert result.reason == "no answer to: organisation"


def test_a_role_not_allowed_fails_and_any_case_passes() -> None:
    failing = advice(application({**ELIGIBLE, "role": "Ward Manager"}))["allowed-role"]
    assert failing.verdict is Verdict.FAIL
    assert "'Ward Manager' is not one of the roles: Patient Safety Partner" in failing.reason
    lower = advice(application({**ELIGIBLE, "role": "patient safety partner"}))
    assert lower["allowed-role"].verdict is Verdict.PASS
    anyone = advice(application({**ELIGIBLE, "role": "Ward Manager"}), network(allowed_roles=[]))
    assert anyone["allowed-role"].verdict is Verdict.PASS


def test_an_organisation_not_in_the_list_needs_a_person() -> None:
    result = advice(application({**ELIGIBLE, "organisation": "Leeds Teaching Hospital"}))
    org = result["nhs-organisation"]
    assert org.verdict is Verdict.NEEDS_A_PERSON
    assert "close: Leeds Teaching Hospitals NHS Trust" in org.reason


def test_the_email_allow_list_covers_subdomains() -> None:
    net = network(email_domains=["example.net", "example.nhs.uk"])
    for email, verdict in [
        ("kit.marlowe@example.net", Verdict.PASS),
        ("kit.marlowe@trust.example.nhs.uk", Verdict.PASS),
        ("kit@example.org", Verdict.FAIL),
        ("kit@notexample.nhs.uk", Verdict.FAIL),
        ("", Verdict.NEEDS_A_PERSON),
    ]:
        assert advice(application(email=email), net)["email-domain"].verdict is verdict, email
    assert advice(application(email="kit@example.org"))["email-domain"].verdict is Verdict.PASS


def test_overall_advice_is_the_worst_verdict() -> None:
    needs = application({**ELIGIBLE, "organisation": "Acme Clinic"})
    context = RuleContext(network(), load_organisations())
    assert evaluate(needs, default_rules(), context).verdict is Verdict.NEEDS_A_PERSON
    both = application({"role": "Ward Manager", "organisation": "Acme Clinic"})
    assert evaluate(both, default_rules(), context).verdict is Verdict.FAIL


def test_a_rule_that_raises_is_reported_as_needs_a_person() -> None:
    class Broken:
        name = "broken"

        def check(self, application: Application, context: RuleContext) -> RuleResult:
            raise KeyError("kit_m")

    context = RuleContext(network(), OrganisationList([], source="none"))
    assessment = evaluate(application(), [Broken()], context)
    assert assessment.verdict is Verdict.NEEDS_A_PERSON
    assert assessment.results[0].reason == "the rule failed (KeyError); check by hand"


def test_the_registry_refuses_duplicates_and_non_rules() -> None:
    registry = EligibilityRegistry(default_rules())
    with pytest.raises(ValueError, match="'allowed-role' is registered twice"):
        registry.add(default_rules()[1])
    with pytest.raises(TypeError, match="is not an eligibility rule"):
        registry.add(object())  # type: ignore[arg-type]
