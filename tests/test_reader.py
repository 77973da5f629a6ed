"""The reader: paste Chinese, read it with context-aware pinyin and glosses."""


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
