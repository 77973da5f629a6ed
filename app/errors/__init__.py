"""Error pages and RFC 9457 problem details: every failure gets a clear message, never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.extensions import db
from app.services import ServiceError

PROBLEM_JSON = "application/problem+json"


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", PROBLEM_JSON])
    return best in ("application/json", PROBLEM_JSON)


def problem(status: int, title: str, detail: str, **extra):
    """A problem-details response (application/problem+json)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


def _render(status: int, title: str, detail: str, **extra):
    if wants_json():
        return problem(status, title, detail, **extra)
    return render_template("error.html", status=status, title=title, detail=detail), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            "Form expired or incomplete",
            "The form was missing its security token or it had expired. Reload the page and try again.",
        )

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        extra = {"field": error.field} if error.field else {}
        return _render(error.status, status_title(error.status), error.message, **extra)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            return _render(429, "Too many requests", "Too many attempts. Wait a minute and try again.")
        return _render(error.code or 500, error.name, error.description or error.name)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(
            500, "Something went wrong", "An unexpected error happened on our side. It has been logged."
        )


def status_title(status: int) -> str:
    """The standard reason phrase of an HTTP status ("Not Found"), for problem titles."""
    return HTTP_STATUS_CODES.get(status, "Error")
