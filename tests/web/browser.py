"""Headless Chromium for the journeys: Debian's ``chromium`` driven by its ``chromedriver``,
with axe-core (vendored beside this file) run on every page."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pspn_adapters.server.serve import Server, build_context
from pspn_adapters.web import mount
from tests.web.hub import Hub

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
MISSING = next(
    (
        f"{what} is not installed (apt-get install chromium chromium-driver)"
        for what, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER))
        if not os.access(path, os.X_OK)
    ),
    None,
)

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

#: Where screenshots of each page go when PSPN_SCREENSHOTS names a directory.
SCREENSHOTS = os.environ.get("PSPN_SCREENSHOTS", "")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium with an empty profile, nothing fetched from the network."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pspn-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1024,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def serving(hub: Hub) -> Iterator[str]:
    """``pspn serve`` for ``hub`` (webhooks and web app) on a free port; yields its address."""
    context = build_context(hub.app)
    server = Server(context, "127.0.0.1", 0, wsgi=mount(context, hub.app.environ, clock=hub.clock))
    thread = threading.Thread(target=server.serve, kwargs={"grace": 2}, daemon=True)
    thread.start()
    host, port = server.address
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        thread.join(10)


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA and best-practice violations on the current page."""
    driver.execute_script(AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
        WCAG,
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{v['id']}: {v['help']} at {[n.get('target') for n in v['nodes']][:3]}" for v in violations
    )


class Pages:
    """Opens pages, checks each with axe-core, and keeps a screenshot when asked."""

    def __init__(self, driver: Any, base: str) -> None:
        self.driver = driver
        self.base = base
        self.checked: list[str] = []

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)
        self.check()

    def check(self, name: str = "") -> None:
        """Assert axe-core finds nothing on the page now shown."""
        violations = axe_violations(self.driver)
        title = self.driver.title
        assert not violations, f"{title}: {describe(violations)}"
        assert "Traceback" not in self.driver.page_source
        self.checked.append(title)
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            slug = "".join(c if c.isalnum() else "-" for c in (name or title).lower())[:60]
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(1024, min(int(height) + 140, 5000))
            self.driver.save_screenshot(str(folder / f"{len(self.checked):02d}-{slug}.png"))
            self.driver.set_window_size(1024, 900)

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def fill(self, css: str, text: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(text)

    def press(self, text: str) -> None:
        """Press the button or link whose visible text is ``text``, then check the new page."""
        from selenium.webdriver.common.by import By

        found = self.driver.find_elements(
            By.XPATH, f"//button[normalize-space(.)='{text}'] | //a[normalize-space(.)='{text}']"
        )
        assert found, f"no button or link {text!r} on {self.driver.title!r}"
        found[0].click()
        self.check()

    @property
    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.TAG_NAME, "main").text)


class Keyboard:
    """Walks a page with the keyboard alone: Tab, Shift+Tab, Enter, Space and typing."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.driver = pages.driver

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*keys).perform()

    @property
    def focused(self) -> Any:
        return self.driver.switch_to.active_element

    def tab_to(self, description: str, match: Any, limit: int = 40) -> Any:
        """Press Tab until ``match(element)`` holds for the focused element; return it.

        Every element reached must show where the focus is (an outline or a box shadow).
        """
        from selenium.webdriver.common.keys import Keys

        for _ in range(limit):
            self.keys(Keys.TAB)
            element = self.focused
            outline = element.value_of_css_property("outline-style")
            shadow = element.value_of_css_property("box-shadow")
            assert outline != "none" or shadow != "none", (
                f"no visible focus on <{element.tag_name}> {element.text!r}"
            )
            if match(element):
                return element
        raise AssertionError(f"Tab never reached {description} on {self.driver.title!r}")
