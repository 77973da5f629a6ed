"""Kill -9 under load: reviews from 8 clients through the JSON API while gunicorn workers are killed with
SIGKILL every few seconds. Every review the server acknowledged must be in the database exactly once.

Builds a fresh database through the migrations (a temporary SQLite file by default; --database-url for
PostgreSQL, an empty database, or --reset to drop every table in it first), gives each client its own
learner and cards, serves the app with gunicorn, and runs for --seconds. A client whose request dies
with its worker sends the same review again (same client_review_id) until the server answers. Prints

    acknowledged N, lost L, doubled D

and exits non-zero unless lost and doubled are both 0. Only 127.0.0.1 is ever contacted.

    .venv/bin/python bench/fault.py
    .venv/bin/python bench/fault.py --reset --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_fault
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select  # noqa: E402

from app import config, create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Card,
    Deck,
    ReviewLog,
    Term,
    User,
    utcnow,  # noqa: E402
)
from app.services import accounts, study, tokens  # noqa: E402
from bench.server import drop_everything, free_port, serve, workers_of  # noqa: E402
from bench.server import stop as stop_server  # noqa: E402

WORDS = 300  # terms in the deck every client studies


def prepare(url: str, clients: int) -> list[str]:
    """Schema, a deck, and one learner per client studying it; returns their API tokens."""
    from flask_migrate import upgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=tempfile.mkdtemp(prefix="guitu-fault-"))
    with app.app_context():
        upgrade()
        deck = Deck(title="Fault deck", builtin=True)
        deck.terms = [Term(simplified=f"词{i}", english=f"word {i}", position=i) for i in range(WORDS)]
        db.session.add(deck)
        db.session.commit()
        issued = []
        for n in range(clients):
            user = accounts.create_user(f"fault{n}", "correct horse battery")
            user.new_cards_per_day = 10_000
            study.start_deck(user, deck, utcnow(), ["recognition"])
            issued.append(tokens.issue_token(user, utcnow())[0])
        db.engine.dispose()
    return issued


class Client(threading.Thread):
    """One learner reviewing as fast as the server answers; a review is retried (same id) until answered."""

    def __init__(self, base: str, token: str, stop: threading.Event, seed: int):
        super().__init__(daemon=True)
        self.base, self.stop, self.rng = base, stop, random.Random(seed)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.acknowledged: set[str] = set()  # client_review_ids the server answered 200 for
        self.sent: set[str] = set()
        self.outcomes = Counter()

    def call(self, method: str, path: str, **kwargs):
        """The server's answer, retrying while the connection dies with a killed worker."""
        while not self.stop.is_set():
            try:
                response = self.session.request(method, self.base + path, timeout=15, **kwargs)
            except requests.RequestException:
                self.outcomes["connection lost"] += 1
                time.sleep(0.05)
                continue
            self.outcomes[response.status_code] += 1
            return response
        return None

    def run(self):
        while not self.stop.is_set():
            shown = self.call("GET", "/api/v1/review/next")
            if shown is None or shown.status_code != 200:
                time.sleep(0.1)
                continue
            card = shown.json()["card"]
            review_id = uuid.uuid4().hex
            self.sent.add(review_id)
            item = {"card_id": card["id"], "rating": self.rng.choice((1, 2, 3, 3, 3, 4)), "client_review_id": review_id,
                    "version": card["version"]}
            answer = self.call("POST", "/api/v1/reviews", json={"reviews": [item]})
            if answer is not None and answer.status_code == 200 and answer.json()["results"][0]["applied"]:
                self.acknowledged.add(review_id)


def verify(url: str, clients: list[Client]) -> tuple[int, int, int]:
    """(acknowledged, lost, doubled): acknowledged reviews missing from the database, and reviews recorded
    more than once (a log no client sent, a repeated id, or a card whose reps disagree with its logs)."""
    engine = create_engine(config.normalise_database_url(url))
    with engine.connect() as connection:
        users = select(User.id).where(User.username.like("fault%"))
        logs = connection.execute(select(ReviewLog.client_review_id).where(ReviewLog.user_id.in_(users))).scalars().all()
        disagreeing = connection.scalar(
            select(func.count()).select_from(Card).where(
                Card.user_id.in_(users),
                Card.reps != select(func.count(ReviewLog.id)).where(ReviewLog.card_id == Card.id).scalar_subquery()))
    engine.dispose()
    acknowledged = set().union(*(c.acknowledged for c in clients))
    sent = set().union(*(c.sent for c in clients))
    recorded = Counter(logs)
    lost = len(acknowledged - set(recorded))
    doubled = sum(n - 1 for n in recorded.values()) + len(set(recorded) - sent) + disagreeing
    return len(acknowledged), lost, doubled


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--reset", action="store_true", help="drop every table in the database first")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=3.0, help="seconds between two SIGKILLs")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='guitu-fault-')) / 'fault.sqlite3'}"
    if args.reset:
        drop_everything(url)
    tokens_ = prepare(url, args.clients)
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="guitu-fault-gunicorn-", suffix=".log", delete=False)
    server = serve(url, args.workers, port, log, env={"GUNICORN_TIMEOUT": "30"})
    stop = threading.Event()
    clients = [Client(f"http://127.0.0.1:{port}", token, stop, seed=n) for n, token in enumerate(tokens_)]
    kills = 0
    try:
        for client in clients:
            client.start()
        deadline = time.monotonic() + args.seconds
        rng = random.Random(1)
        while time.monotonic() < deadline:
            time.sleep(min(args.kill_every, max(0.0, deadline - time.monotonic())))
            victims = workers_of(server.pid)
            if victims and time.monotonic() < deadline:
                os.kill(rng.choice(victims), signal.SIGKILL)
                kills += 1
        # Let requests in flight finish (retries included) before looking at the database.
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join(timeout=30)
    finally:
        stop.set()
        stop_server(server)
    acknowledged, lost, doubled = verify(url, clients)
    outcomes = sum((c.outcomes for c in clients), Counter())
    server_errors = sum(n for status, n in outcomes.items() if isinstance(status, int) and status >= 500)
    print(f"database: {url.split('@')[-1]}; {args.clients} clients, {args.workers} gunicorn workers, "
          f"{kills} workers killed with SIGKILL in {args.seconds:.0f} s")
    print(f"requests: {sum(outcomes.values())} ({', '.join(f'{k}: {v}' for k, v in sorted(outcomes.items(), key=str))}); "
          f"5xx: {server_errors}")
    print(f"acknowledged {acknowledged}, lost {lost}, doubled {doubled}")
    log.close()
    if lost or doubled or server_errors or not acknowledged or not kills:
        print(f"FAILED (gunicorn's log: {log.name})", file=sys.stderr)
        return 1
    os.unlink(log.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
