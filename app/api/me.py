"""/me: the caller's account and every study setting, read (GET) and changed (PATCH)."""
from __future__ import annotations

from flask import abort

from app.api.core import ApiBlueprint, current_user
from app.api.schemas import MeOut, MePatchIn
from app.services import accounts

bp = ApiBlueprint("api_me", __name__, description="The caller's account and study settings.")


@bp.route("/me", methods=["GET"])
@bp.response(200, MeOut)
@bp.problem(401, "No valid token")
def show():
    """The caller's study settings: retention, daily limits, learning steps, timezone, script, tone colours, voice."""
    return current_user()


@bp.route("/me", methods=["PATCH"])
@bp.arguments(MePatchIn)
@bp.response(200, MeOut)
@bp.problem(401, "No valid token")
def change(data):
    """Change any study settings, all or nothing: a bad value (an unknown timezone, steps that are not
    steps) changes none of them (400, with `field`)."""
    if not data:
        abort(400, description="Send at least one setting to change.")
    return accounts.update_settings(current_user(), **data)
