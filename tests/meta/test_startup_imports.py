"""Everyday commands import only what they use: no forum client, HTTP, crypto or charts.

Each command runs in a fresh interpreter on the example hub (the embedded
forum), and reports the modules it had imported when it finished.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pspn_core.cli.setup import write_example_config

HEAVY = (
    "requests",
    "urllib3",
    "cryptography",
    "icalendar",
    "holidays",
    "matplotlib",
    "waitress",
    "flask",
    "werkzeug",
    "msal",
)
#: What only the anonymiser needs.
ANONYMISER = ("phonenumbers", "rapidfuzz", "ahocorasick", "text_to_num")
FORUM_CODE = (
    "pspn_adapters._http",
    "pspn_adapters.discourse.client",
    "pspn_adapters.discourse.adapter",
    "pspn_adapters.invision.client",
    "pspn_adapters.invision.adapter",
)

#: What a notes command does not use: other features' models and rules, and the
#: command modules of other groups. (The network's own settings, in
#: ``pspn_core.meetings.model`` and ``pspn_core.membership.eligibility``, are the
#: configuration's.)
OTHER_FEATURES = (
    "pspn_core.membership.model",
    "pspn_core.membership.organisations",
    "pspn_core.membership.service",
    "pspn_core.meetings.rota",
    "pspn_core.meetings.scheduling",
    "pspn_core.meetings.service",
    "pspn_core.surveys",
    "pspn_core.cli.members",
    "pspn_core.cli.meetings",
)

_RUN = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: print('MODULES', json.dumps(sorted(sys.modules))))\n"
    "sys.argv = ['pspn', *sys.argv[1:]]\n"
    "from pspn_core.cli import main\n"
    "main()\n"
)


def modules_of(hub: Path, *args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSPN_")}
    env["PSPN_CONFIG"] = str(hub / "pspn.toml")
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=hub,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hub")
    write_example_config(folder)
    return folder


@pytest.mark.parametrize(
    "command", [["members", "list"], ["meetings", "list"], ["networks", "list"]]
)
def test_listing_imports_no_forum_client_http_crypto_or_calendar(
    hub: Path, command: list[str]
) -> None:
    modules = modules_of(hub, *command)
    assert "pspn_adapters.local" in modules  # the command did reach the hub's forum plugins
    assert not {m for m in modules if m.split(".")[0] in (*HEAVY, *ANONYMISER)}
    assert not modules & set(FORUM_CODE)


def test_planning_imports_the_bank_holidays_and_nothing_else_heavy(hub: Path) -> None:
    modules_of(hub, "networks", "setup")  # safe to run again
    modules = modules_of(hub, "meetings", "plan", "--months", "12")
    assert "holidays" in modules  # the plan did skip bank holidays
    heavy = {m for m in modules if m.split(".")[0] in (*HEAVY, *ANONYMISER)}
    assert {m.split(".")[0] for m in heavy} == {"holidays"}
    assert not modules & set(FORUM_CODE)


def _domain_code_a_note_does_not_need(modules: set[str]) -> set[str]:
    """Other features' models and rules, loaded only by the store or services that use them."""
    return {m for m in modules if m.startswith(OTHER_FEATURES)}


def test_anonymising_a_note_imports_only_the_anonymiser_and_the_store(hub: Path) -> None:
    note = hub / "note.txt"
    note.write_text("Ada Lovelock rang from 07700 900123 about Ward 7B.\n", encoding="utf-8")
    modules = modules_of(hub, "notes", "anonymise", str(note), "--out", str(hub / "out.txt"))
    assert "pspn_core.store.sqlite" in modules  # the hub's roster was read
    assert "[phone]" in (hub / "out.txt").read_text(encoding="utf-8")
    # a number written plainly is the hand pattern's: no need for the phone library
    assert "phonenumbers" not in modules
    # cryptography is the hub key's, when there is one (this hub has none)
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert not modules & set(FORUM_CODE)
    assert not _domain_code_a_note_does_not_need(modules)


def test_anonymising_with_a_roster_file_alone_opens_no_hub(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,username\nAda Lovelock,ada_l\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("Ada Lovelock rang about Ward 7B.\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    modules = modules_of(
        tmp_path, "notes", "anonymise", str(note), "--roster", str(roster), "--out", str(out)
    )
    assert "Ada" not in out.read_text(encoding="utf-8")
    assert not {m for m in modules if m.startswith(("pspn_core.store", "pspn_core.config"))}
    assert not _domain_code_a_note_does_not_need(modules)


def test_a_disguised_phone_number_loads_the_phone_library(hub: Path) -> None:
    note = hub / "disguised.txt"
    note.write_text("Ring Ada on (07700) 900-123 after six.\n", encoding="utf-8")
    out = hub / "disguised-out.txt"
    modules = modules_of(hub, "notes", "anonymise", str(note), "--out", str(out))
    assert "phonenumbers" in modules
    assert "900-123" not in out.read_text(encoding="utf-8")


def test_adding_a_note_imports_the_key_but_no_other_feature(tmp_path: Path) -> None:
    write_example_config(tmp_path)
    modules_of(tmp_path, "networks", "setup")
    modules_of(tmp_path, "keys", "init")
    note = tmp_path / "note.txt"
    note.write_text("Ada Lovelock rang from 07700 900123 about Ward 7B.\n", encoding="utf-8")
    modules = modules_of(tmp_path, "notes", "add", str(note), "--quiet")
    assert "cryptography.fernet" in modules  # the raw note was encrypted
    heavy = {m.split(".")[0] for m in modules if m.split(".")[0] in (*HEAVY, "phonenumbers")}
    assert heavy == {"cryptography"}
    assert not modules & set(FORUM_CODE)
    assert not _domain_code_a_note_does_not_need(modules)


def test_a_forum_module_is_imported_when_its_forum_is_built() -> None:
    import pspn_adapters.discourse as discourse
    import pspn_adapters.invision as invision

    assert discourse.DiscourseForum.__name__ == "DiscourseForum"
    assert invision.InvisionClient.__name__ == "InvisionClient"
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = discourse.Nothing


def test_the_store_passes_on_the_models_it_returns_when_they_are_asked_for() -> None:
    from pspn_core.membership.model import DecisionRun, DecisionStep, Erasure
    from pspn_core.store import decisions, personal

    assert (decisions.DecisionRun, decisions.DecisionStep) == (DecisionRun, DecisionStep)
    assert personal.Erasure is Erasure
    missing = re.escape("module 'pspn_core.store.decisions' has no attribute 'Nope'")
    with pytest.raises(AttributeError, match=missing):
        _ = decisions.Nope
