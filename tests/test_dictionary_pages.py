"""The dictionary pages: search as a learner types, a word's page with everything about it, and
adding the word to My words from there."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Deck, Term
from app.services.seed import seed_builtin_decks
from tests.conftest import FIXED_NOW


def results(page: str) -> list[str]:
    """The headwords of a results page, in order."""
    return re.findall(r'<a href="/dictionary/([^"]+)">', page.split('class="terms results"')[1]) \
        if 'class="terms results"' in page else []


def headwords(client, query):
    from urllib.parse import unquote

    return [unquote(w) for w in results(client.get("/dictionary", query_string={"q": query}).get_data(as_text=True))]


def test_search_by_characters_pinyin_any_way_and_english(client, auth):
    auth.register()
    for query in ("国家", "國家", "guojia", "guo2jia1", "guó jiā"):
        assert headwords(client, query)[0] == "国家", query
    assert headwords(client, "railway station")[:2] == ["车站", "火车站"]
    assert "火车站" in headwords(client, "train station")[:1]
    page = client.get("/dictionary", query_string={"q": "qwxzqwxz"}).get_data(as_text=True)
    assert "Nothing found for “qwxzqwxz”" in page
    assert client.get("/dictionary", query_string={"q": "字" * 101}).status_code == 400
    assert client.get("/dictionary").status_code == 200


def test_a_word_page_has_every_reading_measure_words_longer_words_and_examples(client, auth, app):
    with app.app_context():
        seed_builtin_decks(FIXED_NOW)
    auth.register()
    client.post("/reader", data={"title": "我的课文", "text": "我们坐火车回家。火车很慢。", "save": "Save and read"})
    page = client.get("/dictionary/火车").get_data(as_text=True)
    assert "huǒchē" in page.replace('<span class="t3">', "").replace('<span class="t1">', "").replace("</span>", "")
    assert "Measure words:" in page and "列 (liè)" in page
    assert "火车站" in page.split("Words with 火车")[1]
    examples = page.split("Example sentences")[1]
    assert "归途列车" in examples  # the built-in deck
    assert "我们坐火车回家。" in examples and "我的课文" in examples  # the learner's own text
    # Several readings, each its own entry with its own add button.
    page = client.get("/dictionary/行").get_data(as_text=True)
    assert "as xíng" in page and "as háng" in page
    assert client.get("/dictionary/notaword").status_code == 404


def test_adding_a_word_from_its_page(client, auth, app):
    auth.register()
    page = client.get("/dictionary/还").get_data(as_text=True)
    form = re.search(r'name="pinyin" value="(huán)">\s*<input type="hidden" name="english" value="([^"]*)"', page)
    response = client.post("/dictionary/还/add", data={"pinyin": form[1], "english": form[2], "context": ""},
                           follow_redirects=True)
    assert "Added 还 to My words" in response.get_data(as_text=True)
    assert "learning" in client.get("/dictionary/还").get_data(as_text=True)
    again = client.post("/dictionary/还/add", data={}, follow_redirects=True).get_data(as_text=True)
    assert "already in My words" in again
    with app.app_context():
        term = db.session.scalars(select(Term).join(Deck).where(Deck.title == "My words")).one()
        assert (term.simplified, term.pinyin) == ("还", "huán") and "return" in term.english
