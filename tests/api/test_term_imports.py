"""Term lists that survive real files and real re-imports: Anki and Pleco exports as those programs
write them, pinyin with Latin letters, re-imports in each duplicate mode, the CSV round trip."""
import io
import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db
from app.models import Deck, Role, Term
from app.services import accounts, authoring, drafts, export, imports
from tests.conftest import FIXED_NOW
from tests.helpers import anki_notes, confirm, is_problem, pleco_export, preview_form
from vocab.termfile import read_term_file

NOTES = [  # Hanzi, Pinyin, Meaning, Example, Example translation (fields as Anki stores them: HTML)
    ["过年", "guò nián", "to celebrate the <b>New Year</b>", "他们坐火车回家<b>过年</b>。",
     "They take the train home for the New Year."],
    ["户口", "hù kǒu", "household registration", "没有北京户口，孩子只能回老家上学。",
     "Without a Beijing hukou, the children can only go to school back home."],
    ["打工", "dǎ gōng", "to work a temporary job", "父母在广州打工，一年只回家一次。",
     "The parents work in Guangzhou and come home once a year."],
    ["春运", "chūn yùn", "the Spring Festival travel rush", "春运期间，火车站里人山人海。",
     "During the travel rush the station is packed."],
    ["车票", "chē piào", "ticket (for a bus or train)", "他排了一夜的队，才买到两张车票。",
     "He queued all night and got just two tickets."],
]


def upload(client, deck_id, data, query=""):
    return client.post(f"/decks/{deck_id}/import{query}", json=None,
                       data={"file": (io.BytesIO(data), "notes.txt")}, content_type="multipart/form-data")


ANKI_VARIANTS = list(itertools.product((True, False), (True, False), (True, False), (4, 5)))


@pytest.mark.parametrize("header, with_html, tags, width", ANKI_VARIANTS)
def test_anki_plain_text_notes_import_with_their_examples(instructor, header, with_html, tags, width):
    """16 files: with and without Anki's header lines, HTML and plain, with and without a tags column,
    a note type with and without the example's translation."""
    notes = [note[:width] for note in NOTES]
    data = anki_notes(notes, with_html=with_html, header=header,
                      tags=["film 归途列车" for _ in notes] if tags else None)
    parsed = read_term_file(data)
    assert parsed.columns[:width] == ["hanzi", "pinyin", "english", "example_zh", "example_en"][:width]
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    response = upload(instructor, deck_id, data)
    assert response.status_code == 201, response.json
    assert response.json["added"] == len(NOTES) and response.json["skipped"] == []
    terms = {t["hanzi"]: t for t in instructor.get(f"/decks/{deck_id}").json["terms"]}
    assert set(terms) == {note[0] for note in NOTES}
    assert terms["过年"]["pinyin"] == "guò nián"
    assert terms["过年"]["english"] == "to celebrate the New Year"
    assert terms["过年"]["example_zh"] == "他们坐火车回家过年。"
    assert terms["过年"]["example_pinyin"]  # generated for the example
    assert terms["户口"]["example_en"] == (NOTES[1][4] if width == 5 else "")


