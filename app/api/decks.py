"""Decks: list, create, show, the caller's cards in a deck, adding terms, starting to study."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import CardListOut, DeckIn, DeckListOut, DeckOut, StudyIn, StudyOut, TermsIn, TermsOut
from app.services import study
from app.services.authoring import add_terms, create_deck
from app.services.cards import deck_cards
from app.services.decks import deck_summaries, get_visible_deck

bp = ApiBlueprint("api_decks", __name__, description="Decks and their terms.")
DECK = "/decks/<int(max=2147483647):deck_id>"


@bp.route("/decks", methods=["GET"])
@bp.response(200, DeckListOut)
@bp.problem(401, "No valid token")
def index():
    """Built-in decks, the caller's own, and decks assigned to the caller's classes, with the caller's counts."""
    user = current_user()
    return {"decks": [
        {"id": s.deck.id, "title": s.deck.title, "description": s.deck.description, "builtin": s.deck.builtin,
         "owned": s.deck.owner_id == user.id, "term_count": s.term_count, "cards": s.cards, "due": s.due,
         "new": s.new}
        for s in deck_summaries(user, now())
    ]}


@bp.route("/decks", methods=["POST"])
@bp.arguments(DeckIn)
@bp.response(201, DeckOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "Only instructors create decks")
def create(data):
    """Create an empty deck (instructors)."""
    return create_deck(current_user(), data["title"], data["description"], now())


@bp.route(DECK, methods=["GET"])
@bp.response(200, DeckOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck, or not visible to the caller")
def show(deck_id):
    """A deck with all its terms."""
    return get_visible_deck(current_user(), deck_id)


@bp.route(DECK + "/cards", methods=["GET"])
@bp.response(200, CardListOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def cards(deck_id):
    """The caller's cards in the deck (empty until the caller studies it)."""
    user = current_user()
    return {"cards": deck_cards(user, get_visible_deck(user, deck_id))}


@bp.route(DECK + "/terms", methods=["POST"])
@bp.arguments(TermsIn)
@bp.response(201, TermsOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "The caller does not own the deck")
@bp.problem(404, "No such deck")
def add(data, deck_id):
    """Add terms, all or nothing; missing pinyin, English, traditional form and HSK level come from the dictionary."""
    return {"terms": add_terms(current_user(), deck_id, data["terms"])}


@bp.route(DECK + "/study", methods=["POST"])
@bp.arguments(StudyIn, required=False)
@bp.response(200, StudyOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def start(data, deck_id):
    """Start studying the deck (again: adds missing cards); returns how many cards the caller has in it."""
    user = current_user()
    deck = get_visible_deck(user, deck_id)
    return {"cards": study.start_deck(user, deck, now(), (data or {}).get("directions"))}
