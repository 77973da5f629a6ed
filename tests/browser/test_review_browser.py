"""In a real Chromium: a learner reviews three cards with the keyboard only."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import ReviewLog
from tests.browser.conftest import register_and_start, screenshot
from tests.helpers import make_deck

pytestmark = pytest.mark.browser


def test_a_learner_reviews_three_cards_with_the_keyboard_only(page, app):
    with app.app_context():
        deck_id = make_deck(4).id

    page.goto("/auth/register")
    page.keyboard.press("Tab")  # the skip link comes first
    page.fill("#username", "qin")
    page.fill("#password", "correct horse")
    page.fill("#confirm", "correct horse")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    page.goto(f"/decks/{deck_id}")
    page.get_by_role("button", name="Start studying").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review?deck={deck_id}")

    # 4 terms x (recognition, recall) = 8 new cards; grading a recognition card also holds its
    # recall sibling back until tomorrow, so the new count drops by two each time.
    seen = []
    for expected_new in (8, 6, 4):
        assert page.locator('[data-count="new"] .num').inner_text() == str(expected_new)
        assert page.locator("#back").is_hidden()
        seen.append(page.locator(".front .big-hanzi, .front .big-gloss").first.inner_text())
        page.keyboard.press("Space")
        assert page.locator("#back").is_visible()
        assert page.locator(".grade-3 .interval").inner_text() == "10m"
        if expected_new == 8:
            screenshot(page, "review-revealed")
        with page.expect_navigation():  # the grade's answer is the next card's page
            page.keyboard.press("4")  # Easy
        expect(page.locator('[data-count="new"] .num')).to_have_text(str(expected_new - 2))

    assert seen == ["过年", "春节", "孝顺"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 3
        assert db.session.scalar(select(func.min(ReviewLog.duration_ms))) > 0


def test_the_speak_button_never_fails_silently(page, app):
    """With a Chinese voice the browser speaks; without one (headless Chromium has none) the server's
    audio plays: the button is never disabled."""
    with app.app_context():
        deck_id = make_deck(1).id
    register_and_start(page, "yang", deck_id)
    page.wait_for_timeout(300)  # voices load asynchronously
    has_chinese_voice = page.evaluate(
        "() => speechSynthesis.getVoices().some(v => /^(zh|cmn)\\b/i.test(v.lang))")
    button = page.locator(".front [data-speak]")
    assert button.is_enabled() and "Speak" in button.inner_text()
    if not has_chinese_voice:
        with page.expect_response(lambda r: "/audio/" in r.url) as response:
            button.click()
        assert response.value.headers["content-type"] == "audio/wav"


def test_typed_pinyin_marks_the_wrong_tone(page, app):
    with app.app_context():
        deck = make_deck(1)
        deck.terms[0].pinyin = "guònián"
        db.session.commit()
        deck_id = deck.id
    register_and_start(page, "zhang", deck_id)
    page.check("#typed-mode")
    page.fill("#typed-pinyin", "guo3nian2")
    page.keyboard.press("Enter")  # checks the answer, then reveals the back
    page.wait_for_selector("#typed-result .verdict-wrong_tone")
    assert "Right sounds, wrong tones" in page.locator("#typed-result").inner_text()
    assert page.locator("#typed-result .verdict-correct").inner_text() == "nian2"
    page.wait_for_selector("#back", state="visible")
    # A wrong answer puts the focus on Again, so Enter grades it.
    expect(page.locator('button[data-rating="1"]')).to_be_focused()
