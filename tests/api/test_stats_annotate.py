"""Statistics in the learner's own days, and annotating text."""
from datetime import datetime, timedelta, timezone

from app.extensions import db
from app.models import User
from tests.helpers import is_problem

SHANGHAI_NOON = datetime(2026, 11, 21, 4, 0, tzinfo=timezone.utc)  # 12:00 in Shanghai


def test_stats_count_today_retention_and_streak_in_the_learners_days(learner, deck_id, session, clock):
    user = session.scalars(db.select(User)).one()
    user.timezone = "Asia/Shanghai"
    session.commit()
    clock.now = SHANGHAI_NOON
    learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition"]})
    cards = [c["id"] for c in learner.get(f"/decks/{deck_id}/cards").json["cards"]]
    hour = timedelta(hours=1)
    # Three study days in a row in Shanghai (days turn over at 4 a.m. local = 20:00 UTC):
    reviews = [
        (cards[0], 4, SHANGHAI_NOON - timedelta(days=2)),  # 2 days ago; Easy: straight to review
        (cards[0], 3, SHANGHAI_NOON - timedelta(days=1)),  # yesterday
        (cards[1], 3, SHANGHAI_NOON - 9 * hour),  # 03:00 local today: still yesterday's study day
        (cards[2], 3, SHANGHAI_NOON - 7 * hour),  # 05:00 local: today
        (cards[3], 4, SHANGHAI_NOON - hour),
    ]
    batch = [{"card_id": c, "rating": r, "client_review_id": f"s{i}", "reviewed_at": at.isoformat()}
             for i, (c, r, at) in enumerate(reviews)]
    assert learner.post("/reviews", {"reviews": batch}).status_code == 200
    stats = learner.get("/stats").json
    assert stats["reviews_today"] == 2 and stats["streak_days"] == 3
    # The only review of a card in review state was the second one of card 0, recalled: 100 %.
    assert stats["retention_30d"] == 1.0
    assert stats["cards_by_state"]["new"] == 1 and sum(
        stats["cards_by_state"][s] for s in ("new", "learning", "review", "relearning")) == 5
    assert stats["due_today"] >= 1

    clock.now = SHANGHAI_NOON + timedelta(days=2)  # a study day with no review breaks the streak
    assert learner.get("/stats").json["streak_days"] == 0


def test_stats_for_a_learner_with_no_reviews(learner):
    assert learner.get("/stats").json == {
        "reviews_today": 0, "due_today": 0, "retention_30d": None, "streak_days": 0,
        "cards_by_state": {"new": 0, "learning": 0, "review": 0, "relearning": 0, "suspended": 0}}


def test_annotating_text_gives_words_with_pinyin_english_and_level(learner, anon):
    tokens = learner.post("/annotate", {"text": "我要回家过年。"}).json["tokens"]
    assert [t["text"] for t in tokens][:2] == ["我", "要"]
    wo = tokens[0]
    assert wo["pinyin"] == "wǒ" and wo["pinyin_numbers"] == "wo3" and "I" in wo["english"] and wo["hsk"] == 1
    assert set(tokens[-1]) >= {"text", "pinyin", "pinyin_numbers", "english", "hsk"}
    assert is_problem(learner.post("/annotate", {"text": "好" * 20_001}), 413)
    assert is_problem(learner.post("/annotate", {}), 400)
    assert is_problem(anon.post("/annotate", {"text": "好"}), 401)


def test_a_term_another_worker_added_segments_whole_and_the_review_loop_never_looks(learner, deck_id, app, session):
    """Another gunicorn worker adds 回乡票 (a deck term jieba would split): it commits the term and a new
    terms version, and this process learns of it only through the database. The next request that
    segments reads the version and keeps the word whole; the review loop, which never segments, never
    reads it."""
    from sqlalchemy import event

    from app.models import Term
    from app.services import vocabulary

    def words(text):
        return [t["text"] for t in learner.post("/annotate", {"text": text}).json["tokens"]]

    assert words("我们买回乡票。") == ["我们", "买", "回", "乡", "票", "。"]
    session.add(Term(deck_id=deck_id, simplified="回乡票", pinyin="huíxiāngpiào", english="a ticket home", position=9))
    vocabulary.terms_changed()
    session.commit()

    statements = []
    listener = lambda conn, cursor, sql, *args: statements.append(sql)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        learner.post(f"/decks/{deck_id}/study", {"directions": ["recognition"]})
        card = learner.get("/review/next").json["card"]
        assert learner.post("/reviews", {"reviews": [
            {"card_id": card["id"], "rating": 3, "client_review_id": "r1"}]}).status_code == 200
        assert statements and not [s for s in statements if "terms_version" in s]
        assert words("我们买回乡票。") == ["我们", "买", "回乡票", "。"]
        assert len([s for s in statements if "terms_version" in s]) == 1
        words("回乡票卖完了。")  # the same version: nothing more to learn, one cheap look per request
        assert len([s for s in statements if "terms_version" in s]) == 2
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
