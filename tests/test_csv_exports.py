"""CSV exports a spreadsheet opens as text: no cell starts a formula, and a deck export still imports
back to exactly the same terms."""
import csv
import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Role, Term
from app.services import accounts, authoring, classes, imports
from tests.conftest import FIXED_NOW
from tests.helpers import ApiClient, login

FORMULAS = {
    "english": '=HYPERLINK("http://evil.example","click")',
    "note": "+1+cmd|' /C calc'!A0",
    "example_en": "-2+3",
    "traditional": "@SUM(1,1)",
    "example_zh": "\t=1+1",
}
HARMLESS = {"english": "'quoted' already", "note": "'=already escaped by hand"}


@pytest.fixture
def deck(app, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    with app.app_context():
        teacher = accounts.find_user("teacher_li")
        deck = authoring.create_deck(teacher, "=cmd|' /C calc'!A0", "", FIXED_NOW)
        imports.import_terms(teacher, deck.id, [{"hanzi": "过年", **FORMULAS}, {"hanzi": "春节", **HARMLESS}], FIXED_NOW)
        return deck.id


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(text: str) -> None:
    for cell in cells(text):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)


def test_deck_exports_neutralise_formulas(client, auth, deck):
    auth.login("teacher_li")
    page = client.get(f"/decks/{deck}/export.csv").get_data(as_text=True)
    assert_no_formula(page)
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells(page)
    api = ApiClient(client, login(client, "teacher_li"))
    assert_no_formula(api.get(f"/decks/{deck}/export?format=csv").get_data(as_text=True))


def test_a_neutralised_export_imports_back_to_the_same_terms(app, client, auth, deck):
    auth.login("teacher_li")
    exported = client.get(f"/decks/{deck}/export.csv").data
    response = client.post("/decks/new", data={"title": "Copy"})
    copy = int(re.search(r"/decks/(\d+)/edit", response.headers["Location"])[1])
    html = client.post(f"/decks/{copy}/preview", data={"source": "file", "file": (io.BytesIO(exported), "d.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    file_b64 = re.search(r'name="file_b64" value="([^"]+)"', html)[1]
    assert client.post(f"/decks/{copy}/terms", data={"file_b64": file_b64, "source": "file"}).status_code == 302
    with app.app_context():
        terms = {t.simplified: t for t in db.session.scalars(select(Term).where(Term.deck_id == copy))}
    for name, value in FORMULAS.items():
        assert getattr(terms["过年"], name) == value.strip(), name
    for name, value in HARMLESS.items():
        assert getattr(terms["春节"], name) == value, name


def test_the_class_csv_neutralises_formulas(app, client, auth, deck, make_user):
    make_user("-cmd")
    with app.app_context():
        teacher = accounts.find_user("teacher_li")
        classroom = classes.create_class(teacher, "Chinese 201", FIXED_NOW)
        classes.join_class(accounts.find_user("-cmd"), classroom.join_code, FIXED_NOW)
        class_id = classroom.id
    auth.login("teacher_li")
    text = client.get(f"/classes/{class_id}/progress.csv").get_data(as_text=True)
    assert_no_formula(text)
    assert "'-cmd" in cells(text)
