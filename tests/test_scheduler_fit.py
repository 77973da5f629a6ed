"""Fitting a learner's own FSRS parameters: the fit finds a learner's real memory, is scored as the FSRS
benchmark scores it, and reads the review log in the learner's study days."""
import uuid
from datetime import datetime, timedelta, timezone

import fsrs_rs_python as fsrs_rs
import pytest

from app.services import accounts, scheduler_fit, study
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck
from tests.simulated_learner import TRUE_PARAMETERS, history_of, offline_history

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def unusual_learner():
    """Six months of 800 cards (400 words, two directions) by the learner of tests/simulated_learner.py."""
    return history_of(offline_history(list(range(1, 401)), START, 180, seed=5))


def mean_gap(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


def test_a_fit_on_a_learner_with_known_parameters_predicts_them_closely(unusual_learner):
    history = unusual_learner
    assert history.reviews > 4000
    result = scheduler_fit.fit(history)
    print(f"\nKnown-parameters learner: {history.reviews} reviews; log loss {result.default.log_loss:.4f} -> "
          f"{result.fitted.log_loss:.4f}, RMSE (bins) {result.default.rmse_bins:.4f} -> {result.fitted.rmse_bins:.4f}")
    assert result.better  # kept: better than FSRS's defaults by log loss and RMSE (bins)
    assert result.fitted.log_loss < result.default.log_loss - 0.003
    assert result.fitted.rmse_bins < result.default.rmse_bins - 0.01

    # Every review's recall probability, as the true parameters, the fitted ones and the defaults see it.
    reviews = scheduler_fit.targets(history)
    truth = scheduler_fit.predict(TRUE_PARAMETERS, history, reviews)
    fitted = scheduler_fit.predict(result.parameters, history, reviews)
    default = scheduler_fit.predict(scheduler_fit.DEFAULT_PARAMETERS, history, reviews)
    assert mean_gap(fitted, truth) < 0.02
    assert mean_gap(fitted, truth) < 0.4 * mean_gap(default, truth)
    # On the reviews the benchmark scores, the fit does nearly as well as the truth itself.
    scored = reviews[len(reviews) // 6:]
    true_score = scheduler_fit.score(history, scored, truth[len(reviews) // 6:])
    assert result.fitted.reviews == len(scored)
    assert result.fitted.log_loss == pytest.approx(true_score.log_loss, abs=0.01)
    # The forgetting curve after a first Good: the fit's is the truth's, not FSRS's average learner's.
    for days in (1, 3, 7):
        true_r = scheduler_fit.retrievability(TRUE_PARAMETERS, TRUE_PARAMETERS[2], days)
        fitted_r = scheduler_fit.retrievability(result.parameters, result.parameters[2], days)
        assert abs(fitted_r - true_r) < 0.1, days


def test_the_score_is_fsrs_rs_own_time_series_evaluation(unusual_learner):
    """Our pooled predictions reproduce fsrs-rs's evaluate_with_time_series_splits to float precision,
    and the defaults are scored on exactly the reviews the fitted parameters are."""
    history = unusual_learner
    result = scheduler_fit.fit(history)
    reviews = scheduler_fit.targets(history)
    items = [fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(history.cards[t.card].ratings[i], history.cards[t.card].delta_days[i])
                               for i in range(t.index + 1)]) for t in reviews]
    library = fsrs_rs.evaluate_with_time_series_splits(items)
    assert result.fitted.log_loss == pytest.approx(library.log_loss, abs=1e-4)
    assert result.fitted.rmse_bins == pytest.approx(library.rmse_bins, abs=1e-4)
    assert result.default.reviews == result.fitted.reviews
    # No review is scored with parameters trained on it: each test segment comes after its training data.
    for train, test in scheduler_fit.time_series_folds(reviews):
        assert max(t.when for t in train) <= min(t.when for t in test)


def test_a_fit_no_better_than_the_defaults_is_not_kept():
    """Two months of 120 cards: enough to try, too little to beat FSRS's defaults on later reviews."""
    history = history_of(offline_history(list(range(1, 61)), START, 150, seed=5, parameters=TRUE_PARAMETERS))
    result = scheduler_fit.fit(history)
    print(f"\nShort history: {history.reviews} reviews; log loss {result.default.log_loss:.4f} -> "
          f"{result.fitted.log_loss:.4f}, RMSE (bins) {result.default.rmse_bins:.4f} -> {result.fitted.rmse_bins:.4f}")
    assert not result.better
    assert result.fitted.log_loss >= result.default.log_loss or result.fitted.rmse_bins > result.default.rmse_bins


def test_too_little_history_cannot_be_scored():
    history = history_of(offline_history([1, 2], START, 3, seed=1))
    with pytest.raises(scheduler_fit.NotEnoughData):
        scheduler_fit.fit(history)


def test_the_history_counts_days_as_the_learner_lives_them(ctx):
    """A review at 03:00 in Shanghai belongs to the day before; FSRS sees whole study days between reviews."""
    qin = accounts.create_user("qin", "correct horse")
    qin.timezone = "Asia/Shanghai"
    study.start_deck(qin, make_deck(1), FIXED_NOW, ["recognition"])
    card, _ = study.next_card(qin, FIXED_NOW)
    shanghai = [datetime(2026, 11, 1, 1, 0), datetime(2026, 11, 1, 19, 0), datetime(2026, 11, 2, 21, 0),
                datetime(2026, 11, 5, 2, 0)]  # UTC: 09:00 on the 1st; 03:00 on the 2nd; 05:00 on the 3rd; 10:00 on the 5th
    for moment, rating in zip(shanghai, (3, 3, 1, 3)):
        study.grade(qin, card.id, rating, uuid.uuid4().hex, moment.replace(tzinfo=timezone.utc))
    history = scheduler_fit.load_history(qin)
    assert history.reviews == 4
    [card_history] = history.cards
    assert card_history.ratings == (3, 3, 1, 3)
    assert card_history.delta_days == (0, 0, 2, 2)


def test_readiness_says_what_is_missing(ctx):
    qin = accounts.create_user("qin", "correct horse")
    study.start_deck(qin, make_deck(5), FIXED_NOW - timedelta(days=5))
    ready = scheduler_fit.readiness(qin, FIXED_NOW)
    assert not ready.ready and ready.reviews_needed == 400 and ready.days_needed == 14
    card, _ = study.next_card(qin, FIXED_NOW - timedelta(days=5))
    study.grade(qin, card.id, 3, uuid.uuid4().hex, FIXED_NOW - timedelta(days=5))
    ready = scheduler_fit.readiness(qin, FIXED_NOW)
    assert (ready.reviews, ready.reviews_needed, ready.days_needed) == (1, 399, 9)
    assert ready.message == ("Optimising needs at least 400 reviews over at least 14 days. You have 1 review "
                             "over 5 days: 399 more reviews and 9 more days to go.")
