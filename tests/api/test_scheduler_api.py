"""/api/v1/me/scheduler: a learner's own FSRS parameters, fitted in the background on their history."""
import random
import time
from datetime import timedelta

import fsrs
import pytest

from app.extensions import db
from app.models import FitStatus, SchedulerFit
from app.services import fit_worker
from app.services.scheduler_fit import DEFAULT_PARAMETERS
from tests.conftest import FIXED_NOW
from tests.helpers import PASSWORD, is_problem, login
from tests.simulated_learner import TRUE_PARAMETERS, Memory, make_big_deck, offline_history, study_through_the_api, sync

FIGURES = ("log_loss_default", "log_loss_fitted", "rmse_default", "rmse_fitted")


def start(learner, deck_id) -> list[int]:
    assert learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition", "recall"]}).status_code == 200
    return [c["id"] for c in learner.get(f"/decks/{deck_id}/cards").json["cards"]]


def run_worker(app, clock) -> int:
    with app.app_context():
        return fit_worker.run_pending(now=clock.now)


@pytest.fixture
def history_of_six_months(app, learner, clock):
    """Qin's six months on 400 cards, synced from a phone: enough history, and a memory unlike FSRS's
    average learner's (tests/simulated_learner.py)."""
    begin = FIXED_NOW - timedelta(days=181)
    clock.now = begin
    card_ids = start(learner, make_big_deck(app, 200))
    history = offline_history(card_ids, begin, 180, seed=5)
    clock.now = FIXED_NOW
    sync(learner, history)
    return history


