"""The pages of personal scheduling: settings (optimise, figures, back to defaults, reminder), the retention
simulator, and the progress page's calibration, distributions and forgetting curve."""
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, SchedulerFit
from app.services import fit_worker, study
from app.services.sync import ReviewItem, apply_reviews
from tests.conftest import FIXED_NOW, get_user
from tests.simulated_learner import make_big_deck, offline_history

START = FIXED_NOW - timedelta(days=181)


@pytest.fixture
def qin(app, auth, make_user):
    user_id = make_user("qin")
    auth.login()
    return user_id


@pytest.fixture
def history(app, qin):
    """Qin's six months on 300 cards, with a memory weaker than FSRS's average learner's."""
    deck_id = make_big_deck(app, 150)
    with app.app_context():
        user = get_user(qin)
        deck = db.session.get(Deck, deck_id)
        study.start_deck(user, deck, START)
        card_ids = db.session.scalars(select(Card.id).where(Card.user_id == qin).order_by(Card.id)).all()
        reviews = offline_history(card_ids, START, 180, seed=5)
        for i in range(0, len(reviews), 1000):
            apply_reviews(user, [ReviewItem(**r) for r in reviews[i:i + 1000]], FIXED_NOW)
    return reviews


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def optimise(app, client):
    response = client.post("/settings/schedule/optimize")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings#schedule")
    with app.app_context():
        assert fit_worker.run_pending(now=FIXED_NOW) == 1


def test_a_new_learner_is_told_how_many_more_reviews_they_need(client, qin):
    page = text(client.get("/settings"))
    assert "scheduled with FSRS's default parameters" in page
    assert "You have 0 reviews over 0 days: 400 more reviews and 14 more days to go." in page
    assert "Optimise my schedule" not in page
    response = client.post("/settings/schedule/optimize")
    assert response.status_code == 409
    assert "400 more reviews" in text(response)


def test_optimising_from_settings_shows_both_figures_and_can_go_back(app, client, qin, history):
    page = client.get("/settings").get_data(as_text=True)
    assert "Optimise my schedule" in page and "Back to the defaults" not in page
    optimise(app, client)
    page = client.get("/settings")
    html = page.get_data(as_text=True)
    with app.app_context():
        fit = db.session.scalars(select(SchedulerFit)).one()
        assert fit.accepted
        assert f"{fit.log_loss_default:.4f}" in html and f"{fit.log_loss_fitted:.4f}" in html
        assert f"{100 * fit.rmse_default:.2f}%" in html and f"{100 * fit.rmse_fitted:.2f}%" in html
        assert f"{len(history)} reviews read" in text(page)
    assert "scheduled with your own parameters" in text(page)
    assert "predicted you better, so they were kept" in text(page)
    assert html.count("<li>w") == 21

    response = client.post("/settings/schedule/defaults", follow_redirects=True)
    assert "Back to FSRS&#39;s default parameters" in response.get_data(as_text=True)
    assert "scheduled with FSRS's default parameters" in text(response)
    with app.app_context():
        assert get_user(qin).fsrs_parameters is None


def test_the_reminder_appears_after_a_thousand_new_reviews_and_can_be_turned_off(app, client, qin, history):
    optimise(app, client)
    assert "data-reminder" not in client.get("/settings").get_data(as_text=True)
    with app.app_context():  # a thousand more reviews after the optimisation
        user = get_user(qin)
        for fit in db.session.scalars(select(SchedulerFit)):
            fit.finished_at = FIXED_NOW - timedelta(hours=12)  # after the whole history
        db.session.commit()
        cards = db.session.scalars(select(Card).where(Card.user_id == qin)).all()
        moment = FIXED_NOW - timedelta(hours=11)
        for i in range(1000):
            study.record_review(user, cards[i % len(cards)].id, 3, uuid.uuid4().hex,
                                max(moment + timedelta(seconds=i), cards[i % len(cards)].last_review))
        db.session.commit()
    html = client.get("/settings").get_data(as_text=True)
    assert "data-reminder" in html and "1000 reviews since your schedule was last optimised" in html
    client.post("/settings/schedule/reminder", data={})
    assert "data-reminder" not in client.get("/settings").get_data(as_text=True)


