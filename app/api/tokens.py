"""POST /tokens (HTTP Basic) issues an API token; DELETE /tokens revokes the one sent."""
from __future__ import annotations

from flask import request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from app import rate_limits
from app.api.core import ApiBlueprint, bearer_token, current_user, now
from app.api.schemas import TokenOut
from app.services.accounts import authenticate
from app.services.tokens import issue_token, revoke_token

bp = ApiBlueprint("api_tokens", __name__, description="API tokens: log in with HTTP Basic, then send Bearer tokens.")


@bp.route("/tokens", methods=["POST"])
@bp.response(201, TokenOut)
@bp.problem(401, "Wrong or missing HTTP Basic credentials")
@bp.problem(429, "Too many attempts")
@bp.doc(security=[{"basicAuth": []}])
@rate_limits.login_limits
def create():
    """Issue a token for the HTTP Basic credentials; it expires after 30 days."""
    credentials = request.authorization
    user = None
    if credentials is not None and credentials.type == "basic":
        user = authenticate(credentials.username or "", credentials.password or "")
    if user is None:
        # The Basic challenge lets a standard client (curl, requests, a browser) know what to send.
        raise Unauthorized("Wrong username or password (send them as HTTP Basic credentials).",
                           www_authenticate=WWWAuthenticate("basic", {"realm": "guitu"}))
    token, record = issue_token(user, now())
    return {"token": token, "expires_at": record.expires_at}


@bp.route("/tokens", methods=["DELETE"])
@bp.response(204)
@bp.problem(401, "No valid token was sent")
def delete():
    """Revoke the token sent with this request."""
    current_user()
    revoke_token(bearer_token())
    return ""
