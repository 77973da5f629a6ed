"""In a real Chromium, on a desktop window and a 390 px phone: words from the reader studied the same
day, a listening card answered with no browser voice (the server's audio plays), traditional characters
on card backs and in the reader, the card browser (search, unsuspend), undo after suspend, and the
timezone taken at registration (and found by city in settings)."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Card, User
from tests.browser.conftest import screenshot
from tests.helpers import make_deck

pytestmark = pytest.mark.browser

# A browser without any Chinese voice (as headless Chromium and many Linux desktops are).
NO_VOICES = "if ('speechSynthesis' in window) { speechSynthesis.getVoices = () => []; }"


def wait_until(page, expression: str, seconds: float = 10) -> None:
    """Poll a JavaScript expression (page.wait_for_function evaluates strings, which the CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def register(page, username: str) -> None:
    page.goto("/auth/register")
    page.fill("#username", username)
    page.fill("#password", "correct horse")
    page.fill("#confirm", "correct horse")
    page.click("text=Create account")
    page.wait_for_url("**/")


def start(page, deck_id: int, *directions: str) -> None:
    page.goto(f"/decks/{deck_id}")
    for name in ("recognition", "recall", "listening"):
        box = page.locator(f'input[name=directions][value="{name}"]')
        box.set_checked(name in directions)
    page.locator("form.study-form button[type=submit]").first.click()
    page.wait_for_url(f"**/review?deck={deck_id}")


def choose_traditional(page) -> None:
    page.goto("/settings")
    page.select_option("#script", "traditional")
    page.click("text=Save settings")
    expect(page.locator(".flash-success")).to_contain_text("Settings saved")


def test_words_from_the_reader_are_studied_the_same_day(device, app):
    with app.app_context():
        deck_id = make_deck(6).id
    page = device.new_page()
    register(page, "qin")
    start(page, deck_id, "recognition")
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("3")
    page.goto("/reader")
    page.fill("#text", "春运的时候，农民工在火车站排队买票。")
    page.get_by_role("button", name="Read", exact=True).click()
    page.check('input[name=add][value="火车站"]')
    page.click("text=Add the ticked words to My words")
    expect(page.locator(".flash-success")).to_contain_text("they come first")
    page.goto("/review")
    expect(page.locator(".front .big-hanzi")).to_have_text("火车站")  # before the film deck's 春节
    screenshot(page, f"reader-word-first-{device.name}")


def test_a_listening_card_is_answered_with_no_browser_voice(device, app):
    with app.app_context():
        deck = make_deck(2)
        deck.terms[0].pinyin = "guònián"
        db.session.commit()
        deck_id = deck.id
    page = device.new_page()
    page.add_init_script(NO_VOICES)
    audio = []
    page.on("response", lambda r: audio.append(r) if "/audio/" in r.url else None)
    register(page, "yang")
    start(page, deck_id, "listening")
    expect(page.locator(".front .prompt")).to_have_text("Listen: which word is it?")
    expect(page.locator(".front")).not_to_contain_text("过年")
    page.click("#play-front")
    wait_until(page, "document.getElementById('audio-word').readyState >= 2")
    assert audio and all(r.ok and r.headers["content-type"].startswith("audio/") for r in audio)
    assert len(audio[0].body()) > 1000
    assert page.evaluate("document.getElementById('audio-word').duration") > 0.3
    # Somewhere a learner cannot listen: the reading answers it instead.
    page.click("#show-pinyin")
    expect(page.locator("#front-pinyin")).to_have_text("guònián")
    screenshot(page, f"listening-card-{device.name}")
    page.keyboard.press("Space")
    expect(page.locator("#back .big-hanzi")).to_have_text("过年")
    with page.expect_navigation():
        page.keyboard.press("3")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "yang"))
        graded = db.session.scalar(select(Card).where(Card.user_id == user.id, Card.last_review.is_not(None)))
        assert graded is not None and graded.direction.value == "listening"


