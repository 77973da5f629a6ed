"""The reader: paste Chinese, read it with context-aware pinyin and glosses."""
import re


def test_the_reader_annotates_pasted_text(client, auth):
    auth.register()
    page = client.post("/reader", data={"text": "他们在银行工作。\n过年回家<b>"}).get_data(as_text=True)
    assert "<rt><span class=\"t2\">yín</span><span class=\"t2\">háng</span></rt>" in page  # 行 read háng in 银行
    assert "bank" in page
    assert "&lt;b&gt;" in page and "<b>" not in page.split('class="reading"')[1]  # user text is escaped


def test_empty_and_oversized_text_get_clear_messages(client, auth):
    auth.register()
    response = client.post("/reader", data={"text": ""})
    assert response.status_code == 400 and "Paste some Chinese text." in response.get_data(as_text=True)
    response = client.post("/reader", data={"text": "字" * 20_001})
    assert response.status_code == 400 and "At most 20,000 characters" in response.get_data(as_text=True)


def test_a_learner_adds_words_from_the_reader_to_my_words_and_reviews_them(client, auth):
    import re

    auth.register()
    page = client.post("/reader", data={"text": "春运的时候，农民工排队买火车票。农民工想回家过年。"}).get_data(as_text=True)
    words = re.findall(r'name="word" value="([^"]+)"><input type="hidden" name="context" value="([^"]*)"', page)
    assert ("农民工", "春运的时候，农民工排队买火车票。") in words
    form = {"word": [w for w, _ in words], "context": [c for _, c in words], "add": ["农民工", "火车票"]}
    response = client.post("/reader/add", data=form, follow_redirects=True)
    deck_page = response.get_data(as_text=True)
    assert "Added 2 words to My words" in deck_page
    assert "nóngmíngōng" in deck_page and "春运的时候，农民工排队买火车票。" in deck_page
    assert "农民工" in client.get("/review").get_data(as_text=True)  # already in the review queue
    # Adding the same words again adds nothing twice.
    again = client.post("/reader/add", data=form, follow_redirects=True).get_data(as_text=True)
    assert "words already in My words are skipped" in again


def test_my_words_is_private(client, auth):
    auth.register()
    response = client.post("/reader/add", data={"word": ["过年"], "context": [""], "add": ["过年"]})
    deck_id = int(re.search(r"/decks/(\d+)$", response.headers["Location"])[1])
    auth.logout()
    auth.register("yang", "correct horse")
    assert client.get(f"/decks/{deck_id}").status_code == 404
