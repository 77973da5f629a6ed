"""Decks: list, create, show, the caller's cards in a deck, adding terms, starting to study."""
from __future__ import annotations

from flask import abort

from app import limits
from app.api.cards import card_json
from app.api.core import ApiBlueprint, current_user, now
from app.api.pages import page_of
from app.api.schemas import (
    PAGE_HEADERS,
    CardListOut,
    DeckIn,
    DeckListOut,
    DeckOut,
    ExportQuery,
    ImportIn,
    ImportOut,
    ImportQuery,
    PageIn,
    StudyIn,
    StudyOut,
    TermsIn,
    TermsOut,
)
from app.services import ServiceError, drafts, export, imports, script, study
from app.services.authoring import create_deck, get_own_deck
from app.services.cards import deck_cards, deck_terms
from app.services.decks import deck_summaries, get_visible_deck

bp = ApiBlueprint("api_decks", __name__, description="Decks and their terms.")
DECK = "/decks/<int:deck_id>"


@bp.route("/decks", methods=["GET"])
@bp.arguments(PageIn, location="query")
@bp.response(200, DeckListOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
def index(page):
    """Built-in decks, the caller's own, and decks assigned to the caller's classes, with the caller's counts."""
    user = current_user()
    summaries, headers = page_of(deck_summaries(user, now()), page)
    return {"decks": [
        {"id": s.deck.id, "title": script.text(s.deck.title, user.script), "description": s.deck.description,
         "builtin": s.deck.builtin, "owned": s.deck.owner_id == user.id, "term_count": s.term_count,
         "cards": s.cards, "due": s.due, "new": s.new, "priority": s.priority, "new_per_day": s.new_per_day}
        for s in summaries
    ]}, headers


@bp.route("/decks", methods=["POST"])
@bp.arguments(DeckIn)
@bp.response(201, DeckOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "Only instructors create decks")
def create(data):
    """Create an empty deck (instructors)."""
    return create_deck(current_user(), data["title"], data["description"], now())


@bp.route(DECK, methods=["GET"])
@bp.arguments(PageIn, location="query")
@bp.response(200, DeckOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck, or not visible to the caller")
def show(page, deck_id):
    """A deck with its terms, a page at a time (term_count says how many there are)."""
    deck = get_visible_deck(current_user(), deck_id)
    terms, headers = page_of(deck_terms(deck), page)
    return {"id": deck.id, "title": deck.title, "description": deck.description, "builtin": deck.builtin,
            "term_count": int(headers["X-Total-Count"]), "terms": terms}, headers


@bp.route(DECK + "/cards", methods=["GET"])
@bp.arguments(PageIn, location="query")
@bp.response(200, CardListOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def cards(page, deck_id):
    """The caller's cards in the deck, a page at a time (none until the caller studies it)."""
    user, moment = current_user(), now()
    cards, headers = page_of(deck_cards(user, get_visible_deck(user, deck_id)), page)
    return {"cards": [card_json(user, card, moment) for card in cards]}, headers


@bp.route(DECK + "/terms", methods=["POST"])
@bp.arguments(TermsIn)
@bp.response(201, TermsOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "The caller does not own the deck")
@bp.problem(404, "No such deck")
def add(data, deck_id):
    """Add terms, all or nothing; missing pinyin, English, traditional form and HSK level come from the
    dictionary. A term already in the deck is refused unless `duplicates` says update, skip or keep_both."""
    result = imports.import_terms(current_user(), deck_id, data["terms"], now(), duplicates=data.get("duplicates"))
    return {"terms": result.added + result.updated}


@bp.route(DECK + "/study", methods=["POST"])
@bp.arguments(StudyIn, required=False)
@bp.response(200, StudyOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def start(data, deck_id):
    """Start studying the deck (again: adds missing cards), optionally with its priority and own new-card
    limit; returns how many cards the caller has in it."""
    user, data = current_user(), data or {}
    deck = get_visible_deck(user, deck_id)
    cards = study.start_deck(user, deck, now(), data.get("directions"))
    if "priority" in data or "new_per_day" in data:
        study.deck_order(user, deck.id, priority=data.get("priority"), new_per_day=data.get("new_per_day", "keep"))
    return {"cards": cards}


@bp.route(DECK + "/import", methods=["POST"])
@bp.arguments(ImportQuery, location="query")
@bp.arguments(ImportIn, location="files")
@bp.response(201, ImportOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "The caller does not own the deck")
@bp.problem(404, "No such deck")
@bp.problem(409, "The deck changed during the import; nothing was saved")
@bp.problem(413, f"The file is larger than {limits.megabytes(limits.UPLOAD_BYTES)}")
def import_file(query, files, deck_id):
    """Import a term file, all or nothing: a bad row refuses the file (400, with every line's reason)
    unless skip_invalid=true; then the good rows are saved together and the bad ones listed, whether
    the file or the deck's rules refused them. Terms already in the deck: see `duplicates`."""
    user = current_user()
    get_own_deck(user, deck_id)
    try:
        draft = drafts.from_file(files["file"].read(limits.UPLOAD_BYTES + 1), query.get("columns"))
    except drafts.DraftError as error:
        abort(400, description=str(error))
    unreadable = [{"line": line, "reason": reason} for line, reason in draft.errors]
    if unreadable and not query["skip_invalid"]:
        error = ServiceError(f"{len(unreadable)} lines of the file cannot be imported; nothing was saved.")
        error.errors = unreadable
        raise error
    if not draft.rows:
        return {"imported": 0, "added": 0, "updated": 0, "skipped": unreadable, "format": draft.description,
                "columns": draft.columns}
    try:
        result = imports.import_terms(user, deck_id, [row.item() for row in draft.rows], now(),
                                      duplicates=query.get("duplicates"), skip_invalid=query["skip_invalid"],
                                      source="file", limit=limits.TERMS_PER_FILE)
    except imports.InvalidTerms as error:
        error.errors = [{"line": e["line"], "field": e["field"], "reason": e["detail"]} for e in error.errors]
        raise
    skipped = unreadable + [{"line": s["line"], "reason": s["reason"]} for s in result.skipped]
    return {"imported": len(result.added) + len(result.updated), "added": len(result.added),
            "updated": len(result.updated), "skipped": sorted(skipped, key=lambda s: s["line"]),
            "format": draft.description, "columns": draft.columns}


@bp.route(DECK + "/export", methods=["GET"])
@bp.arguments(ExportQuery, location="query")
@bp.response(200, content_type="text/csv", description="CSV (format=csv) or an Anki package (format=apkg)")
@bp.alt_response(200, content_type="application/octet-stream", description="An Anki package (format=apkg)",
                 success=True)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such deck")
def export_file(query, deck_id):
    """The deck as CSV (UTF-8 with a BOM, the columns the importer reads) or as an Anki package."""
    return export.download(get_visible_deck(current_user(), deck_id), query["format"])
