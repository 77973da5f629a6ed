"""Time one learner's optimisation on 10,000 reviews, as the background worker runs it.

Builds a fresh database through the migrations (a temporary SQLite file by default; --database-url for
PostgreSQL, which must be empty, or pass --reset), records a simulated learner's reviews through the
study service (the same path as the review screen and offline sync), queues an optimisation and times
the worker: reading the history, the six fsrs-rs fits of the time-series evaluation and the final fit,
scoring, and recording the result. Prints the figures too.

    .venv/bin/python bench/optimize.py
    .venv/bin/python bench/optimize.py --reviews 50000
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Card, Deck, FitStatus, SchedulerFit, Term, User  # noqa: E402
from app.services import accounts, fit_worker, personal_scheduler, scheduler_fit, study  # noqa: E402
from app.services.sync import ReviewItem, apply_reviews  # noqa: E402
from bench.dashboard import NOW, ensure_empty  # noqa: E402
from tests.simulated_learner import offline_history  # noqa: E402


def build(reviews: int, seed: int) -> int:
    """A learner with about `reviews` reviews over a year; returns the user id."""
    from flask_migrate import upgrade

    upgrade()
    user = accounts.create_user("bench", "correct horse battery")
    terms = max(20, reviews // 24)  # about 12 reviews a card over a year, two directions a term
    deck = Deck(title="Bench deck", builtin=True)
    deck.terms = [Term(simplified=f"词{i}", english=f"word {i}", position=i) for i in range(terms)]
    db.session.add(deck)
    db.session.commit()
    begin = NOW - timedelta(days=366)
    study.start_deck(user, deck, begin)
    card_ids = db.session.scalars(select(Card.id).where(Card.user_id == user.id).order_by(Card.id)).all()
    history = offline_history(card_ids, begin, 365, seed=seed)[:reviews]
    for i in range(0, len(history), 1000):
        apply_reviews(user, [ReviewItem(**r) for r in history[i:i + 1000]], NOW)
    return user.id


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="default: a temporary SQLite file")
    ap.add_argument("--reset", action="store_true", help="drop every table of --database-url first")
    ap.add_argument("--reviews", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5, help="timed optimisations (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="guitu-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        ensure_empty(url, args.reset)
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=f"{tmp}/instance")
        with app.app_context():
            t0 = time.perf_counter()
            user_id = build(args.reviews, args.seed)
            user = db.session.get(User, user_id)
            history = scheduler_fit.load_history(user)
            print(f"{db.engine.dialect.name}: {history.reviews} reviews of {len(history.cards)} cards over a year, "
                  f"{len(scheduler_fit.targets(history))} of them a day or more after the card's previous one "
                  f"(built in {time.perf_counter() - t0:.1f} s)")

            times, load_times = [], []
            for _ in range(args.runs):
                db.session.execute(delete(SchedulerFit))
                user.fsrs_parameters = None
                db.session.commit()
                t0 = time.perf_counter()
                scheduler_fit.load_history(user)
                load_times.append(time.perf_counter() - t0)
                personal_scheduler.request_optimization(user, NOW)  # queued (FSRS_OPTIMIZER=external)
                t0 = time.perf_counter()
                assert fit_worker.run_pending(now=NOW) == 1
                times.append(time.perf_counter() - t0)
            fit = db.session.scalars(select(SchedulerFit)).one()
            assert fit.status == FitStatus.DONE.value, fit.error
            print(f"optimisation, whole job (read history, 6 fits, score, record): mean {statistics.mean(times):.2f} s, "
                  f"min {min(times):.2f} s, max {max(times):.2f} s (n={args.runs})")
            print(f"  of which reading the history: mean {statistics.mean(load_times):.2f} s")
            print(f"log loss {fit.log_loss_default:.4f} (defaults) -> {fit.log_loss_fitted:.4f} (fitted); "
                  f"RMSE (bins) {fit.rmse_default:.4f} -> {fit.rmse_fitted:.4f}; kept: {fit.accepted}")
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
