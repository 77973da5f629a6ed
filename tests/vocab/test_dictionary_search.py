"""Looking words up as a learner does: by characters, by pinyin typed any way, by English."""

import json

import pytest

import vocab


def words(query, limit=10):
    return [m.entry.simplified for m in vocab.search(query, limit)]


@pytest.mark.parametrize("query", ["guojia", "guo2jia1", "guó jiā", "Guo Jia", "guojia1", "国家", "國家"])
def test_every_way_of_typing_a_word_finds_it_first(query):
    first = vocab.search(query)[0]
    assert first.entry.simplified == "国家" and first.entry.traditional == "國家"
    assert first.entry.pinyin == "guo2 jia1" and first.hsk == 1 and "country" in first.entry.meanings[0]


def test_tones_narrow_the_search_and_toneless_pinyin_finds_every_tone():
    assert words("ma3", 20)[0] == "马" and "妈" not in words("ma3", 20)
    assert {"马", "妈", "吗"} <= set(words("ma", 10))
    assert words("lv4")[0] == "绿" and words("lü4")[0] == "绿" and words("lu:4")[0] == "绿"


def test_english_finds_the_word_that_means_just_that_first():
    assert words("bank")[0] == "银行"
    assert words("to go")[0] == "去" and words("go")[0] == "去"
    assert words("person")[0] == "人"
    assert words("train station")[0] == "火车站"


def test_british_english_finds_what_the_dictionary_says_in_american():
    assert "火车站" in words("railway station", 3)
    assert "颜色" in words("colour", 3)
    assert "电梯" in words("lift", 20) and words("petrol")[0] == "汽油"


def test_common_words_come_before_names_and_surnames():
    dàxué = vocab.search("大学", 2)
    assert [m.entry.pinyin for m in dàxué] == ["da4 xue2", "Da4 xue2"]  # university, then the classic
    wang = [m.entry.pinyin for m in vocab.search("王", 5) if m.entry.simplified == "王"]
    assert wang.index("wang2") < wang.index("Wang2")
    xian = words("xian", 100)
    assert {"先", "县", "线"} <= set(xian[:5]) and xian.index("西安") > 20  # the city, after common words
    assert words("xi'an")[0] == "西安" and words("xi an")[0] == "西安"


def test_longer_words_follow_the_word_itself():
    assert words("火车", 5)[:3] == ["火车", "火车站", "火车票"]
    assert words("huoche", 5)[:2] == ["火车", "货车"] and "火车站" in words("huoche", 5)


def test_a_phrase_not_in_the_dictionary_gives_its_words_in_order():
    assert words("我想去火车站") == ["我", "想", "去", "火车站"]


def test_nonsense_and_empty_queries_find_nothing_without_failing():
    assert vocab.search("") == [] and vocab.search("   ") == []
    assert vocab.search("qwxzqwxz") == []
    assert vocab.search("🙂") == [] and vocab.search("!!!") == []
    assert len(vocab.search("a" * 10_000)) <= 20


def test_words_that_contain_a_word_most_common_first():
    found = [m.entry.simplified for m in vocab.containing("火车", 5)]
    assert found[:2] == ["火车站", "火车票"] and "火车" not in found
    assert all("火车" in w for w in found)


def test_tokens_carry_the_measure_words_of_their_reading():
    tokens = {t.text: t for t in vocab.annotate("我坐火车回家，买了一张票。")}
    assert "列 (liè)" in tokens["火车"].classifiers and tokens["票"].classifiers == ("张 (zhāng)",)
    assert tokens["坐"].classifiers == ()


def test_text_in_the_learners_script():
    assert vocab.to_script("头发发展，后来他去面馆吃面。", "traditional") == "頭髮發展，後來他去麵館吃麵。"
    assert vocab.to_script("頭髮發展，後來", "simplified") == "头发发展，后来"
    assert vocab.to_script("Hello 123", "traditional") == "Hello 123"
    with pytest.raises(ValueError):
        vocab.to_script("字", "cyrillic")


def test_the_fingerprint_names_this_language_core():
    assert vocab.fingerprint() == vocab.fingerprint() and len(vocab.fingerprint()) == 16


def test_the_command_line_searches_too(capsys):
    from vocab.cli import main

    assert main(["search", "guo2jia1", "--limit", "1"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["simplified"] == "国家" and json.loads(line)["pinyin"] == "guójiā"
