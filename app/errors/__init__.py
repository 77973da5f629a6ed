"""Error pages and RFC 9457 problem details: every failure gets a clear message, never a stack trace."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
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


def database_down(error: Exception) -> bool:
    """Whether the error means the database cannot be reached (refused, dropped, locked too long, no
    connection free in the pool), rather than a bug."""
    return (isinstance(error, (OperationalError, InterfaceError, PoolTimeoutError))
            or bool(getattr(error, "connection_invalidated", False)))


def _render(status: int, title: str, detail: str, **extra):
    if wants_json():
        return problem(status, title, detail, **extra)
    try:
        return render_template("error.html", status=status, title=title, detail=detail), status
    except (DBAPIError, PoolTimeoutError) as error:
        # The page's header shows who is logged in, which needs the database: a route that needs none
        # (a static file) may fail while it is down, and then its error page cannot be drawn either.
        if not database_down(error):
            raise
        return database_unavailable(error)


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
        return with_error_headers(make_response(_render(error.code or 500, error.name, error.description or error.name)),
                                  error)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeoutError)
    def database_error(error: Exception):
        if not database_down(error):
            return unexpected_error(error)
        return database_unavailable(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(
            500, "Something went wrong", "An unexpected error happened on our side. It has been logged."
        )


RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "Guitu cannot reach its database just now. Please try again in a minute."


def database_unavailable(error: Exception):
    """503 while the database is down: problem details, or a page that needs no database (no user to load)."""
    current_app.logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it once the database is back
        pass
    if wants_json():
        response = problem(503, status_title(503), UNAVAILABLE)
    else:
        # Rendered without the context processors: Flask-Login's would load the user from the database.
        page = current_app.jinja_env.get_template("errors/unavailable.html").render(detail=UNAVAILABLE,
                                                                                   path=request.path)
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def with_error_headers(response, error: HTTPException):
    """The headers the error carries (Allow on a 405, WWW-Authenticate on a 401), on our own error body."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def status_title(status: int) -> str:
    """The standard reason phrase of an HTTP status ("Not Found"), for problem titles."""
    return HTTP_STATUS_CODES.get(status, "Error")
