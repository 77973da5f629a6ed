"""In a real Chromium: an instructor fixes an uploaded file in its preview, and runs a class from a phone."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, Role, Term
from app.services import accounts, authoring, classes, imports, study
from tests.browser.conftest import screenshot
from tests.conftest import FIXED_NOW

pytestmark = pytest.mark.browser

UPLOAD = "hanzi,english\n还,\n行,\n过年,to celebrate the New Year\nhello,x\n".encode()


def log_in(page, username):
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", "correct horse")
    page.click("main [type=submit]")
    page.wait_for_url("**/")


@pytest.mark.parametrize("width", [1000, 390])
def test_the_upload_preview_is_edited_before_importing(page, app, tmp_path, width):
    with app.app_context():
        teacher = accounts.create_user("teacher_li", "correct horse", Role.INSTRUCTOR)
        deck_id = authoring.create_deck(teacher, "归途 words", "", FIXED_NOW).id
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "teacher_li")
    page.goto(f"/decks/{deck_id}/edit")
    page.click("text=Upload a file")
    path = tmp_path / "words.csv"
    path.write_bytes(UPLOAD)
    page.set_input_files("#upload", str(path))
    page.click("#upload ~ button")
    page.wait_for_url(f"**/decks/{deck_id}/preview")

    still = page.locator('select[aria-label^="Reading of 还"]')
    assert still.input_value() == "hái"  # the common reading, not the surname
    english = page.locator('input[aria-label="Meaning of 还"]')
    assert english.input_value().startswith("still")
    still.select_option("huán")
    assert english.input_value().startswith("to pay back")  # the gloss follows the reading
    page.locator('input[aria-label="Add 行"]').uncheck()
    bad = page.locator('input[aria-label="Chinese term on line 5"]')
    assert "has no Chinese characters" in page.locator("tr.has-problem").inner_text()
    assert not page.locator('input[aria-label="Add hello"]').is_checked()
    bad.fill("春节")  # fix the row, and take it after all
    page.locator('input[aria-label="Add hello"]').check()
    page.locator('input[aria-label="Meaning of hello"]').fill("Spring Festival")
    if width <= 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    screenshot(page, f"upload-preview-{width}")
    page.click("text=Import the ticked terms")
    page.wait_for_url(f"**/decks/{deck_id}/edit")
    assert "Added 3 terms" in page.locator(".flashes").inner_text()
    with app.app_context():
        terms = {t.simplified: t for t in db.session.scalars(select(Term).where(Term.deck_id == deck_id))}
    assert set(terms) == {"还", "过年", "春节"}
    assert terms["还"].pinyin == "huán" and terms["还"].english.startswith("to pay back")
    assert terms["春节"].english == "Spring Festival"


def test_the_class_page_on_a_phone(page, app):
    now = FIXED_NOW  # the live server's clock: the page's "today"
    with app.app_context():
        teacher = accounts.create_user("teacher_li", "correct horse", Role.INSTRUCTOR)
        deck = authoring.create_deck(teacher, "归途列车 Last Train Home: vocabulary of the journey", "", now)
        imports.import_terms(teacher, deck.id, [{"hanzi": w} for w in ("过年", "春节", "春运", "打工", "回家")], now)
        classroom = classes.create_class(teacher, "Chinese 201 · Tuesday evening", now)
        classes.assign_deck(teacher, classroom.id, deck.id, now, daily_new=2)
        for name, grades in (("qin_xiaoling_long_name", [1, 3, 1, 1]), ("yang", [3])):
            learner = accounts.create_user(name, "correct horse")
            classes.join_class(learner, classroom.join_code, now)
            study.start_deck(learner, db.session.get(Deck, deck.id), now, ["recognition"])
            card = db.session.scalar(select(Card).join(Term).where(Card.user_id == learner.id,
                                                                     Term.simplified == "过年"))
            for minutes, rating in enumerate(grades):
                study.grade(learner, card.id, rating, uuid.uuid4().hex, now + timedelta(minutes=minutes))
        class_id = classroom.id
    log_in(page, "teacher_li")
    page.goto(f"/classes/{class_id}")
    screenshot(page, "class-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the class page scrolls sideways on a phone ({width}px)"
    assert page.locator(".sort-links").is_visible()
    assert page.locator("text=2 new words a day").is_visible()
    row = page.locator(".progress-table tbody tr").first
    assert row.locator('td[data-label="On track"]').is_visible()
    # Assigned today with 2 new words a day, each learner has started 1 word.
    assert row.locator('td[data-label="On track"]').inner_text().strip() == "behind: 1 of 2 words"
    screenshot(page, "class-phone")
    page.click("text=qin_xiaoling_long_name")
    page.wait_for_url(f"**/classes/{class_id}/learners/*")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "learner-phone")
