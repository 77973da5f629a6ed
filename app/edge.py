"""Input checks made once, at the edge, for the pages and the API alike: before any view runs.

Text no real user types and no database stores is refused here with a 400 that says why: the NUL
character (PostgreSQL cannot store it), lone UTF-16 surrogates (they cannot be encoded at all) and
JSON nested deeper than any request of ours needs. Ids are whole ASCII numbers within the id
columns' range, in URLs (the `int` converter) and in form or query fields (`parse_id`).
"""
from __future__ import annotations

import json
import re

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the id columns are 32-bit INTEGER on PostgreSQL
JSON_MAX_DEPTH = 16  # our deepest request, {"reviews": [{...}]}, is 3 levels
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,10}")


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL: ASCII digits only, 1 to ID_MAX; anything else is a 404, never an overflow."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=1, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_number(value: str | None, low: int, high: int) -> int | None:
    """A whole number from a form or query field, or None when it is not one in [low, high].

    ASCII digits only: str.isdigit() accepts '²' and '①', which int() then refuses.
    """
    if value is None or not _WHOLE_NUMBER.fullmatch(value.strip()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def parse_id(value: str | None) -> int | None:
    """A database id from a form or query field, or None when it is not one (e.g. '²', '-1', 2**70)."""
    return parse_number(value, 1, ID_MAX)


def bad_text_reason(text: str) -> str | None:
    match = _BAD_TEXT.search(text)
    if match is None:
        return None
    if match[0] == "\x00":
        return "Text may not contain the NUL character (U+0000)."
    return "Text may not contain a lone UTF-16 surrogate (such as \\ud800); send real characters."


def _strings(value, depth: int = 0):
    """Every string (keys included) in parsed JSON; ValueError past JSON_MAX_DEPTH."""
    if depth > JSON_MAX_DEPTH:
        raise ValueError(f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep.")
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, depth + 1)


def _json_strings():
    data = request.get_data(cache=True)
    if not data.strip():
        return []
    try:
        document = json.loads(data)
    except RecursionError:
        abort(400, description=f"The JSON body is nested more than {JSON_MAX_DEPTH} levels deep.")
    except ValueError:
        abort(400, description="The body is not valid JSON.")
    try:
        return list(_strings(document))
    except ValueError as error:
        abort(400, description=str(error))


def accepts_json(view):
    """Mark a page's view that takes a JSON body; every other page takes forms only (415 for JSON)."""
    view.accepts_json = True
    return view


def check_request() -> None:
    """Refuse a request whose text the app cannot store or answer (before_request)."""
    if request.is_json and not request.path.startswith("/api/"):
        view = current_app.view_functions.get(request.endpoint)
        if view is not None and not getattr(view, "accepts_json", False):
            abort(415, description="This page takes a form, not JSON.")
    texts = [text for key, values in request.args.lists() for text in (key, *values)]
    texts += [str(v) for v in (request.view_args or {}).values() if isinstance(v, str)]
    if request.authorization is not None:
        texts += [request.authorization.username or "", request.authorization.password or ""]
    if request.is_json:
        texts += _json_strings()
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [text for key, values in request.form.lists() for text in (key, *values)]
        texts += [f.filename or "" for files in request.files.listvalues() for f in files]
    for text in texts:
        reason = bad_text_reason(text)
        if reason:
            abort(400, description=reason)


def init_edge(app: Flask) -> None:
    """Install the id converter, before any route is added."""
    app.url_map.converters["int"] = IdConverter
