"""Pinyin string helpers: conversions, typed input, compare_pinyin, sandhi, zhuyin."""

from __future__ import annotations

import pytest

from vocab import (
    SyllableVerdict,
    compare_pinyin,
    marks_to_numbers,
    normalize_pinyin,
    numbers_to_marks,
    sandhi,
    to_zhuyin,
)
from vocab.syllables import syllable_to_marks


def test_numbers_to_marks_and_back():
    assert numbers_to_marks("gui1 tu2") == "guī tú"
    assert numbers_to_marks("gui1 tu2 lie4 che1", join=True) == "guītúlièchē"
    assert marks_to_numbers("guī tú") == "gui1 tu2"
    assert marks_to_numbers("guītú") == "gui1 tu2"


@pytest.mark.parametrize("typed", ["lv4", "lu:4", "lü4", "LV4", "lǜ"])
def test_u_umlaut_inputs(typed):
    assert syllable_to_marks(typed).lower() == "lǜ"
    assert normalize_pinyin(typed) == "lü4"


def test_neutral_tone_is_5_in_numbers():
    assert marks_to_numbers("wǒmen") == "wo3 men5"
    assert numbers_to_marks("le5") == "le"
    assert numbers_to_marks("ma0") == "ma"


def test_mark_placement():
    assert numbers_to_marks("hao3 gou3 xiu4 lüe4 nü3 er2") == "hǎo gǒu xiù lüè nǚ ér"
    assert numbers_to_marks("Xi1 an1", join=True) == "Xī'ān"
    assert numbers_to_marks("Guang3 zhou1", join=True) == "Guǎngzhōu"


def test_erhua_attaches_to_the_syllable_before():
    assert numbers_to_marks("yi1 dian3 r5", join=True) == "yīdiǎnr"
    assert numbers_to_marks("wan2 r5") == "wánr"


def test_normalise_typed_input():
    assert normalize_pinyin("Gui1Tu2") == "gui1 tu2"
    assert normalize_pinyin("guītú", style="numbers") == "gui1 tu2"
    assert normalize_pinyin("gui1 tu2", style="marks") == "guī tú"
    assert normalize_pinyin("xi'an") == "xi an"


def test_compare_accepts_numbers_or_marks_with_or_without_spaces_any_case():
    for typed in ["gui1tu2", "gui1 tu2", "GUI1 TU2", "guītú", "guī tú", "Guī Tú"]:
        assert compare_pinyin("guītú", typed).correct, typed
        assert compare_pinyin("gui1 tu2", typed).correct, typed


def test_compare_reports_wrong_tones_and_wrong_syllables():
    result = compare_pinyin("guī tú liè chē", "gui1 tu3 lie4 cha1")
    verdicts = [s.verdict for s in result.syllables]
    assert verdicts == [SyllableVerdict.CORRECT, SyllableVerdict.WRONG_TONE, SyllableVerdict.CORRECT,
                        SyllableVerdict.WRONG]
    assert not result.correct and not result.tones_only
    assert result.syllables[1].expected == "tu2" and result.syllables[1].typed == "tu3"


def test_compare_tones_only():
    result = compare_pinyin("guītú", "gui4 tu4")
    assert result.tones_only and not result.correct


def test_compare_missing_tone_marks_are_tone_errors_but_neutral_may_be_left_bare():
    assert compare_pinyin("wǒmen", "wo3men").correct
    assert compare_pinyin("wǒmen", "wo3men5").correct
    assert compare_pinyin("guītú", "guitu").tones_only


def test_compare_missing_syllable_does_not_mark_the_rest_wrong():
    result = compare_pinyin("liú shǒu ér tóng", "liu2 shou3 tong2")
    verdicts = [s.verdict for s in result.syllables]
    assert verdicts.count(SyllableVerdict.MISSING) == 1
    assert verdicts.count(SyllableVerdict.CORRECT) == 3


def test_compare_garbage_input():
    result = compare_pinyin("guītú", "12345 ???")
    assert not result.correct and not result.parsed


def test_compare_umlaut_spellings():
    assert compare_pinyin("lǜsè", "lv4se4").correct
    assert compare_pinyin("lü4 se4", "lu:4 se4").correct
    assert not compare_pinyin("lǜ", "lu4").correct


def test_sandhi_yi_and_bu():
    assert sandhi(["bu4", "yao4"], "不要") == ["bu2", "yao4"]
    assert sandhi(["bu4", "hao3"], "不好") == ["bu4", "hao3"]
    assert sandhi(["yi1", "yang4"], "一样") == ["yi2", "yang4"]
    assert sandhi(["yi1", "tian1"], "一天") == ["yi4", "tian1"]
    assert sandhi(["di4", "yi1"], "第一") == ["di4", "yi1"]
    assert sandhi(["di4", "yi1", "ke4"], "第一课") == ["di4", "yi1", "ke4"]


def test_sandhi_third_tones():
    assert sandhi(["ni3", "hao3"]) == ["ni2", "hao3"]
    assert sandhi(["wo3", "hen3", "hao3"]) == ["wo2", "hen2", "hao3"]


def test_sandhi_needs_hanzi_for_yi_and_bu_and_never_changes_its_input():
    stored = ["bu4", "yao4"]
    assert sandhi(stored) == ["bu4", "yao4"]  # could be 步要…: no hanzi, no 不 rule
    sandhi(stored, "不要")
    assert stored == ["bu4", "yao4"]


def test_zhuyin():
    assert to_zhuyin("lü4") == "ㄌㄩˋ"
    assert to_zhuyin("gui1 tu2") == "ㄍㄨㄟ ㄊㄨˊ"


def test_splitting_follows_the_apostrophe_rule():
    from vocab.syllables import split_syllables

    assert [s.numbers for s in split_syllables("nóngmíngōng")] == ["nong2", "min2", "gong1"]
    assert [s.numbers for s in split_syllables("fāng'àn")] == ["fang1", "an4"]
    assert [s.numbers for s in split_syllables("xian1")] == ["xian1"]
