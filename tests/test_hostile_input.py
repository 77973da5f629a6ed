"""Hostile input, generated: every form the pages show (found by crawling them as each kind of user) and
every operation of the OpenAPI document gets every field replaced, one at a time, by each hostile value
(NUL, lone surrogates, odd digits, numbers past 64 bits, oversize text, wrong types, deep nesting) and
the body sent with the wrong content type. None may answer with a 5xx. Run with -s for the counts."""
from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from app.models import Role
from app.services import accounts, authoring, classes, imports, study, tokens
from tests.conftest import FIXED_NOW
from tests.helpers import PASSWORD, make_deck

# Text a form field may carry. (A lone surrogate cannot be UTF-8: in forms it is the raw bytes of one.)
FORM_VALUES = [
    "\x00", "过年\x00", b"\xed\xa0\x80".decode("utf-8", "surrogateescape"), "²", "①", "٣", "１", "-1",
    str(2**64 + 1), str(-(2**63) - 1), "1e309", "NaN", "x" * 70_000, "过" * 5000, "<script>alert(1)</script>",
    "' OR '1'='1", "../../etc/passwd", "\u202eevil", "😀" * 300, "", " ",
]
JSON_VALUES = FORM_VALUES[:2] + ["\ud800", "x\udfff"] + FORM_VALUES[3:] + [
    2**64 + 1, -(2**63) - 1, 1e308, -1, 0, 3.5, True, None, [], {}, [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],
    {"a": {"b": {"c": {"d": {}}}}}, ["x"] * 2000,
]
DEEP = b"[" * 100_000 + b"]" * 100_000
WRONG_BODIES = [
    (b"", None), (b"{", "application/json"), (DEEP, "application/json"), (b'{"a": "\\ud800"}', "application/json"),
    (b"null", "application/json"), (b"[1, 2]", "application/json"), (b"text=x", "application/x-www-form-urlencoded"),
    (b"<a/>", "application/xml"), (b'{"text": "x"}', "text/plain"), (b"\xff\xfe\x00", "application/json"),
    (b'{"card_id": 18446744073709551617, "typed": 5, "username": [], "text": {}, "title": null}', "application/json"),
]


class Forms(HTMLParser):
    """The forms of a page: action, method, enctype and (name, value) of every field, in order."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.links: set[str] = set()
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.add(attrs["href"])
        elif tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "method": attrs.get("method", "get").upper(),
                               "enctype": attrs.get("enctype", ""), "fields": []})
        elif self.forms and tag in ("input", "select", "button") and attrs.get("name"):
            if tag == "input" and attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                value = attrs.get("value", "on") if attrs.get("type") == "checkbox" else None
                if value is None:
                    return
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "")))
        elif self.forms and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.forms[-1]["fields"].append((attrs["name"], ""))

    def handle_data(self, data):
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def parse(html: str) -> Forms:
    parser = Forms()
    parser.feed(html)
    return parser


class Tally:
    def __init__(self):
        self.requests, self.server_errors = 0, []

    def check(self, response, what) -> None:
        self.requests += 1
        response.get_data()
        response.close()
        if response.status_code >= 500:
            self.server_errors.append((response.status_code, what))


@pytest.fixture
def world(app):
    """Li's deck assigned to her class, Qin in it with a reviewed card; a built-in deck."""
    with app.app_context():
        li = accounts.create_user("li", PASSWORD, Role.INSTRUCTOR)
        qin = accounts.create_user("qin", PASSWORD)
        deck = authoring.create_deck(li, "Li's words", "", FIXED_NOW)
        imports.import_terms(li, deck.id, [{"hanzi": w} for w in ("过年", "春节", "孝顺")], FIXED_NOW)
        classroom = classes.create_class(li, "Chinese 201", FIXED_NOW)
        classes.assign_deck(li, classroom.id, deck.id, FIXED_NOW)
        classes.join_class(qin, classroom.join_code, FIXED_NOW)
        study.grade(qin, study.next_card(qin, FIXED_NOW)[0].id, 3, "first", FIXED_NOW)
        return {"deck": deck.id, "class": classroom.id, "code": classroom.join_code, "builtin": make_deck(3).id}


