"""GET /api/v1/docs: the OpenAPI document rendered as a plain HTML page on the server.

No Swagger UI or ReDoc: those load scripts from a CDN, and the app must work offline.
"""
from __future__ import annotations

import json

from flask import Blueprint, current_app

bp = Blueprint("api_docs", __name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ info.title }} {{ info.version }}</title>
<link rel="stylesheet" href="{{ url_for('static', filename='css/api-docs.css') }}"></head><body>
<h1>{{ info.title }} <small>v{{ info.version }}</small></h1>
<p>{{ info.description }}</p>
<p>Machine-readable: <a href="{{ url_for('api-docs.openapi_json') }}">openapi.json</a> (OpenAPI {{ openapi }}).</p>
{% for tag, ops in by_tag %}
<h2 id="{{ tag }}">{{ tag }}</h2>
{% for path, method, op in ops %}
<div class="op"><span class="m">{{ method|upper }}</span><code>{{ path }}</code>
<p>{{ op.summary or "" }}{% if op.description %}<br><span class="s">{{ op.description }}</span>{% endif %}</p>
{% if op.security is defined %}<p class="s">Authentication: {% for s in op.security %}{{ s|list|join(", ") }}{% else %}none{% endfor %}</p>{% endif %}
{% for p in op.parameters or [] %}<div>parameter <code>{{ p.name }}</code> in {{ p.in }}{% if p.required %} (required){% endif %}</div>{% endfor %}
{% if op.requestBody %}<details><summary>request body</summary><pre>{{ dump(op.requestBody.content) }}</pre></details>{% endif %}
<details><summary>responses: {{ op.responses|list|join(", ") }}</summary><pre>{{ dump(op.responses) }}</pre></details>
</div>
{% endfor %}{% endfor %}
<h2>Schemas</h2>
{% for name, schema in schemas %}<details><summary><code>{{ name }}</code></summary><pre>{{ dump(schema) }}</pre></details>{% endfor %}
</body></html>"""


@bp.route("/docs")
def page():
    spec = current_app.extensions["guitu_api"].spec.to_dict()
    by_tag: dict[str, list] = {}
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                for tag in op.get("tags", ["other"]):
                    by_tag.setdefault(tag, []).append((path, method, op))
    # No context processors: the document needs no user, so it is served while the database is down too.
    return current_app.jinja_env.from_string(PAGE).render(
        info=spec["info"], openapi=spec["openapi"], by_tag=sorted(by_tag.items()),
        schemas=sorted(spec.get("components", {}).get("schemas", {}).items()),
        dump=lambda value: json.dumps(value, indent=2, ensure_ascii=False),
    )
