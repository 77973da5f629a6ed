"""/me/scheduler: the caller's FSRS parameters, optimising them on their own history, going back to defaults."""
from __future__ import annotations

from flask import url_for
from marshmallow import Schema, ValidationError, fields, validate

from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import Strict
from app.services import personal_scheduler
from app.services.scheduler_fit import MIN_DAYS, MIN_REVIEWS

bp = ApiBlueprint("api_scheduler", __name__, description="The caller's personal FSRS scheduler.")


class ParametersField(fields.Field):
    """null or "default" (FSRS's defaults), or the 21 FSRS-6 weights."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value is None or value == "default":
            return None
        if not isinstance(value, list):
            raise ValidationError('Send "default", null or a list of 21 numbers.')
        return value


class SchedulerPatchIn(Strict):
    parameters = ParametersField(allow_none=True, metadata={
        "description": '"default" or null: schedule with FSRS\'s default parameters again; or a list of the 21 '
                       "FSRS-6 weights to schedule with (e.g. from Anki)",
        "oneOf": [{"type": "string", "enum": ["default"]},
                  {"type": "array", "items": {"type": "number"}, "minItems": 21, "maxItems": 21}],
        "nullable": True})
    reminder = fields.Boolean(metadata={"description": "suggest optimising again after 1,000 new reviews or a year"})


class SchedulerOut(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["idle", "queued", "running", "failed"]),
                           metadata={"description": "the latest optimisation: idle (none pending), queued, "
                                                    "running or failed"})
    parameters = fields.List(fields.Float(), required=True,
                             metadata={"description": "the 21 FSRS-6 weights scheduling the caller now"})
    personalised = fields.Boolean(required=True,
                                  metadata={"description": "true: fitted to the caller; false: FSRS's defaults"})
    log_loss_default = fields.Float(allow_none=True, required=True, metadata={
        "description": "the last finished optimisation: log loss of FSRS's default parameters on the caller's "
                       "later reviews (time-series split, as the FSRS benchmark); lower is better"})
    log_loss_fitted = fields.Float(allow_none=True, required=True, metadata={
        "description": "the same for parameters fitted on earlier reviews only"})
    rmse_default = fields.Float(allow_none=True, required=True, metadata={"description": "RMSE (bins), 0-1"})
    rmse_fitted = fields.Float(allow_none=True, required=True, metadata={"description": "RMSE (bins), 0-1"})
    reviews_used = fields.Integer(allow_none=True, required=True,
                                  metadata={"description": "reviews the last finished optimisation read"})
    accepted = fields.Boolean(allow_none=True, metadata={
        "description": "the last finished optimisation's parameters were better than the defaults and were kept"})
    fitted_parameters = fields.List(fields.Float(), allow_none=True,
                                    metadata={"description": "what the last finished optimisation fitted"})
    optimized_at = fields.DateTime(allow_none=True)
    requested_at = fields.DateTime(allow_none=True, metadata={"description": "the latest optimisation's request"})
    error = fields.String(allow_none=True, metadata={"description": "why the latest optimisation failed"})
    reviews = fields.Integer(required=True, metadata={"description": "the caller's reviews so far"})
    can_optimize = fields.Boolean(required=True, metadata={
        "description": f"at least {MIN_REVIEWS} reviews over at least {MIN_DAYS} days"})
    reviews_needed = fields.Integer(required=True)
    days_needed = fields.Integer(required=True)
    message = fields.String(required=True)
    reviews_since_optimization = fields.Integer(allow_none=True)
    reminder = fields.Boolean(required=True)
    reoptimize_suggested = fields.Boolean(required=True, metadata={
        "description": "1,000 new reviews or a year since the last optimisation (when the reminder is on)"})


def _body(user) -> dict:
    state = personal_scheduler.state(user, now())
    result, latest, ready = state.result, state.latest, state.readiness
    return {
        "status": state.status, "parameters": state.parameters, "personalised": state.personalised,
        "log_loss_default": result.log_loss_default if result else None,
        "log_loss_fitted": result.log_loss_fitted if result else None,
        "rmse_default": result.rmse_default if result else None,
        "rmse_fitted": result.rmse_fitted if result else None,
        "reviews_used": result.reviews_used if result else None,
        "accepted": result.accepted if result else None,
        "fitted_parameters": result.parameters if result else None,
        "optimized_at": result.finished_at if result else None,
        "requested_at": latest.requested_at if latest else None,
        "error": state.error,
        "reviews": ready.reviews, "can_optimize": ready.ready, "reviews_needed": ready.reviews_needed,
        "days_needed": ready.days_needed, "message": ready.message,
        "reviews_since_optimization": state.reviews_since_fit, "reminder": state.reminder,
        "reoptimize_suggested": state.reoptimize_suggested,
    }


@bp.route("/me/scheduler", methods=["GET"])
@bp.response(200, SchedulerOut)
@bp.problem(401, "No valid token")
def show():
    """The parameters scheduling the caller, the latest optimisation's status and its figures."""
    return _body(current_user())


@bp.route("/me/scheduler", methods=["PATCH"])
@bp.arguments(SchedulerPatchIn)
@bp.response(200, SchedulerOut)
@bp.problem(401, "No valid token")
def change(data):
    """Go back to FSRS's default parameters (`{"parameters": "default"}`), use given weights, or turn the
    re-optimisation reminder on or off. Cards keep their memory state; new parameters apply from each
    card's next review."""
    user = current_user()
    if "parameters" in data:
        personal_scheduler.use_parameters(user, data["parameters"])
    if "reminder" in data:
        personal_scheduler.set_reminder(user, data["reminder"])
    return _body(user)


@bp.route("/me/scheduler/optimize", methods=["POST"])
@bp.response(202, SchedulerOut, description="Queued (or already queued or running): poll GET /me/scheduler")
@bp.alt_response(200, schema=SchedulerOut, description="Finished at once: the history has not changed since "
                                                      "the last optimisation, whose result this is")
@bp.problem(401, "No valid token")
@bp.problem(409, "Not enough history yet: the detail says how many more reviews and days are needed")
def optimize():
    """Fit FSRS-6 parameters to the caller's review history, in the background.

    Needs at least 400 reviews over at least 14 days. The fitted parameters are scored against the
    defaults on later reviews (time-series split) and kept only when better by log loss and RMSE (bins).
    """
    user = current_user()
    _, finished = personal_scheduler.request_optimization(user, now())
    headers = {"Location": url_for("api_scheduler.show")}
    return _body(user), (200 if finished else 202), headers
