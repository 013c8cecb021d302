"""Journeys in a real browser (headless Chromium), axe-core on every page, on the embedded forum.

Skipped only when Debian's chromium or chromium-driver is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pspn_core.plugins import Plugins
from tests.web.browser import MISSING, Pages, chromium, serving
from tests.web.hub import SURVEY_TOKENS, Hub, make_hub

pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as made:
        yield made


@pytest.fixture
def site(tmp_path: Path, plugins: Plugins, driver: Any) -> Iterator[tuple[Hub, Pages]]:
    hub = make_hub(tmp_path, plugins)
    try:
        with serving(hub) as base:
            driver.delete_all_cookies()
            yield hub, Pages(driver, base)
            driver.delete_all_cookies()
    finally:
        hub.close()


def sign_in(hub: Hub, pages: Pages, username: str) -> None:
    pages.open("/sign-in")
    pages.fill("#username", username)
    pages.press("Send me a sign-in link")
    assert "Check your forum messages" in pages.text
    pages.open(hub.last_link(username))
    pages.press("Sign in")


def sign_out(pages: Pages) -> None:
    pages.find("button.link-button").click()
    pages.check()
    assert "You have signed out." in pages.text


def test_signing_in_by_link_and_a_reused_link_refused(site: tuple[Hub, Pages]) -> None:
    hub, pages = site
    pages.open("/sign-in")
    pages.press("Send me a sign-in link")
    assert "There is a problem" in pages.text  # the error summary, checked by axe too
    focused = pages.driver.switch_to.active_element.get_attribute("class")
    assert "error-summary" in focused  # focus moves to it, without JavaScript
    pages.find(".error-summary a").click()
    assert pages.driver.switch_to.active_element.get_attribute("id") == "username"
    sign_in(hub, pages, "dev_p")
    assert "Signed in as Dev Patelson" in pages.driver.page_source
    link = hub.last_link("dev_p")
    sign_out(pages)
    pages.open(link)
    assert "This sign-in link no longer works" in pages.text


def test_a_member_raises_votes_and_volunteers(site: tuple[Hub, Pages]) -> None:
    hub, pages = site
    sign_in(hub, pages, "dev_p")
    assert "Tuesday 8 December 2026" in pages.text
    pages.press("Raise this topic")
    assert "Enter the topic you want to talk about" in pages.text
    pages.fill("#title", "Learning from complaints")
    pages.press("Raise this topic")
    assert "Your topic “Learning from complaints” has been added." in pages.text
    pages.find("table form button").click()
    pages.check()
    assert "You voted for" in pages.text
    pages.find("table form button.button-secondary").click()
    pages.check()
    assert "You withdrew your vote" in pages.text
    pages.press("Change when you can chair")
    pages.find("input[value='evening']").click()
    pages.press("Save")
    assert "you volunteer to chair evening meetings" in pages.text
    assert {v.name for v in hub.app.store.volunteers("pspn")} >= {"dev_p"}
    pages.press("Add the meetings to your calendar")
    pages.press("Make my calendar address")
    assert "/feeds/pspn/" in pages.find(".address").text


def test_a_survey_link_answered_twice_is_refused_the_second_time(
    site: tuple[Hub, Pages],
) -> None:
    hub, pages = site
    pages.open(f"/surveys/{SURVEY_TOKENS[0]}")
    pages.find("#q-support-4").click()
    pages.press("Send my answers")
    assert "Answer this question" in pages.text
    pages.find(".error-summary a").click()
    assert pages.driver.switch_to.active_element.get_attribute("id") == "q-role"
    pages.find("#q-role-2").click()
    pages.find("#q-topics").click()
    pages.fill("#q-comments", "Time to prepare")
    pages.press("Send my answers")
    assert "Thank you" in pages.text
    pages.open(f"/surveys/{SURVEY_TOKENS[0]}")
    assert "This survey link cannot be used" in pages.text
    assert len(hub.app.store.responses("role-2026")) == 1


def test_a_note_is_uploaded_reviewed_approved_and_published(
    site: tuple[Hub, Pages], tmp_path: Path
) -> None:
    hub, pages = site
    sign_in(hub, pages, "cleo_w")
    pages.press("Meeting notes")
    pages.press("Add notes from a meeting")
    upload = tmp_path / "minutes.txt"
    upload.write_text(
        "Present: Ada Lovelock, Bram Stokeley\n\n- Ada said the Frimley plan went to board.\n"
        "- The bluebird team will share slides; the bluebird idea was liked.\n"
        "- Call 07700 900123 for copies.\n",
        encoding="utf-8",
    )
    pages.find("#upload").send_keys(str(upload))
    pages.press("Anonymise the notes")
    assert "Check note 1" in pages.driver.title
    assert "Lovelock" not in pages.driver.page_source
    pages.press("See your original text")
    assert "Ada Lovelock" in pages.text
    pages.press("Back to note 1")
    pages.fill("#text", "bluebird")
    pages.press("Hide everywhere")
    assert "Hidden in 2 place(s)." in pages.text
    pages.find("details summary").click()
    pages.find("details input[name='reason']").send_keys("Not a person")
    pages.find("details button").click()
    pages.check()
    assert "is shown again" in pages.text
    pages.press("Send for approval")
    sign_out(pages)

    sign_in(hub, pages, "bram_s")
    pages.open("/notes/1")
    pages.press("Approve this note")
    pages.press("Publish to the network")
    assert "Published to the network's private notes area." in pages.text
    pages.press("See the history of this note")
    for step in ("Added", "Hid more", "Showed an item again", "Sent for approval", "Approved"):
        assert step in pages.text
    assert len(hub.forum.posts("PSPN meeting notes")) == 1


def test_an_upload_over_the_limit_names_the_limit(site: tuple[Hub, Pages], tmp_path: Path) -> None:
    hub, pages = site
    sign_in(hub, pages, "cleo_w")
    pages.open("/networks/pspn/notes/new")
    big = tmp_path / "big.txt"
    big.write_text("word " * 20_000, encoding="utf-8")
    pages.find("#upload").send_keys(str(big))
    pages.press("Anonymise the notes")
    assert "The file is too large" in pages.text
    assert "at most 32 KB" in pages.text


def test_the_lead_decides_an_application(site: tuple[Hub, Pages]) -> None:
    hub, pages = site
    sign_in(hub, pages, "ada_l")
    pages.press("Applications to join")
    pages.press("Fay Quilliam")
    pages.press("Save decision")
    assert "Choose a decision" in pages.text
    pages.find("#outcome").click()
    pages.fill("#reason", "Meets every rule")
    pages.press("Save decision")
    assert "Fay Quilliam has been admitted" in pages.text
    assert "fay_q" in {m.username for m in hub.app.store.members("pspn")}


def test_the_error_pages_pass_axe(site: tuple[Hub, Pages]) -> None:
    hub, pages = site
    pages.open("/no-such-page")
    assert "Page not found" in pages.text
    sign_in(hub, pages, "dev_p")
    pages.open("/networks/pspn/notes")
    assert "You cannot do that" in pages.text


def test_a_keyboard_only_walk_signs_in_raises_and_votes(site: tuple[Hub, Pages]) -> None:
    from selenium.webdriver.common.keys import Keys

    from tests.web.browser import Keyboard

    hub, pages = site
    keyboard = Keyboard(pages)
    pages.open("/sign-in")
    skip = keyboard.tab_to(
        "the skip link", lambda e: "skip-link" in (e.get_attribute("class") or "")
    )
    assert skip.rect["x"] >= 0  # shown on screen once focused
    keyboard.keys(Keys.ENTER)
    keyboard.tab_to("the username field", lambda e: e.get_attribute("id") == "username")
    keyboard.keys("dev_p", Keys.ENTER)
    pages.check()
    assert "Check your forum messages" in pages.text

    pages.open(hub.last_link("dev_p"))
    keyboard.tab_to("the Sign in button", lambda e: e.text == "Sign in")
    keyboard.keys(Keys.ENTER)
    pages.check()
    assert "Signed in as Dev Patelson" in pages.driver.page_source

    keyboard.tab_to("the topic field", lambda e: e.get_attribute("id") == "title")
    keyboard.keys("Learning from complaints", Keys.ENTER)
    pages.check()
    assert "has been added" in pages.text
    keyboard.tab_to(
        "the vote button", lambda e: e.text.startswith("Vote") and "complaints" in e.text
    )
    keyboard.keys(Keys.SPACE)
    pages.check()
    (topic,) = [t for t in hub.app.store.topics("pspn") if t.title == "Learning from complaints"]
    assert hub.app.store.topic(topic.id).votes == 1

    keyboard.tab_to("the sign-out button", lambda e: e.text == "Sign out", limit=5)
    keyboard.keys(Keys.ENTER)
    pages.check()
    assert "You have signed out." in pages.text


def test_a_member_asks_for_erasure_and_the_lead_confirms(site: tuple[Hub, Pages]) -> None:
    hub, pages = site
    sign_in(hub, pages, "dev_p")
    pages.press("See and download what this network holds about you, or ask for it to be erased")
    pages.press("Ask for my data to be erased")
    assert "Your request has been sent." in pages.text
    sign_out(pages)
    sign_in(hub, pages, "ada_l")
    pages.press("Requests to erase data")
    pages.find("table form button").click()
    pages.check()
    assert "Erased dev_p" in pages.text
    assert "Nobody has asked" in pages.text


@pytest.fixture
def discourse_site(tmp_path: Path, driver: Any) -> Iterator[tuple[Any, Hub, Pages]]:
    from pspn_adapters.discourse.fake import FakeDiscourse
    from tests.web.hub import make_discourse_hub

    with FakeDiscourse() as fake:
        hub = make_discourse_hub(tmp_path, fake)
        try:
            with serving(hub) as base:
                driver.delete_all_cookies()
                yield fake, hub, Pages(driver, base)
                driver.delete_all_cookies()
        finally:
            hub.close()
        assert fake.violations == []


def test_on_discourse_by_link_and_by_discourse_connect(
    discourse_site: tuple[Any, Hub, Pages],
) -> None:
    from tests.web.hub import discourse_messages

    fake, hub, pages = discourse_site
    assert hub.app.config.hub.forum == "discourse"
    pages.open("/sign-in")
    pages.fill("#username", "dev_p")
    pages.press("Send me a sign-in link")
    (message,) = discourse_messages(fake, "dev_p")
    link = message.split(pages.base, 1)[1].split()[0]
    pages.open(link)
    pages.press("Sign in")
    assert "Signed in as Dev Patelson" in pages.driver.page_source
    pages.fill("#title", "Board papers")
    pages.press("Raise this topic")
    assert [t.title for t in hub.app.store.topics("pspn")] == ["Board papers"]
    sign_out(pages)

    fake.site.browser_user = "dev_p"  # logged in to the forum in this browser
    pages.open("/sign-in")
    pages.press("Sign in with the forum")  # to the forum and straight back
    assert "Signed in as Dev Patelson" in pages.driver.page_source
    sign_out(pages)

    fake.site.browser_user = "stranger"
    pages.open("/sign-in")
    pages.press("Sign in with the forum")
    assert "You are not a member of a network here" in pages.text


@pytest.fixture
def invision_site(tmp_path: Path, driver: Any) -> Iterator[tuple[Any, Hub, Pages]]:
    from pspn_adapters.invision.fake import FakeInvision
    from tests.web.hub import make_invision_hub

    with FakeInvision() as fake:
        hub = make_invision_hub(tmp_path, fake, "http://unused.example.org/")
        try:
            with serving(hub) as base:
                (client_id,) = fake.oauth.clients
                fake.oauth.add_redirect_uri(client_id, f"{base}/sign-in/invision/return")
                driver.delete_all_cookies()
                yield fake, hub, Pages(driver, base)
                driver.delete_all_cookies()
        finally:
            hub.close()
        assert fake.violations == []


def test_on_invision_by_link_and_by_oauth(invision_site: tuple[Any, Hub, Pages]) -> None:
    import html

    from tests.web.hub import member_id

    fake, hub, pages = invision_site
    assert hub.app.config.hub.forum == "invision"
    pages.open("/sign-in")
    pages.fill("#username", "Dev Patelson")
    pages.press("Send me a sign-in link")
    dev = member_id(fake, "Dev Patelson")
    (message,) = [c.body for c in fake.state.conversations.values() if dev in c.recipients]
    link = html.unescape(message).split(pages.base, 1)[1].split()[0].split("<")[0]
    pages.open(link)
    pages.press("Sign in")
    assert "Signed in as Dev Patelson" in pages.driver.page_source
    sign_out(pages)

    fake.oauth.browser_member = dev  # logged in to the community in this browser
    pages.open("/sign-in")
    pages.press("Sign in with the forum")  # to the community, back with a code, then in
    assert "Signed in as Dev Patelson" in pages.driver.page_source
    pages.fill("#title", "Board papers")
    pages.press("Raise this topic")
    assert [t.title for t in hub.app.store.topics("pspn")] == ["Board papers"]
