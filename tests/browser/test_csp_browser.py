"""In a real Chromium, on a desktop and a 390 px phone: the Content-Security-Policy blocks nothing the
pages need (scripts and styles come from files or carry the nonce) and reports no violation."""
import re

import pytest

from app.models import Role
from tests.browser.conftest import register_and_start, screenshot
from tests.helpers import make_deck

pytestmark = pytest.mark.browser

WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture(params=[(1000, 800), (390, 844)], ids=["desktop", "phone"])
def watched(request, browser, live_server):
    width, height = request.param
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height}, locale="en-GB")
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    console = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    yield page, console, "desktop" if width > 500 else "phone"
    context.close()


def assert_no_violation(page, console, where: str) -> None:
    assert page.evaluate("window.__violations") == [], where
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], (where, console)


def test_pages_work_under_the_content_security_policy(watched, app, make_user):
    page, console, device = watched
    with app.app_context():
        deck_id = make_deck(3).id
    register_and_start(page, f"qin-{device}", deck_id)
    assert_no_violation(page, console, "review")
    page.keyboard.press("Space")  # review.js, from a file, reveals the answer
    assert page.locator("#back").is_visible()
    with page.expect_navigation():
        page.keyboard.press("3")  # graded: the form posts and the next card loads
    page.goto("/progress")
    assert page.locator("svg.pygal-chart").count() >= 1
    # pygal's own stylesheet applied (its nonce let it in): the chart's text uses the set font size.
    font_size = page.locator("svg.pygal-chart .axis text").first.evaluate("e => getComputedStyle(e).fontSize")
    assert font_size == "14px"
    screenshot(page, f"csp-progress-{device}")
    assert_no_violation(page, console, "progress")
    page.goto("/api/v1/docs")
    assert page.locator("h1").inner_text().startswith("Guitu API")
    assert_no_violation(page, console, "api docs")

    make_user(f"li-{device}", role=Role.INSTRUCTOR)
    page.goto("/auth/logout")
    page.get_by_role("button", name=re.compile("Log out")).first.click()
    page.goto("/auth/login")
    page.fill("#username", f"li-{device}")
    page.fill("#password", "correct horse")
    page.click("text=Log in >> nth=-1")
    page.wait_for_url("**/")
    page.goto("/decks/new")
    page.fill("#title", "Film words")
    page.click("text=Create deck")
    page.wait_for_url("**/edit")
    page.click("text=Paste Chinese text and pick words")
    page.fill("#paste-text", "春运的时候，农民工排队买火车票。我们回家过年。")
    page.click("text=Propose words")
    page.wait_for_selector("#hide-basic-rows")
    basic_rows = page.locator("tr.basic")
    if basic_rows.count():
        page.check("#hide-basic-rows")  # preview.js, from a file, hides HSK 1-2 rows
        assert basic_rows.first.is_hidden()
    screenshot(page, f"csp-preview-{device}")
    assert_no_violation(page, console, "preview")
