"""Spaced-repetition review with a fixed clock: FSRS decides, daily limits and the 4 a.m. day hold."""
import threading
import uuid
from datetime import datetime, timedelta, timezone

import fsrs
import pytest
from fsrs.scheduler import FUZZ_RANGES
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, Direction, ReviewLog
from app.services import Conflict, NotFound, ServiceError, accounts, study
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck


@pytest.fixture
def learner(ctx):
    return accounts.create_user("qin", "correct horse")


def rid() -> str:
    return uuid.uuid4().hex


def first_card(learner, now=FIXED_NOW):
    card, _ = study.next_card(learner, now)
    return card


def test_starting_a_deck_creates_one_card_per_term_and_direction(learner):
    deck = make_deck(5)
    assert study.start_deck(learner, deck, FIXED_NOW) == 10  # recognition + recall by default
    assert study.start_deck(learner, deck, FIXED_NOW) == 10  # starting again changes nothing
    assert study.start_deck(learner, deck, FIXED_NOW, ["recognition", "recall", "listening"]) == 15


def test_cards_belong_to_one_learner(learner):
    deck = make_deck(3)
    other = accounts.create_user("yang", "correct horse")
    study.start_deck(learner, deck, FIXED_NOW)
    assert study.next_card(other, FIXED_NOW) == (None, study.Counts(0, 0, 0))
    card = first_card(learner)
    with pytest.raises(NotFound, match="No such card"):
        study.grade(other, card.id, 3, rid(), FIXED_NOW)


def test_stored_state_matches_fsrs_for_a_sequence_of_grades(learner):
    deck = make_deck(1)
    study.start_deck(learner, deck, FIXED_NOW, ["recognition"])
    card = first_card(learner)
    reference = fsrs.Card(card_id=card.id, due=FIXED_NOW)
    exact = fsrs.Scheduler(enable_fuzzing=False)
    when = FIXED_NOW
    # Grades at times chosen by the test, not by the card's due date, so elapsed time is identical.
    for rating, gap in [(3, timedelta(0)), (3, timedelta(minutes=10)), (3, timedelta(days=1)), (1, timedelta(days=5)),
                        (3, timedelta(minutes=10)), (4, timedelta(days=3)), (2, timedelta(days=20)),
                        (3, timedelta(days=30))]:
        when += gap
        result = study.grade(learner, card.id, rating, rid(), when)
        reference, _ = exact.review_card(reference, fsrs.Rating(rating), when)
        stored = db.session.get(Card, card.id)
        assert stored.stability == reference.stability
        assert stored.difficulty == reference.difficulty
        assert stored.state == reference.state.value and stored.step == reference.step
        low, high = _fuzz_range(reference.due - when)
        assert low <= result.card.due - when <= high
    assert stored.reps == 8 and stored.lapses == 1


def _fuzz_range(interval: timedelta) -> tuple[timedelta, timedelta]:
    days = interval.days
    if days < 2.5:
        return interval, interval
    delta = 1.0 + sum(r["factor"] * max(min(days, r["end"]) - r["start"], 0.0) for r in FUZZ_RANGES)
    low, high = max(2, round(days - delta)), round(days + delta)
    # fsrs draws round(random() * (high - low + 1) + low), so high + 1 can come out too.
    return timedelta(days=low), timedelta(days=high + 1)


