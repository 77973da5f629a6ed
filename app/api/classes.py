"""Classes: instructors create them, assign decks and follow progress; learners join with a code."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user, now
from app.api.pages import page_of
from app.api.schemas import (
    PAGE_HEADERS,
    AssignedOut,
    AssignIn,
    ClassIn,
    ClassOut,
    JoinedOut,
    JoinIn,
    PageIn,
    ProgressOut,
)
from app.services import classes

bp = ApiBlueprint("api_classes", __name__, description="Classes, their decks and their learners' progress.")
CLASS = "/classes/<int:class_id>"


@bp.route("/classes", methods=["POST"])
@bp.arguments(ClassIn)
@bp.response(201, ClassOut)
@bp.problem(401, "No valid token")
@bp.problem(403, "Only instructors create classes")
def create(data):
    """Create a class (instructors); learners join it with the returned join code."""
    return classes.create_class(current_user(), data["name"], now())


@bp.route("/classes/join", methods=["POST"])
@bp.arguments(JoinIn)
@bp.response(200, JoinedOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No class has that code")
def join(data):
    """Join a class with its code (any case; spaces and dashes are ignored). Joining again changes nothing."""
    return classes.join_class(current_user(), data["code"], now())


@bp.route(CLASS + "/decks", methods=["POST"])
@bp.arguments(AssignIn)
@bp.response(201, AssignedOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such class of the caller's, or no such deck")
def assign(data, class_id):
    """Assign a deck to the class, optionally with a due date and a daily target of new words; its learners
    study it from then on. Assigning it again sets the target."""
    return classes.assign_deck(current_user(), class_id, data["deck_id"], now(), due_on=data.get("due_on"),
                               daily_new=data.get("daily_new"))


@bp.route(CLASS + "/progress", methods=["GET"])
@bp.arguments(PageIn, location="query")
@bp.response(200, ProgressOut, headers=PAGE_HEADERS)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such class of the caller's")
def progress(page, class_id):
    """Each learner's work on the class's decks, by name, a page at a time: reviews in 7 days, retention in
    30 days, due now, last review."""
    learners, headers = page_of(classes.class_progress(current_user(), class_id, now()), page)
    return {"learners": learners}, headers
