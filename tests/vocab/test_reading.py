"""Context-aware pinyin of words and sentences."""

from __future__ import annotations

import pytest

from vocab import char_pinyin, pinyin
from vocab.reading import word_pinyin

POLYPHONES = [
    ("我去银行取钱。", "行", "hang2"),
    ("他在路上行走。", "行", "xing2"),
    ("孩子长大了。", "长", "zhang3"),
    ("我们去长城。", "长", "chang2"),
    ("还是你去吧。", "还", "hai2"),
    ("我明天还钱。", "还", "huan2"),
    ("他走了。", "了", "le5"),
    ("我了解他。", "了", "liao3"),
    ("他跑得很快。", "得", "de5"),
    ("我觉得很好。", "得", "de5"),
    ("他得到了一本书。", "得", "de2"),
    ("我们得走了。", "得", "dei3"),
    ("他慢慢地走了。", "地", "de5"),
    ("这个地方很美。", "地", "di4"),
    ("这很重要。", "重", "zhong4"),
    ("请重新写。", "重", "chong2"),
    ("我觉得累。", "觉", "jue2"),
    ("我要睡觉。", "觉", "jiao4"),
    ("我们都去。", "都", "dou1"),
    ("北京是首都。", "都", "du1"),
    ("我喜欢音乐。", "乐", "yue4"),
    ("祝你快乐。", "乐", "le4"),
]


@pytest.mark.parametrize("sentence,char,reading", POLYPHONES)
def test_polyphones_in_context(sentence, char, reading):
    readings = char_pinyin(sentence)
    assert readings[sentence.index(char)] == reading


def test_word_and_sentence_pinyin_styles():
    assert pinyin("归途列车") == "guītú lièchē"
    assert pinyin("归途列车", style="numbers") == "gui1 tu2 lie4 che1"
    assert word_pinyin("归途列车") == "gui1 tu2 lie4 che1"
    assert pinyin("我去银行。") == "wǒ qù yínháng。"
    assert pinyin("绿色", style="numbers") == "lü4 se4"


def test_proper_nouns_are_capitalised():
    assert pinyin("春节") == "Chūnjié"
    assert pinyin("我们回广州。") == "wǒmen huí Guǎngzhōu。"


def test_neutral_tone_and_erhua():
    assert pinyin("我们", style="numbers") == "wo3 men5"
    assert pinyin("一点儿") == "yīdiǎnr"


def test_sandhi_is_a_display_option():
    assert pinyin("不要") == "bùyào"
    assert pinyin("不要", sandhi=True) == "búyào"
    assert pinyin("你好", sandhi=True) == "níhǎo"
    assert pinyin("一样", sandhi=True, style="numbers") == "yi2 yang4"
    assert pinyin("一样", style="numbers") == "yi1 yang4"


def test_zhuyin_style():
    assert pinyin("绿", style="zhuyin") == "ㄌㄩˋ"


def test_non_han_text_is_kept():
    assert char_pinyin("a了 1") == [None, "le5", None, None]
    assert pinyin("Hello 世界") == "Hello shìjiè"


def test_deck_pinyin_agrees_with_ours():
    """Every term of the built-in deck: its written pinyin parses, one syllable per character,
    and matches what vocab computes (so the typed-answer mode and the deck never disagree)."""
    import csv

    from vocab import compare_pinyin
    from vocab.decks import DATA_DIR as DECK_DIR
    from vocab.syllables import split_syllables

    path = DECK_DIR / "last_train_home.tsv"
    if not path.exists():
        pytest.skip("deck file not present")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert rows
    for row in rows:
        assert len(split_syllables(row["pinyin"])) == len(row["simplified"]), row["simplified"]
        assert compare_pinyin(row["pinyin"], pinyin(row["simplified"])).correct, row["simplified"]
