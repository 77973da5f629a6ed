"""/decks/new, /decks/<id>/edit, the add-terms preview and confirm, term edits, exports."""
from __future__ import annotations

import base64
import binascii

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock, limits
from app.authoring import bp
from app.edge import parse_number
from app.extensions import db
from app.models import Term
from app.services import ServiceError, authoring, drafts, export
from app.services.decks import get_visible_deck

SOURCES = ("typed", "text", "bilingual", "file")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_deck():
    if not current_user.is_instructor:
        abort(403, description="Only instructors can create decks.")
    if request.method == "POST":
        try:
            deck = authoring.create_deck(current_user, request.form.get("title", ""),
                                         request.form.get("description", ""), clock.now())
        except ServiceError as error:
            return render_template("authoring/new.html", error=error.message, form=request.form), 400
        flash(f"Created {deck.title}. Add its terms below.", "success")
        return redirect(url_for("authoring.edit", deck_id=deck.id))
    return render_template("authoring/new.html", error=None, form={})


@bp.route("/<int:deck_id>/edit")
@login_required
def edit(deck_id: int):
    deck = authoring.get_own_deck(current_user, deck_id)
    return render_template("authoring/edit.html", deck=deck, sources=SOURCES)


@bp.route("/<int:deck_id>/preview", methods=["POST"])
@login_required
def preview(deck_id: int):
    deck = authoring.get_own_deck(current_user, deck_id)
    source = request.form.get("source", "")
    file_data = None
    try:
        if source == "typed":
            draft = drafts.from_typed(request.form.get("terms", ""))
        elif source == "text":
            known = set(db.session.scalars(select(Term.simplified).where(Term.deck_id == deck.id)))
            draft = drafts.from_text(request.form.get("text", ""), known=known)
        elif source == "bilingual":
            draft = drafts.from_bilingual(request.form.get("text", ""))
        elif source == "file":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                raise drafts.DraftError("Choose a file to upload.")
            file_data = upload.read(limits.UPLOAD_BYTES + 1)
            if len(file_data) > limits.UPLOAD_BYTES:
                raise drafts.DraftError(f"Files may be at most {limits.UPLOAD_BYTES // (1024 * 1024)} MB.")
            draft = drafts.from_file(file_data)
        else:
            abort(400, description="Choose how to add terms: typed, text, bilingual or file.")
    except drafts.DraftError as error:
        flash(str(error), "error")
        return render_template("authoring/edit.html", deck=deck, sources=SOURCES, active=source), 400
    return render_template(
        "authoring/preview.html", deck=deck, draft=draft, hide_basic=bool(request.form.get("hide_basic")),
        file_b64=base64.b64encode(file_data).decode() if file_data is not None else None,
    )


@bp.route("/<int:deck_id>/terms", methods=["POST"])
@login_required
def add_terms(deck_id: int):
    """Save the reviewed draft: every included row, or none of them."""
    deck = authoring.get_own_deck(current_user, deck_id)
    if request.form.get("file_b64"):
        try:
            data = base64.b64decode(request.form["file_b64"], validate=True)
            draft = drafts.from_file(data)
        except (binascii.Error, ValueError, drafts.DraftError):
            abort(400, description="The uploaded file did not come back intact; upload it again.")
        items, source = [row.item() for row in draft.rows], "file"
    else:
        items, source = _rows_from_form(), request.form.get("source", "typed")
        draft = None
    if not items:
        flash("No terms were chosen, so nothing was added.", "info")
        return redirect(url_for("authoring.edit", deck_id=deck.id))
    try:
        terms = authoring.add_terms(current_user, deck.id, items, clock.now(), source=source, limit=limits.TERMS_PER_FILE)
    except authoring.InvalidTerms as error:
        flash(error.message, "error")
        return render_template("authoring/invalid.html", deck=deck, errors=error.errors, items=items), 400
    flash(f"Added {len(terms)} term{'s' if len(terms) != 1 else ''} to {deck.title}.", "success")
    return redirect(url_for("authoring.edit", deck_id=deck.id))


def _rows_from_form() -> list[dict]:
    """The preview's editable table: parallel lists per field, and `include` naming the rows to keep."""
    fields = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_en", "note")
    columns = {name: request.form.getlist(name) for name in fields}
    count = len(columns["hanzi"])
    if any(len(values) != count for values in columns.values()):
        abort(400, description="The term table was incomplete; go back and try again.")
    keep = {parse_number(i, 0, count - 1) for i in request.form.getlist("include")} - {None}
    return [{name: columns[name][i] for name in fields} for i in sorted(keep)]


@bp.route("/<int:deck_id>/terms/<int:term_id>", methods=["POST"])
@login_required
def update_term(deck_id: int, term_id: int):
    term = authoring.update_term(current_user, deck_id, term_id, {
        name: request.form.get(name, "") for name in
        ("traditional", "pinyin", "english", "example_zh", "example_en", "note")
    })
    flash(f"Saved {term.simplified}.", "success")
    return redirect(url_for("authoring.edit", deck_id=deck_id) + f"#term-{term.id}")


@bp.route("/<int:deck_id>/terms/<int:term_id>/delete", methods=["POST"])
@login_required
def delete_term(deck_id: int, term_id: int):
    simplified = authoring.delete_term(current_user, deck_id, term_id)
    flash(f"Deleted {simplified} and its cards; every other term keeps its review history.", "info")
    return redirect(url_for("authoring.edit", deck_id=deck_id))


@bp.route("/<int:deck_id>/export.<any(csv, apkg):fmt>")
@login_required
def export_deck(deck_id: int, fmt: str):
    body, mimetype, filename = export.deck_file(get_visible_deck(current_user, deck_id), fmt)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

