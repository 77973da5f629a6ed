"""In a real Chromium, desktop and a 390 px phone: a learner with six months of history optimises their
schedule in settings, reads both figures, tries the retention simulator and reads their memory charts."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, User
from app.services import study
from app.services.sync import ReviewItem, apply_reviews
from tests.browser.conftest import ARTIFACTS, register_and_start, screenshot
from tests.conftest import FIXED_NOW
from tests.simulated_learner import make_big_deck, offline_history

pytestmark = pytest.mark.browser


def give_history(app, username: str) -> None:
    """Six months of reviews on 240 cards, ending yesterday, as if synced from a phone."""
    now = FIXED_NOW  # the live server's clock
    begin = now - timedelta(days=181)
    deck_id = make_big_deck(app, 120)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        study.start_deck(user, db.session.get(Deck, deck_id), begin)
        card_ids = db.session.scalars(select(Card.id).where(Card.user_id == user.id).order_by(Card.id)).all()
        reviews = offline_history(card_ids, begin, 180, seed=5)
        for i in range(0, len(reviews), 1000):
            apply_reviews(user, [ReviewItem(**r) for r in reviews[i:i + 1000]], now)


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_optimise_my_schedule_then_read_the_figures_the_simulator_and_the_memory_charts(page, app):
    app.config["FSRS_OPTIMIZER"] = "thread"  # as `make run` serves it: a worker thread in the app process
    register_and_start(page, "qin")
    page.goto("/settings")
    assert "400 more reviews and 14 more days" in page.locator("[data-readiness]").inner_text()
    assert page.locator("text=Optimise my schedule").count() == 0

    give_history(app, "qin")
    page.goto("/settings")
    page.click("text=Optimise my schedule")
    page.wait_for_url("**/settings#schedule")
    for _ in range(100):  # the worker thread finishes in the background; the learner reloads
        if page.locator("#schedule").get_attribute("data-status") == "idle":
            break
        page.wait_for_timeout(200)
        page.reload()
    schedule = page.locator("#schedule")
    assert schedule.get_attribute("data-status") == "idle"
    assert "your own parameters" in page.locator('[data-figure="parameters-in-use"]').inner_text()
    cells = page.locator('tr[data-figure="log-loss"] td').all_inner_texts()
    assert len(cells) == 2 and float(cells[1]) < float(cells[0])
    assert "were kept" in page.locator("[data-verdict]").inner_text()
    page.click("text=The 21 FSRS-6 parameters in use")
    assert page.locator(".weights li").count() == 21
    schedule.scroll_into_view_if_needed()
    screenshot(page, "settings-schedule-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    no_sideways_scroll(page)
    page.locator("#schedule").scroll_into_view_if_needed()
    screenshot(page, "settings-schedule-phone")
    page.set_viewport_size({"width": 1000, "height": 800})

    page.click("text=Choose your desired retention with the simulator")
    page.wait_for_url("**/settings/retention")
    rows = page.locator("tr[data-retention]")
    assert rows.first.get_attribute("data-retention") == "0.70"
    assert rows.last.get_attribute("data-retention") == "0.97"
    assert page.locator('tr[aria-current="true"]').get_attribute("data-retention") == "0.90"
    charts = page.locator('[data-chart="workload"] svg.pygal-chart')
    assert charts.count() == 2  # minutes a day, cards remembered after a year
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    screenshot(page, "retention-simulator-desktop")
    page.locator('tr[data-retention="0.85"] button').click()
    page.wait_for_url("**/settings/retention")
    assert page.locator('tr[aria-current="true"]').get_attribute("data-retention") == "0.85"
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "retention-simulator-phone")
    no_sideways_scroll(page)
    page.set_viewport_size({"width": 1000, "height": 800})

    page.goto("/progress")
    page.click("text=Memory: calibration, stability, forgetting curves")
    page.wait_for_url("**/progress/memory")
    for name in ("calibration", "stability", "difficulty", "curve"):
        box = page.locator(f'[data-chart="{name}"] svg.pygal-chart').bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, name
    assert "your own parameters" in page.locator('[data-chart="calibration"] figcaption').inner_text()
    # Choose another card: its forgetting curve and its reviews.
    options = page.locator("#card-choice option")
    assert options.count() > 10
    chosen = options.nth(5).get_attribute("value")
    page.select_option("#card-choice", chosen)
    page.click('[data-chart="curve"] >> text=Show')
    page.wait_for_url(f"**/progress/memory?card={chosen}#curve-heading")
    page.click("text=Reviews of this card as a table")
    with app.app_context():
        reviews = len(db.session.get(Card, int(chosen)).reviews)
    assert page.locator("tr[data-review]").count() == reviews
    screenshot(page, "progress-memory-desktop")
    for name in ("calibration", "curve"):  # the new charts close up, to look at
        page.locator(f'[data-chart="{name}"]').screenshot(path=str(ARTIFACTS / f"progress-{name}-desktop.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    no_sideways_scroll(page)
    box = page.locator('[data-chart="curve"] svg.pygal-chart').bounding_box()
    assert box and box["width"] <= 360
    page.locator('[data-chart="calibration"]').scroll_into_view_if_needed()
    screenshot(page, "progress-memory-phone")