def test_the_guessed_columns_are_shown_and_can_be_changed(client, app, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    deck_id = int(client.post("/decks/new", data={"title": "Film"}).headers["Location"].split("/")[-2])
    data = anki_notes([[n[3], n[0], n[1], n[2]] for n in NOTES], with_html=False, header=False)  # example first
    page = client.post(f"/decks/{deck_id}/preview", data={"source": "file", "file": (io.BytesIO(data), "a.txt")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "guessed from what they hold" in page
    assert '<option value="example_zh" selected>' in page and '<option value="hanzi" selected>' in page
    assert 'name="hanzi" value="过年"' in page and 'name="example_zh" value="他们坐火车回家过年。"' in page
    # The instructor reads the example column as a note instead.
    form = preview_form(page)
    page = client.post(f"/decks/{deck_id}/preview", data={
        "source": "file", "file_b64": form["file_b64"], "column": ["note", "hanzi", "pinyin", "english"]},
    ).get_data(as_text=True)
    assert 'name="note" value="他们坐火车回家过年。"' in page and 'name="example_zh" value=""' in page
    assert client.post(f"/decks/{deck_id}/terms", data=preview_form(page)).status_code == 302
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.simplified == "过年"))
        assert term.note == "他们坐火车回家过年。" and term.example_zh == ""


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_pleco_exports_with_categories(instructor, encoding):
    data = pleco_export({
        "归途列车 · 第一集": [("过年", "過年", "guo4nian2", "to celebrate the New Year"),
                            ("春运", "春運", "chun1yun4", "Spring Festival travel rush")],
        "归途列车 · 第二集": [("打工", "", "da3gong1", "to work a temporary job \ueab1 (esp. migrants)"),
                            ("卡拉OK", "", "ka3la1 OK", "karaoke")],
    }, encoding)
    deck_id = instructor.post("/decks", {"title": "Pleco"}).json["id"]
    response = upload(instructor, deck_id, data)
    assert response.status_code == 201, response.json
    assert response.json["added"] == 4 and response.json["format"].startswith("Pleco flashcard export")
    terms = {t["hanzi"]: t for t in instructor.get(f"/decks/{deck_id}").json["terms"]}
    assert (terms["过年"]["traditional"], terms["过年"]["pinyin"]) == ("過年", "guònián")
    assert terms["打工"]["english"] == "to work a temporary job (esp. migrants)"
    assert terms["卡拉OK"]["pinyin"] == "kǎlā OK"


@pytest.mark.parametrize("hanzi, typed, stored", [
    ("卡拉OK", "ka3 la1 O K", "kǎ lā OK"), ("卡拉OK", "kǎlā OK", "kǎlā OK"), ("卡拉OK", "ka3la1 ok", "kǎlā OK"), ("T恤", "T xu4", "T xù"),
    ("AA制", "AA zhi4", "AA zhì"), ("X光", "X guang1", "X guāng"), ("过年", "guo4nian2", "guònián"),
    ("卡拉OK", None, "kǎlā OK"), ("T恤", None, "T xù"), ("AA制", None, "AA zhì"), ("X光", None, "X guāng"),
])
def test_readings_with_latin_letters_are_pinyin_on_every_way_in(instructor, hanzi, typed, stored):
    deck_id = instructor.post("/decks", {"title": "Loanwords"}).json["id"]
    term = {"hanzi": hanzi, **({"pinyin": typed} if typed else {})}
    response = instructor.post(f"/decks/{deck_id}/terms", {"terms": [term]})
    assert response.status_code == 201, response.json
    assert response.json["terms"][0]["pinyin"] == stored
    exported = instructor.get(f"/decks/{deck_id}/export?format=csv").data
    copy = instructor.post("/decks", {"title": "Copy"}).json["id"]
    assert upload(instructor, copy, exported).status_code == 201  # its export imports back
    assert instructor.get(f"/decks/{copy}").json["terms"][0]["pinyin"] == stored


def test_the_api_refuses_what_is_not_pinyin(instructor):
    deck_id = instructor.post("/decks", {"title": "Words"}).json["id"]
    response = instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "过年", "pinyin": "not pinyin at all"}]})
    assert is_problem(response, 400)
    assert response.json["errors"][0]["detail"] == "'not pinyin at all' is not pinyin"
    assert instructor.get(f"/decks/{deck_id}").json["terms"] == []


REIMPORT = ("hanzi,pinyin,english\n过年,guo4nian2,to spend the New Year\n行,hang2,row; line\n春节,,\n").encode()


@pytest.fixture
def film_deck(instructor):
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    instructor.post(f"/decks/{deck_id}/terms", {"terms": [
        {"hanzi": "过年", "english": "to celebrate the New Year", "example_zh": "回家过年。"},
        {"hanzi": "行", "pinyin": "xíng", "english": "to walk"}]})
    return deck_id