def test_without_enough_history_the_learner_is_told_how_much_more_is_needed(learner, deck_id, clock):
    body = learner.get("/me/scheduler").json
    assert body["status"] == "idle" and body["personalised"] is False
    assert body["parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    assert len(body["parameters"]) == 21
    assert body["can_optimize"] is False and body["reviews_needed"] == 400 and body["days_needed"] == 14
    assert all(body[name] is None for name in FIGURES) and body["reviews_used"] is None

    response = learner.post("/me/scheduler/optimize")
    assert is_problem(response, 409)
    assert "400 more reviews and 14 more days" in response.json["detail"]
    assert learner.get("/me/scheduler").json["status"] == "idle"


def test_an_optimisation_runs_in_the_background_and_keeps_parameters_only_when_better(
        app, learner, history_of_six_months, clock):
    response = learner.post("/me/scheduler/optimize")
    assert response.status_code == 202, response.json
    assert response.headers["Location"].endswith("/api/v1/me/scheduler")
    assert response.json["status"] == "queued"
    # Asking again while it waits joins the same optimisation.
    assert learner.post("/me/scheduler/optimize").status_code == 202
    with app.app_context():
        assert db.session.query(SchedulerFit).count() == 1

    assert run_worker(app, clock) == 1
    body = learner.get("/me/scheduler").json
    assert body["status"] == "idle" and body["error"] is None
    assert body["reviews_used"] == len(history_of_six_months)
    print(f"\nSynced six months: {body['reviews_used']} reviews; log loss {body['log_loss_default']:.4f} -> "
          f"{body['log_loss_fitted']:.4f}, RMSE (bins) {body['rmse_default']:.4f} -> {body['rmse_fitted']:.4f}")
    assert body["log_loss_fitted"] < body["log_loss_default"]
    assert body["rmse_fitted"] <= body["rmse_default"]
    assert body["accepted"] is True and body["personalised"] is True
    assert body["parameters"] == body["fitted_parameters"] != pytest.approx(list(DEFAULT_PARAMETERS))
    # Far from FSRS's defaults where this learner is: their first memories are much weaker.
    assert body["parameters"][2] < DEFAULT_PARAMETERS[2] * 0.8

    # The fitted parameters now schedule Qin: a new card's intervals on the review screen are fsrs's with them.
    new_deck = make_big_deck(app, 2)
    start(learner, new_deck)
    card = learner.get(f"/review/next?deck_id={new_deck}").json["card"]
    assert card["queue"] == "new"
    scheduler = fsrs.Scheduler(parameters=body["parameters"], enable_fuzzing=False)
    for rating, seconds in card["intervals"].items():
        expected = scheduler.review_card(fsrs.Card(), fsrs.Rating(int(rating)), FIXED_NOW)[0].due - FIXED_NOW
        assert seconds == int(expected.total_seconds()), rating

    # Nothing new since: optimising again answers at once with the same result.
    again = learner.post("/me/scheduler/optimize")
    assert again.status_code == 200
    assert again.json["log_loss_fitted"] == body["log_loss_fitted"]


def test_back_to_the_defaults_and_back_again(app, learner, history_of_six_months, clock):
    learner.post("/me/scheduler/optimize")
    run_worker(app, clock)
    fitted = learner.get("/me/scheduler").json["parameters"]

    response = learner.client.patch("/api/v1/me/scheduler", json={"parameters": "default"},
                                    headers={"Authorization": f"Bearer {learner.token}"})
    assert response.status_code == 200, response.json
    assert response.json["personalised"] is False
    assert response.json["parameters"] == pytest.approx(list(DEFAULT_PARAMETERS))
    assert response.json["log_loss_fitted"] is not None  # the figures stay to compare

    # The history has not changed: optimising again puts the fitted parameters back at once.
    again = learner.post("/me/scheduler/optimize")
    assert again.status_code == 200 and again.json["parameters"] == fitted


def patch(learner, body):
    return learner.client.patch("/api/v1/me/scheduler", json=body,
                                headers={"Authorization": f"Bearer {learner.token}"})


@pytest.mark.parametrize("body", [
    {"parameters": [1.0] * 20},
    {"parameters": [1.0] * 21},  # w4 (initial difficulty) 1.0 is fine, but w20 (decay) must be 0.1-0.8 ...
    {"parameters": "fitted"},
    {"parameters": [0.2] * 20 + ["x"]},
    {"parameters": [float("nan")] * 21},
    {"reminder": "often"},
    {"unknown": 1},
])
def test_bad_parameters_are_refused_with_a_reason(learner, body):
    if body == {"parameters": [1.0] * 21}:
        body = {"parameters": [1.0] * 20 + [5.0]}  # ... and 5.0 is not
    response = patch(learner, body)
    assert is_problem(response, 400), response.json
    assert learner.get("/me/scheduler").json["personalised"] is False


def test_weights_from_elsewhere_and_the_reminder_can_be_set(learner):
    weights = list(TRUE_PARAMETERS)
    response = patch(learner, {"parameters": weights, "reminder": False})
    assert response.status_code == 200
    assert response.json["parameters"] == weights and response.json["personalised"] is True
    assert response.json["reminder"] is False
    assert patch(learner, {"parameters": None}).json["personalised"] is False


def test_another_learner_never_sees_or_changes_mine(app, learner, other_learner, history_of_six_months, clock):
    learner.post("/me/scheduler/optimize")
    run_worker(app, clock)
    theirs = other_learner.get("/me/scheduler").json
    assert theirs["personalised"] is False and theirs["reviews"] == 0 and theirs["log_loss_fitted"] is None
    patch(other_learner, {"parameters": "default"})
    assert learner.get("/me/scheduler").json["personalised"] is True


def test_an_optimisation_survives_its_worker_dying(app, learner, history_of_six_months, clock, runner):
    """A worker claims the fit and dies (a deploy, a crash): once its lease runs out, the next worker started
    with `flask scheduler work` finishes it."""
    assert learner.post("/me/scheduler/optimize").status_code == 202
    with app.app_context():
        claimed = fit_worker.claim_next(clock.now)  # ... and the process is killed before it finishes
    assert claimed is not None
    assert learner.get("/me/scheduler").json["status"] == "running"
    with app.app_context():  # a new worker while the lease still holds leaves it alone
        assert fit_worker.run_pending(now=clock.now + timedelta(seconds=30)) == 0
        fit = db.session.query(SchedulerFit).one()
        fit.lease_until = fit.lease_until - timedelta(hours=1)  # the lease runs out
        db.session.commit()

    result = runner.invoke(args=["scheduler", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "Ran 1 optimisation" in result.output
    body = learner.get("/me/scheduler").json
    assert body["status"] == "idle" and body["personalised"] is True
    with app.app_context():
        fit = db.session.query(SchedulerFit).one()
        assert fit.status == FitStatus.DONE.value and fit.attempts == 2


def test_an_optimisation_that_keeps_dying_is_given_up_with_a_message(app, learner, history_of_six_months, clock):
    learner.post("/me/scheduler/optimize")
    with app.app_context():
        for _ in range(fit_worker.MAX_ATTEMPTS):
            fit_worker.claim_next(clock.now)
            fit = db.session.query(SchedulerFit).one()
            fit.lease_until = clock.now - timedelta(seconds=1)
            db.session.commit()
        assert fit_worker.run_pending(now=clock.now) == 1
    body = learner.get("/me/scheduler").json
    assert body["status"] == "failed" and "abandoned" in body["error"]
    assert body["personalised"] is False
    # The learner may simply ask again.
    assert learner.post("/me/scheduler/optimize").status_code == 202


def test_the_web_request_returns_at_once_and_a_worker_thread_finishes_the_fit(app, learner, history_of_six_months):
    app.config["FSRS_OPTIMIZER"] = "thread"
    started = time.perf_counter()
    response = learner.post("/me/scheduler/optimize")
    assert response.status_code == 202 and response.json["status"] in ("queued", "running", "idle")
    deadline = started + 60
    while learner.get("/me/scheduler").json["status"] in ("queued", "running"):
        assert time.perf_counter() < deadline, "the worker thread did not finish in a minute"
        time.sleep(0.1)
    body = learner.get("/me/scheduler").json
    assert body["status"] == "idle" and body["personalised"] is True


def test_a_learner_recorded_through_the_api_day_by_day_gets_their_own_parameters(app, client, make_user, clock):
    """Four months of daily sessions on 200 cards on the app's own schedule (GET /review/next, POST /reviews) by a
    learner whose memory is weaker than FSRS's average; then they optimise."""
    from tests.helpers import ApiClient

    random.seed(2026)  # fsrs's interval fuzz draws from `random`: the same run every time
    make_user("lin", PASSWORD)
    clock.now = FIXED_NOW - timedelta(days=121)
    api = ApiClient(client, login(client, "lin"))
    start(api, make_big_deck(app, 100))
    memory = Memory(seed=11)
    reviews = study_through_the_api(api, clock, 120, memory, lambda: login(client, "lin"))
    assert reviews >= 400
    clock.now = FIXED_NOW
    api.token = login(client, "lin")
    assert api.get("/me/scheduler").json["can_optimize"] is True
    assert api.post("/me/scheduler/optimize").status_code == 202
    run_worker(app, clock)
    body = api.get("/me/scheduler").json
    assert body["status"] == "idle" and body["reviews_used"] == reviews
    assert all(isinstance(body[name], float) for name in FIGURES)
    assert body["log_loss_fitted"] < body["log_loss_default"] and body["rmse_fitted"] < body["rmse_default"]
    assert body["accepted"] is True and body["personalised"] is True
    print(f"\nAPI-recorded learner: {reviews} reviews; log loss {body['log_loss_default']:.4f} -> "
          f"{body['log_loss_fitted']:.4f}, RMSE (bins) {body['rmse_default']:.4f} -> {body['rmse_fitted']:.4f}, "
          f"kept: {body['accepted']}")


def test_inline_optimisation_answers_200_with_the_result(app, learner, history_of_six_months):
    app.config["FSRS_OPTIMIZER"] = "inline"
    response = learner.post("/me/scheduler/optimize")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "idle" and response.json["personalised"] is True
    assert response.json["log_loss_fitted"] < response.json["log_loss_default"]
