"""Each traceback the adversarial probe found (issue 15, item 16) is now one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_surveys import hub as survey_hub  # noqa: F401  (a fixture)
from tests.conftest import Cli

HUGE = "99999999999999999999999"


def one_error(output: str) -> str:
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, output
    return errors[0]


def test_planning_before_setup_says_to_set_the_network_up(run: Cli) -> None:
    result = run("meetings", "plan")
    assert result.exit_code == 1
    assert "pspn networks setup" in one_error(result.output)


@pytest.mark.parametrize(
    "command",
    [
        ("notes", "show", HUGE),
        ("notes", "review", HUGE),
        ("members", "decide", HUGE, "--admit", "--by", "chair", "--reason", "ok"),
        ("topics", "vote", HUGE, "--by", "ada_l"),
    ],
)
def test_an_id_too_large_to_store_is_a_usage_error(run: Cli, command: tuple[str, ...]) -> None:
    run("networks", "setup")
    result = run(*command)
    assert result.exit_code == 2
    assert "is not in the range" in one_error(result.output)


def test_export_to_a_missing_directory_names_the_path(run: Cli, tmp_path: Path) -> None:
    run("networks", "setup")
    run("members", "add", "ada_l", "--name", "Ada Lovelock")
    target = tmp_path / "nonexistent" / "x.json"
    result = run("members", "export", "ada_l", "--output", str(target))
    assert result.exit_code == 1
    assert one_error(result.output) == (
        f"Error: cannot use {target}: it does not exist: check the path (and that its "
        "directory exists)"
    )


@pytest.mark.parametrize(
    "window",
    [
        ("--from", "0001-01-01", "--to", "9999-12-31"),
        ("--from", "9999-06-01"),
        ("--from", "2027-01-01", "--to", "2099-01-01"),
    ],
)
def test_a_plan_over_centuries_is_refused(run: Cli, window: tuple[str, ...]) -> None:
    run("networks", "setup")
    result = run("meetings", "plan", *window)
    assert result.exit_code == 2
    assert "plan" in one_error(result.output)
    assert run("meetings", "list", "--format", "json").output.strip() == "[]"


def test_a_csv_cell_over_the_csv_limit_is_refused(survey_hub: Cli, hub_dir: Path) -> None:  # noqa: F811
    (hub_dir / "big.csv").write_text("region,engagement\n" + '"' + "x" * 140_000 + '",y\n')
    result = survey_hub("surveys", "import", "psp-role-2027", str(hub_dir / "big.csv"))
    assert result.exit_code == 2
    assert "KiB" in one_error(result.output)
