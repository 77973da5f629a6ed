"""Every card can be heard (the server's own voice, cached on disk and in browsers) and every Chinese
text follows the learner's script."""
from __future__ import annotations

import io
import re
import wave

import pytest

import vocab
from app.extensions import db
from app.models import Term
from tests.helpers import make_deck


def _wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as audio:
        return audio.getnframes() / audio.getframerate()


def test_the_engine_reads_the_pinyin_chosen_in_context():
    assert vocab.spoken_pinyin("银行行长") == "yin2 hang2 hang2 zhang3"
    assert vocab.spoken_pinyin("一点儿") == "yi4 dianr3"  # erhua joined, 一 as spoken
    assert vocab.spoken_pinyin("你好。") == "ni2 hao3."  # third-tone sandhi, a pause at the full stop
    for word in ("归途列车", "过年", "春节", "孝顺", "户口"):
        assert 0.3 < _wav_seconds(vocab.synthesize(word)) < 3
    with pytest.raises(ValueError):
        vocab.synthesize("no Chinese here")


def _review_page(client, app, auth, directions, script="simplified"):
    with app.app_context():
        deck = make_deck(1)
        term = deck.terms[0]
        term.traditional, term.example_zh, term.note = "過年", "过年的时候，他们坐火车回家。", "春节是最重要的节日。"
        db.session.commit()
        deck_id = deck.id
    auth.register()
    client.post("/settings", data={"desired_retention": "0.9", "new_cards_per_day": "20",
                                   "max_reviews_per_day": "200", "learning_steps": "1m 10m",
                                   "relearning_steps": "10m", "timezone": "UTC", "script": script})
    client.post(f"/decks/{deck_id}/study", data={"directions": directions})
    return client.get("/review").get_data(as_text=True)


def test_server_audio_is_made_once_and_served_with_caching_headers(client, app, auth, monkeypatch):
    page = _review_page(client, app, auth, ["recognition"])
    url = re.search(r'<audio id="audio-word" preload="none" src="([^"]+)"', page)[1]
    calls = []
    real = vocab.synthesize
    monkeypatch.setattr(vocab, "synthesize", lambda text: calls.append(text) or real(text))
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "audio/wav" and first.data[:4] == b"RIFF"
    assert _wav_seconds(first.data) > 0.3
    assert "max-age=31536000" in first.headers["Cache-Control"] and "immutable" in first.headers["Cache-Control"]
    assert first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(url).data == first.data
    assert calls == ["过年"]  # synthesised once, then read from the disk cache
    # Only text the server signed can be spoken: a forged or altered URL is a 404.
    assert client.get(url.replace(".wav", "x.wav")).status_code == 404
    assert client.get("/audio/5Ye65bm0.wav").status_code == 404


def test_the_recall_front_never_speaks_the_answer(client, app, auth):
    page = _review_page(client, app, auth, ["recall"])
    front = page[page.index('class="card-face front"'):page.index('id="reveal"')]
    assert "data-speak" not in front and "过年" not in front
    back = page[page.index('id="back"'):]
    assert 'data-speak="过年"' in back  # heard once revealed


def test_a_listening_card_can_always_be_answered(client, app, auth):
    page = _review_page(client, app, auth, ["listening"])
    front = page[page.index('class="card-face front"'):page.index('id="reveal"')]
    assert 'id="play-front"' in front and 'data-audio="audio-word"' in front
    assert "Show the pinyin" in front  # when the learner cannot listen, the reading answers it
    assert re.search(r'<audio id="audio-word" preload="none" src="/audio/[^"]+\.wav"', page)
    assert "过年" not in re.sub(r"<[^>]+>", "", front)  # the word is not shown, only spoken


def test_traditional_script_on_the_card_back_and_in_the_reader(client, app, auth):
    page = _review_page(client, app, auth, ["recognition"], script="traditional")
    assert "過年" in page  # the stored traditional headword
    assert "過年的時候，他們坐火車回家。" in page  # the example, converted with OpenCC
    assert "春節是最重要的節日。" in page  # the cultural note
    reader = client.post("/reader", data={"text": "过年的时候，他们坐火车回家。"}).get_data(as_text=True)
    text = re.sub(r"<rt>.*?</rt>|<[^>]+>", "", reader[reader.index('id="reading-text"'):])
    assert "過年的時候" in text and "回家" in text
    assert "过年的时候" not in text


def test_the_review_history_export_follows_the_script(client, app, auth):
    page = _review_page(client, app, auth, ["recognition"], script="traditional")
    values = dict(re.findall(r'name="(card_id|version|client_review_id)" value="([^"]*)"', page))
    client.post("/review/grade", data={**values, "rating": "3"})
    csv = client.get("/progress/reviews.csv").get_data(as_text=True)
    assert "過年" in csv and "歸途列車" in csv


def test_deck_pages_show_titles_and_examples_in_the_script(client, app, auth):
    page = _review_page(client, app, auth, ["recognition"], script="traditional")
    assert page  # registered, settings saved
    with app.app_context():
        deck_id = db.session.scalar(db.select(Term.deck_id))
    deck_page = client.get(f"/decks/{deck_id}").get_data(as_text=True)
    assert "歸途列車" in deck_page and "過年的時候" in deck_page
