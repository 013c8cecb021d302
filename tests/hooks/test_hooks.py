"""Every hook: documented with its exact signature, tested, and fired in order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pluggy
import pytest
from pydantic import BaseModel

import pspn_adapters.local
from pspn_core import hookimpl, hookspecs
from pspn_core.cli import App
from pspn_core.config import Config
from pspn_core.errors import ConfigError
from pspn_core.meetings.scheduling import bank_holidays
from pspn_core.membership.model import Member
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.registries import (
    ForumContext,
    ForumRegistry,
    ForumType,
    PlatformContext,
    PlatformRegistry,
    PlatformType,
)
from tests.conftest import Cli

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hooks.md"
HOOK_NAMES = sorted(hookspecs.__all__)


def signature(name: str) -> str:
    function = getattr(hookspecs, name)
    annotations = dict(function.__annotations__)
    returns = annotations.pop("return")
    params = ", ".join(f"{arg}: {annotation}" for arg, annotation in annotations.items())
    return f"{name}({params}) -> {returns}"


@pytest.mark.parametrize("name", HOOK_NAMES)
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    assert f"## `{signature(name)}`" in DOCS.read_text()


def test_every_hook_has_a_test() -> None:
    source = Path(__file__).read_text()
    missing = [name for name in HOOK_NAMES if f"def test_hook_{name}" not in source]
    assert missing == []


def test_every_spec_is_exported() -> None:
    specs = {n for n in dir(hookspecs) if n.startswith("pspn_") and callable(getattr(hookspecs, n))}
    assert specs == set(HOOK_NAMES)


def test_a_misspelt_hook_fails_loudly() -> None:
    class Typo:
        @hookimpl
        def pspn_meeting_schedulled(self, meeting: object) -> None: ...

    with pytest.raises(pluggy.PluginValidationError, match="pspn_meeting_schedulled"):
        make_plugin_manager(load_entrypoints=False, plugins=[Typo()])


def test_disabled_entry_points_are_not_loaded() -> None:
    pm = make_plugin_manager(environ={"PSPN_DISABLED_PLUGINS": "local"})
    assert pm.is_blocked("local")
    assert "local" not in Plugins(pm).forums()


def test_installed_entry_points_load_and_register() -> None:
    plugins = Plugins(make_plugin_manager(environ={}))
    assert "local" in plugins.forums()


# -- one test per hook ---------------------------------------------------------


def make_plugins(*extra: object) -> Plugins:
    return Plugins(
        make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local, *extra])
    )


def test_hook_pspn_configure(app: App) -> None:
    seen: list[Config] = []

    class Late:
        @hookimpl
        def pspn_configure(self, config: Config) -> None:
            seen.append(config)

    app.config  # noqa: B018  (loading the config fires the hook)
    app.plugins.pm.register(Late())  # historic: a late plugin still hears it
    assert [c.hub.forum for c in seen] == ["local"]


def test_hook_pspn_register_forums(app: App) -> None:
    class Settings(BaseModel):
        pass

    class Phpbb:
        @hookimpl
        def pspn_register_forums(self, registry: ForumRegistry) -> None:
            registry.add(ForumType("phpbb", Settings, Settings, create=self.create))

        def create(self, context: ForumContext) -> object:
            raise AssertionError("not used")

    plugins = make_plugins(Phpbb())
    assert plugins.forums().names() == ["local", "phpbb"]
    with pytest.raises(ConfigError, match="no installed plugin provides"):
        plugins.forums().get("mybb")

    class Duplicate(Phpbb):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        make_plugins(Phpbb(), Duplicate()).forums()


def test_hook_pspn_register_platforms(app: App) -> None:
    class Settings(BaseModel):
        room: str = "lobby"

    made: list[PlatformContext] = []

    class Jitsi:
        @hookimpl
        def pspn_register_platforms(self, registry: PlatformRegistry) -> None:
            registry.add(PlatformType("jitsi", Settings, create=self.create))

        def create(self, context: PlatformContext) -> object:
            made.append(context)
            return object()

    plugins = make_plugins(Jitsi())
    assert plugins.platforms().names() == ["jitsi", "local"]
    with pytest.raises(ConfigError, match="no installed plugin provides that meeting platform"):
        plugins.platforms().get("zoom")
    assert app.config_path is not None
    config = app.config_path.read_text().replace("[hub]", '[hub]\nplatform = "jitsi"')
    app.config_path.write_text(config + '\n[platforms.jitsi]\nroom = "north"\n')
    chosen = App(app.config_path, plugins=plugins, environ={}).platform("pspn")
    assert chosen is not None and chosen[0] == "jitsi"
    assert made[0].settings == Settings(room="north")

    class Duplicate(Jitsi):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        make_plugins(Jitsi(), Duplicate()).platforms()


def test_hook_pspn_register_detectors() -> None:
    from pspn_core.notes.anonymiser import DetectionContext, Finding

    class Badge:
        name = "staff-badge"

        def detect(self, text: str, context: DetectionContext) -> Iterable[Finding]:
            return []

    class BadgePlugin:
        @hookimpl
        def pspn_register_detectors(self, registry: object) -> None:
            registry.add(Badge())  # type: ignore[attr-defined]

    names = [d.name for d in make_plugins(BadgePlugin()).detectors()]
    assert "staff-badge" in names
    builtin = [d.name for d in make_plugins().detectors()]
    assert set(builtin) < set(names)  # a plugin adds; the built-ins all still run


def test_hook_pspn_register_commands(hub_dir: Path) -> None:
    class Hello:
        @hookimpl
        def pspn_register_commands(self, cli: click.Group) -> None:
            @cli.command()
            @click.argument("who")
            def hello(who: str) -> None:
                """Say hello."""
                click.echo(f"hello {who}")

    run = Cli(make_plugins(Hello()), hub_dir / "pspn.toml")
    result = run("hello", "network")
    assert result.exit_code == 0 and result.output == "hello network\n"
    assert "hello: Say hello." in run("plugins").output
    assert run("nope").exit_code == 2


def test_hook_pspn_meeting_exclusions(app: App) -> None:
    class Conference:
        @hookimpl
        def pspn_meeting_exclusions(self, network: Network, start: date, end: date) -> list[date]:
            return [date(2027, 3, 9)] if network.slug == "pspn" else []

    class Quiet:
        @hookimpl
        def pspn_meeting_exclusions(self) -> None:
            return None

    plugins = make_plugins(Conference(), Quiet())
    network = app.network("pspn")
    excluded = plugins.meeting_exclusions(network, date(2027, 1, 1), date(2027, 12, 31))
    assert date(2027, 3, 9) in excluded
    # pspn's own bank holidays arrive through the same hook, from its meetings plugin
    england = {date(2027, 1, 1), date(2027, 3, 26), date(2027, 12, 27), date(2027, 12, 28)}
    assert england <= excluded and date(2027, 12, 25) not in excluded
    assert excluded - england - {date(2027, 3, 9)} <= bank_holidays(2027)


class Recorder:
    """Records every notification, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    @hookimpl
    def pspn_network_created(self, network: Network) -> None:
        self.calls.append(("network_created", network.slug))

    @hookimpl
    def pspn_member_added(self, network: Network, member: Member) -> None:
        self.calls.append(("member_added", member.username))

    @hookimpl
    def pspn_meeting_scheduled(self, network: Network, meeting: object) -> None:
        self.calls.append(("meeting_scheduled", network.slug))

    @hookimpl
    def pspn_meeting_changed(self, network: Network, meeting: object) -> None:
        self.calls.append(("meeting_changed", network.slug))

    @hookimpl
    def pspn_notes_published(self, network: Network, note_id: int, forum_id: str) -> None:
        self.calls.append(("notes_published", str(note_id)))

    @hookimpl
    def pspn_member_erased(self, network: Network, username: str) -> None:
        self.calls.append(("member_erased", username))


