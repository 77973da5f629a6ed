"""In a real Chromium: a learner reviews three cards, then finds them on the progress page, on a phone too."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import register_and_start, screenshot
from tests.helpers import make_deck

pytestmark = pytest.mark.browser


def test_reviews_show_up_on_the_progress_page(page, app):
    with app.app_context():
        deck_id = make_deck(4).id

    register_and_start(page, "qin")

    page.goto("/progress")
    assert "Nothing to show yet" in page.locator("main").inner_text()
    assert page.locator("main svg").count() == 0

    page.goto(f"/decks/{deck_id}")
    page.click("text=Start studying")
    page.wait_for_url(f"**/review?deck={deck_id}")
    for expected_new in (8, 6, 4):  # grading a recognition card holds back its recall sibling
        expect(page.locator('[data-count="new"] .num')).to_have_text(str(expected_new))
        page.keyboard.press("Space")
        with page.expect_navigation():  # the grade's answer is the next card's page
            page.keyboard.press("4")  # Easy: straight to review state
    expect(page.locator('[data-count="new"] .num')).to_have_text("2")

    page.click("nav >> text=Progress")
    page.wait_for_url("**/progress")
    assert page.locator('[data-stat="reviews-today"] dd').inner_text() == "3"
    assert page.locator('[data-stat="current-streak"] dd').inner_text() == "1 day"
    assert page.locator('[data-chart="reviews"] figcaption').inner_text().startswith("3 reviews in the last 30 days")

    # The charts are drawn (inline SVG with a real size) and carry the same numbers as their tables.
    for name in ("reviews", "forecast", "states"):
        box = page.locator(f'[data-chart="{name}"] svg.pygal-chart').bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, name
    states = page.locator('[data-chart="states"] svg.pygal-chart')
    assert states.locator("desc.value").all_text_contents() == ["5", "0", "3", "0", "0"]
    assert page.locator('tr[data-state="new"] td').inner_text() == "5"
    assert page.locator('tr[data-state="young"] td').inner_text() == "3"
    studied = page.locator('.heatmap rect:not([data-count="0"])')
    assert studied.count() == 1 and studied.get_attribute("data-count") == "3"
    assert "3 reviews" in studied.locator("title").text_content()
    deck_bar = page.locator(f"#deck-{deck_id}-started")
    assert deck_bar.get_attribute("value") == "3" and deck_bar.get_attribute("max") == "8"
    page.click("text=Reviews per day as a table")
    assert page.locator('[data-chart="reviews"] details tbody tr').count() == 1
    screenshot(page, "progress-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    box = page.locator('[data-chart="forecast"] svg.pygal-chart').bounding_box()
    assert box and box["width"] <= 360
    screenshot(page, "progress-phone")
