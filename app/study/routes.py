"""/review: show the next card, grade it, undo, suspend, bury, check typed pinyin."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import vocab
from app import clock
from app.auth.routes import safe_next
from app.edge import ID_MAX, accepts_json, parse_id, parse_number
from app.models import Direction
from app.services import Conflict, ServiceError, speech, study
from app.services.decks import get_visible_deck
from app.study import bp
from app.templating import zh

GRADES = ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))


def _deck_id() -> int | None:
    """The deck the learner is reviewing, or None for all decks."""
    value = request.values.get("deck", "")
    if not value:
        return None
    deck_id = parse_id(value)
    if deck_id is None:
        abort(400, description="The deck parameter must be a deck's number.")
    return deck_id


def _back_to_review():
    target = safe_next(request.form.get("next"))
    if target:
        return redirect(target)
    deck_id = _deck_id()
    return redirect(url_for("study.review", deck=deck_id) if deck_id else url_for("study.review"))


def _int_field(name: str, *, required: bool = True) -> int | None:
    value = request.form.get(name, "")
    if not value and not required:
        return None
    number = parse_number(value, -ID_MAX, ID_MAX)
    if number is None:
        abort(400, description=f"The form field {name!r} must be a whole number.")
    return number


def undo_label() -> str | None:
    """What U would undo now ("Good on 打工"), or None when there is nothing to undo."""
    action = study.last_action(current_user)
    return study.action_label(action, zh(action.card.term.simplified)) if action else None


@bp.route("/review")
@login_required
def review():
    now = clock.now()
    deck_id = _deck_id()
    deck = get_visible_deck(current_user, deck_id) if deck_id else None
    card, remaining = study.next_card(current_user, now, deck_id)
    if card is None:
        start, _ = study.study_day(current_user, now)
        next_due = study.next_learning_due(current_user, now, deck_id)
        return render_template("study/done.html", deck=deck, remaining=remaining, undo_label=undo_label(),
                               summary=study.session_summary(current_user, start),
                               next_in=study.format_interval(next_due - now) if next_due else None)
    intervals = {r: study.format_interval(d) for r, d in study.preview_intervals(current_user, card, now).items()}
    term = card.term
    return render_template(
        "study/review.html", card=card, term=term, deck=deck, remaining=remaining, grades=GRADES,
        intervals=intervals, client_review_id=uuid.uuid4().hex, Direction=Direction,
        other_readings=vocab.other_readings(term.simplified, term.pinyin), queue=card.queue.value,
        word_audio=speech.audio_url(term.simplified), example_audio=speech.audio_url(term.example_zh),
        note=study.note_for(current_user, term.id), undo_label=undo_label(),
    )


@bp.route("/review/more", methods=["POST"])
@login_required
def more():
    """Study more today: more new cards, or reviews ahead (Anki's custom study)."""
    new_cards = parse_number(request.form.get("new_cards") or "0", 0, study.MORE_NEW_MAX)
    ahead_days = parse_number(request.form.get("ahead_days") or "0", 0, study.AHEAD_DAYS_MAX)
    if new_cards is None or ahead_days is None:
        flash(f"Choose 0 to {study.MORE_NEW_MAX} new cards and 0 to {study.AHEAD_DAYS_MAX} days ahead.",
              "error")
        return _back_to_review()
    try:
        study.study_more(current_user, clock.now(), new_cards=new_cards, ahead_days=ahead_days)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        parts = ([f"{new_cards} more new cards"] if new_cards else []) + (
            [f"reviews due in the next {ahead_days} days"] if ahead_days else [])
        flash(f"Studying more today: {' and '.join(parts)}.", "success")
    return _back_to_review()


@bp.route("/review/grade", methods=["POST"])
@login_required
def grade():
    try:
        result = study.grade(
            current_user, _int_field("card_id"), _int_field("rating"), request.form.get("client_review_id", ""),
            clock.now(), duration_ms=_clamped_duration(), expected_version=_int_field("version", required=False),
        )
    except Conflict as error:
        flash(error.message, "error")
    else:
        if result.duplicate:
            flash("That grade was already recorded.", "info")
    return _back_to_review()


def _clamped_duration() -> int | None:
    value = _int_field("duration_ms", required=False)
    # The clock in a browser tab left open overnight is no measure of effort; cap it as Anki does.
    return None if value is None else max(0, min(value, 60_000))


@bp.route("/review/undo", methods=["POST"])
@login_required
def undo():
    try:
        undone = study.undo_last(current_user)
    except ServiceError as error:
        flash(error.message, "error")
    else:
        flash(f"Undone: {study.action_label(undone, zh(undone.card.term.simplified))}.", "info")
    return _back_to_review()


@bp.route("/review/cards/<int:card_id>/suspend", methods=["POST"])
@login_required
def suspend(card_id: int):
    card = study.suspend(current_user, card_id, clock.now())
    flash(f"Suspended {zh(card.term.simplified)}: it will not come up until you unsuspend it "
          "(in Cards), or undo.", "info")
    return _back_to_review()


@bp.route("/review/cards/<int:card_id>/bury", methods=["POST"])
@login_required
def bury(card_id: int):
    card = study.bury(current_user, card_id, clock.now())
    flash(f"Buried {zh(card.term.simplified)} until tomorrow.", "info")
    return _back_to_review()


@bp.route("/review/check", methods=["POST"])
@login_required
@accepts_json
def check():
    """Typed-answer mode: compare typed pinyin with the card's reading, syllable by syllable (JSON)."""
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    card_id, typed = data.get("card_id"), data.get("typed")
    if parse_id(str(card_id)) is None or isinstance(card_id, bool) or not isinstance(typed, str) or len(typed) > 200:
        abort(400, description="Send {\"card_id\": <int>, \"typed\": <string up to 200 characters>}.")
    card = study.get_own_card(current_user, card_id)
    result = vocab.compare_pinyin(card.term.pinyin, typed)
    return {
        "correct": result.correct,
        "parsed": result.parsed,
        "tones_only": result.tones_only,
        "expected": card.term.pinyin,
        "syllables": [
            {"expected": s.expected, "typed": s.typed, "verdict": s.verdict.value} for s in result.syllables
        ],
    }


@bp.route("/decks/<int:deck_id>/study", methods=["POST"])
@login_required
def start(deck_id: int):
    deck = get_visible_deck(current_user, deck_id)
    directions = request.form.getlist("directions")
    try:
        n = study.start_deck(current_user, deck, clock.now(), directions or None)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("decks.show", deck_id=deck.id))
    flash(f"You are studying {deck.title}: {n} cards.", "success")
    return redirect(url_for("study.review", deck=deck.id))


@bp.route("/decks/<int:deck_id>/order", methods=["POST"])
@login_required
def order(deck_id: int):
    """The deck's priority among the learner's decks and its own new-card limit."""
    deck = get_visible_deck(current_user, deck_id)
    priority = parse_number(request.form.get("priority", ""), 1, 5)
    raw_limit = request.form.get("new_per_day", "").strip()
    limit = parse_number(raw_limit, 0, study.NEW_PER_DAY_MAX) if raw_limit else None
    if priority is None or (raw_limit and limit is None):
        flash(f"Choose a priority from 1 to 5 and 0 to {study.NEW_PER_DAY_MAX} new cards a day (or leave it empty).",
              "error")
        return redirect(url_for("decks.show", deck_id=deck.id))
    study.deck_order(current_user, deck.id, priority=priority, new_per_day=limit)  # 404 unless studied
    flash(f"Saved: {zh(deck.title)} comes {study.PRIORITIES[priority]}"
          + (f", {limit} new cards a day at most." if limit is not None else "."), "success")
    return redirect(url_for("decks.show", deck_id=deck.id))