def test_hook_pspn_network_created(hub_dir: Path) -> None:
    recorder = Recorder()
    run = Cli(make_plugins(recorder), hub_dir / "pspn.toml")
    run("networks", "setup")
    run("networks", "setup")
    assert recorder.calls == [("network_created", "pspn")]


def test_hook_pspn_member_added(hub_dir: Path) -> None:
    recorder = Recorder()
    run = Cli(make_plugins(recorder), hub_dir / "pspn.toml")
    run("networks", "setup")
    run("members", "add", "kit_m", "--name", "Kit Marlowe")
    run("members", "add", "kit_m", "--name", "Kit Marlowe")
    assert recorder.calls == [("network_created", "pspn"), ("member_added", "kit_m")]


def test_hook_pspn_meeting_scheduled(app: App) -> None:
    recorder = Recorder()
    make_plugins(recorder).meeting_scheduled(app.network("pspn"), object())  # type: ignore[arg-type]
    assert recorder.calls == [("meeting_scheduled", "pspn")]


def test_hook_pspn_meeting_changed(app: App) -> None:
    recorder = Recorder()
    make_plugins(recorder).meeting_changed(app.network("pspn"), object())  # type: ignore[arg-type]
    assert recorder.calls == [("meeting_changed", "pspn")]


def test_hook_pspn_notes_published(app: App) -> None:
    recorder = Recorder()
    make_plugins(recorder).notes_published(app.network("pspn"), 7, "42")
    assert recorder.calls == [("notes_published", "7")]


