"""Reading and keeping texts: every word tappable with what the learner knows of it, saved texts
that reopen without annotating again, sharing by instructors, and words and sentences to study."""
import json
import re

import pytest
from sqlalchemy import select

import vocab
from app.extensions import db
from app.models import Card, Deck, Direction, Role, SavedText, Term, User
from app.services import authoring, reading, texts
from tests.conftest import FIXED_NOW
from tests.helpers import know

TEXT = "春运的时候，农民工排队买火车票。\n他们坐火车回家过年。"


def save(client, text=TEXT, title=""):
    response = client.post("/reader", data={"title": title, "text": text, "save": "Save and read"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def user(name="qin") -> User:
    return db.session.scalars(select(User).where(User.username == name)).one()


def reader_data(page: str) -> dict:
    """The words and sentences the page gives reader.js."""
    return json.loads(re.search(r'<script type="application/json" id="reader-data"[^>]*>(.*?)</script>', page, re.S)[1])


def word_buttons(page: str) -> dict[str, str]:
    """The reading's words as shown (characters only) -> their study-state class."""
    found = {}
    for state, ruby in re.findall(r'<button type="button" class="w st-(\w+)[^"]*" data-w="\d+"><ruby>(.*?)<rt>', page):
        found[re.sub(r"<[^>]+>", "", ruby)] = state
    return found


def test_every_word_is_a_button_with_its_ruby_and_the_text_is_laid_out_in_paragraphs(client, auth):
    auth.register()
    page = client.post("/reader", data={"text": TEXT, "read": "Read"}).get_data(as_text=True)
    words = word_buttons(page)
    assert {"春运", "农民工", "火车票", "火车", "过年"} <= set(words) and set(words.values()) == {"new"}
    assert "<rt><span class=\"t3\">huǒ</span><span class=\"t1\">chē</span></rt>" in page  # one ruby per word
    reading_html = page.split('id="reading-text"')[1].split("</div>")[0]
    assert reading_html.count("<p>") == 2 and reading_html.count('class="sentence"') == 2
    train = next(w for w in reader_data(page)["words"] if w["simplified"] == "火车")
    assert train["senses"][0] == "train" and "列 (liè)" in train["classifiers"] and train["hsk"] == 1
    assert reader_data(page)["sentences"] == ["春运的时候，农民工排队买火车票。", "他们坐火车回家过年。"]
    assert "Save and read" in page and client.get("/reader").status_code == 200


def test_a_saved_text_is_listed_with_length_hsk_profile_and_known_share(client, auth):
    auth.register()
    text_id = save(client, title="春运")
    listing = client.get("/reader").get_data(as_text=True)
    row = listing.split(f'href="/reader/texts/{text_id}"')[1].split("</tr>")[0]
    assert ">春运</a>" in row and f">{len(TEXT)}</td>" in row
    assert "1–3: " in row and "0&nbsp;% words" in row and "0&nbsp;% characters" in row
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert "You know <strong>0&nbsp;%</strong> of the words" in page and "Delete this text" in page


def test_reopening_a_saved_text_reads_the_stored_annotation(client, auth, monkeypatch):
    auth.register()
    text_id = save(client)

    def no_annotating(*args, **kwargs):
        raise AssertionError("the text was annotated again")

    monkeypatch.setattr(vocab, "annotate", no_annotating)
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert "农民工" in word_buttons(page)


def test_a_changed_language_core_annotates_the_text_again(client, auth, app):
    auth.register()
    text_id = save(client)
    with app.app_context():
        text = db.session.get(SavedText, text_id)
        text.annotation_version = "an older core"
        text.annotation = {"tokens": [["旧", 0]], "words": [{"simplified": "旧"}]}
        db.session.commit()
    assert "火车" in word_buttons(client.get(f"/reader/texts/{text_id}").get_data(as_text=True))
    with app.app_context():
        assert db.session.get(SavedText, text_id).annotation_version == vocab.fingerprint()


def test_a_word_added_from_its_popover_is_learning_and_known_after_studying(client, auth, app):
    auth.register()
    text_id = save(client)
    response = client.post("/reader/words", json={"word": "火车", "pinyin": "huǒchē", "english": "train",
                                                   "context": "他们坐火车回家过年。"})
    assert response.status_code == 201 and response.json["study_state"] == "learning"
    assert client.post("/reader/words", json={"word": "火车"}).json["added"] is False  # a second click
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert word_buttons(page)["火车"] == "learning" and word_buttons(page)["火车票"] == "new"
    assert "You know <strong>0&nbsp;%</strong>" in page
    with app.app_context():
        term = db.session.scalars(select(Term).join(Deck).where(Deck.title == "My words")).one()
        assert (term.simplified, term.pinyin, term.example_zh) == ("火车", "huǒchē", "他们坐火车回家过年。")
        know(user(), "火车", FIXED_NOW)
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert word_buttons(page)["火车"] == "known"
    # 12 running words, one known (8 %); its characters 火 and 车 also count in 火车票.
    assert "You know <strong>8&nbsp;%</strong> of the words" in page
    assert "of the characters" in page and "<strong>0&nbsp;%</strong> of the characters" not in page


def test_adding_a_word_needs_chinese_and_json(client, auth):
    auth.register()
    assert client.post("/reader/words", json={"word": "train"}).status_code == 400
    assert client.post("/reader/words", data="not json").status_code == 400
    assert client.post("/reader/words", json={"word": ["火车"]}).status_code == 400
    assert client.post("/reader/words", json={"word": "火" * 100_000}).status_code == 400
    assert client.post("/reader/words", json={"word": "火车", "context": "长" * 100_000}).status_code == 400


def test_a_sentence_becomes_a_cloze_card(client, auth, app):
    auth.register()
    response = client.post("/reader/sentences", json={"sentence": "他们坐火车回家过年。", "word": "火车"})
    assert response.status_code == 201 and "火车 hidden" in response.json["message"]
    again = client.post("/reader/sentences", json={"sentence": "我坐火车。", "word": "火车"},
                        headers={"Accept": "application/json"})  # as reader.js asks
    assert again.status_code == 409 and "already" in again.json["detail"]
    assert client.post("/reader/sentences", json={"sentence": "他们回家。", "word": "火车"}).status_code == 400
    with app.app_context():
        cards = db.session.scalars(select(Card).join(Term).where(Term.simplified == "火车")).all()
        assert [c.direction for c in cards] == [Direction.CLOZE]
    review = client.get("/review").get_data(as_text=True)
    assert "Which word fills the gap?" in review
    assert '他们坐<span class="cloze-gap">＿＿</span>回家过年。' in review
    # A sentence in traditional characters, as a traditional reader's popover sends it.
    assert client.post("/reader/sentences", json={"sentence": "我們在裡面等。", "word": "裡面"}).status_code == 201
    with app.app_context():
        term = db.session.scalars(select(Term).where(Term.simplified == "里面")).one()
        assert term.cloze == ("我們在", "等。")


def test_texts_over_the_limit_and_texts_without_chinese_get_clear_messages(client, auth):
    auth.register()
    response = client.post("/reader", data={"text": "字" * (reading.TEXT_MAX + 1), "save": "Save and read"})
    assert response.status_code == 400 and "At most 20,000 characters" in response.get_data(as_text=True)
    response = client.post("/reader", data={"text": "only English here", "save": "Save and read"})
    assert response.status_code == 400 and "no Chinese characters" in response.get_data(as_text=True)
    response = client.post("/reader", data={"text": "你好", "title": "t" * 300, "save": "Save and read"})
    assert response.status_code == 400


def test_only_the_owner_sees_and_deletes_a_text(client, auth):
    auth.register()
    text_id = save(client)
    auth.logout()
    auth.register("yang")
    assert client.get(f"/reader/texts/{text_id}").status_code == 404
    assert client.post(f"/reader/texts/{text_id}/delete").status_code == 404
    assert f"/reader/texts/{text_id}" not in client.get("/reader").get_data(as_text=True)
    auth.logout()
    auth.login("qin")
    assert client.post(f"/reader/texts/{text_id}/delete").status_code == 302
    assert client.get(f"/reader/texts/{text_id}").status_code == 404


@pytest.fixture
def teacher_and_class(client, auth, app, make_user):
    """Teacher Li with a class (Qin enrolled) and a deck of her own; returns (class id, deck id)."""
    make_user("teacher_li", role=Role.INSTRUCTOR)
    auth.login("teacher_li")
    class_id = int(client.post("/classes", data={"name": "Chinese 201"}).headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        teacher = user("teacher_li")
        deck = Deck(title="Li's words", owner_id=teacher.id)
        db.session.add(deck)
        db.session.commit()
        deck_id = deck.id
        from app.models import Classroom
        code = db.session.get(Classroom, class_id).join_code
    auth.logout()
    auth.register("qin")
    client.post("/classes/join", data={"code": code})
    auth.logout()
    return class_id, deck_id


def test_an_instructor_shares_a_text_with_a_class(client, auth, teacher_and_class):
    class_id, deck_id = teacher_and_class
    auth.login("teacher_li")
    text_id = save(client, title="第一课")
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert "Share this text" in page and "Chinese 201" in page
    client.post(f"/reader/texts/{text_id}/share", data={"deck_id": "", "class_id": [str(class_id)]})
    auth.logout()
    auth.login("qin")
    listing = client.get("/reader").get_data(as_text=True)
    assert "第一课" in listing and "shared" in listing
    page = client.get(f"/reader/texts/{text_id}").get_data(as_text=True)
    assert "农民工" in word_buttons(page) and "Delete this text" not in page
    assert client.post(f"/reader/texts/{text_id}/delete").status_code == 403
    auth.logout()
    auth.register("stranger")
    assert client.get(f"/reader/texts/{text_id}").status_code == 404


def test_a_text_attached_to_a_deck_goes_where_the_deck_goes(client, auth, app, teacher_and_class):
    class_id, deck_id = teacher_and_class
    auth.login("teacher_li")
    text_id = save(client, title="第二课")
    client.post(f"/reader/texts/{text_id}/share", data={"deck_id": str(deck_id)})
    auth.logout()
    auth.login("qin")
    assert client.get(f"/reader/texts/{text_id}").status_code == 404  # the deck is not assigned yet
    auth.logout()
    auth.login("teacher_li")
    client.post(f"/classes/{class_id}/decks", data={"deck_id": str(deck_id)})
    auth.logout()
    auth.login("qin")
    assert client.get(f"/reader/texts/{text_id}").status_code == 200


def test_learners_cannot_share_and_nobody_shares_with_others_classes(client, auth, teacher_and_class):
    class_id, deck_id = teacher_and_class
    auth.login("qin")
    text_id = save(client)
    assert client.post(f"/reader/texts/{text_id}/share", data={"class_id": [str(class_id)]}).status_code == 403
    auth.logout()
    auth.register("teacher_wu", role="instructor")
    own = save(client)
    assert client.post(f"/reader/texts/{own}/share", data={"class_id": [str(class_id)]}).status_code == 404
    assert client.post(f"/reader/texts/{own}/share", data={"deck_id": str(deck_id)}).status_code == 404
    assert client.post(f"/reader/texts/{own}/share", data={"deck_id": "x"}).status_code == 400
    assert client.post(f"/reader/texts/{own}/share", data={"class_id": [str(10**20)]}).status_code == 400
    assert client.get(f"/reader/texts/{10**20}").status_code == 404


def test_a_traditional_reader_sees_the_text_and_its_glosses_in_traditional(client, auth, app):
    auth.register()
    with app.app_context():
        user().script = "traditional"
        db.session.commit()
    page = client.post("/reader", data={"text": "他们坐火车回家，买了一个面包。", "read": "Read"}).get_data(as_text=True)
    words = word_buttons(page)
    assert {"他們", "火車", "麵包", "個"} <= set(words)
    assert 'lang="zh-Hant"' in page
    bread = next(w for w in reader_data(page)["words"] if w["simplified"] == "面包")
    assert bread["hanzi"] == "麵包" and "塊 (kuài)" in bread["classifiers"]  # glosses in traditional too


def test_the_layout_keeps_every_character_and_closing_quotes_with_their_sentence(app, ctx, make_user):
    learner = db.session.get(User, make_user("lin"))
    text = "“你好！”她说。\n\n我们走吧……好的。"
    layout = reading.reading(reading.annotate(text), learner)
    assert [[s.text for s in p] for p in layout.paragraphs] == [["“你好！”", "她说。"], ["我们走吧……", "好的。"]]
    assert "".join(layout.sentences) == text.replace("\n", "")


def test_coverage_counts_running_words_and_the_characters_of_known_words():
    known = reading.Knowledge(known=frozenset({"火车"}), learning=frozenset())
    cover = reading.coverage({"火车": 2, "火车票": 1, "过年": 1}, known)
    assert (cover.words, cover.known_words, cover.words_percent) == (4, 2, 50.0)
    assert (cover.characters, cover.known_characters) == (9, 6) and cover.characters_percent == 66.7


def test_my_words_made_twice_at_once_is_one_deck(app, ctx, make_user):
    learner = db.session.get(User, make_user("lin"))
    first = authoring.personal_deck(learner, FIXED_NOW)
    assert authoring.personal_deck(learner, FIXED_NOW).id == first.id
    sentences = authoring.personal_deck(learner, FIXED_NOW, "sentences")
    assert sentences.id != first.id and sentences.title == "My sentences"
    assert texts.clean("a\r\nb\x00") == "a\nb"
