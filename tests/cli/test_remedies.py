"""Use cases name remedies in the domain's words; the command line words every one of them."""

from __future__ import annotations

import ast
from pathlib import Path

from pspn_core.cli.remedies import WORDING, describe
from pspn_core.errors import NotFound, OperationError, Remedy

SRC = Path(__file__).resolve().parents[2] / "src"


def _named_remedies() -> set[str]:
    """Every ``Remedy("name", ...)`` written anywhere in the source."""
    names = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Remedy"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(str(node.args[0].value))
    return names


def test_every_remedy_the_code_names_is_worded_for_the_command_line() -> None:
    named = _named_remedies()
    assert "setup-network" in named
    assert named - set(WORDING) == set()
    assert set(WORDING) - named == set(), "wording for a remedy nothing names"


def test_use_case_messages_name_no_command_or_flag() -> None:
    """Outside the CLI, the core's messages say what went wrong; commands and flags are the
    CLI's. (Adapters and ``pspn serve`` speak to the operator and may name commands.)"""
    offenders = []
    for path in (SRC / "pspn_core").rglob("*.py"):
        if "cli" in path.relative_to(SRC).parts or path.name == "config.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                text = ast.unparse(node.exc)
                if "`pspn " in text or " --" in text:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_the_command_line_adds_the_remedy_with_its_details() -> None:
    error = OperationError(
        "the network 'north' has not been set up yet",
        remedy=Remedy("setup-network", {"network": "north"}),
    )
    assert (
        describe(error) == "the network 'north' has not been set up yet; run `pspn networks setup`"
    )
    listed = NotFound("there is no note 7", remedy=Remedy("list-notes"))
    assert describe(listed) == "there is no note 7; `pspn notes list` shows them"
    assert describe(NotFound("plain")) == "plain"