def test_hook_pspn_register_eligibility_rules(app: App) -> None:
    from datetime import UTC, datetime

    from pspn_core.membership.eligibility import RuleContext, RuleResult, Verdict, evaluate
    from pspn_core.membership.model import Application
    from pspn_core.membership.organisations import load_organisations

    class RegionGiven:
        name = "region-given"

        def check(self, application: Application, context: RuleContext) -> RuleResult:
            region = application.answers.get("region")
            verdict = Verdict.PASS if region else Verdict.NEEDS_A_PERSON
            return RuleResult(self.name, verdict, "region given" if region else "no region")

    class RegionPlugin:
        @hookimpl
        def pspn_register_eligibility_rules(self, registry: object) -> None:
            registry.add(RegionGiven())  # type: ignore[attr-defined]

    rules = make_plugins(RegionPlugin()).eligibility_rules()
    builtin = [rule.name for rule in make_plugins().eligibility_rules()]
    assert [rule.name for rule in rules] == [*builtin, "region-given"]
    application = Application(
        network="pspn",
        username="kit_m",
        answers={"role": "Patient Safety Partner", "organisation": "RR8"},
        received_at=datetime(2027, 1, 5, tzinfo=UTC),
    )
    context = RuleContext(app.network("pspn"), load_organisations())
    assessment = evaluate(application, rules, context)
    assert assessment.verdict is Verdict.NEEDS_A_PERSON
    assert assessment.results[-1].reason == "no region"
    with pytest.raises(ValueError, match="registered twice"):
        make_plugins(RegionPlugin(), RegionPlugin()).eligibility_rules()


def test_hook_pspn_member_admitted(hub_dir: Path) -> None:
    calls: list[tuple[str, str, str]] = []

    class Coordinator:
        @hookimpl
        def pspn_member_added(self, member: Member) -> None:
            calls.append(("added", member.username, ""))

        @hookimpl
        def pspn_member_admitted(self, network: Network, member: Member, decision: object) -> None:
            calls.append(("admitted", member.username, decision.by))  # type: ignore[attr-defined]

    run = Cli(make_plugins(Coordinator()), hub_dir / "pspn.toml")
    run("networks", "setup")
    answers = ["--answer", "role=Patient Safety Partner", "--answer", "organisation=RR8"]
    assert run("members", "apply", "kit_m", "--name", "Kit Marlowe", *answers).exit_code == 0
    assert run("members", "apply", "lou_b", "--name", "Lou Brand", *answers).exit_code == 0
    run("members", "decide", "1", "--admit", "--by", "Sam Coordinator", "--reason", "eligible")
    run("members", "decide", "2", "--decline", "--by", "Sam Coordinator", "--reason", "not a PSP")
    assert calls == [("added", "kit_m", ""), ("admitted", "kit_m", "Sam Coordinator")]


