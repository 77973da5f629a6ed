"""Saved texts: list, keep, read (annotated, with the caller's study states) and delete."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import TextIn, TextListOut, TextOut, TextSummaryOut
from app.services import reading, texts

bp = ApiBlueprint("api_texts", __name__, description="Texts kept in the reader.")
TEXT = "/texts/<int:text_id>"


def _summary(summary: texts.TextSummary) -> dict:
    t = summary.text
    return {"id": t.id, "title": t.title, "length": t.length, "created_at": t.created_at, "owned": summary.owned,
            "deck_id": t.deck_id, "class_ids": sorted(s.classroom_id for s in t.shares),
            "hsk_profile": t.hsk_profile or {}, "known": summary.coverage.to_dict()}


@bp.route("/texts", methods=["GET"])
@bp.response(200, TextListOut)
@bp.problem(401, "No valid token")
def index():
    """The caller's texts and those shared with them, newest first, with how much of each they know."""
    return {"texts": [_summary(s) for s in texts.texts_for(current_user())]}


@bp.route("/texts", methods=["POST"])
@bp.arguments(TextIn)
@bp.response(201, TextSummaryOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "Only instructors attach texts to decks and classes")
@bp.problem(404, "No such deck or class")
@bp.problem(413, f"The text is longer than {reading.TEXT_MAX} characters")
def create(data):
    """Keep a text (annotated at once, so it reopens instantly)."""
    user = current_user()
    text = texts.create_text(user, data["title"], data["text"], now(), deck_id=data.get("deck_id"),
                             class_ids=data.get("class_ids"))
    known = reading.knowledge(user)
    return _summary(texts.TextSummary(text, reading.coverage(text.word_counts or {}, known), True))


@bp.route(TEXT, methods=["GET"])
@bp.response(200, TextOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such text, or not visible to the caller")
def show(text_id):
    """A text with its tokens, each with the caller's study state."""
    user = current_user()
    text = texts.get_visible_text(user, text_id, with_annotation=True)
    annotation = texts.annotation_of(text)
    known = reading.knowledge(user)
    summary = texts.TextSummary(text, reading.coverage(text.word_counts or {}, known), text.owner_id == user.id)
    return {**_summary(summary), "text": text.body, "tokens": reading.token_dicts(annotation, known)}


@bp.route(TEXT, methods=["DELETE"])
@bp.response(204)
@bp.problem(401, "No valid token")
@bp.problem(403, "The text was shared with the caller, not saved by them")
@bp.problem(404, "No such text")
def delete(text_id):
    """Delete one of the caller's texts."""
    texts.delete_text(current_user(), text_id)
    return "", 204
