"""Time an instructor's class page (GET /classes/<id>) for a class of 40 learners with 50,000 reviews each.

Builds a fresh database through the migrations (a temporary SQLite file by default; --database-url for
PostgreSQL, which must be an empty database, or pass --reset to drop every table in it first): one
instructor, one class with a 1,000-word deck assigned with a daily target, and each learner studying
it in two directions with their review history over two years (bench/dashboard.py's generator). Then
times the page, its progress CSV and the class_progress() service through the Flask test client
after a warm-up:

    .venv/bin/python bench/class_page.py
    .venv/bin/python bench/class_page.py --reset --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_bench
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

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Classroom, DeckAssignment, Enrollment, Role, User  # noqa: E402
from app.services import accounts, classes  # noqa: E402
from bench.dashboard import NOW, add_deck, add_history, analyze, ensure_empty, signed_in, summary, time_page, timed  # noqa: E402


def build(*, learners: int, logs: int, terms: int, days: int, seed: int = 40) -> tuple[int, int]:
    """Schema, an instructor and their class, and every learner's history; (instructor id, class id)."""
    from flask_migrate import upgrade

    upgrade()
    rng = random.Random(seed)
    instructor = accounts.create_user("teacher", "correct horse battery", Role.INSTRUCTOR)
    classroom = Classroom(instructor_id=instructor.id, name="Bench class", join_code="BENCH40", created_at=NOW)
    db.session.add(classroom)
    deck = add_deck("Class deck", terms, builtin=False, owner_id=instructor.id)
    db.session.add(DeckAssignment(classroom=classroom, deck_id=deck.id, assigned_at=NOW - timedelta(days=days),
                                  daily_new=10, due_on=(NOW + timedelta(days=60)).date()))
    db.session.flush()
    for n in range(learners):
        learner = accounts.create_user(f"learner{n:02d}", "correct horse battery")
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=learner.id, joined_at=NOW - timedelta(days=days)))
        add_history(learner.id, deck, logs=logs, days=days, rng=rng)
    db.session.commit()
    analyze()
    return instructor.id, classroom.id


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="drop every table of --database-url first")
    ap.add_argument("--requests", type=int, default=20, help="timed requests per page (default: %(default)s)")
    ap.add_argument("--learners", type=int, default=40)
    ap.add_argument("--logs", type=int, default=50_000, help="reviews per learner (default: %(default)s)")
    ap.add_argument("--terms", type=int, default=1_000, help="two cards per term (default: %(default)s)")
    ap.add_argument("--days", type=int, default=730)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="guitu-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        ensure_empty(url, args.reset)
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=f"{tmp}/instance")
        with app.app_context():
            t0 = time.perf_counter()
            instructor_id, class_id = build(learners=args.learners, logs=args.logs, terms=args.terms, days=args.days)
            print(f"{db.engine.dialect.name}: built a class of {args.learners} learners, each with "
                  f"{args.terms * 2} cards and {args.logs} reviews, in {time.perf_counter() - t0:.1f} s")
            instructor = db.session.get(User, instructor_id)
            service = timed(lambda: classes.class_progress(instructor, class_id, NOW), args.requests)
            client = signed_in(app, instructor)
        results = [summary("class_progress() service", service)]
        for path in (f"/classes/{class_id}", f"/classes/{class_id}?sort=retention_30d&dir=desc",
                     f"/classes/{class_id}/progress.csv"):
            results.append(summary(f"GET {path}", time_page(client, path, args.requests)))
        print("\n".join(results))
        with app.app_context():
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
