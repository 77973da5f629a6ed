"""Reviewing: the next card to show, and a batch of grades (online, or synced from an offline device)."""
from __future__ import annotations

import vocab
from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import CountsOut, MoreIn, NextIn, NextOut, ReviewsIn, ReviewsOut, UndoneOut
from app.models import Card, Direction, User
from app.services import script, speech, study
from app.services.decks import get_visible_deck
from app.services.reading import other_reading_dicts
from app.services.sync import ReviewItem, apply_reviews

bp = ApiBlueprint("api_review", __name__, description="The review queue and grading, with offline sync.")


def counts_json(remaining: study.Counts) -> dict:
    return {"new": remaining.new, "learning": remaining.learning, "review": remaining.review,
            "learning_ahead": remaining.learning_ahead, "waiting": remaining.waiting}


@bp.route("/review/next", methods=["GET"])
@bp.arguments(NextIn, location="query")
@bp.response(200, NextOut)
@bp.alt_response(204, description="Nothing is due now")
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def next_card(args):
    """The card to show now (learning, then reviews, then new cards: the caller's own words first, then
    decks by priority), and what is left today."""
    user, moment = current_user(), now()
    deck_id = args.get("deck_id")
    if deck_id is not None:
        get_visible_deck(user, deck_id)
    card, remaining = study.next_card(user, moment, deck_id)
    if card is None:
        return "", 204
    intervals = study.preview_intervals(user, card, moment)
    return {"card": _card_faces(user, card, {str(r): int(d.total_seconds()) for r, d in intervals.items()}),
            "counts": counts_json(remaining)}


def _card_faces(user: User, card: Card, intervals: dict) -> dict:
    """What the learner sees before (front) and after (back) revealing the answer, by direction, in
    the learner's script. A recall card's front has no audio: the word is its answer."""
    term = card.term
    word_audio = speech.audio_url(term.simplified, external=True)
    word = {"hanzi": script.headword(term, user.script), "simplified": term.simplified,
            "traditional": term.traditional}
    reading = {"pinyin": term.pinyin, "english": term.english, "hsk": term.hsk_level,
               "other_readings": other_reading_dicts(vocab.other_readings(term.simplified, term.pinyin))}
    example = {"example_zh": script.text(term.example_zh, user.script), "example_pinyin": term.example_pinyin,
               "example_en": term.example_en, "note": script.text(term.note, user.script),
               "example_audio_url": speech.audio_url(term.example_zh, external=True),
               "my_note": study.note_for(user, term.id)}
    back = {**word, **reading, **example, "audio_url": word_audio}
    if card.direction == Direction.RECOGNITION:
        front = {**word, "audio_url": word_audio}
    elif card.direction == Direction.RECALL:
        front = {"english": term.english}
    elif card.direction == Direction.CLOZE:  # the sentence with a gap where the word was, its meaning as a hint
        front = {"cloze": script.text(term.cloze_prompt, user.script), "english": term.english}
    else:  # listening: the client plays audio_url (or speaks `speak` with its own voice) and shows nothing else
        front = {"speak": term.simplified, "audio_url": word_audio}
    return {"id": card.id, "term_id": term.id, "direction": card.direction.value, "queue": card.queue.value,
            "version": card.version, "audio_url": word_audio if card.direction not in _SILENT else None,
            "front": front, "back": back, "intervals": intervals}


# A recall card's front is the meaning and a cloze card's a sentence with a gap: hearing the word
# would give the answer away.
_SILENT = (Direction.RECALL, Direction.CLOZE)


@bp.route("/review/undo", methods=["POST"])
@bp.response(200, UndoneOut)
@bp.problem(401, "No valid token")
@bp.problem(400, "There is nothing to undo")
@bp.problem(409, "The card changed meanwhile")
def undo():
    """Take back the caller's latest action of any kind (a grade, suspend, bury, forget), one at a time."""
    user = current_user()
    undone = study.undo_last(user)
    return {"undone": study.action_label(undone, script.headword(undone.card.term, user.script)),
            "kind": undone.kind.value, "card_id": undone.card.id}


@bp.route("/review/more", methods=["POST"])
@bp.arguments(MoreIn)
@bp.response(200, CountsOut)
@bp.problem(401, "No valid token")
def more(data):
    """Study more today (Anki's custom study): more new cards than today's limits allow, and/or the
    reviews due within `ahead_days` days brought into today. Ends with the study day. Returns the counts."""
    user, moment = current_user(), now()
    study.study_more(user, moment, new_cards=data["new_cards"], ahead_days=data["ahead_days"])
    return counts_json(study.counts(user, moment))


@bp.route("/reviews", methods=["POST"])
@bp.arguments(ReviewsIn)
@bp.response(200, ReviewsOut)
@bp.problem(401, "No valid token")
@bp.problem(409, "The cards changed meanwhile; send the batch again")
def reviews(data):
    """Record grades, oldest first. Repeated client_review_ids are duplicates, not second reviews.

    Without `partial`, one refused review (future time, older than the card's last review, unknown
    or another user's card) refuses the whole batch with 400 and per-item `errors`; with
    `"partial": true` the others are applied and the refused ones carry an `error`.
    """
    user = current_user()
    items = [ReviewItem(card_id=r["card_id"], rating=r["rating"], client_review_id=r["client_review_id"],
                        reviewed_at=r.get("reviewed_at"), duration_ms=r.get("duration_ms"),
                        expected_version=r.get("version"))
             for r in data["reviews"]]
    results = apply_reviews(user, items, now(), partial=data["partial"])
    return {"results": [
        {"client_review_id": r.client_review_id, "applied": r.applied, "duplicate": r.duplicate,
         "card": _reviewed(r.card) if r.card is not None else None,
         "error": None if r.error is None else
         {"status": r.error.status, "field": r.error.field, "detail": r.error.message}}
        for r in results
    ]}


def _reviewed(card: Card) -> dict:
    return {"id": card.id, "due": card.due, "stability": card.stability, "difficulty": card.difficulty,
            "state": card.state, "reps": card.reps, "lapses": card.lapses, "version": card.version}
