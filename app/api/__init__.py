"""The JSON API under /api/v1, for mobile and offline clients, integrations and scripts.

Built with flask-smorest: marshmallow schemas parse every request and describe every response, and
the OpenAPI document is generated from them (GET /api/v1/openapi.json, browsable at /api/v1/docs).
Views parse, call one service function and serialise; the rules live in app/services.
"""
from __future__ import annotations

import http

from apispec import BasePlugin
from flask import Flask, request
from flask_smorest import Api
from flask_smorest.spec.plugins import integerconverter2paramschema
from flask_smorest.utils import prepare_response

from app import limits
from app.api.core import PROBLEM_JSON, ProblemSchema
from app.edge import IdConverter

URL_PREFIX = "/api/v1"


class GuituApi(Api):
    """flask-smorest's Api, documenting errors as RFC 9457 problem details.

    The app's own error handlers already answer every /api/ error as application/problem+json, so
    flask-smorest's app-wide JSON error handler (which would also catch the HTML pages' errors) is
    not installed. No catch-all `default` response: each operation lists the statuses it answers
    (EveryStatus adds the ones every operation shares), so generated tests find any other.
    """

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


class EveryStatus(BasePlugin):
    """An apispec plugin: the error statuses every operation can answer, in each operation's responses.

    400 (app.edge refuses NUL, surrogates and over-deep JSON anywhere) and 503 (the database is down)
    everywhere; 413 (body too large) and 415 (body not JSON, or not multipart for files) wherever
    there is a request body.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            statuses = [400, 503] + ([413, 415] if "requestBody" in operation else [])
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(str(status), http.HTTPStatus(status).name)


def init_api(app: Flask) -> GuituApi:
    """Join the API to the app: settings, the OpenAPI document, the docs page and every area's blueprint."""
    from app.api import (
        annotate,
        cards,
        classes,
        decks,
        dictionary,
        docs,
        me,
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
    app.config.setdefault("API_MAX_BODY", limits.API_BODY_BYTES)
    api = GuituApi(app, spec_kwargs={
        "extra_plugins": [EveryStatus()],
        "info": {"description": "Learn Chinese vocabulary with FSRS spaced repetition. "
                               "Get a token with POST /api/v1/tokens (HTTP Basic), then send it as "
                               "`Authorization: Bearer <token>`. Errors are application/problem+json."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
    })
    api.register_converter(IdConverter, integerconverter2paramschema)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme("basicAuth", {"type": "http", "scheme": "basic"})
    for module in (tokens, users, me, decks, review, cards, stats, annotate, texts, dictionary, classes, scheduler):
        csrf.exempt(module.bp)  # bearer tokens or Basic, never cookies: nothing for CSRF to forge
        api.register_blueprint(module.bp, url_prefix=URL_PREFIX)
    app.register_blueprint(docs.bp, url_prefix=URL_PREFIX)

    @app.before_request
    def _limit_api_body():
        if request.path.startswith(URL_PREFIX + "/"):
            upload = request.path.endswith("/import")
            # Larger bodies are refused with 413 before they are read (the pages keep MAX_CONTENT_LENGTH).
            # A deck file may have its own limit plus room for the multipart envelope: a file over the
            # limit but within that gets the import's own message.
            request.max_content_length = (limits.UPLOAD_BYTES + 64 * 1024 if upload
                                          else app.config["API_MAX_BODY"])

    app.extensions["guitu_api"] = api
    return api
