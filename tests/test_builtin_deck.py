"""The built-in deck 归途列车 Last Train Home: every term checked against the dictionary, and seeding
that updates the deck without losing anyone's reviews."""
import re
import shutil
import uuid

import pytest
from sqlalchemy import func, select

import vocab
from app.extensions import db
from app.models import Card, Deck, ReviewLog, Term
from app.services import accounts, study
from app.services.seed import seed_builtin_decks
from tests.conftest import FIXED_NOW
from vocab import decks as deck_files
from vocab.annotation import TokenKind

CORE = ["归途列车", "过年", "春节", "孝顺", "户口"]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def terms():
    (deck,) = deck_files.load_builtin_decks()
    assert deck.title == "归途列车 Last Train Home"
    vocab.add_words(t.simplified for t in deck.terms)
    return deck.terms


def test_the_deck_has_the_core_terms_and_at_least_60(terms):
    words = [t.simplified for t in terms]
    assert len(words) >= 60
    assert set(CORE) <= set(words)
    assert len(words) == len(set(words)), "duplicate terms"


def test_every_field_is_filled(terms):
    for t in terms:
        for field in ("simplified", "traditional", "pinyin", "english", "example_zh", "example_en"):
            assert getattr(t, field).strip(), f"line {t.line}: {field} is empty"


def test_pinyin_and_traditional_agree_with_the_dictionary(terms):
    for t in terms:
        info = vocab.lookup_term(t.simplified)
        readings = {r.pinyin for r in info.readings} | {info.pinyin}
        assert t.pinyin in readings, f"{t.simplified}: {t.pinyin} not in {readings}"
        forms = {e.traditional for e in vocab.lookup(t.simplified)} | {info.traditional}
        assert t.traditional in forms, t.simplified


def test_the_title_term_is_composed_from_its_parts(terms):
    title = next(t for t in terms if t.simplified == "归途列车")
    assert title.pinyin == "guītú lièchē" == f"{vocab.pinyin('归途')} {vocab.pinyin('列车')}"
    assert title.traditional == "歸途列車"


def test_hsk_levels_come_from_the_hsk_30_lists(terms):
    for t in terms:
        assert t.hsk == vocab.hsk_level(t.simplified), t.simplified


def test_example_sentences_contain_their_term_and_are_8_to_30_characters(terms):
    for t in terms:
        assert t.simplified in t.example_zh, t.simplified
        assert 8 <= len(t.example_zh) <= 30, f"{t.simplified}: {len(t.example_zh)} characters"
        assert t.example_zh[-1] in "。！？", t.simplified


def hsk_share(sentence: str, term: str) -> float:
    """Share of the sentence's Chinese words (not the term itself, nor names) in HSK 1-4."""
    words = [tok for tok in vocab.annotate(sentence) if tok.kind is TokenKind.WORD and tok.text != term]
    words = [w for w in words if not any(e.is_proper_noun for e in vocab.lookup(w.text))]
    easy = [w for w in words if w.hsk is not None and w.hsk <= 4]
    return len(easy) / len(words) if words else 1.0


def test_example_sentences_use_mostly_hsk_1_to_4_words(terms):
    shares = {t.simplified: hsk_share(t.example_zh, t.simplified) for t in terms}
    hard = {w: round(s, 2) for w, s in shares.items() if s < 0.7}
    assert not hard, f"sentences with too many words above HSK 4: {hard}"
    assert sum(shares.values()) / len(shares) >= 0.85


def test_the_core_terms_have_a_cultural_note_of_two_or_three_sentences(terms):
    for t in terms:
        if t.simplified in CORE:
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.note.strip()) if s]
            assert 2 <= len(sentences) <= 3, f"{t.simplified}: {len(sentences)} sentences"
        else:
            assert t.note == "", t.simplified


def test_seed_loads_the_deck_with_generated_example_pinyin(ctx):
    (report,) = seed_builtin_decks(FIXED_NOW)
    assert report.added >= 60
    deck = db.session.scalar(select(Deck).where(Deck.slug == "last-train-home"))
    assert deck.builtin and deck.owner_id is None
    term = next(t for t in deck.terms if t.simplified == "户口")
    assert term.example_pinyin == vocab.sentence_pinyin(term.example_zh)
    assert "hùkǒu" in term.example_pinyin
    assert term.note and term.source.startswith("Built-in deck")


