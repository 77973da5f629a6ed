"""The API for reading: study states on annotated tokens, saved texts, and the dictionary."""
from tests.helpers import is_problem

TEXT = "春运的时候，农民工要回家过年。"


def test_annotated_tokens_carry_the_callers_study_state(learner, other_learner, deck_id, clock):
    learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition"]})
    cards = learner.get(f"/decks/{deck_id}/cards").json["cards"]  # 过年, 春节, 孝顺, 户口, 春运
    assert learner.post("/reviews", {"reviews": [
        {"card_id": cards[0]["id"], "rating": 4, "client_review_id": "easy-1"}]}).status_code == 200
    body = learner.post("/annotate", {"text": TEXT}).json
    states = {t["text"]: t["study_state"] for t in body["tokens"]}
    assert states["过年"] == "known" and states["春运"] == "learning" and states["农民工"] == "new"
    assert states["，"] is None
    assert body["known"]["words"] == 7 and body["known"]["known_words"] == 1
    assert body["known"]["words_percent"] == 14.3
    other = {t["text"]: t["study_state"] for t in other_learner.post("/annotate", {"text": TEXT}).json["tokens"]}
    assert other["过年"] == "new"  # another learner's cards count for nothing
    train = next(t for t in learner.post("/annotate", {"text": "坐火车"}).json["tokens"] if t["text"] == "火车")
    assert "列 (liè)" in train["classifiers"] and train["simplified"] == "火车"


def test_saved_texts_are_kept_listed_read_and_deleted(learner, other_learner):
    created = learner.post("/texts", {"title": "春运", "text": TEXT})
    assert created.status_code == 201
    text = created.json
    assert text["title"] == "春运" and text["length"] == len(TEXT) and text["owned"] is True
    assert text["hsk_profile"]["1"] >= 3 and text["known"]["words_percent"] == 0.0
    assert [t["id"] for t in learner.get("/texts").json["texts"]] == [text["id"]]
    full = learner.get(f"/texts/{text['id']}").json
    assert full["text"] == TEXT and "".join(t["text"] for t in full["tokens"]) == TEXT
    assert {t["study_state"] for t in full["tokens"] if t["kind"] == "word"} == {"new"}
    # Another learner neither sees nor deletes it.
    assert is_problem(other_learner.get(f"/texts/{text['id']}"), 404)
    assert is_problem(other_learner.delete(f"/texts/{text['id']}"), 404)
    assert other_learner.get("/texts").json["texts"] == []
    assert learner.delete(f"/texts/{text['id']}").status_code == 204
    assert is_problem(learner.get(f"/texts/{text['id']}"), 404)


def test_a_text_without_a_title_is_named_by_its_first_line(learner):
    text = learner.post("/texts", {"text": "\n第一课：回家\n我们回家。"}).json
    assert text["title"] == "第一课：回家"


def test_bad_texts_get_problem_details(learner, anon):
    assert is_problem(learner.post("/texts", {"text": "好" * 20_001}), 413)
    assert is_problem(learner.post("/texts", {}), 400)
    assert is_problem(learner.post("/texts", {"text": "no Chinese"}), 400)
    assert is_problem(learner.post("/texts", {"text": "你好", "title": "t" * 201}), 400)
    assert is_problem(learner.post("/texts", {"text": "你好", "deck_id": 1}), 403)  # learners do not share
    assert is_problem(anon.post("/texts", {"text": "你好"}), 401)
    assert is_problem(anon.get("/texts"), 401)


def test_an_instructor_shares_a_text_with_a_class(instructor, learner, other_learner):
    class_id = instructor.post("/classes", {"name": "Chinese 201"}).json
    learner.post("/classes/join", {"code": class_id["join_code"]})
    text = instructor.post("/texts", {"text": TEXT, "class_ids": [class_id["id"]]}).json
    assert text["class_ids"] == [class_id["id"]]
    shared = learner.get("/texts").json["texts"]
    assert [t["id"] for t in shared] == [text["id"]] and shared[0]["owned"] is False
    assert learner.get(f"/texts/{text['id']}").status_code == 200
    assert is_problem(learner.delete(f"/texts/{text['id']}"), 403)
    assert is_problem(other_learner.get(f"/texts/{text['id']}"), 404)
    assert is_problem(instructor.post("/texts", {"text": TEXT, "class_ids": [999]}), 404)


def test_dictionary_search_returns_entries_in_rank_order(learner, anon):
    for query in ("guojia", "guo2jia1", "guó jiā", "國家"):
        entries = learner.get("/dictionary", query_string={"q": query}).json["entries"]
        first = entries[0]
        assert (first["simplified"], first["traditional"], first["pinyin"]) == ("国家", "國家", "guójiā"), query
        assert first["senses"][0].startswith("country") and first["hsk"] == 1 and first["classifiers"] == ["个 (gè)"]
    english = learner.get("/dictionary", query_string={"q": "railway station", "limit": 5}).json["entries"]
    assert "火车站" in [e["simplified"] for e in english] and len(english) == 5
    university = learner.get("/dictionary", query_string={"q": "大学"}).json["entries"]
    assert [e["pinyin"] for e in university[:2]] == ["dàxué", "Dàxué"]  # the common word before the classic
    assert learner.get("/dictionary", query_string={"q": "zzzzqqq"}).json == {"entries": []}
    assert is_problem(learner.get("/dictionary"), 400)
    assert is_problem(learner.get("/dictionary", query_string={"q": "x" * 101}), 400)
    assert is_problem(learner.get("/dictionary", query_string={"q": "火", "limit": 0}), 400)
    assert is_problem(anon.get("/dictionary", query_string={"q": "火"}), 401)