def test_the_retention_simulator_shows_workload_and_knowledge_from_070_to_097(app, client, qin, history):
    response = client.get("/settings/retention")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = re.findall(r'<tr data-retention="([0-9.]+)"[^>]*>.*?</tr>', html, re.S)
    assert rows[0] == "0.70" and rows[-1] == "0.97" and "0.90" in rows
    assert 'data-retention="0.90" aria-current="true"' in html  # the learner's own retention
    cells = {r: [float(v) for v in re.findall(r'<td class="num">([0-9.]+)</td>',
                                                 re.search(rf'<tr data-retention="{r}".*?</tr>', html, re.S)[0])]
             for r in rows}
    # Higher retention: more reviews and minutes a day, more cards remembered.
    assert cells["0.97"][0] > cells["0.90"][0] > cells["0.70"][0]
    assert cells["0.97"][1] > cells["0.70"][1]
    assert cells["0.97"][2] > cells["0.70"][2]
    assert "your grades and your answer times" in text(response)
    assert "<svg" in html

    client.post("/settings/retention", data={"desired_retention": "0.85"})
    with app.app_context():
        assert get_user(qin).desired_retention == 0.85
    assert client.post("/settings/retention", data={"desired_retention": "1.5"}).status_code == 400
    assert client.post("/settings/retention", data={"desired_retention": "lots"}).status_code == 400


def test_the_progress_page_shows_calibration_distributions_and_a_forgetting_curve(app, client, qin, history):
    assert 'href="/progress/memory"' in client.get("/progress").get_data(as_text=True)
    response = client.get("/progress/memory")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for chart in ("calibration", "stability", "difficulty", "curve"):
        assert f'data-chart="{chart}"' in html
    # The calibration table's reviews add up to every review a day or more after the card's previous one.
    counts = re.findall(r'<tr data-bin="[0-9.]+"><th scope="row">[^<]+</th>\s*<td class="num">(\d+)</td>', html)
    with app.app_context():
        from app.services import scheduler_fit

        scored = len(scheduler_fit.targets(scheduler_fit.load_history(get_user(qin))))
        cards = db.session.scalars(select(Card).where(Card.user_id == qin, Card.last_review.is_not(None))).all()
        over_a_year = sum(1 for c in cards if c.stability >= 365)
        weakest = sorted(cards, key=lambda c: c.stability)[0]
        weakest_reviews = len(weakest.reviews)
    assert sum(int(n) for n in counts) == scored
    section = re.search(r'data-chart="stability".*?</section>', html, re.S)[0]
    stability = dict(re.findall(r'<tr data-bucket="(\d)"><th scope="row">[^<]+</th><td class="num">(\d+)</td>',
                                section))
    assert sum(int(n) for n in stability.values()) == len(cards)
    assert int(stability["6"]) == over_a_year

    # Any of the learner's cards can be chosen; its reviews are on the curve and in the table.
    page = client.get(f"/progress/memory?card={weakest.id}").get_data(as_text=True)
    curve = re.findall(r'data-chart="curve".*?</section>', page, re.S)[0]
    assert f'<option value="{weakest.id}" selected>' in curve
    assert len(re.findall(r'<tr data-review="\d+">', curve)) == weakest_reviews
    assert "Predicted recall" in curve


def test_another_learners_card_has_no_curve_for_me(app, client, qin, history, make_user, auth):
    with app.app_context():
        card_id = db.session.scalars(select(Card.id).where(Card.user_id == qin)).first()
        yang = get_user(make_user("yang"))
        study.start_deck(yang, db.session.get(Deck, make_big_deck(app, 1)), FIXED_NOW)
        card, _ = study.next_card(yang, FIXED_NOW)
        study.grade(yang, card.id, 3, uuid.uuid4().hex, FIXED_NOW)
    auth.logout()
    auth.login("yang")
    assert client.get("/progress/memory").status_code == 200
    assert client.get(f"/progress/memory?card={card_id}").status_code == 404


def test_the_memory_view_without_reviews_says_what_to_do(client, qin):
    response = client.get("/progress/memory")
    assert response.status_code == 200
    assert "appears once you have reviewed cards" in text(response)
    assert "<svg" not in response.get_data(as_text=True)
