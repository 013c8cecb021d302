"""The same responses are imported once, however the export was saved (issue 15, item 4)."""

from __future__ import annotations

import json
import shutil
from functools import partial
from pathlib import Path

import pytest

from pspn_core.plugins import Plugins
from tests.cli.test_surveys import EXAMPLES, hub  # noqa: F401  (a fixture)
from tests.conftest import Cli
from tests.killpoints import count_statements, killed_before

SURVEY = "psp-role-2027"


def _count(run: Cli) -> int:
    listed = json.loads(run("surveys", "list", "--format", "json").output)
    return int(listed[0]["responses"])


def _good_rows(tmp_path: Path) -> tuple[str, list[str]]:
    """The example export without its two bad rows: (header line, data lines)."""
    lines = (EXAMPLES / "survey-responses.csv").read_text(encoding="utf-8").splitlines()
    return lines[0], lines[1:91]


def test_the_same_export_saved_with_crlf_is_not_imported_again(
    hub: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    header, rows = _good_rows(tmp_path)
    lf, crlf = tmp_path / "lf.csv", tmp_path / "crlf.csv"
    lf.write_bytes(("\n".join([header, *rows]) + "\n").encode())
    crlf.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode())
    assert hub("surveys", "import", SURVEY, str(lf)).exit_code == 0
    again = hub("surveys", "import", SURVEY, str(crlf))
    assert again.exit_code == 1 and "already been imported" in again.output
    assert _count(hub) == 90


def test_a_longer_export_imports_only_the_new_rows(hub: Cli, tmp_path: Path) -> None:  # noqa: F811
    header, rows = _good_rows(tmp_path)
    first, longer = tmp_path / "first.csv", tmp_path / "longer.csv"
    first.write_text("\n".join([header, *rows[:60]]) + "\n", encoding="utf-8")
    longer.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8-sig")
    assert "Imported 60 responses" in hub("surveys", "import", SURVEY, str(first)).output
    result = hub("surveys", "import", SURVEY, str(longer))
    assert result.exit_code == 0, result.output
    assert "Imported 30 responses" in result.output and "60 were imported before" in result.output
    assert _count(hub) == 90


def test_identical_answers_from_different_people_all_count(
    hub: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    same = tmp_path / "same.csv"
    same.write_text(
        "region,engagement\nLondon,Volunteer agreement\n" * 1 + "London,Volunteer agreement\n" * 2
    )
    assert "Imported 3 responses" in hub("surveys", "import", SURVEY, str(same)).output
    assert _count(hub) == 3


def test_an_import_killed_at_any_statement_counts_everyone_once_on_rerun(
    hub: Cli,  # noqa: F811
    hub_dir: Path,
    plugins: Plugins,
    tmp_path: Path,
) -> None:
    header, rows = _good_rows(tmp_path)
    csv_file = tmp_path / "responses.csv"
    csv_file.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    def import_into(directory: Path) -> None:
        result = Cli(plugins, directory / "pspn.toml")("surveys", "import", SURVEY, str(csv_file))
        assert result.exit_code == 0, result.output

    scratch = tmp_path / "count"
    shutil.copytree(hub_dir, scratch)
    statements = count_statements(partial(import_into, scratch))
    for point in range(1, statements + 1):
        directory = tmp_path / f"kill-{point}"
        shutil.copytree(hub_dir, directory)
        killed_before(partial(import_into, directory), point)
        run = Cli(plugins, directory / "pspn.toml")
        run("surveys", "import", SURVEY, str(csv_file))
        assert _count(run) == 90, point
        shutil.rmtree(directory)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize(
    "command",
    [
        ("surveys", "create", "/dev/zero"),
        ("surveys", "import", SURVEY, "/dev/zero"),
        ("surveys", "respond", "0123456789abcdef", "--answers", "/dev/zero"),
    ],
)
def test_survey_files_are_read_only_up_to_a_limit(
    hub: Cli,  # noqa: F811
    command: tuple[str, ...],
) -> None:
    result = hub(*command)
    assert result.exit_code == 2, result.output
    assert "over the limit" in result.output
    assert _count(hub) == 0