def test_the_recall_front_is_silent_until_revealed(device, app):
    with app.app_context():
        deck_id = make_deck(1).id
    page = device.new_page()
    page.add_init_script(NO_VOICES)
    register(page, "lin")
    start(page, deck_id, "recall")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/audio/" in r.url else None)
    page.keyboard.press("p")  # play: nothing, the word is the answer
    page.wait_for_timeout(300)
    assert requests == [] and page.locator(".front [data-speak]").count() == 0
    page.keyboard.press("Space")
    with page.expect_response(lambda r: "/audio/" in r.url):
        page.click("#speak-back")


def test_traditional_characters_on_card_backs_and_in_the_reader(device, app):
    with app.app_context():
        deck = make_deck(1)
        term = deck.terms[0]
        term.traditional, term.pinyin = "過年", "guònián"
        term.example_zh, term.example_en = "过年的时候，他们坐火车回家。", "At New Year they go home by train."
        db.session.commit()
        deck_id = deck.id
    page = device.new_page()
    register(page, "mei")
    choose_traditional(page)
    start(page, deck_id, "recognition")
    expect(page.locator(".front .big-hanzi")).to_have_text("過年")
    page.click("#reveal")
    expect(page.locator("#back .example")).to_contain_text("過年的時候，他們坐火車回家。")
    screenshot(page, f"traditional-back-{device.name}")
    page.goto("/reader")
    page.fill("#text", "过年的时候，他们坐火车回家。")
    page.get_by_role("button", name="Read", exact=True).click()
    reading = page.locator(".reading-text")
    expect(reading).to_contain_text("過")
    assert "们" not in reading.inner_text() and "們" in reading.inner_text()
    screenshot(page, f"traditional-reader-{device.name}")


def test_the_card_browser_searches_and_unsuspends_and_undo_takes_back_a_suspend(device, app):
    with app.app_context():
        deck = make_deck(4)
        for term, pinyin in zip(deck.terms, ["guònián", "chūnjié", "xiàoshùn", "hùkǒu"]):
            term.pinyin = pinyin
        db.session.commit()
        deck_id = deck.id
    page = device.new_page()
    register(page, "zhao")
    start(page, deck_id, "recognition")
    suspend = page.get_by_role("button", name="Suspend", exact=True)
    suspend.click()
    expect(page.locator("#undo")).to_contain_text("Undo: Suspend 过年")
    page.keyboard.press("u")  # undo after suspend: the suspension, not some older grade
    expect(page.locator(".flash-info")).to_contain_text("Undone: Suspend 过年")
    expect(page.locator(".front .big-hanzi")).to_have_text("过年")
    suspend.click()
    expect(page.locator(".flash-info")).to_contain_text("Suspended 过年")
    page.goto("/cards")
    page.fill("#q", "guonian")
    page.locator(".card-search button[type=submit]").click()
    row = page.locator("tr.card-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("suspended")
    screenshot(page, f"card-browser-{device.name}")
    row.get_by_role("button", name="Unsuspend").click()
    expect(page.locator(".flash-success")).to_contain_text("Unsuspended 过年")
    expect(page.locator("tr.card-row")).not_to_contain_text("suspended")
    page.goto("/review")
    expect(page.locator(".front .big-hanzi")).to_have_text("过年")


def test_the_timezone_is_taken_at_registration_and_found_by_city(device, app):
    page = device.new_page(timezone_id="America/Sao_Paulo")
    page.goto("/auth/register")
    expect(page.locator("#timezone-name")).to_have_text("America/Sao_Paulo")
    screenshot(page, f"register-timezone-{device.name}")
    register(page, "sofia")
    with app.app_context():
        assert db.session.scalar(select(User.timezone).where(User.username == "sofia")) == \
            "America/Sao_Paulo"
    page.goto("/settings")
    page.fill("#timezone-search", "Beijing")
    expect(page.locator("#timezone")).to_have_value("Asia/Shanghai")
    screenshot(page, f"settings-timezone-{device.name}")
    page.click("text=Save settings")
    with app.app_context():
        assert db.session.scalar(select(User.timezone).where(User.username == "sofia")) == "Asia/Shanghai"
