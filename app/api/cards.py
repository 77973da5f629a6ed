"""The caller's cards: the card browser's search (GET /cards), one card (GET /cards/{id}), changing it
(PATCH /cards/{id}: suspend, bury, forget, note) and its review history (GET /cards/{id}/reviews)."""
from __future__ import annotations

from datetime import datetime

from flask import abort

from app.api.core import ApiBlueprint, current_user, now
from app.api.pages import page_of
from app.api.schemas import (
    PAGE_HEADERS,
    CardDetailOut,
    CardListOut,
    CardPatchIn,
    CardSearchIn,
    PageIn,
    ReviewListOut,
)
from app.models import Card, User
from app.services import script, speech, study
from app.services.cards import CardSearch, ReviewRow, StateFilter, card_reviews, search_cards

bp = ApiBlueprint("api_cards", __name__, description="The caller's cards: browse, change, history.")


def card_json(user: User, card: Card, moment: datetime) -> dict:
    """A card as the API gives it everywhere: schedule, word in the caller's script, and its audio."""
    term = card.term
    return {
        "id": card.id, "term_id": term.id, "deck_id": term.deck_id, "direction": card.direction.value,
        "queue": card.queue.value, "state": 0 if card.last_review is None else card.state,
        "due": card.due, "stability": card.stability, "difficulty": card.difficulty, "reps": card.reps,
        "lapses": card.lapses, "last_review": card.last_review, "suspended": card.suspended,
        "buried": study.is_buried(card, moment), "version": card.version,
        "hanzi": script.headword(term, user.script), "simplified": term.simplified, "traditional": term.traditional,
        "pinyin": term.pinyin, "english": term.english,
        "audio_url": speech.audio_url(term.simplified, external=True),
    }


@bp.route("/cards", methods=["GET"])
@bp.arguments(CardSearchIn, location="query")
@bp.response(200, CardListOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def index(args):
    """Search the caller's cards (the card browser): by text, deck, state, suspended, buried, due; sorted; paged."""
    user, moment = current_user(), now()
    search = CardSearch(q=args.get("q", ""), deck_id=args.get("deck_id"),
                        state=StateFilter(args["state"]) if args.get("state") else None,
                        suspended=args.get("suspended"), buried=args.get("buried"), due=args.get("due"),
                        sort=args["sort"], descending=args["order"] == "desc")
    cards, headers = page_of(search_cards(user, search, moment), args)
    return {"cards": [card_json(user, card, moment) for card in cards]}, headers


def _detail(user: User, card: Card, moment: datetime) -> dict:
    return {**card_json(user, card, moment), "retrievability": study.retrievability(user, card, moment),
            "note": study.note_for(user, card.term_id)}


@bp.route("/cards/<int:card_id>", methods=["GET"])
@bp.response(200, CardDetailOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such card, or another user's")
def show(card_id):
    """A card's schedule: due, stability (days), difficulty, state, reps, lapses, retrievability (0-1)."""
    user, moment = current_user(), now()
    return _detail(user, study.get_own_card(user, card_id), moment)


@bp.route("/cards/<int:card_id>", methods=["PATCH"])
@bp.arguments(CardPatchIn)
@bp.response(200, CardDetailOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such card, or another user's")
@bp.problem(409, "The card changed meanwhile")
def change(data, card_id):
    """Suspend or unsuspend, bury or unbury, forget (reset to new), or set the caller's note. Each
    change but the note is an action POST /review/undo takes back, the latest first."""
    if not data:
        abort(400, description="Send suspended, buried, forget and/or note.")
    if data.get("forget") is False:
        abort(400, description="forget takes true (reset the card to new).")
    user, moment = current_user(), now()
    card = study.get_own_card(user, card_id)
    if data.get("forget"):
        study.forget(user, card.id, moment)
    if "suspended" in data:
        study.suspend(user, card.id, moment, suspended=data["suspended"])
    if "buried" in data:
        study.bury(user, card.id, moment, buried=data["buried"])
    if "note" in data:
        study.set_note(user, card.id, data["note"], moment)
    return _detail(user, card, moment)


@bp.route("/cards/<int:card_id>/reviews", methods=["GET"])
@bp.arguments(PageIn, location="query")
@bp.response(200, ReviewListOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such card, or another user's")
def reviews(page, card_id):
    """The card's reviews, newest first: date, rating, interval, stability, difficulty, time taken."""
    logs, headers = page_of(card_reviews(current_user(), card_id), page)
    return {"reviews": [ReviewRow.of(log) for log in logs]}, headers
