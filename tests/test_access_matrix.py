"""Who may do what, for every route of the app: the rules below are checked for six people, and a route
without a rule fails the test. Someone else's object is a 404 (never a hint that it exists); seeing a
deck without owning it is a 403 where the deck would be changed; anonymous people are sent to log in
(pages) or get a 401 (API).

The world: Li (instructor) owns a private deck with two terms, assigned to her class; Qin (learner A)
is in that class, studies the deck and has a card and her own "My words"; Yang (learner B) is in no
class; Wang is another instructor with a class of his own; Root is an admin.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Card, Role, Term
from app.services import accounts, authoring, classes, imports, speech, study, texts, tokens
from tests.conftest import FIXED_NOW
from tests.helpers import PASSWORD, basic, inline_code_outside_the_nonce, make_deck

ROLES = ("anonymous", "learner_a", "learner_b", "instructor", "other_instructor", "admin")
USERS = {"learner_a": ("qin", Role.LEARNER), "learner_b": ("yang", Role.LEARNER),
         "instructor": ("li", Role.INSTRUCTOR), "other_instructor": ("wang", Role.INSTRUCTOR),
         "admin": ("root", Role.ADMIN)}
OK, LOGIN, FORBIDDEN, NOT_FOUND, BAD = "ok", "login", 403, 404, 400


@dataclass
class Rule:
    method: str
    endpoint: str
    path: Callable[[dict], str]
    expect: dict  # role -> OK, LOGIN, 403, 404 or 400; roles not named expect OK
    form: Callable[[dict, str], dict] | None = None
    json: Callable[[dict, str], dict] | None = None
    files: Callable[[dict, str], dict] | None = None
    basic: bool = False  # HTTP Basic credentials instead of the role's bearer token

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"

    def expected(self, role: str):
        return self.expect.get(role, OK)


def only(*allowed, others=NOT_FOUND, anonymous=LOGIN, **special) -> dict:
    """Allowed roles OK, the rest `others` (404 by default), anonymous people `anonymous`."""
    rules = {role: (OK if role in allowed else others) for role in ROLES[1:]}
    return {"anonymous": anonymous, **rules, **special}


EVERYONE = {"anonymous": OK}
LOGGED_IN = {"anonymous": LOGIN}
INSTRUCTORS = {"anonymous": LOGIN, "learner_a": FORBIDDEN, "learner_b": FORBIDDEN}
DECK_READERS = only("learner_a", "instructor")  # sees Li's deck: her learner and herself
DECK_OWNER = only("instructor", learner_a=FORBIDDEN)  # sees it and may not change it: 403


def deck(w):
    return f"/decks/{w['deck']}"


def api_deck(w):
    return f"/api/v1/decks/{w['deck']}"


def card_of_a(w):
    return w["card"]


RULES = [
    Rule("GET", "main.index", lambda w: "/", EVERYONE),
    Rule("GET", "main.healthz", lambda w: "/healthz", EVERYONE),
    # The server's speech: the signed URL is the permission (an <audio> element sends no token).
    Rule("GET", "audio.speak", lambda w: w["audio"], EVERYONE),
    # ---- accounts ----
    Rule("GET", "auth.register", lambda w: "/auth/register", EVERYONE),
    Rule("POST", "auth.register", lambda w: "/auth/register", EVERYONE,
         form=lambda w, role: {"username": f"new-{role}", "password": PASSWORD, "confirm": PASSWORD,
                               "role": "learner"}),
    Rule("GET", "auth.login", lambda w: "/auth/login", EVERYONE),
    Rule("POST", "auth.login", lambda w: "/auth/login", {"anonymous": 401},
         form=lambda w, role: {"username": USERS.get(role, ("nobody",))[0], "password": PASSWORD}),
    Rule("GET", "auth.logout", lambda w: "/auth/logout", LOGGED_IN),
    Rule("POST", "auth.logout", lambda w: "/auth/logout", LOGGED_IN),
    Rule("GET", "settings.edit", lambda w: "/settings", LOGGED_IN),
    Rule("POST", "settings.edit", lambda w: "/settings", LOGGED_IN,
         form=lambda w, role: {"desired_retention": "0.9", "new_cards_per_day": "20", "max_reviews_per_day": "200",
                               "learning_steps": "1m 10m", "relearning_steps": "10m", "timezone": "UTC",
                               "script": "simplified"}),
    Rule("POST", "settings.password", lambda w: "/settings/password", LOGGED_IN,
         form=lambda w, role: {"current": PASSWORD, "password": "another passphrase", "confirm": "another passphrase"}),
    Rule("POST", "settings.sessions", lambda w: "/settings/sessions", LOGGED_IN),
    Rule("GET", "settings.data", lambda w: "/settings/data.json", LOGGED_IN),
    Rule("GET", "settings.delete", lambda w: "/settings/delete", LOGGED_IN),
    Rule("POST", "settings.delete", lambda w: "/settings/delete", LOGGED_IN,
         form=lambda w, role: {"password": PASSWORD, "confirm": "y"}),
    # ---- the learner's own scheduler: everyone acts on their own, with no ids in the URL ----
    # Nobody here has the 400 reviews an optimisation needs (see api_scheduler.optimize).
    Rule("POST", "settings.optimize", lambda w: "/settings/schedule/optimize",
         {role: 409 for role in ROLES[1:]} | {"anonymous": LOGIN}),
    Rule("POST", "settings.use_defaults", lambda w: "/settings/schedule/defaults", LOGGED_IN),
    Rule("POST", "settings.reminder", lambda w: "/settings/schedule/reminder", LOGGED_IN,
         form=lambda w, role: {"reminder": "on"}),
    Rule("GET", "settings.retention", lambda w: "/settings/retention", LOGGED_IN),
    Rule("POST", "settings.retention", lambda w: "/settings/retention", LOGGED_IN,
         form=lambda w, role: {"desired_retention": "0.85"}),
    # ---- decks, authoring ----
    Rule("GET", "decks.index", lambda w: "/decks", LOGGED_IN),
    Rule("GET", "decks.show", deck, DECK_READERS),
    Rule("GET", "authoring.new_deck", lambda w: "/decks/new", INSTRUCTORS),
    Rule("POST", "authoring.new_deck", lambda w: "/decks/new", INSTRUCTORS, form=lambda w, role: {"title": "Mine"}),
    Rule("GET", "authoring.edit", lambda w: deck(w) + "/edit", DECK_OWNER),
    Rule("GET", "authoring.export_deck", lambda w: deck(w) + "/export.csv", DECK_READERS),
    Rule("POST", "authoring.preview", lambda w: deck(w) + "/preview", DECK_OWNER,
         form=lambda w, role: {"source": "typed", "terms": "春运"}),
    Rule("POST", "authoring.add_terms", lambda w: deck(w) + "/terms", DECK_OWNER,
         form=lambda w, role: {"source": "typed", "key": ["0"], "hanzi": ["春运"], "traditional": [""],
                               "pinyin": [""], "english": [""], "example_zh": [""], "example_pinyin": [""],
                               "example_en": [""], "note": [""], "include": ["0"]}),
    Rule("POST", "authoring.deck_settings", lambda w: deck(w) + "/settings", DECK_OWNER,
         form=lambda w, role: {"title": "Renamed", "description": "Episode 1"}),
    Rule("GET", "authoring.delete_deck", lambda w: deck(w) + "/delete", DECK_OWNER),
    Rule("POST", "authoring.delete_deck", lambda w: deck(w) + "/delete", DECK_OWNER),
    Rule("POST", "authoring.update_term", lambda w: f"{deck(w)}/terms/{w['term']}", DECK_OWNER,
         form=lambda w, role: {"english": "changed"}),
    Rule("GET", "authoring.delete_term", lambda w: f"{deck(w)}/terms/{w['term']}/delete", DECK_OWNER),
    Rule("POST", "authoring.delete_term", lambda w: f"{deck(w)}/terms/{w['term']}/delete", DECK_OWNER),
    # ---- studying ----
    Rule("POST", "study.start", lambda w: deck(w) + "/study", DECK_READERS),
    Rule("GET", "study.review", lambda w: "/review", LOGGED_IN),
    Rule("POST", "study.grade", lambda w: "/review/grade", only("learner_a"),
         form=lambda w, role: {"card_id": str(w["card"]), "rating": "3", "client_review_id": f"grade-{role}"}),
    Rule("POST", "study.undo", lambda w: "/review/undo", LOGGED_IN),
    Rule("POST", "study.suspend", lambda w: f"/review/cards/{w['card']}/suspend", only("learner_a")),
    Rule("POST", "study.bury", lambda w: f"/review/cards/{w['card']}/bury", only("learner_a")),
    Rule("POST", "study.more", lambda w: "/review/more", LOGGED_IN, form=lambda w, role: {"new_cards": "5"}),
    # Only a learner who studies the deck orders it (Li sees her deck but does not study it).
    Rule("POST", "study.order", lambda w: deck(w) + "/order", only("learner_a"),
         form=lambda w, role: {"priority": "1", "new_per_day": "5"}),
    Rule("GET", "cards.index", lambda w: "/cards", LOGGED_IN),
    Rule("GET", "cards.show", lambda w: f"/cards/{w['card']}", only("learner_a")),
    Rule("POST", "cards.act", lambda w: f"/cards/{w['card']}/action", only("learner_a"),
         form=lambda w, role: {"do": "suspend"}),
    Rule("POST", "cards.note", lambda w: f"/cards/{w['card']}/note", only("learner_a"),
         form=lambda w, role: {"note": "mine"}),
    Rule("POST", "study.check", lambda w: "/review/check", only("learner_a"),
         json=lambda w, role: {"card_id": w["card"], "typed": "guo4nian2"}),
    Rule("GET", "progress.dashboard", lambda w: "/progress", LOGGED_IN),
    Rule("GET", "progress.reviews_csv", lambda w: "/progress/reviews.csv", LOGGED_IN),
    # Another learner's card in ?card= is a 404; their own (and no card) is fine.
    Rule("GET", "progress.memory", lambda w: f"/progress/memory?card={w['card']}", only("learner_a")),
    Rule("GET", "reader.read", lambda w: "/reader", LOGGED_IN),
    Rule("POST", "reader.read", lambda w: "/reader", LOGGED_IN, form=lambda w, role: {"text": "过年回家"}),
    Rule("POST", "reader.add_words", lambda w: "/reader/add", LOGGED_IN,
         form=lambda w, role: {"word": ["过年"], "context": [""], "add": ["过年"]}),
    # Li's text is attached to her deck: her learner reads it, only she changes it.
    Rule("GET", "reader.show", lambda w: f"/reader/texts/{w['text']}", DECK_READERS),
    Rule("POST", "reader.delete", lambda w: f"/reader/texts/{w['text']}/delete", DECK_OWNER),
    Rule("POST", "reader.share", lambda w: f"/reader/texts/{w['text']}/share", DECK_OWNER,
         form=lambda w, role: {"deck_id": str(w["deck"]), "class_id": [str(w["class"])]}),
    Rule("POST", "reader.add_word", lambda w: "/reader/words", LOGGED_IN,
         json=lambda w, role: {"word": "火车", "context": "坐火车回家。"}),
    Rule("POST", "reader.save_sentence", lambda w: "/reader/sentences", LOGGED_IN,
         json=lambda w, role: {"sentence": "坐火车回家。", "word": "火车"}),
    Rule("GET", "dictionary.search", lambda w: "/dictionary?q=huoche", LOGGED_IN),
    Rule("GET", "dictionary.entry", lambda w: "/dictionary/火车", LOGGED_IN),
    Rule("POST", "dictionary.add", lambda w: "/dictionary/火车/add", LOGGED_IN),
    # ---- classes ----
    Rule("GET", "classes.index", lambda w: "/classes", LOGGED_IN),
    Rule("POST", "classes.create", lambda w: "/classes", INSTRUCTORS, form=lambda w, role: {"name": "Another"}),
    Rule("GET", "classes.show", lambda w: f"/classes/{w['class']}", only("instructor")),
    Rule("GET", "classes.progress_csv", lambda w: f"/classes/{w['class']}/progress.csv", only("instructor")),
    Rule("POST", "classes.assign", lambda w: f"/classes/{w['class']}/decks", only("instructor"),
         form=lambda w, role: {"deck_id": str(w["builtin"])}),
    Rule("POST", "classes.set_target", lambda w: f"/classes/{w['class']}/decks/{w['deck']}/target",
         only("instructor"), form=lambda w, role: {"due_on": "", "daily_new": "5"}),
    Rule("POST", "classes.unassign", lambda w: f"/classes/{w['class']}/decks/{w['deck']}/remove", only("instructor")),
    Rule("GET", "classes.learner", lambda w: f"/classes/{w['class']}/learners/{w['learner_a']}", only("instructor")),
    Rule("GET", "classes.remove_learner", lambda w: f"/classes/{w['class']}/learners/{w['learner_a']}/remove",
         only("instructor")),
    Rule("POST", "classes.remove_learner", lambda w: f"/classes/{w['class']}/learners/{w['learner_a']}/remove",
         only("instructor")),
    Rule("GET", "classes.worksheet", lambda w: f"/classes/{w['class']}/worksheet", only("instructor")),
    Rule("POST", "classes.leave", lambda w: f"/classes/{w['class']}/leave", only("learner_a")),
    Rule("POST", "classes.join", lambda w: "/classes/join", LOGGED_IN, form=lambda w, role: {"code": w["code"]}),
    Rule("GET", "classes.join_link", lambda w: f"/classes/join/{w['code']}", LOGGED_IN),
    # ---- the API ----
    Rule("GET", "api-docs.openapi_json", lambda w: "/api/v1/openapi.json", EVERYONE),
    Rule("GET", "api_docs.page", lambda w: "/api/v1/docs", EVERYONE),
    Rule("POST", "api_users.create", lambda w: "/api/v1/users", EVERYONE,
         json=lambda w, role: {"username": f"api-{role}", "password": PASSWORD}),
    Rule("POST", "api_tokens.create", lambda w: "/api/v1/tokens", {"anonymous": 401}, basic=True),
    Rule("DELETE", "api_tokens.delete", lambda w: "/api/v1/tokens", {"anonymous": 401}),
    Rule("GET", "api_decks.index", lambda w: "/api/v1/decks", {"anonymous": 401}),
    Rule("POST", "api_decks.create", lambda w: "/api/v1/decks", {**INSTRUCTORS, "anonymous": 401},
         json=lambda w, role: {"title": "Mine"}),
    Rule("GET", "api_decks.show", api_deck, only("learner_a", "instructor", anonymous=401)),
    Rule("GET", "api_decks.cards", lambda w: api_deck(w) + "/cards", only("learner_a", "instructor", anonymous=401)),
    Rule("GET", "api_decks.export_file", lambda w: api_deck(w) + "/export",
         only("learner_a", "instructor", anonymous=401)),
    Rule("POST", "api_decks.start", lambda w: api_deck(w) + "/study", only("learner_a", "instructor", anonymous=401)),
    Rule("POST", "api_decks.add", lambda w: api_deck(w) + "/terms",
         only("instructor", learner_a=FORBIDDEN, anonymous=401), json=lambda w, role: {"terms": [{"hanzi": "春运"}]}),
    Rule("POST", "api_decks.import_file", lambda w: api_deck(w) + "/import",
         only("instructor", learner_a=FORBIDDEN, anonymous=401),
         files=lambda w, role: {"file": (io.BytesIO("hanzi\n春运\n".encode()), "t.csv")}),
    Rule("GET", "api_cards.show", lambda w: f"/api/v1/cards/{w['card']}", only("learner_a", anonymous=401)),
    Rule("GET", "api_cards.index", lambda w: "/api/v1/cards", {"anonymous": 401}),
    Rule("PATCH", "api_cards.change", lambda w: f"/api/v1/cards/{w['card']}", only("learner_a", anonymous=401),
         json=lambda w, role: {"suspended": True}),
    Rule("GET", "api_cards.reviews", lambda w: f"/api/v1/cards/{w['card']}/reviews", only("learner_a", anonymous=401)),
    Rule("GET", "api_me.show", lambda w: "/api/v1/me", {"anonymous": 401}),
    Rule("PATCH", "api_me.change", lambda w: "/api/v1/me", {"anonymous": 401},
         json=lambda w, role: {"timezone": "Asia/Shanghai"}),
    # Only Qin has done anything to undo; everyone else is told there is nothing (400).
    Rule("POST", "api_review.undo", lambda w: "/api/v1/review/undo", only("learner_a", others=BAD, anonymous=401)),
    Rule("POST", "api_review.more", lambda w: "/api/v1/review/more", {"anonymous": 401},
         json=lambda w, role: {"new_cards": 5}),
    Rule("GET", "api_review.next_card", lambda w: "/api/v1/review/next", {"anonymous": 401}),
    # Someone else's card in a batch: the batch is refused (400) with a per-item 404.
    Rule("POST", "api_review.reviews", lambda w: "/api/v1/reviews", only("learner_a", others=BAD, anonymous=401),
         json=lambda w, role: {"reviews": [{"card_id": w["card"], "rating": 3, "client_review_id": f"api-{role}"}]}),
    Rule("GET", "api_stats.show", lambda w: "/api/v1/stats", {"anonymous": 401}),
    Rule("GET", "api_scheduler.show", lambda w: "/api/v1/me/scheduler", {"anonymous": 401}),
    Rule("PATCH", "api_scheduler.change", lambda w: "/api/v1/me/scheduler", {"anonymous": 401},
         json=lambda w, role: {"parameters": "default"}),
    # Nobody here has the 400 reviews an optimisation needs: 409 for all, 401 for no one.
    Rule("POST", "api_scheduler.optimize", lambda w: "/api/v1/me/scheduler/optimize",
         {role: 409 for role in ROLES[1:]} | {"anonymous": 401}),
    Rule("POST", "api_annotate.annotate", lambda w: "/api/v1/annotate", {"anonymous": 401},
         json=lambda w, role: {"text": "过年"}),
    Rule("GET", "api_texts.index", lambda w: "/api/v1/texts", {"anonymous": 401}),
    Rule("POST", "api_texts.create", lambda w: "/api/v1/texts", {"anonymous": 401},
         json=lambda w, role: {"text": "过年回家。"}),
    Rule("GET", "api_texts.show", lambda w: f"/api/v1/texts/{w['text']}", only("learner_a", "instructor", anonymous=401)),
    Rule("DELETE", "api_texts.delete", lambda w: f"/api/v1/texts/{w['text']}",
         only("instructor", learner_a=FORBIDDEN, anonymous=401)),
    Rule("GET", "api_dictionary.search", lambda w: "/api/v1/dictionary?q=huoche", {"anonymous": 401}),
    Rule("POST", "api_classes.create", lambda w: "/api/v1/classes", {**INSTRUCTORS, "anonymous": 401},
         json=lambda w, role: {"name": "Another"}),
    Rule("POST", "api_classes.join", lambda w: "/api/v1/classes/join", {"anonymous": 401, "instructor": BAD},
         json=lambda w, role: {"code": w["code"]}),
    Rule("POST", "api_classes.assign", lambda w: f"/api/v1/classes/{w['class']}/decks",
         only("instructor", anonymous=401), json=lambda w, role: {"deck_id": w["builtin"]}),
    Rule("GET", "api_classes.progress", lambda w: f"/api/v1/classes/{w['class']}/progress",
         only("instructor", anonymous=401)),
]


def test_every_route_has_a_rule():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    routes = {f"{method} {rule.endpoint}" for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    ruled = {rule.id for rule in RULES}
    assert routes - ruled == set(), "routes without an access rule"
    assert ruled - routes == set(), "rules for routes that do not exist"
    print(f"access matrix: {len(routes)} routes x {len(ROLES)} roles = {len(routes) * len(ROLES)} checks")


@pytest.fixture
def world(app) -> dict:
    with app.app_context():
        users = {role: accounts.create_user(name, PASSWORD, kind) for role, (name, kind) in USERS.items()}
        li, qin = users["instructor"], users["learner_a"]
        deck = authoring.create_deck(li, "Li's words", "", FIXED_NOW)
        imports.import_terms(li, deck.id, [{"hanzi": "过年"}, {"hanzi": "春节"}], FIXED_NOW)
        classroom = classes.create_class(li, "Chinese 201", FIXED_NOW)
        classes.assign_deck(li, classroom.id, deck.id, FIXED_NOW)
        classes.join_class(qin, classroom.join_code, FIXED_NOW)
        study.grade(qin, study.next_card(qin, FIXED_NOW)[0].id, 3, "first", FIXED_NOW)
        imports.import_terms(qin, authoring.personal_deck(qin, FIXED_NOW).id, [{"hanzi": "火车"}], FIXED_NOW)
        classes.create_class(users["other_instructor"], "Wang's class", FIXED_NOW)
        text = texts.create_text(li, "回家", "过年回家。", FIXED_NOW, deck_id=deck.id)
        term = db.session.scalar(select(Term.id).where(Term.deck_id == deck.id, Term.simplified == "过年"))
        card = db.session.scalar(select(Card.id).join(Term).where(Card.user_id == qin.id, Term.deck_id == deck.id))
        with app.test_request_context():
            audio = speech.audio_url("过年")
        return {"deck": deck.id, "term": term, "text": text.id, "card": card, "class": classroom.id,
                "code": classroom.join_code, "audio": audio,
                "learner_a": qin.id, "builtin": make_deck(2).id,
                "tokens": {role: tokens.issue_token(user, FIXED_NOW)[0] for role, user in users.items()}}


def outcome(response) -> str | int:
    if response.status_code in (301, 302, 303) and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    if response.status_code == 401 and response.mimetype == "application/problem+json":
        return 401
    if 200 <= response.status_code < 400:
        return OK
    return response.status_code


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_access(rule: Rule, app, world):
    # Refused roles first, so an allowed one's change (a deleted term, a left class) cannot hide a refusal.
    for role in sorted(ROLES, key=lambda r: rule.expected(r) == OK):
        client = app.test_client()
        headers = {}
        if role != "anonymous":
            name = USERS[role][0]
            if rule.path(world).startswith("/api/"):
                headers = basic(name) if rule.basic else {"Authorization": f"Bearer {world['tokens'][role]}"}
            elif rule.id != "POST auth.login":
                assert client.post("/auth/login", data={"username": name, "password": PASSWORD}).status_code == 302
        kwargs = {}
        if rule.form:
            kwargs["data"] = rule.form(world, role)
        if rule.json:
            kwargs["json"] = rule.json(world, role)
        if rule.files:
            kwargs.update(data=rule.files(world, role), content_type="multipart/form-data")
        response = client.open(rule.path(world), method=rule.method, headers=headers, **kwargs)
        body = response.get_data().decode("utf-8", "replace")  # read streamed answers (CSV, audio) to the end
        response.close()
        expected = rule.expected(role)
        if expected == LOGIN and rule.path(world).startswith("/api/"):
            expected = 401
        assert outcome(response) == expected, (role, response.status_code, body[:300])
        if response.status_code == 200 and response.mimetype == "text/html":
            # Every page any role gets: nothing the Content-Security-Policy would block (a chart's style, a script).
            assert inline_code_outside_the_nonce(response) == [], (role, rule.id)
