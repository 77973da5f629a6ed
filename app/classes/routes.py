"""/classes pages for instructors and learners."""
from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock, limits
from app.classes import bp
from app.edge import parse_id, parse_number
from app.extensions import db
from app.models import Classroom
from app.services import ServiceError, classes
from app.services.decks import visible_decks_query
from app.services.export import SpreadsheetWriter

SORTABLE = {"username": "Learner", "cards_started": "Cards started", "reviews_7d": "Reviews, 7 days",
            "retention_30d": "Retention, 30 days", "due": "Due", "last_active": "Last active", "on_track": "On track"}


@bp.route("/classes")
@login_required
def index():
    if current_user.is_instructor:
        return render_template("classes/instructor_index.html", classrooms=classes.classes_taught(current_user))
    return render_template("classes/learner_index.html", classrooms=classes.learner_classes(current_user))


@bp.route("/classes", methods=["POST"])
@login_required
def create():
    if not current_user.is_instructor:
        abort(403, description="Only instructors can create classes.")
    try:
        classroom = classes.create_class(current_user, request.form.get("name", ""), clock.now())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("classes.index"))
    flash(f"Created {classroom.name}. Learners join with the code {classroom.join_code}.", "success")
    return redirect(url_for("classes.show", class_id=classroom.id))


@bp.route("/classes/<int:class_id>")
@login_required
def show(class_id: int):
    classroom = classes.get_own_class(current_user, class_id)
    now = clock.now()
    sort = request.args.get("sort", "username")
    sort = sort if sort in SORTABLE else "username"
    descending = request.args.get("dir") == "desc"
    rows = sorted(classes.class_progress(current_user, class_id, now), key=_sort_key(sort), reverse=descending)
    assigned = {a.deck_id for a in classroom.assignments}
    assignable = [d for d in db.session.scalars(visible_decks_query(current_user)).all() if d.id not in assigned]
    return render_template(
        "classes/show.html", classroom=classroom, rows=rows, sort=sort, descending=descending, columns=SORTABLE,
        hard_terms=classes.hardest_terms(current_user, class_id, now), assignable=assignable,
        join_url=url_for("classes.join_link", code=classroom.join_code, _external=True),
        daily_max=limits.DAILY_NEW_TARGET,
    )


def _sort_key(column: str):
    """Missing values (no reviews yet) sort last in ascending order."""
    def key(row):
        value = getattr(row, column)
        if column == "username":
            return (0, value.lower())
        return (value is None, value if value is not None else 0)
    return key


@bp.route("/classes/<int:class_id>/progress.csv")
@login_required
def progress_csv(class_id: int):
    classroom = classes.get_own_class(current_user, class_id)
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(["username", "cards_started", "reviews_7d", "retention_30d", "due", "last_active", "on_track"])
    for row in classes.class_progress(current_user, class_id, clock.now()):
        writer.writerow([row.username, row.cards_started, row.reviews_7d,
                         "" if row.retention_30d is None else f"{row.retention_30d:.3f}", row.due,
                         row.last_active.isoformat() if row.last_active else "",
                         "" if row.on_track is None else ("yes" if row.on_track else "no")])
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="class-{classroom.id}-progress.csv"'})


def _target_form() -> tuple[date | None, int | None]:
    """The optional due date (YYYY-MM-DD) and daily target of new words from a form."""
    due, daily = request.form.get("due_on", "").strip(), request.form.get("daily_new", "").strip()
    try:
        due_on = date.fromisoformat(due) if due else None
    except ValueError:
        raise ServiceError("Give the due date as a date, e.g. 2027-03-05.", field="due_on") from None
    daily_new = parse_number(daily, 0, 10**9) if daily else None  # the service checks the range
    if daily and daily_new is None:
        raise ServiceError("The daily target is a whole number of new words.", field="daily_new")
    return due_on, daily_new


@bp.route("/classes/<int:class_id>/decks", methods=["POST"])
@login_required
def assign(class_id: int):
    deck_id = parse_id(request.form.get("deck_id"))
    if deck_id is None:
        abort(400, description="Choose a deck to assign.")
    due_on, daily_new = _target_form()
    assignment = classes.assign_deck(current_user, class_id, deck_id, clock.now(), due_on=due_on,
                                     daily_new=daily_new)
    flash(f"Assigned {assignment.deck.title}: it is in every learner's study list now.", "success")
    return redirect(url_for("classes.show", class_id=class_id))


