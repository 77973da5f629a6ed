"""The learner's daily loop as Anki and Pleco users expect it: own words first, deck priorities and
limits, study more today, learn-ahead counts, undo of any action, forget, notes. Fixed clock."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, Direction, ReviewLog, Term
from app.services import ServiceError, accounts, authoring, imports, study
from tests.conftest import FIXED_NOW
from tests.helpers import make_deck


@pytest.fixture
def learner(ctx):
    return accounts.create_user("qin", "correct horse")


def rid() -> str:
    return uuid.uuid4().hex


def word_of(card) -> str:
    return card.term.simplified


def study_new(learner, n: int, now=FIXED_NOW) -> list[str]:
    """Grade the next n new cards Good; the words seen."""
    seen = []
    for _ in range(n):
        card, _ = study.next_card(learner, now)
        assert card is not None and card.is_new
        seen.append(word_of(card))
        study.grade(learner, card.id, 3, rid(), now)
    return seen


def test_words_added_from_the_reader_come_before_every_older_new_card_the_same_day(learner):
    study.start_deck(learner, make_deck(22), FIXED_NOW, ["recognition"])
    assert study_new(learner, 2) == ["过年", "春节"]
    deck = authoring.personal_deck(learner, FIXED_NOW)
    imports.import_terms(learner, deck.id, [{"hanzi": "火车站"}, {"hanzi": "农民工"}], FIXED_NOW, source="reader")
    later = FIXED_NOW + timedelta(minutes=1)
    card, counts = study.next_card(learner, later)
    assert word_of(card) == "火车站"  # not 孝顺, the film deck's next new card
    study.grade(learner, card.id, 3, rid(), later)
    assert word_of(study.next_card(learner, later)[0]) == "农民工"


def test_the_reader_says_when_added_words_come(learner):
    study.start_deck(learner, make_deck(3), FIXED_NOW, ["recognition"])
    deck = authoring.personal_deck(learner, FIXED_NOW)
    terms = imports.import_terms(learner, deck.id, [{"hanzi": "火车站"}], FIXED_NOW, source="reader").added
    assert "come first" in authoring.added_message(learner, terms, FIXED_NOW)
    accounts.update_settings(learner, new_cards_per_day=0)
    terms = imports.import_terms(learner, deck.id, [{"hanzi": "农民工"}], FIXED_NOW, source="reader").added
    message = authoring.added_message(learner, terms, FIXED_NOW)
    assert "new-card limit is reached" in message and "first tomorrow" in message


def test_decks_come_in_the_priority_the_learner_sets(learner):
    film, other = make_deck(3, "归途列车"), make_deck(3, "Second")
    study.start_deck(learner, film, FIXED_NOW, ["recognition"])
    study.start_deck(learner, other, FIXED_NOW + timedelta(seconds=1), ["recognition"])
    assert study.next_card(learner, FIXED_NOW)[0].term.deck_id == film.id  # started first
    study.deck_order(learner, other.id, priority=1)
    assert study.next_card(learner, FIXED_NOW)[0].term.deck_id == other.id
    with pytest.raises(ServiceError, match="Priority"):
        study.deck_order(learner, other.id, priority=9)


def test_a_deck_limit_holds_under_the_global_one(learner):
    film, other = make_deck(5, "归途列车"), make_deck(5, "Second")
    study.start_deck(learner, film, FIXED_NOW, ["recognition"])
    study.start_deck(learner, other, FIXED_NOW + timedelta(seconds=1), ["recognition"])
    study.deck_order(learner, film.id, new_per_day=2)
    accounts.update_settings(learner, new_cards_per_day=4)
    assert study.counts_by_deck(learner, FIXED_NOW)[film.id].new == 2
    assert study.counts(learner, FIXED_NOW).new == 4
    decks = [study.next_card(learner, FIXED_NOW)[0].term.deck_id]
    for _ in range(3):
        card, _ = study.next_card(learner, FIXED_NOW)
        decks.append(card.term.deck_id)
        study.grade(learner, card.id, 4, rid(), FIXED_NOW)
    assert decks[1:] == [film.id, film.id, other.id]  # the film deck stops at its own 2
    assert study.counts_by_deck(learner, FIXED_NOW)[film.id].new == 0
    assert study.counts(learner, FIXED_NOW).new == 1  # the global 4, less the 3 studied


def test_study_more_new_cards_lasts_until_the_study_day_ends(learner):
    study.start_deck(learner, make_deck(10), FIXED_NOW, ["recognition"])
    accounts.update_settings(learner, new_cards_per_day=2)
    study_new(learner, 2)
    assert study.counts(learner, FIXED_NOW).new == 0
    study.study_more(learner, FIXED_NOW, new_cards=3)
    assert study.counts(learner, FIXED_NOW).new == 3
    study_new(learner, 3)
    assert study.counts(learner, FIXED_NOW).new == 0
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert study.counts(learner, tomorrow).new == 2  # the extra was for yesterday only


def test_reviewing_ahead_brings_later_reviews_into_today(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card, _ = study.next_card(learner, FIXED_NOW)
    study.grade(learner, card.id, 4, rid(), FIXED_NOW)  # Easy: due in days
    card = db.session.get(Card, card.id)
    days = (card.due - FIXED_NOW).days
    assert days >= 3 and study.counts(learner, FIXED_NOW).review == 0
    study.study_more(learner, FIXED_NOW, ahead_days=days + 1)
    counts = study.counts(learner, FIXED_NOW)
    assert counts.review == 1
    assert study.next_card(learner, FIXED_NOW)[0].id == card.id
    with pytest.raises(ServiceError):
        study.study_more(learner, FIXED_NOW, ahead_days=99)


def test_during_learn_ahead_the_counts_say_what_is_waiting(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card, _ = study.next_card(learner, FIXED_NOW)
    study.grade(learner, card.id, 3, rid(), FIXED_NOW)  # Good: back in 10 minutes
    shown, counts = study.next_card(learner, FIXED_NOW + timedelta(minutes=1))
    assert shown.id == card.id  # nothing else is due, so it comes early
    assert (counts.new, counts.learning, counts.review) == (0, 0, 0)
    assert counts.learning_ahead == 1
    assert counts.waiting == "1 learning card in the next 20 minutes"


def test_undo_takes_back_the_latest_action_of_any_kind_one_at_a_time(learner):
    study.start_deck(learner, make_deck(2), FIXED_NOW, ["recognition"])
    first, _ = study.next_card(learner, FIXED_NOW)
    study.grade(learner, first.id, 3, rid(), FIXED_NOW)
    second, _ = study.next_card(learner, FIXED_NOW)
    study.suspend(learner, second.id, FIXED_NOW)
    assert study.action_label(study.last_action(learner), "春节") == "Suspend 春节"
    undone = study.undo_last(learner)  # the suspension, not the older grade
    assert undone.kind.value == "suspend"
    db.session.expire_all()
    assert db.session.get(Card, second.id).suspended is False
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
    assert study.action_label(study.last_action(learner), "过年") == "Good on 过年"
    study.undo_last(learner)
    db.session.expire_all()
    assert db.session.get(Card, first.id).last_review is None
    with pytest.raises(ServiceError, match="nothing to undo"):
        study.undo_last(learner)


def test_bury_unbury_and_forget_keep_the_history_and_can_be_undone(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card, _ = study.next_card(learner, FIXED_NOW)
    study.grade(learner, card.id, 4, rid(), FIXED_NOW)
    reviewed_due = db.session.get(Card, card.id).due
    study.forget(learner, card.id, FIXED_NOW)
    card = db.session.get(Card, card.id)
    assert card.is_new and card.reps == 0 and card.stability is None
    assert db.session.scalar(select(func.count(ReviewLog.id))) == 1  # history kept
    study.undo_last(learner)
    db.session.expire_all()
    assert db.session.get(Card, card.id).due == reviewed_due
    study.bury(learner, card.id, FIXED_NOW)
    assert study.is_buried(db.session.get(Card, card.id), FIXED_NOW)
    study.bury(learner, card.id, FIXED_NOW, buried=False)
    assert not study.is_buried(db.session.get(Card, card.id), FIXED_NOW)
    assert study.last_action(learner).kind.value == "unbury"


def test_a_note_shows_on_every_card_of_the_word(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition", "recall"])
    cards = db.session.scalars(select(Card).where(Card.user_id == learner.id)).all()
    study.set_note(learner, cards[0].id, "  Remember the train tickets.  ", FIXED_NOW)
    assert study.note_for(learner, cards[1].term_id) == "Remember the train tickets."
    with pytest.raises(ServiceError):
        study.set_note(learner, cards[0].id, "x" * 3000, FIXED_NOW)


def test_the_undo_history_keeps_only_the_latest_actions(learner, monkeypatch):
    from app.models import StudyAction
    from app.services.study import undo

    monkeypatch.setattr(undo, "ACTIONS_KEPT", 3)
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["recognition"])
    card, _ = study.next_card(learner, FIXED_NOW)
    for i in range(5):
        study.suspend(learner, card.id, FIXED_NOW, suspended=i % 2 == 0)
    assert db.session.scalar(select(func.count(StudyAction.id))) == 3


def test_the_queue_counts_agree_everywhere(learner):
    """The home page's deck table, the review screen and the stats count the same cards."""
    from app.services.decks import deck_summaries
    from app.services.stats import learner_stats

    deck = make_deck(6)
    study.start_deck(learner, deck, FIXED_NOW, ["recognition", "recall"])
    accounts.update_settings(learner, new_cards_per_day=4)
    summary = next(s for s in deck_summaries(learner, FIXED_NOW) if s.deck.id == deck.id)
    assert summary.new == 4 == study.counts(learner, FIXED_NOW).new
    card, _ = study.next_card(learner, FIXED_NOW)
    study.grade(learner, card.id, 1, rid(), FIXED_NOW)  # Again: due in a minute
    later = FIXED_NOW + timedelta(minutes=2)
    summary = next(s for s in deck_summaries(learner, later) if s.deck.id == deck.id)
    counts = study.counts(learner, later)
    assert summary.due == counts.learning + counts.review == 1
    assert learner_stats(learner, later).due_today == 1
    study.suspend(learner, card.id, later)
    assert learner_stats(learner, later).due_today == 0
    assert next(s for s in deck_summaries(learner, later) if s.deck.id == deck.id).due == 0


def test_listening_cards_come_last_among_a_words_cards(learner):
    study.start_deck(learner, make_deck(1), FIXED_NOW, ["listening", "recognition"])
    card, _ = study.next_card(learner, FIXED_NOW)
    assert card.direction == Direction.RECOGNITION
    assert db.session.scalar(select(func.count(Term.id))) == 1
