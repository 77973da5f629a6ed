"""Reviewing: the next card to show, and a batch of grades (online, or synced from an offline device)."""
from __future__ import annotations

import vocab
from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import NextIn, NextOut, ReviewsIn, ReviewsOut
from app.models import Card, Direction, Script, User
from app.services import study
from app.services.decks import get_visible_deck
from app.services.reading import other_reading_dicts
from app.services.sync import ReviewItem, apply_reviews

bp = ApiBlueprint("api_review", __name__, description="The review queue and grading, with offline sync.")


@bp.route("/review/next", methods=["GET"])
@bp.arguments(NextIn, location="query")
@bp.response(200, NextOut)
@bp.alt_response(204, description="Nothing is due now")
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def next_card(args):
    """The card to show now (learning, then reviews, then new cards), and what is left today."""
    user, moment = current_user(), now()
    deck_id = args.get("deck_id")
    if deck_id is not None:
        get_visible_deck(user, deck_id)
    card, remaining = study.next_card(user, moment, deck_id)
    counts = {"new": remaining.new, "learning": remaining.learning, "review": remaining.review}
    if card is None:
        return "", 204
    intervals = study.preview_intervals(user, card, moment)
    return {"card": _card_faces(user, card, {str(r): int(d.total_seconds()) for r, d in intervals.items()}),
            "counts": counts}


def _card_faces(user: User, card: Card, intervals: dict) -> dict:
    """What the learner sees before (front) and after (back) revealing the answer, by direction."""
    term = card.term
    hanzi = term.traditional if user.script == Script.TRADITIONAL and term.traditional else term.simplified
    word = {"hanzi": hanzi, "simplified": term.simplified, "traditional": term.traditional}
    reading = {"pinyin": term.pinyin, "english": term.english, "hsk": term.hsk_level,
               "other_readings": other_reading_dicts(vocab.other_readings(term.simplified, term.pinyin))}
    example = {"example_zh": term.example_zh, "example_pinyin": term.example_pinyin, "example_en": term.example_en,
               "note": term.note}
    if card.direction == Direction.RECOGNITION:
        front, back = word, {**word, **reading, **example}
    elif card.direction == Direction.RECALL:
        front, back = {"english": term.english}, {**word, **reading, **example}
    elif card.direction == Direction.CLOZE:  # the sentence with a gap where the word was, its meaning as a hint
        front, back = {"cloze": term.cloze_prompt, "english": term.english}, {**word, **reading, **example}
    else:  # listening: the client speaks `speak` (e.g. with speech synthesis) and shows nothing else
        front, back = {"speak": term.simplified}, {**word, **reading, **example}
    queue = "new" if card.is_new else ("review" if card.state == 2 else "learning")
    return {"id": card.id, "term_id": term.id, "direction": card.direction.value, "queue": queue,
            "version": card.version, "front": front, "back": back, "intervals": intervals}


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