def test_a_failing_notification_does_not_stop_the_others(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        @hookimpl
        def pspn_notes_published(self) -> None:
            raise RuntimeError("secret note text")

    recorder = Recorder()
    make_plugins(recorder, Broken()).notes_published(app.network("pspn"), 1, "2")
    assert recorder.calls == [("notes_published", "1")]
    assert "RuntimeError" in caplog.text and "secret note text" not in caplog.text


def test_third_party_plugin_with_a_command_and_a_notification(hub_dir: Path) -> None:
    """A tiny plugin as a third party would write it, loaded through the plugin manager."""
    welcomed: list[str] = []

    class Welcome:
        @hookimpl
        def pspn_register_commands(self, cli: click.Group) -> None:
            @cli.command("welcomed")
            def show() -> None:
                """List who was welcomed."""
                click.echo(",".join(welcomed) or "nobody")

        @hookimpl
        def pspn_member_added(self, member: Member) -> None:
            welcomed.append(member.username)

    run = Cli(make_plugins(Welcome()), hub_dir / "pspn.toml")
    assert run("welcomed").output == "nobody\n"
    run("networks", "setup")
    run("members", "add", "kit_m", "--name", "Kit Marlowe")
    assert run("welcomed").output == "kit_m\n"


def test_hook_order_over_a_whole_demo(tmp_path: Path) -> None:
    recorder = Recorder()
    run = Cli(make_plugins(recorder), None)
    assert run("demo", str(tmp_path / "d")).exit_code == 0
    kinds = [kind for kind, _ in recorder.calls]
    assert kinds[:6] == ["network_created"] + ["member_added"] * 5
    order = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert order == ["network_created", "member_added", "meeting_scheduled", "notes_published"]
    assert kinds.count("notes_published") == 1


def test_tracing_shows_every_hook_call_with_notifications_but_no_values(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    class Broken:
        @hookimpl
        def pspn_member_added(self, network: Network, member: Member) -> None:
            raise RuntimeError("boom")

    recorder = Recorder()
    pm = make_plugin_manager(
        load_entrypoints=False,
        plugins=[pspn_adapters.local, Broken(), recorder],
        environ={"PSPN_TRACE_PLUGINS": "1"},
    )
    plugins = Plugins(pm)
    plugins.configure(app.config)
    member = Member(network="pspn", username="kit_m", display_name="Kit Marlowe")
    plugins.member_added(app.network("pspn"), member)
    assert recorder.calls[-1] == ("member_added", "kit_m")  # the broken plugin stopped nothing
    trace = capsys.readouterr().err
    assert "pspn hook pspn_configure(config)" in trace
    assert "pspn hook pspn_member_added(network, member)" in trace
    assert "pspn_member_added raised RuntimeError" in trace
    for value in ("Kit Marlowe", "kit_m", "psp-network", str(app.config.data_dir)):
        assert value not in trace


def test_hook_pspn_demo_tips(app: App) -> None:
    class Tips:
        @hookimpl
        def pspn_demo_tips(self, config: Config, username: str) -> list[str]:
            return [f"{config.hub.name}: try signing in as {username}"]

    class Quiet:
        @hookimpl
        def pspn_demo_tips(self) -> None:
            return None

    lines = make_plugins(Tips(), Quiet()).demo_tips(app.config, "ada_l")
    assert lines == ["Patient Safety Hub: try signing in as ada_l"]


def test_hook_pspn_member_erased(hub_dir: Path) -> None:
    """Erasure reaches every plugin; pspn's own server plugin forgets the web app's rows."""
    from pspn_adapters import server
    from pspn_adapters.web.database import WEB_DATABASE
    from pspn_adapters.web.feed_tokens import FeedTokens

    recorder = Recorder()
    run = Cli(make_plugins(recorder, server), hub_dir / "pspn.toml")
    run("networks", "setup")
    run("members", "add", "kit_m", "--name", "Kit Marlowe")
    data_dir = hub_dir / "pspn-data"
    tokens = FeedTokens(data_dir, clock=lambda: datetime.now(UTC))
    tokens.make("pspn", "kit_m")
    tokens.close()
    assert b"kit_m" in (data_dir / WEB_DATABASE).read_bytes()
    assert run("members", "erase", "kit_m", "--by", "DPO", "--yes").exit_code == 0
    assert recorder.calls[-1] == ("member_erased", "kit_m")
    assert b"kit_m" not in (data_dir / WEB_DATABASE).read_bytes()
