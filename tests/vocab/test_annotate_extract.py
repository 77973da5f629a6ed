"""annotate, extract_terms and extract_bilingual as an app or a reader sees them."""

from __future__ import annotations

from vocab import TokenKind, annotate, extract_bilingual, extract_terms


def test_annotate_tokens_cover_the_text_and_carry_everything_a_reader_needs():
    text = "我們去銀行，Hello 3.5 元！"
    tokens = annotate(text)
    assert "".join(t.text for t in tokens) == text
    bank = next(t for t in tokens if t.text == "銀行")
    assert (bank.kind, bank.simplified, bank.traditional) == (TokenKind.WORD, "银行", "銀行")
    assert (bank.pinyin, bank.pinyin_numbers, bank.gloss, bank.hsk) == ("yínháng", "yin2 hang2", "bank", 2)
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["，"] is TokenKind.PUNCTUATION
    assert kinds["Hello"] is TokenKind.LATIN
    assert kinds["3.5"] is TokenKind.NUMBER
    assert kinds[" "] is TokenKind.WHITESPACE
    yuan = next(t for t in tokens if t.text == "元")
    assert yuan.gloss.startswith("currency unit")  # the common word, not the surname entry


def test_annotate_film_title_composes_pinyin_and_gloss():
    token = annotate("归途列车")[0]
    assert token.text == "归途列车"
    assert token.pinyin == "guītú lièchē"
    assert "train" in token.gloss


def test_extract_terms_ranks_dedupes_and_gives_context():
    text = "他们在广州打工。每年春运，他们都回四川。他们的女儿在四川上学。四川很远。"
    assert "四川" not in [t.simplified for t in extract_terms(text)]  # a place name, not a study word
    terms = extract_terms(text, names=True)  # unless asked
    words = [t.simplified for t in terms]
    assert len(words) == len(set(words))
    assert words[0] == "四川" or words[0] == "他们"
    sichuan = next(t for t in terms if t.simplified == "四川")
    assert sichuan.count == 3
    assert sichuan.context == "每年春运，他们都回四川。"
    assert sichuan.pinyin == "Sìchuān" and "Sichuan" in sichuan.gloss
    assert "的" not in words and "，" not in words
    assert all(all("\u4e00" <= ch <= "\u9fff" for ch in w) for w in words)


def test_extract_terms_skips_known_words_in_either_script():
    terms = extract_terms("他们在廣州打工。他们回四川。", known=["他们", "广州"], names=True)
    words = [t.simplified for t in terms]
    assert "他们" not in words and "广州" not in words
    assert "打工" in words and "四川" in words


def test_extract_terms_merges_simplified_and_traditional():
    terms = extract_terms("银行。銀行。")
    assert [(t.simplified, t.count) for t in terms] == [("银行", 2)]


def test_extract_bilingual():
    text = ("Every year millions of migrant workers (农民工) go home for the New Year holidays (过年). "
            "The travel season is called chunyun (春运). The film 归途列车 (Last Train Home) follows "
            "one family. Their daughter is a left-behind child (留守儿童, liúshǒu értóng).")
    found = {t.hanzi: t for t in extract_bilingual(text)}
    assert found["过年"].english == "New Year holidays"
    assert found["过年"].sentence == ("Every year millions of migrant workers (农民工) go home for the "
                                     "New Year holidays (过年).")
    assert found["农民工"].english == "migrant workers"
    assert found["春运"].english == "chunyun"
    assert found["归途列车"].english == "Last Train Home"
    assert found["留守儿童"].english == "left-behind child"
    assert found["过年"].pinyin == "guònián"
    assert list(found) == ["农民工", "过年", "春运", "归途列车", "留守儿童"]


def test_extract_bilingual_full_width_parentheses_and_no_matches():
    found = extract_bilingual("We ate dumplings（饺子）at home.")
    assert [(t.hanzi, t.english) for t in found] == [("饺子", "dumplings")]
    assert extract_bilingual("No Chinese here (none).") == []
