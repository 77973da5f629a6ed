"""What every API area shares: the blueprint class, problem-details errors and bearer authentication."""
from __future__ import annotations

from flask import abort, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from webargs.core import is_json
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from app.clock import now
from app.errors import PROBLEM_JSON, problem, status_title, with_error_headers
from app.extensions import db
from app.models import User
from app.services import ServiceError
from app.services.tokens import user_for_token

__all__ = ["PROBLEM_JSON", "ApiBlueprint", "ProblemSchema", "current_user", "bearer_token", "now"]


class ProblemSchema(Schema):
    """RFC 9457 problem details, as every API error is answered."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    field = fields.String(metadata={"description": "the request field at fault, where there is one"})
    errors = fields.Raw(metadata={"description": "per-field or per-item errors, where useful"})


class _Parser(FlaskParser):
    """webargs' parser, answering 400 for bad input (not 422) and 415 for a body of the wrong type."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        has_body = bool(req.content_length) or "chunked" in req.headers.get("Transfer-Encoding", "")
        if has_body and not is_json(req.mimetype):
            abort(415, description="Send the body as JSON, with Content-Type: application/json.")
        return super().load_json(req, schema)

    def load_files(self, req, schema):
        if req.mimetype != "multipart/form-data":
            abort(415, description="Send the file as multipart/form-data, in a field named file.")
        return super().load_files(req, schema)


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint whose errors are problem details, with per-field errors kept."""

    ARGUMENTS_PARSER = _Parser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_error_handler(HTTPException, _http_problem)
        self.register_error_handler(ServiceError, _service_problem)

    def problem(self, status: int, description: str):
        """Document an error response: problem details with this status."""
        return self.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_JSON, description=description)


def _http_problem(error: HTTPException):
    data = getattr(error, "data", None) or {}
    extra = {}
    if "messages" in data:  # webargs: {"json": {"field": ["message", ...]}}
        extra["errors"] = data["messages"]
    detail = error.description or error.name
    if error.code == 429:
        detail = "Too many attempts. Wait a minute and try again."
    response = with_error_headers(problem(error.code or 500, error.name, detail, **extra), error)
    if error.code == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = 'Bearer realm="guitu"'
    return response


def _service_problem(error: ServiceError):
    db.session.rollback()
    extra = {}
    if error.field:
        extra["field"] = error.field
    if getattr(error, "errors", None):
        extra["errors"] = error.errors
    return problem(error.status, status_title(error.status), error.message, **extra)


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_user() -> User:
    """The user whose bearer token came with the request; 401 otherwise.

    Only the Authorization header counts: a browser's session cookie never authenticates an API call.
    """
    token = bearer_token()
    user = user_for_token(token, now()) if token else None
    if user is None:
        abort(401, description="Send a valid API token: Authorization: Bearer <token> (POST /api/v1/tokens).")
    return user
