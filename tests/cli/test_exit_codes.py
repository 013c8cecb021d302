"""One rule for exit status, on every command: 2 for bad usage or values, 1 for a failed operation.

The walk covers every command in the click tree, pspn's own and those plugins
declare (``pspn serve``, ``pspn calendar token``). Each command gets an unknown
option, and a bad value for every parameter whose type can refuse one; then a
value that passes click but fails pspn's own validation (exit 2), and where it
can, an operation that fails (exit 1). A new command must be added to
``CASES``: the test that lists the tree fails until it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from pspn_core.cli import App, cli
from tests.conftest import Cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

Path_ = tuple[str, ...]


def _leaves(group: click.Group, ctx: click.Context, path: Path_) -> Iterator[Path_]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from _leaves(
                command, click.Context(command, parent=ctx, info_name=name), (*path, name)
            )
        else:
            yield (*path, name)


def every_command() -> list[Path_]:
    root = click.Context(cli, info_name="pspn", obj=App(environ={}))
    return sorted(_leaves(cli, root, ()))


def command_at(path: Path_) -> click.Command:
    ctx = click.Context(cli, info_name="pspn", obj=App(environ={}))
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None
        ctx = click.Context(found, parent=ctx, info_name=name)
        command = found
    return command


def _bad_value(param: click.Parameter) -> str | None:
    """A value click refuses for ``param``, or ``None`` if its type takes any text."""
    kind = param.type
    if isinstance(param, click.Option) and (param.is_flag or param.count):
        return None
    if isinstance(kind, click.IntRange) and kind.min is not None:
        return str(int(kind.min) - 1)
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return "not-a-number"
    if isinstance(kind, click.Choice):
        return "no-such-choice"
    if isinstance(kind, click.DateTime):
        return "not-a-date"
    if isinstance(kind, click.Path) and kind.exists:
        return "/nonexistent/pspn-exit-codes"
    return None


def _filler(param: click.Parameter) -> str:
    return "1" if isinstance(param.type, click.types.IntParamType) else "x"


def _args(command: click.Command, bad: click.Parameter | None) -> list[str]:
    """Arguments that fill every required parameter, with ``bad``'s value the refused one."""
    args: list[str] = []
    for param in command.params:
        value = _bad_value(param) if param is bad else None
        if value is None and not param.required:
            continue
        value = value if value is not None else _filler(param)
        if isinstance(param, click.Option):
            args += [param.opts[0], value]
        else:
            args.append(value)
    return args