@bp.route("/classes/<int:class_id>/decks/<int:deck_id>/target", methods=["POST"])
@login_required
def set_target(class_id: int, deck_id: int):
    due_on, daily_new = _target_form()
    assignment = classes.set_target(current_user, class_id, deck_id, due_on, daily_new, clock.now())
    flash(f"Saved the target for {assignment.deck.title}." if due_on or daily_new
          else f"{assignment.deck.title} has no target now.", "success")
    return redirect(url_for("classes.show", class_id=class_id) + "#decks")


@bp.route("/classes/<int:class_id>/decks/<int:deck_id>/remove", methods=["POST"])
@login_required
def unassign(class_id: int, deck_id: int):
    classes.unassign_deck(current_user, class_id, deck_id)
    flash("The deck is no longer assigned to this class.", "info")
    return redirect(url_for("classes.show", class_id=class_id))


@bp.route("/classes/<int:class_id>/learners/<int:user_id>")
@login_required
def learner(class_id: int, user_id: int):
    classroom = classes.get_own_class(current_user, class_id)
    detail = classes.learner_detail(current_user, class_id, user_id, clock.now())
    return render_template("classes/learner.html", classroom=classroom, detail=detail,
                           most=max((n for _, n in detail.per_day), default=0))


@bp.route("/classes/<int:class_id>/learners/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def remove_learner(class_id: int, user_id: int):
    """GET asks first (what the learner keeps and loses); POST removes."""
    classroom = classes.get_own_class(current_user, class_id)
    if request.method == "GET":
        learner = classes.learner_detail(current_user, class_id, user_id, clock.now()).learner
        return render_template(
            "confirm.html", title=f"Remove {learner.username} from {classroom.name}?",
            points=[f"{learner.username} stops seeing this class and its decks; the decks leave their study list.",
                    "Their review history is kept: if they join again, they carry on where they stopped.",
                    "You will no longer see their progress here."],
            action=url_for("classes.remove_learner", class_id=class_id, user_id=user_id),
            button=f"Remove {learner.username}", cancel=url_for("classes.show", class_id=class_id))
    learner = classes.remove_learner(current_user, class_id, user_id)
    flash(f"Removed {learner.username} from the class.", "info")
    return redirect(url_for("classes.show", class_id=class_id))


@bp.route("/classes/<int:class_id>/worksheet")
@login_required
def worksheet(class_id: int):
    """The class's words as a printable worksheet; ?deck= one deck, ?blank=pinyin|english|hanzi for practice."""
    classroom = classes.get_own_class(current_user, class_id)
    deck = request.args.get("deck", "")
    blank = request.args.get("blank", "")
    blank = blank if blank in ("pinyin", "english", "hanzi") else ""
    decks = classes.class_terms(current_user, class_id, parse_id(deck))
    return render_template("classes/worksheet.html", classroom=classroom, decks=decks, blank=blank,
                           deck_id=parse_id(deck))


@bp.route("/classes/join", methods=["POST"])
@login_required
def join():
    try:
        classroom = classes.join_class(current_user, request.form.get("code", ""), clock.now())
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for("classes.index")), 303
    flash(f"You joined {classroom.name}. Its decks are in your study list.", "success")
    return redirect(url_for("classes.index"))


@bp.route("/classes/join/<code>")
@login_required
def join_link(code: str):
    """The link an instructor shares: shows the class and a Join button (a GET never changes anything)."""
    normalised = classes.normalise_join_code(code)
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == normalised)) if normalised else None
    if classroom is None:
        abort(404, description="No class has that join code. Check the link with your instructor.")
    return render_template("classes/join.html", classroom=classroom)


@bp.route("/classes/<int:class_id>/leave", methods=["POST"])
@login_required
def leave(class_id: int):
    classroom = classes.leave_class(current_user, class_id)
    flash(f"You left {classroom.name}. Your review history is kept.", "info")
    return redirect(url_for("classes.index"))