def deck_terms(api, deck_id):
    return sorted((t["hanzi"], t["pinyin"], t["english"], t["example_zh"])
                  for t in api.get(f"/decks/{deck_id}").json["terms"])


def test_reimport_without_a_mode_is_refused_with_the_choice_named(instructor, film_deck):
    response = upload(instructor, film_deck, REIMPORT)
    assert is_problem(response, 400)
    assert [e["line"] for e in response.json["errors"]] == [2, 3]
    assert "choose to update, skip or keep both readings" in response.json["errors"][0]["reason"]
    response = upload(instructor, film_deck, REIMPORT, "?skip_invalid=true")  # save-time refusals skipped too
    assert response.json["added"] == 1 and [s["line"] for s in response.json["skipped"]] == [2, 3]


@pytest.mark.parametrize("mode, added, updated, expected", [
    ("skip", 1, 0, [("春节", "Chūnjié", None, ""), ("行", "xíng", "to walk", ""),
                    ("过年", "guònián", "to celebrate the New Year", "回家过年。")]),
    ("update", 1, 2, [("春节", "Chūnjié", None, ""), ("行", "háng", "row; line", ""),
                      ("过年", "guònián", "to spend the New Year", "回家过年。")]),
    ("keep_both", 2, 0, [("春节", "Chūnjié", None, ""), ("行", "háng", "row; line", ""), ("行", "xíng", "to walk", ""),
                         ("过年", "guònián", "to celebrate the New Year", "回家过年。")]),
])
def test_reimport_in_each_duplicate_mode(instructor, film_deck, mode, added, updated, expected):
    response = upload(instructor, film_deck, REIMPORT, f"?duplicates={mode}")
    assert response.status_code == 201, response.json
    assert (response.json["added"], response.json["updated"]) == (added, updated)
    got = deck_terms(instructor, film_deck)
    assert [(h, p, e if want is not None else None, x) for (h, p, e, x), (_, _, want, _) in zip(got, sorted(expected))] \
        == sorted(expected)
    again = upload(instructor, film_deck, REIMPORT, f"?duplicates={mode}")  # the same file again changes nothing
    assert again.json["added"] == 0 and deck_terms(instructor, film_deck) == got


def test_a_deck_with_both_readings_exports_both_to_anki_and_csv(instructor, film_deck):
    upload(instructor, film_deck, REIMPORT, "?duplicates=keep_both")
    import sqlite3
    import tempfile
    import zipfile

    apkg = instructor.get(f"/decks/{film_deck}/export?format=apkg").data
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(apkg)) as archive:
        archive.extract("collection.anki2", tmp)
        notes = sqlite3.connect(f"{tmp}/collection.anki2").execute("SELECT guid, flds FROM notes").fetchall()
    assert len(notes) == 4 and len({guid for guid, _ in notes}) == 4
    copy = instructor.post("/decks", {"title": "Copy"}).json["id"]
    assert upload(instructor, copy, instructor.get(f"/decks/{film_deck}/export?format=csv").data).status_code == 201
    assert deck_terms(instructor, copy) == deck_terms(instructor, film_deck)


def test_every_preview_flags_words_already_in_the_deck(client, app, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    deck_id = int(client.post("/decks/new", data={"title": "Film"}).headers["Location"].split("/")[-2])
    confirm(client, deck_id, client.post(f"/decks/{deck_id}/preview", data={"source": "typed", "terms": "过年\n行"})
            .get_data(as_text=True))
    for data in ({"source": "typed", "terms": "过年\n春节"},
                 {"source": "bilingual", "text": "They go home for the New Year (过年) by train (火车)."},
                 {"source": "file", "file": (io.BytesIO("hanzi\n过年\n春节\n".encode()), "a.csv")}):
        page = client.post(f"/decks/{deck_id}/preview", data=data,
                           content_type="multipart/form-data").get_data(as_text=True)
        assert "in deck: guònián" in page, data["source"]
        assert 'name="duplicates" value="skip" checked' in page


def test_a_changed_reading_brings_its_own_gloss(client, app, auth, make_user):
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    deck_id = int(client.post("/decks/new", data={"title": "Film"}).headers["Location"].split("/")[-2])
    page = client.post(f"/decks/{deck_id}/preview", data={"source": "file", "file": (
        io.BytesIO("hanzi\n还\n".encode()), "a.csv")}, content_type="multipart/form-data").get_data(as_text=True)
    assert '<option value="hái" data-gloss="still; still in progress;' in page
    assert 'value="hái" data-gloss' in page and "selected>hái" in page  # the common reading, not a surname
    confirm(client, deck_id, page, edits={(0, "pinyin"): "huán"})  # no script: the server swaps the gloss
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.deck_id == deck_id))
        assert (term.pinyin, term.english.split(";")[0]) == ("huán", "to pay back")