# What a learner reads under each example: the reading in context, neutral tones kept and 一/不
# as textbooks print them.
EXAMPLE_READINGS = {
    "奶奶": ["hái děi zhàogu sūnzi"],  # 还得 'must', 孙子 with its neutral tone
    "儿子": ["tīng lǎorén de huà"],  # 听…的话 'listen to someone's words', not 的话 'if'
    "生活": ["tīng fùmǔ de huà", "guò zìjǐ de shēnghuó"],
    "希望": ["shàng dàxué", "búyòng"],  # the university, not the classic; 不 before a fourth tone
    "父母": ["wèi háizi"],  # 为 'for' a person
    "养老": ["wèi yǎnglǎo"],
    "考试": ["kǎo de zěnmeyàng"],  # the complement 得
    "农民工": ["yíyàng"],
    "回家": ["hǎojǐ tiān"],
    "离开": ["yí suì"],
}


def test_example_pinyin_reads_as_a_textbook_prints_it(terms):
    by_term = {t.simplified: t for t in terms}
    for simplified, readings in EXAMPLE_READINGS.items():
        shown = vocab.sentence_pinyin(by_term[simplified].example_zh)
        for reading in readings:
            assert reading in shown, (simplified, shown)


def test_deck_states_only_what_the_film_shows(terms):
    by_term = {t.simplified: t for t in terms}
    assert by_term["打工"].english == "to work for an employer, esp. as a casual or migrant worker"
    assert by_term["出口"].english == "exit; to export"
    assert "服装厂" in by_term["服装"].example_zh and "服装工厂" not in by_term["服装"].example_zh
    assert by_term["鞭炮"].example_zh.startswith("除夕晚上")
    # The journey home: train, then bus and boat.
    assert all(w in by_term["大巴"].example_zh for w in ("火车", "大巴", "船"))
    assert all(w in by_term["归途列车"].note for w in ("train", "bus", "boat"))
    # The children grew up with their grandmother; which side of the family is not stated.
    for t in terms:
        text = " ".join((t.example_en, t.note))
        assert "father's mother" not in text and "paternal" not in text and "maternal" not in text, t.simplified
        if t.simplified != "奶奶":
            assert "奶奶" not in t.example_zh and "外婆" not in t.example_zh, t.simplified


def test_seeding_twice_changes_nothing(ctx):
    seed_builtin_decks(FIXED_NOW)
    (report,) = seed_builtin_decks(FIXED_NOW)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)


def test_editing_the_file_and_seeding_again_keeps_review_history(ctx, tmp_path, monkeypatch):
    seed_builtin_decks(FIXED_NOW)
    learner = accounts.create_user("qin", "correct horse")
    deck = db.session.scalar(select(Deck).where(Deck.slug == "last-train-home"))
    study.start_deck(learner, deck, FIXED_NOW, ["recognition"])
    reviewed = {}
    for _ in range(3):
        card, _ = study.next_card(learner, FIXED_NOW)
        study.grade(learner, card.id, 3, uuid.uuid4().hex, FIXED_NOW)
        reviewed[card.term.simplified] = card.id
    kept, dropped = list(reviewed)[:2], list(reviewed)[2]

    # An editor fixes a gloss and removes one row.
    edited = tmp_path / "last_train_home.tsv"
    shutil.copy(deck_files.DATA_DIR / "last_train_home.tsv", edited)
    lines = edited.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith(dropped + "\t")]
    first = next(i for i, line in enumerate(lines) if line.startswith(kept[0] + "\t"))
    cells = lines[first].split("\t")
    cells[3] = "a corrected gloss"
    lines[first] = "\t".join(cells)
    edited.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(deck_files, "DATA_DIR", tmp_path)

    (report,) = seed_builtin_decks(FIXED_NOW)
    assert (report.updated, report.removed) == (1, 1)
    db.session.expire_all()
    for word in kept:
        card = db.session.get(Card, reviewed[word])
        assert card is not None and card.reps == 1
        assert db.session.scalar(select(func.count(ReviewLog.id)).where(ReviewLog.card_id == card.id)) == 1
    assert db.session.scalar(select(Term.english).where(Term.simplified == kept[0])) == "a corrected gloss"
    assert db.session.get(Card, reviewed[dropped]) is None


def test_a_broken_deck_file_names_the_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("\t".join(deck_files.COLUMNS) + "\n过年\t過年\tguònián\n", encoding="utf-8")
    with pytest.raises(deck_files.DeckFileError, match="bad.tsv:2: expected 8 columns"):
        deck_files.read_deck_file(path)