def test_a_learner_who_grades_again_sees_the_card_within_the_first_step(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    result = study.grade(learner, card.id, 1, rid(), FIXED_NOW)
    assert result.card.due == FIXED_NOW + timedelta(minutes=1)
    # Nothing else is due: the learning card comes back early rather than leaving an empty screen.
    again, remaining = study.next_card(learner, FIXED_NOW + timedelta(seconds=5))
    assert again.id == card.id and remaining.learning == 0
    assert study.next_card(learner, FIXED_NOW + timedelta(minutes=1))[1].learning == 1


def test_good_on_a_new_card_follows_the_learning_steps(learner):
    learner.learning_steps = "2m 15m"
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    assert study.grade(learner, card.id, 3, rid(), FIXED_NOW).card.due == FIXED_NOW + timedelta(minutes=15)


def test_new_cards_per_day_limit_and_the_next_day(learner):
    learner.new_cards_per_day = 3
    study.start_deck(learner, make_deck(10), FIXED_NOW, ["recognition"])
    assert study.counts(learner, FIXED_NOW).new == 3
    for _ in range(3):
        card, _ = study.next_card(learner, FIXED_NOW)
        study.grade(learner, card.id, 4, rid(), FIXED_NOW)  # easy: straight to review, days away
    card, remaining = study.next_card(learner, FIXED_NOW)
    assert card is None and remaining == study.Counts(0, 0, 0)
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert study.counts(learner, tomorrow).new == 3


def test_the_day_turns_over_at_4am_in_the_learners_timezone(learner):
    learner.timezone = "Asia/Shanghai"  # UTC+8: 4 a.m. there is 20:00 UTC the day before
    learner.new_cards_per_day = 1
    study.start_deck(learner, make_deck(3), FIXED_NOW, ["recognition"])
    evening = datetime(2026, 11, 21, 19, 59, tzinfo=timezone.utc)  # 03:59 in Shanghai on the 22nd
    card, _ = study.next_card(learner, evening)
    study.grade(learner, card.id, 4, rid(), evening)
    assert study.counts(learner, evening + timedelta(seconds=30)).new == 0
    assert study.counts(learner, datetime(2026, 11, 21, 20, 0, tzinfo=timezone.utc)).new == 1
    assert study.study_day(learner, evening) == (
        datetime(2026, 11, 20, 20, 0, tzinfo=timezone.utc), datetime(2026, 11, 21, 20, 0, tzinfo=timezone.utc))


def test_review_limit(learner):
    learner.max_reviews_per_day = 2
    study.start_deck(learner, make_deck(4), FIXED_NOW, ["recognition"])
    for _ in range(4):
        card, _ = study.next_card(learner, FIXED_NOW)
        study.grade(learner, card.id, 4, rid(), FIXED_NOW)
    later = FIXED_NOW + timedelta(days=60)  # everything is due again
    assert study.counts(learner, later).review == 2
    for _ in range(2):
        card, _ = study.next_card(learner, later)
        study.grade(learner, card.id, 3, rid(), later)
    assert study.next_card(learner, later + timedelta(seconds=1))[0] is None


def test_undo_restores_the_exact_previous_state(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    study.grade(learner, card.id, 3, rid(), FIXED_NOW)
    study.grade(learner, card.id, 3, rid(), FIXED_NOW + timedelta(minutes=10))
    columns = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses", "buried_until")
    db.session.expire_all()
    before = {name: getattr(db.session.get(Card, card.id), name) for name in columns}
    study.grade(learner, card.id, 1, rid(), FIXED_NOW + timedelta(days=3))
    assert (db.session.get(Card, card.id).lapses, db.session.get(Card, card.id).reps) == (1, 3)  # a lapse
    study.undo_last(learner)
    db.session.expire_all()  # read the card back from the database, not from the session
    assert {name: getattr(db.session.get(Card, card.id), name) for name in columns} == before
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 2
    study.undo_last(learner)
    study.undo_last(learner)
    assert db.session.get(Card, card.id).last_review is None  # new again
    with pytest.raises(ServiceError, match="nothing to undo"):
        study.undo_last(learner)


def test_a_repeated_submit_records_one_review_and_returns_the_same_result(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    first = study.grade(learner, card.id, 3, "tab-1-review-1", FIXED_NOW)
    again = study.grade(learner, card.id, 3, "tab-1-review-1", FIXED_NOW + timedelta(seconds=2))
    assert not first.duplicate and again.duplicate
    assert again.card.due == first.card.due and again.log_id == first.log_id
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1


def test_a_grade_from_a_stale_tab_is_refused_clearly(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    seen = card.version
    study.grade(learner, card.id, 3, rid(), FIXED_NOW, expected_version=seen)
    with pytest.raises(Conflict, match="already graded"):
        study.grade(learner, card.id, 1, rid(), FIXED_NOW, expected_version=seen)
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1


def test_two_simultaneous_grades_of_one_card_record_exactly_one(app, learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    card_id, version, user_id = card.id, card.version, learner.id
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes = []

    def tab(rating):
        with app.app_context():
            user = accounts.find_user("qin")
            assert user.id == user_id
            barrier.wait()
            try:
                study.grade(user, card_id, rating, rid(), FIXED_NOW, expected_version=version)
                outcomes.append("recorded")
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tab, args=(r,)) for r in (3, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "recorded"]
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1


def test_suspended_cards_never_come_up_and_buried_ones_come_back_tomorrow(learner):
    study.start_deck(learner, make_deck(2), FIXED_NOW, ["recognition"])
    first = first_card(learner)
    study.suspend(learner, first.id, FIXED_NOW)
    second = first_card(learner)
    assert second.id != first.id
    study.bury(learner, second.id, FIXED_NOW)
    assert study.next_card(learner, FIXED_NOW)[0] is None
    card, _ = study.next_card(learner, FIXED_NOW + timedelta(days=1))
    assert card.id == second.id
    study.suspend(learner, first.id, FIXED_NOW, suspended=False)
    assert study.counts(learner, FIXED_NOW + timedelta(days=1)).new == 2


def test_interval_previews_read_like_ankis(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    previews = {r: study.format_interval(d) for r, d in study.preview_intervals(learner, card, FIXED_NOW).items()}
    assert previews[1] == "1m" and previews[3] == "10m"
    assert previews[4].endswith("d")


def test_bad_grades_are_refused(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card = first_card(learner)
    for rating, client_id in [(0, rid()), (5, rid()), (3, ""), (3, "x" * 65)]:
        with pytest.raises(ServiceError):
            study.grade(learner, card.id, rating, client_id, FIXED_NOW)


def test_only_chosen_directions_are_studied(learner):
    deck = make_deck(2)
    study.start_deck(learner, deck, FIXED_NOW, ["recall"])
    directions = {c.direction for c in db.session.scalars(select(Card)).all()}
    assert directions == {Direction.RECALL}
    with pytest.raises(ServiceError):
        study.start_deck(learner, deck, FIXED_NOW, ["sideways"])


def test_a_new_cards_sibling_waits_until_tomorrow(learner):
    study.start_deck(learner, make_deck(2), FIXED_NOW)  # recognition and recall
    card = first_card(learner)
    assert card.direction is Direction.RECOGNITION and card.term.simplified == "过年"
    study.grade(learner, card.id, 4, rid(), FIXED_NOW)
    following = first_card(learner)
    assert following.term.simplified == "春节"  # not 过年's recall card
    assert study.counts(learner, FIXED_NOW).new == 2
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert study.counts(learner, tomorrow).new == 3


def test_decks_assigned_to_a_learners_class_appear_without_starting_them(learner):
    from app.models import Role
    from app.services import classes

    teacher = accounts.create_user("teacher_li", "correct horse", Role.INSTRUCTOR)
    deck = make_deck(2)
    classroom = classes.create_class(teacher, "Chinese 101", FIXED_NOW)
    classes.join_class(learner, classroom.join_code, FIXED_NOW)
    classes.assign_deck(teacher, classroom.id, deck.id, FIXED_NOW)
    card, remaining = study.next_card(learner, FIXED_NOW)
    assert card is not None and card.term.deck_id == deck.id
    assert remaining.new == 4 and card.direction is Direction.RECOGNITION
