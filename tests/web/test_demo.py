"""``pspn demo`` ends with the web address and a sign-in link that works."""

from __future__ import annotations

import re
from pathlib import Path

import pspn_adapters.local
import pspn_adapters.server
from pspn_adapters.server.serve import build_context
from pspn_adapters.web.app import create_app
from pspn_adapters.web.settings import web_settings
from pspn_core.cli import App
from pspn_core.plugins import Plugins, make_plugin_manager
from tests.conftest import Cli
from tests.web.conftest import csrf


def test_the_demo_prints_a_sign_in_link_for_its_lead(tmp_path: Path) -> None:
    plugins = Plugins(
        make_plugin_manager(
            load_entrypoints=False, plugins=[pspn_adapters.local, pspn_adapters.server]
        )
    )
    result = Cli(plugins, None)("demo", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    found = re.search(r"http://127\.0\.0\.1:8080(/sign-in/\S+)", result.output)
    assert found, result.output
    assert "serve`, then open http://127.0.0.1:8080/" in result.output

    app = App(tmp_path / "demo" / "pspn.toml", plugins=plugins, environ={})
    context = build_context(app)
    try:
        client = create_app(context, web_settings(app.config), {}).test_client()
        link = found.group(1)
        answer = client.post(link, data={"csrf_token": csrf(client.get(link).data)})
        assert answer.status_code == 302
        assert client.get("/networks/pspn/applications").status_code == 200  # a lead
        assert client.get("/networks/pspn/notes").status_code == 200
    finally:
        context.close()
        if "store" in app.__dict__:
            app.store.close()