# ---- the round trip ------------------------------------------------------------------------------

HAN_WORDS = ["过年", "户口", "打工", "春运", "车票", "行", "还", "长", "卡拉OK", "T恤", "火车站", "农民工", "團圓",
             "归途列车", "孝顺", "𠀀"]
SYLLABLES = ["guo4", "nian2", "hu4", "kou3", "xing2", "hang2", "Chun1", "jie2", "xi1", "an1", "le5", "r5", "lü4"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@st.composite
def deck_rows(draw):
    words = draw(st.lists(st.sampled_from(HAN_WORDS), min_size=1, max_size=6, unique=True))
    rows = []
    for word in words:
        pinyin = draw(st.one_of(st.just(""), st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4)
                                .map(lambda s: " ".join(s) if len(s) % 2 else "".join(s))))
        rows.append({"hanzi": word, "pinyin": pinyin, "english": draw(TEXT), "traditional": draw(st.sampled_from(["", "繁體"])),
                     "example_zh": draw(st.sampled_from(["", "他们回家过年。", "“行不行？”他问，\n“行。”"])),
                     "example_en": draw(TEXT), "note": draw(TEXT),
                     "example_pinyin": draw(st.sampled_from(["", "Tāmen huí jiā guònián."]))})
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=deck_rows(), keep_both=st.booleans())
def test_any_deck_the_services_accept_exports_and_reimports_identically(ctx, rows, keep_both):
    owner = _teacher()
    deck = authoring.create_deck(owner, "Original", "", FIXED_NOW)
    if keep_both:
        rows = rows + [{**rows[0], "pinyin": "dǎ"}]  # the same word with another reading
    try:
        imports.import_terms(owner, deck.id, rows, FIXED_NOW, duplicates=imports.Duplicates.KEEP_BOTH if keep_both else None)
    except imports.InvalidTerms:
        assume(False)  # not a deck the services accept
    first = export.deck_csv(db.session.get(Deck, deck.id))
    assert first.startswith("\ufeffhanzi,traditional,pinyin,english,example_zh,example_pinyin,")
    copy = authoring.create_deck(owner, "Copy", "", FIXED_NOW)
    draft = drafts.from_file(first.encode("utf-8"))
    assert not draft.errors
    try:
        imports.import_terms(owner, copy.id, [row.item() for row in draft.rows], FIXED_NOW, source="file")
    except imports.InvalidTerms as error:
        raise AssertionError(f"{error.errors} {first!r}") from None
    db.session.expire_all()
    assert export.deck_csv(db.session.get(Deck, copy.id)) == first  # byte for byte
    fields = ("simplified", "traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en",
              "note", "hsk_level")
    original, again = (db.session.scalars(select(Term).where(Term.deck_id == d).order_by(Term.position)).all()
                       for d in (deck.id, copy.id))
    assert [[getattr(t, f) for f in fields] for t in original] == [[getattr(t, f) for f in fields] for t in again]


_count = itertools.count()


def _teacher():
    return accounts.create_user(f"teacher{next(_count)}", "correct horse", Role.INSTRUCTOR)


def test_csv_downloads_name_the_charset_once(instructor):
    deck_id = instructor.post("/decks", {"title": "Words"}).json["id"]
    instructor.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "过年"}]})
    response = instructor.get(f"/decks/{deck_id}/export?format=csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