#: Per command: a value pspn's own validation refuses (exit 2), and an operation
#: that fails (exit 1); ``None`` where the command has no such case.
CASES: dict[Path_, tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = {
    ("calendar", "token"): (("--network", "nope"), None),
    ("demo",): (None, ("{hub}/pspn.toml/demo",)),  # no directory can be made inside a file
    ("init",): (None, ("{hub}",)),  # never overwrites
    ("keys", "init"): (None, ()),  # the key exists already
    ("keys", "rotate"): (None, None),
    ("keys", "status"): (None, None),
    ("meetings", "agenda"): (("--network", "nope"), ("no-such-uid",)),
    ("meetings", "cancel"): (("--network", "nope", "x"), ("no-such-uid",)),
    ("meetings", "collect"): (("--network", "nope"), ("no-such-uid",)),
    ("meetings", "chair"): (
        ("--network", "nope", "x", "--to", "ada_l"),
        ("no-such-uid", "--to", "ada_l"),
    ),
    ("meetings", "ics"): (("--out", "{hub}"), None),  # a directory cannot be written as a file
    ("meetings", "list"): (("--network", "nope"), None),
    ("meetings", "move"): (
        ("x", "--to", "not-a-time"),
        ("no-such-uid", "--to", "2027-03-16T18:30"),
    ),
    ("meetings", "plan"): (("--from", "2027-02-01", "--to", "2027-01-01"), None),
    ("meetings", "publish"): (("--network", "nope"), None),
    ("meetings", "reassign"): (("nobody",), None),
    ("members", "add"): (("@not_a_username", "--name", "X"), None),
    ("members", "applications"): (("--network", "nope"), None),
    ("members", "apply"): (("kit_m", "--answer", "role"), None),
    ("members", "decide"): (
        ("1", "--by", "Sam"),
        ("7", "--admit", "--by", "Sam", "--reason", "ok"),
    ),
    ("members", "erase"): (("--network", "nope", "x"), ("nobody", "--yes")),
    ("members", "export"): (("--network", "nope", "x"), ("nobody",)),
    ("members", "list"): (("--network", "nope"), None),
    ("members", "sync"): (("--remove-from-forum",), None),
    ("members", "volunteer"): (("ada_l", "--slot", "breakfast"), ("nobody",)),
    ("networks", "list"): (None, None),
    ("networks", "setup"): (("--network", "nope"), None),
    ("notes", "add"): (("{hub}/missing.txt",), None),
    ("notes", "anonymise"): (("{hub}/missing.txt", "--roster", "{hub}/pspn.toml"), None),
    ("notes", "approve"): (("1", "--by", " "), ("7", "--by", "Sam")),
    ("notes", "history"): (None, ("7",)),
    ("notes", "list"): (("--network", "nope"), None),
    ("notes", "publish"): (None, ("7",)),
    ("notes", "purge"): (None, None),
    ("notes", "review"): (None, ("7",)),
    ("notes", "show"): (None, ("7",)),
    ("plugins",): (None, None),
    ("serve",): (None, None),
    ("surveys", "create"): (("{hub}/pspn.toml",), None),  # not a survey
    ("surveys", "import"): (("psp-role-2027", "{csv}", "--column", "nonsense"), ("nope", "{csv}")),
    ("surveys", "invite"): (("psp-role-2027", "--network", "nope"), ("nope",)),
    ("surveys", "list"): (None, None),
    ("surveys", "publish"): (None, ("nope",)),
    ("surveys", "report"): (None, ("nope", "--out", "{hub}/report")),
    ("surveys", "respond"): (
        ("token", "--answer", "no-equals-sign"),
        ("not-a-token", "--answer", "a=b"),
    ),
    ("topics", "list"): (("--network", "nope"), None),
    ("topics", "raise"): ((" ",), None),
    ("topics", "vote"): (("--network", "nope", "1", "--by", "ada_l"), ("7", "--by", "ada_l")),
}


def test_every_command_has_its_cases() -> None:
    assert set(every_command()) == set(CASES)


@pytest.mark.parametrize("path", every_command(), ids=" ".join)
def test_click_refuses_bad_values_with_exit_2(path: Path_, run: Cli) -> None:
    command = command_at(path)
    unknown = run(*path, "--no-such-option")
    assert unknown.exit_code == 2, unknown.output
    assert "No such option" in unknown.output
    for param in command.params:
        if _bad_value(param) is None:
            continue
        result = run(*path, *_args(command, param))
        assert result.exit_code == 2, (param.name, result.output)
        assert "Invalid value" in result.output, (param.name, result.output)


@pytest.fixture
def hub(run: Cli, hub_dir: Path) -> Cli:
    """The example hub, set up, with one member, a key and the sample survey."""
    assert run("networks", "setup").exit_code == 0
    assert run("members", "add", "ada_l", "--name", "Ada Lovelock").exit_code == 0
    assert run("keys", "init").exit_code == 0
    created = run("surveys", "create", str(EXAMPLES / "survey-psp-role.toml"))
    assert created.exit_code == 0, created.output
    return run


def _fill(args: tuple[str, ...], hub_dir: Path) -> list[str]:
    csv = str(EXAMPLES / "survey-responses.csv")
    other = hub_dir / "discourse-hub"
    other.mkdir(exist_ok=True)
    config = (hub_dir / "pspn.toml").read_text().replace('forum = "local"', 'forum = "discourse"')
    (other / "pspn.toml").write_text(config)
    return [a.format(hub=hub_dir, csv=csv) for a in args]


@pytest.mark.parametrize(
    "path", [p for p, (bad, _) in CASES.items() if bad is not None], ids=" ".join
)
def test_a_value_pspn_refuses_exits_2(path: Path_, hub: Cli, hub_dir: Path) -> None:
    bad, _ = CASES[path]
    assert bad is not None
    result = hub(*path, *_fill(bad, hub_dir))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.strip()


@pytest.mark.parametrize(
    "path", [p for p, (_, failing) in CASES.items() if failing is not None], ids=" ".join
)
def test_a_failed_operation_exits_1(path: Path_, hub: Cli, hub_dir: Path) -> None:
    _, failing = CASES[path]
    assert failing is not None
    result = hub(*path, *_fill(failing, hub_dir))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.output.strip()
