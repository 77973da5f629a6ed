"""/decks/new, /decks/<id>/edit, the add-terms preview and confirm, deck and term edits, exports."""
from __future__ import annotations

import base64
import binascii

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock, limits
from app.authoring import bp
from app.edge import parse_number
from app.extensions import db
from app.models import Term
from app.services import ServiceError, authoring, drafts, export, imports
from app.services.decks import get_visible_deck
from vocab.termfile import FIELDS

SOURCES = ("typed", "text", "bilingual", "file")
PREVIEW_ROWS = 500  # file rows shown for editing; the rest are imported as read
PREVIEW_PROBLEM_ROWS = 500  # rows that cannot be saved as they are, shown beyond those for fixing


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


def _file_data() -> bytes:
    """The uploaded file, or the copy the preview carried back (base64)."""
    if request.form.get("file_b64"):
        try:
            return base64.b64decode(request.form["file_b64"], validate=True)
        except (binascii.Error, ValueError):
            abort(400, description="The uploaded file did not come back intact; upload it again.")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise drafts.DraftError("Choose a file to upload.")
    data = upload.read(limits.UPLOAD_BYTES + 1)
    if len(data) > limits.UPLOAD_BYTES:
        raise drafts.DraftError(f"Files may be at most {limits.megabytes(limits.UPLOAD_BYTES)}.")
    return data


def _columns() -> list[str | None] | None:
    """The instructor's choice of field per file column, when the form carries one."""
    if "column" not in request.form:
        return None
    return [name or None for name in request.form.getlist("column")]


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
            file_data = _file_data()
            draft = drafts.from_file(file_data, _columns())
        else:
            abort(400, description="Choose how to add terms: typed, text, bilingual or file.")
    except drafts.DraftError as error:
        flash(str(error), "error")
        return render_template("authoring/edit.html", deck=deck, sources=SOURCES, active=source), 400
    imports.review_draft(deck, draft)
    return _render_preview(deck, draft, file_data, imports.Duplicates.SKIP)


def _render_preview(deck, draft, file_data: bytes | None, duplicates, status: int = 200):
    if file_data is not None:
        shown = draft.rows[:PREVIEW_ROWS] + [r for r in draft.rows[PREVIEW_ROWS:] if r.problems][:PREVIEW_PROBLEM_ROWS]
    else:
        shown = draft.rows
    return render_template(
        "authoring/preview.html", deck=deck, draft=draft, shown=shown, fields=FIELDS,
        hide_basic=bool(request.form.get("hide_basic")), duplicates=duplicates, modes=list(imports.Duplicates),
        file_b64=base64.b64encode(file_data).decode() if file_data is not None else None,
    ), status


@bp.route("/<int:deck_id>/terms", methods=["POST"])
@login_required
def add_terms(deck_id: int):
    """Save the reviewed draft: every included row, or none of them (the preview comes back, edits kept)."""
    deck = authoring.get_own_deck(current_user, deck_id)
    try:
        duplicates = imports.Duplicates(request.form.get("duplicates", "skip"))
    except ValueError:
        abort(400, description="Choose update, skip or keep_both for the words already in the deck.")
    source = request.form.get("source", "typed")
    rows = _rows_from_form()
    file_data = None
    if source == "file":
        file_data = _file_data()
        try:
            draft = drafts.from_file(file_data, _columns())
        except drafts.DraftError as error:
            abort(400, description=str(error))
        rows = _merge_file_rows(draft.rows, rows)
    else:
        draft = drafts.Draft([], source=source)
    items = [row.item() for row in rows if row.include]
    if not items:
        flash("No terms were chosen, so nothing was added.", "info")
        return redirect(url_for("authoring.edit", deck_id=deck.id))
    try:
        result = imports.import_terms(current_user, deck.id, items, clock.now(), duplicates=duplicates,
                                      source=source, limit=limits.TERMS_PER_FILE)
    except imports.InvalidTerms as error:
        included = [row for row in rows if row.include]
        draft.rows = rows
        imports.review_draft(deck, draft)  # readings already in the deck, as the first preview showed
        for problem in error.errors:  # and the save-time reasons, on the rows the instructor had ticked
            row = included[problem["index"]]
            if problem["detail"] not in row.problems:
                row.problems.append(problem["detail"])
            row.include = True
        flash(error.message + " Fix the rows marked below, or untick them.", "error")
        return _render_preview(deck, draft, file_data, duplicates, status=400)
    flash(_summary(deck, result), "success")
    return redirect(url_for("authoring.edit", deck_id=deck.id))


def _summary(deck, result: imports.ImportResult) -> str:
    parts = [f"Added {len(result.added)} term{'s' if len(result.added) != 1 else ''} to {deck.title}"]
    if result.updated:
        parts.append(f"updated {len(result.updated)}")
    if result.skipped:
        parts.append(f"skipped {len(result.skipped)} already in the deck")
    return ", ".join(parts) + "."


def _rows_from_form() -> list[drafts.DraftRow]:
    """The preview's editable table: parallel lists per field, `key` per row (its line in a file, else
    its index), and `include` naming the ticked keys. A reading chosen among several takes its own gloss."""
    columns = {name: request.form.getlist(name) for name in FIELDS}
    keys = request.form.getlist("key")
    if any(len(values) != len(keys) for values in columns.values()):
        abort(400, description="The term table was incomplete; go back and try again.")
    ticked = set(request.form.getlist("include"))
    rows = []
    for i, key in enumerate(keys):
        values = {name: columns[name][i] for name in FIELDS}
        values["english"] = drafts.reading_gloss(values["hanzi"], values["pinyin"], values["english"])
        row = drafts.DraftRow(**values, line=parse_number(key, 1, 10**9) if request.form.get("source") == "file"
                              else None, include=key in ticked)
        rows.append(row)
    return rows


