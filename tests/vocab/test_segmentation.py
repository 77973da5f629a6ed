"""Segmentation: film terms, places and deck examples come out as dictionary words."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vocab import add_words, lookup, segment, sentences
from vocab.decks import DATA_DIR as DECK_DIR
from vocab.segmentation import known_word

FILM_TERMS = ["归途列车", "留守儿童", "农民工", "春运", "四川", "广州", "深圳"]


@pytest.mark.parametrize("term", FILM_TERMS)
def test_film_terms_are_single_tokens(term):
    assert segment(f"我们说{term}。")[2] == term
    assert term in segment(f"这是{term}的故事")


def test_sentence_with_film_terms():
    tokens = segment("归途列车讲述了留守儿童和农民工在春运时从广州回四川的故事。")
    for term in ["归途列车", "留守儿童", "农民工", "春运", "广州", "四川"]:
        assert term in tokens


def test_words_added_at_run_time_become_single_tokens():
    text = "我喜欢鹅鸭杀鱼丸"
    assert "鹅鸭杀鱼丸" not in segment(text)
    add_words(["鹅鸭杀鱼丸"])
    assert "鹅鸭杀鱼丸" in segment(text)


def _deck_examples() -> list[str]:
    path = DECK_DIR / "last_train_home.tsv"
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return [r[5] for r in rows if len(r) > 5 and r[5]]


def test_deck_example_sentences_segment_into_dictionary_words():
    examples = _deck_examples()
    if not examples:
        pytest.skip("deck file not present")
    for sentence in examples:
        for tok in segment(sentence):
            if all("\u4e00" <= ch <= "\u9fff" for ch in tok):
                assert len(tok) == 1 or lookup(tok) or known_word(tok), (tok, sentence)


@given(st.text(max_size=40))
@settings(max_examples=150, deadline=None)
def test_segmentation_keeps_every_character(text):
    assert "".join(segment(text)) == text


def test_segmentation_is_deterministic_across_threads():
    text = "他们的家乡在四川的一个小村子里，每年春运都从广州坐火车回家。"
    expected = segment(text)
    results = []

    def work():
        for i in range(30):
            results.append(segment(text))
            add_words([f"测试词{i}"])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_sentences_split_and_rejoin():
    text = "他说：“你好。”我说：“再见！”然后走了\n第二行"
    parts = sentences(text)
    assert parts == ["他说：“你好。”", "我说：“再见！”", "然后走了\n", "第二行"]
    assert "".join(parts) == text


def test_jieba_is_quiet_on_stderr():
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", "import vocab; vocab.segment('春运开始了')"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert proc.stderr == ""
