"""/cards: search, filter, sort and page through the learner's cards; /cards/<id>: a card's history,
suspend / unsuspend, bury / unbury, forget, and the learner's own note."""
from __future__ import annotations

from datetime import timedelta
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app import clock, limits
from app.auth.routes import safe_next
from app.cards import bp
from app.edge import ID_MAX, parse_id, parse_number
from app.extensions import db
from app.models import Deck
from app.services import ServiceError, speech, study
from app.services.cards import SORTS, CardSearch, ReviewRow, StateFilter, card_reviews, search_cards
from app.services.decks import visible_decks_query
from app.study.routes import undo_label
from app.templating import zh

PER_PAGE = 50
CHOICES = {"": None, "yes": True, "no": False}
ACTIONS = {"suspend", "unsuspend", "bury", "unbury", "forget"}


def _choice(name: str) -> bool | None:
    value = request.args.get(name, "")
    if value not in CHOICES:
        abort(400, description=f"{name} is yes, no or empty.")
    return CHOICES[value]


def _search() -> CardSearch:
    """The browser's question from the query string; 400 with the reason for a value it cannot be."""
    args = request.args
    deck_id = None
    if args.get("deck"):
        deck_id = parse_id(args["deck"])
        if deck_id is None:
            abort(400, description="deck must be a deck's number.")
    state = args.get("state", "")
    if state and state not in {s.value for s in StateFilter}:
        abort(400, description="state is new, learning, relearning or review.")
    sort = args.get("sort") or "due"
    if sort not in SORTS:
        abort(400, description=f"sort is one of {', '.join(SORTS)}.")
    q = args.get("q", "")
    if len(q) > limits.SEARCH_TEXT:
        abort(400, description=f"Search for at most {limits.SEARCH_TEXT} characters.")
    return CardSearch(q=q, deck_id=deck_id, state=StateFilter(state) if state else None,
                      suspended=_choice("suspended"), buried=_choice("buried"), due=_choice("due"), sort=sort,
                      descending=args.get("order") == "desc")


@bp.route("/cards")
@login_required
def index():
    search = _search()
    page = parse_number(request.args.get("page") or "1", 1, ID_MAX)
    if page is None:
        abort(400, description="page must be a whole number from 1.")
    now = clock.now()
    query = search_cards(current_user, search, now)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    cards = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    decks = db.session.scalars(visible_decks_query(current_user).order_by(Deck.title)).all()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("cards/index.html", cards=cards, search=search, total=total, page=page,
                           pages=max(1, ceil(total / PER_PAGE)), decks=decks, args=args, now=now,
                           states=[s.value for s in StateFilter], sorts=list(SORTS), undo_label=undo_label())


@bp.route("/cards/<int:card_id>")
@login_required
def show(card_id: int):
    card = study.get_own_card(current_user, card_id)
    now = clock.now()
    history = [ReviewRow.of(log) for log in db.session.scalars(card_reviews(current_user, card.id))]
    return render_template(
        "cards/show.html", card=card, term=card.term, history=history, now=now,
        buried=study.is_buried(card, now), note=study.note_for(current_user, card.term_id),
        retrievability=study.retrievability(current_user, card, now), undo_label=undo_label(),
        word_audio=speech.audio_url(card.term.simplified), example_audio=speech.audio_url(card.term.example_zh),
        ratings=study.RATING_NAMES, interval=_interval,
    )


def _interval(days: float | None) -> str:
    return study.format_interval(timedelta(days=days)) if days is not None else "–"


def _back(card_id: int):
    return redirect(safe_next(request.form.get("next")) or url_for("cards.show", card_id=card_id))


@bp.route("/cards/<int:card_id>/action", methods=["POST"])
@login_required
def act(card_id: int):
    """Suspend, unsuspend, bury, unbury or forget the card (each can be undone)."""
    action = request.form.get("do", "")
    if action not in ACTIONS:
        abort(400, description="do is suspend, unsuspend, bury, unbury or forget.")
    now = clock.now()
    if action in ("suspend", "unsuspend"):
        card = study.suspend(current_user, card_id, now, suspended=action == "suspend")
    elif action in ("bury", "unbury"):
        card = study.bury(current_user, card_id, now, buried=action == "bury")
    else:
        card = study.forget(current_user, card_id, now)
    done = {"suspend": "Suspended", "unsuspend": "Unsuspended", "bury": "Buried until tomorrow:",
            "unbury": "Unburied", "forget": "Reset to new (its history is kept):"}[action]
    flash(f"{done} {zh(card.term.simplified)} ({card.direction.value}).", "success")
    return _back(card_id)


@bp.route("/cards/<int:card_id>/note", methods=["POST"])
@login_required
def note(card_id: int):
    study.get_own_card(current_user, card_id)  # another's card: 404, not a message
    try:
        study.set_note(current_user, card_id, request.form.get("note", ""), clock.now())
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash("Note saved.", "success")
    return _back(card_id)