def _merge_file_rows(parsed: list[drafts.DraftRow], edited: list[drafts.DraftRow]) -> list[drafts.DraftRow]:
    """The file's rows with the instructor's edits: a row shown in the preview is as they left it;
    a row not shown is imported as read, unless it cannot be saved as it is (then it is left out)."""
    by_line = {row.line: row for row in edited}
    merged = []
    for row in parsed:
        if row.line in by_line:
            merged.append(by_line.pop(row.line))
        elif not imports.check_row(row.item())[1]:
            merged.append(row)
    return merged


@bp.route("/<int:deck_id>/settings", methods=["POST"])
@login_required
def deck_settings(deck_id: int):
    deck = authoring.update_deck(current_user, deck_id, request.form.get("title", ""),
                                 request.form.get("description", ""))
    flash(f"Saved {deck.title}.", "success")
    return redirect(url_for("authoring.edit", deck_id=deck.id))


def _stake_points(stake: authoring.AtStake, what: str) -> list[str]:
    if not stake.anything:
        return [f"No learner has studied {what} yet, so nobody loses anything."]
    points = [f"{stake.learners} learner{'s' if stake.learners != 1 else ''} lose {stake.cards} card"
              f"{'s' if stake.cards != 1 else ''} and the history of {stake.reviews} review"
              f"{'s' if stake.reviews != 1 else ''} with {what}."]
    if stake.classes:
        points.append(f"It leaves the {stake.classes} class{'es' if stake.classes != 1 else ''} it is assigned to.")
    return points + ["This cannot be undone; export the deck first to keep a copy of its words."]


@bp.route("/<int:deck_id>/delete", methods=["GET", "POST"])
@login_required
def delete_deck(deck_id: int):
    """GET says what learners lose and asks; POST deletes."""
    deck = authoring.get_own_deck(current_user, deck_id)
    if request.method == "GET":
        return render_template(
            "confirm.html", title=f"Delete {deck.title}?",
            points=[f"Its {len(deck.terms)} terms are deleted."] + _stake_points(
                authoring.deck_at_stake(current_user, deck_id), "this deck"),
            action=url_for("authoring.delete_deck", deck_id=deck_id), button=f"Delete {deck.title}",
            cancel=url_for("authoring.edit", deck_id=deck_id))
    title = authoring.delete_deck(current_user, deck_id)
    flash(f"Deleted {title}.", "info")
    return redirect(url_for("decks.index"))


@bp.route("/<int:deck_id>/terms/<int:term_id>", methods=["POST"])
@login_required
def update_term(deck_id: int, term_id: int):
    """First the changes are shown with what learners keep; saving them needs `confirmed`."""
    values = {name: request.form.get(name, "") for name in authoring.EDITABLE}
    if not request.form.get("confirmed"):
        term, changes = authoring.term_changes(current_user, deck_id, term_id, values)
        if not changes:
            flash(f"Nothing changed in {term.simplified}.", "info")
            return redirect(url_for("authoring.edit", deck_id=deck_id) + f"#term-{term.id}")
        stake = authoring.term_at_stake(current_user, deck_id, term_id)
        return render_template(
            "confirm.html", title=f"Change {term.simplified}?",
            points=[f"{name}: “{old}” → “{new}”" for name, (old, new) in changes.items()] + [
                f"{stake.learners} learner{'s' if stake.learners != 1 else ''} studying it keep their cards and "
                "history; they see the new version at their next review."],
            action=url_for("authoring.update_term", deck_id=deck_id, term_id=term_id),
            hidden={**values, "confirmed": "1"}, button="Save the changes",
            cancel=url_for("authoring.edit", deck_id=deck_id) + f"#term-{term.id}")
    term = authoring.update_term(current_user, deck_id, term_id, values)
    flash(f"Saved {term.simplified}.", "success")
    return redirect(url_for("authoring.edit", deck_id=deck_id) + f"#term-{term.id}")


@bp.route("/<int:deck_id>/terms/<int:term_id>/delete", methods=["GET", "POST"])
@login_required
def delete_term(deck_id: int, term_id: int):
    """GET says what learners lose and asks; POST deletes."""
    if request.method == "GET":
        term = authoring.term_changes(current_user, deck_id, term_id, {})[0]
        return render_template(
            "confirm.html", title=f"Delete {term.simplified} {term.pinyin}?",
            points=_stake_points(authoring.term_at_stake(current_user, deck_id, term_id), "this term")[:1]
            + ["Every other term keeps its cards and history."],
            action=url_for("authoring.delete_term", deck_id=deck_id, term_id=term_id),
            button=f"Delete {term.simplified}", cancel=url_for("authoring.edit", deck_id=deck_id))
    simplified = authoring.delete_term(current_user, deck_id, term_id)
    flash(f"Deleted {simplified} and its cards; every other term keeps its review history.", "info")
    return redirect(url_for("authoring.edit", deck_id=deck_id))


@bp.route("/<int:deck_id>/export.<any(csv, apkg):fmt>")
@login_required
def export_deck(deck_id: int, fmt: str):
    return export.download(get_visible_deck(current_user, deck_id), fmt)
