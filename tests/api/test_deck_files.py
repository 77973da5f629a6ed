"""Deck files through the API: import all-or-nothing, export as CSV or an Anki package."""
import io
import zipfile

from tests.helpers import is_problem

GOOD = "hanzi,pinyin,english\n过年,guo4nian2,to celebrate New Year\n户口,,\n".encode()
BAD = "hanzi,pinyin,english\n过年,guo4nian2,to celebrate New Year\nhello,,\n".encode()


def upload(client, deck_id, data, query=""):
    return client.post(f"/decks/{deck_id}/import{query}", json=None,
                       data={"file": (io.BytesIO(data), "terms.csv")}, content_type="multipart/form-data")


def test_an_instructor_imports_a_file_and_exports_it_again(instructor):
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    response = upload(instructor, deck_id, GOOD)
    assert response.status_code == 201
    assert response.json == {"imported": 2, "added": 2, "updated": 0, "skipped": [],
                             "format": "CSV with a header, UTF-8", "columns": ["hanzi", "pinyin", "english"]}
    csv_text = instructor.get(f"/decks/{deck_id}/export?format=csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].startswith("过年,過年,guònián,to celebrate New Year")
    assert csv_text.startswith("\ufeffhanzi,")
    apkg = instructor.get(f"/decks/{deck_id}/export?format=apkg")
    assert apkg.headers["Content-Disposition"].endswith('.apkg"')
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(apkg.data)).namelist()


def test_one_bad_row_refuses_the_file_unless_asked_to_skip(instructor):
    deck_id = instructor.post("/decks", {"title": "Film words"}).json["id"]
    response = upload(instructor, deck_id, BAD)
    assert is_problem(response, 400)
    assert response.json["errors"] == [{"line": 3, "field": "hanzi", "reason": "'hello' has no Chinese characters"}]
    assert instructor.get(f"/decks/{deck_id}").json["terms"] == []
    response = upload(instructor, deck_id, BAD, "?skip_invalid=true")
    assert response.status_code == 201 and response.json["imported"] == 1
    assert response.json["skipped"] == [{"line": 3, "reason": "'hello' has no Chinese characters"}]


def test_unreadable_files_and_other_peoples_decks(instructor, learner, deck_id):
    own = instructor.post("/decks", {"title": "Film words"}).json["id"]
    response = upload(instructor, own, b"\x00\x01binary")
    assert is_problem(response, 400) and "binary file" in response.json["detail"]
    assert is_problem(upload(learner, deck_id, GOOD), 403)  # the built-in deck: visible, not theirs
    assert is_problem(upload(learner, own, GOOD), 404)
    assert is_problem(learner.get(f"/decks/{own}/export"), 404)
    assert is_problem(instructor.get(f"/decks/{own}/export?format=pdf"), 400)
