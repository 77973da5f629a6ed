"""The JSON API under /api/v1, for mobile and offline clients, integrations and scripts.

Built with flask-smorest: marshmallow schemas parse every request and describe every response, and
the OpenAPI document is generated from them (GET /api/v1/openapi.json, browsable at /api/v1/docs).
Views parse, call one service function and serialise; the rules live in app/services.
"""
from __future__ import annotations

import http

from flask import Flask, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from app.api.core import PROBLEM_JSON, ProblemSchema

URL_PREFIX = "/api/v1"
# Larger bodies are refused with 413 before they are read (the HTML forms keep the app-wide limit).
API_MAX_BODY = 1024 * 1024
API_MAX_UPLOAD = 5 * 1024 * 1024  # deck files (POST /decks/{id}/import)


class GuituApi(Api):
    """flask-smorest's Api, documenting errors as RFC 9457 problem details.

    The app's own error handlers already answer every /api/ error as application/problem+json, so
    flask-smorest's app-wide JSON error handler (which would also catch the HTML pages' errors) is
    not installed.
    """

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_api(app: Flask) -> GuituApi:
    """Join the API to the app: settings, the OpenAPI document, the docs page and every area's blueprint."""
    from app.api import (
        annotate,
        cards,
        classes,
        decks,
        dictionary,
        docs,
        review,
        scheduler,
        stats,
        texts,
        tokens,
        users,
    )
    from app.extensions import csrf

    app.config.setdefault("API_TITLE", "Guitu API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", URL_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_MAX_BODY", API_MAX_BODY)
    api = GuituApi(app, spec_kwargs={
        "info": {"description": "Learn Chinese vocabulary with FSRS spaced repetition. "
                               "Get a token with POST /api/v1/tokens (HTTP Basic), then send it as "
                               "`Authorization: Bearer <token>`. Errors are application/problem+json."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("basicAuth", {"type": "http", "scheme": "basic"})
    for module in (tokens, users, decks, review, cards, stats, annotate, texts, dictionary, classes, scheduler):
        csrf.exempt(module.bp)  # bearer tokens or Basic, never cookies: nothing for CSRF to forge
        api.register_blueprint(module.bp, url_prefix=URL_PREFIX)
    app.register_blueprint(docs.bp, url_prefix=URL_PREFIX)

    @app.before_request
    def _limit_api_body():
        if request.path.startswith(URL_PREFIX + "/"):
            upload = request.path.endswith("/import")
            request.max_content_length = API_MAX_UPLOAD if upload else app.config["API_MAX_BODY"]

    app.extensions["guitu_api"] = api
    return api