def logged_in(app, username: str | None):
    client = app.test_client()
    if username:
        assert client.post("/auth/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


# Forms whose baseline submission ends the session or removes the objects the others need: tried last.
LAST = ("/auth/logout", "/settings/sessions", "/settings/password", "/delete", "/remove", "/leave")


def discover(app, world) -> list[tuple[str | None, dict]]:
    """(who, form) for every form reachable by following the site's links as each kind of user, plus the
    forms on the pages that answer the reader and the add-terms preview."""
    found, seen = [], set()
    starts = ["/", "/decks", "/review", "/reader", "/settings", "/classes", "/progress", "/decks/new",
              f"/decks/{world['deck']}", f"/decks/{world['deck']}/edit", f"/classes/{world['class']}",
              f"/classes/join/{world['code']}", "/auth/login", "/auth/register", "/auth/logout"]
    for who in (None, "qin", "li"):
        client = logged_in(app, who)
        pages = [client.post("/reader", data={"text": "春运的时候，农民工排队买火车票。"})]
        pages += [client.post(f"/decks/{world['deck']}/preview", data={"source": source, "terms": "春运",
                                                                       "text": "春运的时候，农民工排队买火车票。"})
                  for source in ("typed", "text")]
        queue, visited = list(starts), set()
        while queue and len(visited) < 60:
            path = queue.pop(0)
            if path in visited or "/export" in path or path.endswith(".csv") or "logout" in path and who is None:
                continue
            visited.add(path)
            pages.append(client.get(path))
            queue += sorted(link for link in parse(pages[-1].get_data(as_text=True)).links
                            if urlsplit(link).path not in visited and not link.startswith("/static"))
        for page in pages:
            for form in parse(page.get_data(as_text=True)).forms:
                form["action"] = form["action"] or urlsplit(page.request.path).path
                key = (who, form["action"], form["method"], tuple(sorted({n for n, _ in form["fields"]})))
                if key not in seen:
                    seen.add(key)
                    found.append((who, form))
    return sorted(found, key=lambda item: any(marker in item[1]["action"] for marker in LAST))


def test_every_form_survives_hostile_values(app, world):
    tally, fields_tried = Tally(), Counter()
    forms = discover(app, world)
    assert len(forms) >= 25, [form["action"] for _, form in forms]
    for who, form in forms:
        client = logged_in(app, who)
        baseline = [(name, value or ("过年" if name not in ("csrf_token",) else value)) for name, value in form["fields"]]
        names = sorted({name for name, _ in baseline})
        method = form["method"]
        for name in names + ["an_unexpected_field"]:
            for value in FORM_VALUES:
                data = [(n, value if n == name else v) for n, v in baseline]
                if name not in names:
                    data.append((name, value))
                encoded = [(n.encode(), v.encode("utf-8", "surrogateescape")) for n, v in data]
                if method == "GET":
                    response = client.get(form["action"], query_string=encoded)
                else:
                    response = client.post(form["action"], data=_urlencoded(encoded),
                                           content_type="application/x-www-form-urlencoded")
                tally.check(response, (who, method, form["action"], name, repr(value)[:40]))
                fields_tried[form["action"]] += 1
        for body, content_type in WRONG_BODIES:
            tally.check(client.open(form["action"], method=method, data=body, content_type=content_type),
                        (who, form["action"], body[:20]))
    # Every POST route, whether or not a form leads to it (JavaScript posts JSON to some), with the wrong bodies.
    for who in (None, "qin", "li"):
        client = logged_in(app, who)
        for rule in app.url_map.iter_rules():
            if "POST" in rule.methods and not rule.rule.startswith("/api/") and "logout" not in rule.rule:
                path = rule.build({name: world["deck"] if name == "deck_id" else 1 for name in rule.arguments})[1]
                for body, content_type in WRONG_BODIES:
                    tally.check(client.post(path, data=body, content_type=content_type), (who, path, body[:20]))
    print(f"hostile forms: {len(forms)} forms, {tally.requests} requests, {len(tally.server_errors)} 5xx")
    assert tally.server_errors == [], "\n".join(map(str, tally.server_errors))


def _urlencoded(pairs) -> bytes:
    from urllib.parse import quote_from_bytes

    return "&".join(f"{quote_from_bytes(n)}={quote_from_bytes(v)}" for n, v in pairs).encode()


def test_every_query_parameter_of_the_pages_survives_hostile_values(app, world):
    tally = Tally()
    for who in ("qin", "li"):
        client = logged_in(app, who)
        links = set()
        for path in ("/review", "/progress", f"/classes/{world['class']}", "/decks", f"/decks/{world['deck']}",
                     "/auth/login"):
            links |= {link for link in parse(client.get(path).get_data(as_text=True)).links if "?" in link}
        links |= {f"/review?deck={world['deck']}", "/auth/login?next=/decks", "/progress?days=90"}
        for link in sorted(links):
            path, query = urlsplit(link).path, dict(parse_qsl(urlsplit(link).query))
            for name in list(query) + ["extra"]:
                for value in FORM_VALUES:
                    args = {**query, name: value.encode("utf-8", "surrogateescape")}
                    tally.check(client.get(path, query_string=args), (who, path, name, repr(value)[:40]))
    print(f"hostile query strings: {tally.requests} requests, {len(tally.server_errors)} 5xx")
    assert tally.server_errors == []


def _resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _example(spec, schema, world):
    """A valid-looking value for a schema, to put beside the hostile one."""
    schema = _resolve(spec, schema)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        return {name: _example(spec, prop, world) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(spec, schema.get("items", {}), world)]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return FIXED_NOW.isoformat()
    return "过年"


def test_every_api_operation_survives_hostile_values(app, world, client):
    with app.app_context():
        token, _ = tokens.issue_token(accounts.find_user("li"), FIXED_NOW)
    headers = {"Authorization": f"Bearer {token}"}
    spec = client.get("/api/v1/openapi.json").json
    tally, operations = Tally(), 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or (path, method) == ("/api/v1/tokens", "delete"):
                continue
            operations += 1
            parameters = operation.get("parameters", []) + item.get("parameters", [])
            ids = {"deck_id": world["deck"], "class_id": world["class"], "card_id": 1}
            url = re.sub(r"{(\w+)}", lambda m: str(ids.get(m[1], 1)), path)
            body_schema = (operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                           .get("schema"))
            body = _example(spec, body_schema, world) if body_schema else None
            # Every path and query parameter, one at a time.
            for parameter in parameters:
                for value in FORM_VALUES[:12] + ["99999999999999999999999999", "0", "-5"]:
                    if parameter["in"] == "path":
                        target = path.replace("{%s}" % parameter["name"],
                                              quote(value.encode("utf-8", "surrogateescape"), safe=""))
                        target = re.sub(r"{(\w+)}", lambda m: str(ids.get(m[1], 1)), target)
                        response = client.open(target, method=method.upper(), headers=headers, json=body)
                    else:
                        response = client.open(url, method=method.upper(), headers=headers, json=body,
                                               query_string={parameter["name"]: value.encode("utf-8",
                                                                                              "surrogateescape")})
                    tally.check(response, (method, path, parameter["name"], repr(value)[:40]))
            # Every field of the JSON body, at every depth of the first item, one at a time.
            if isinstance(body, dict):
                for field_path in _field_paths(body):
                    for value in JSON_VALUES:
                        hostile = _replaced(body, field_path, value)
                        data = json.dumps(hostile, ensure_ascii=True).encode()
                        response = client.open(url, method=method.upper(), headers=headers, data=data,
                                               content_type="application/json")
                        tally.check(response, (method, path, field_path, repr(value)[:40]))
            for data, content_type in WRONG_BODIES:
                response = client.open(url, method=method.upper(), headers=headers, data=data,
                                       content_type=content_type)
                tally.check(response, (method, path, data[:20], content_type))
    print(f"hostile API: {operations} operations, {tally.requests} requests, {len(tally.server_errors)} 5xx")
    assert operations >= 19, operations
    assert tally.server_errors == [], "\n".join(map(str, tally.server_errors))


def _field_paths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield prefix + (key,)
            yield from _field_paths(item, prefix + (key,))
    elif isinstance(value, list) and value:
        yield prefix + (0,)
        yield from _field_paths(value[0], prefix + (0,))


def _replaced(value, field_path, new):
    if not field_path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for key in field_path[:-1]:
        target = target[key]
    target[field_path[-1]] = new
    return copy
