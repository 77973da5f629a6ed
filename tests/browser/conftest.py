"""Browser fixtures: the app served on localhost and a real headless Chromium driven by Playwright.

Chromium comes from Debian's `chromium` package (`apt-get install chromium`); CHROMIUM_PATH points
elsewhere. Without it these tests skip with that advice, unless GUITU_REQUIRE_BROWSER=1 (set by
.ci/run), where a missing browser fails the run.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def _chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    return candidate if candidate and Path(candidate).exists() else None


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = ("Chromium not found: install Debian's chromium package (apt-get install chromium) "
                   "or set CHROMIUM_PATH to run the browser tests")
        if os.environ.get("GUITU_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1000, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


VIEWPORTS = {"desktop": {"width": 1000, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def device(request, browser, live_server):
    """A fresh browser context per viewport: a desktop window and a 390 px phone. `device.new_page(**options)`
    opens a page (options such as timezone_id go to the context); `device.name` names screenshots."""

    class Device:
        name = request.param

        def __init__(self):
            self.contexts = []

        def new_page(self, **options):
            phone = self.name == "phone"
            context = browser.new_context(base_url=live_server, viewport=VIEWPORTS[self.name], locale="en-GB",
                                          is_mobile=phone, has_touch=phone, **options)
            self.contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(10_000)
            return page

    device = Device()
    yield device
    for context in device.contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def register_and_start(page, username: str, deck_id: int | None = None) -> None:
    """Register through the form, then (with a deck) start studying it and land on its review screen."""
    page.goto("/auth/register")
    page.fill("#username", username)
    page.fill("#password", "correct horse")
    page.fill("#confirm", "correct horse")
    page.click("text=Create account")
    page.wait_for_url("**/")
    if deck_id is not None:
        page.goto(f"/decks/{deck_id}")
        page.click("text=Start studying")
        page.wait_for_url(f"**/review?deck={deck_id}")
