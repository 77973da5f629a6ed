"""The review loop under a classroom's load, against the cost of a bare UPDATE.

Builds a fresh database (a temporary SQLite file, or --database-url for PostgreSQL), serves Guitu with
gunicorn (gunicorn.conf.py: the language core loaded before forking), creates --learners learners
through the API, each studying the built-in deck, and runs --clients concurrent clients, each
looping `GET /api/v1/review/next` then `POST /api/v1/reviews` for --seconds (a learner whose queue is
empty hands over to the next). Then serves bench/reference_app.py (one indexed UPDATE and one SELECT)
with the same settings and runs the same clients against it. Prints reviews per second, p50 / p95 /
p99 of each call, the ratio to the reference, SQL statements per call and the memory of each worker.

    .venv/bin/python bench/review_load.py
    .venv/bin/python bench/review_load.py --reset --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_load
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import drop_everything, free_port, memory_mb, serve, stop, workers_of  # noqa: E402

PASSWORD = "correct horse battery"


def prepare_database(url: str) -> None:
    """The schema through the migrations, and the built-in decks."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.models import utcnow
    from app.services.seed import seed_builtin_decks

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=tempfile.mkdtemp(prefix="guitu-load-"))
    with app.app_context():
        upgrade()
        seed_builtin_decks(utcnow())
        db.engine.dispose()


def enroll(base: str, learners: int) -> list[str]:
    """Learners made through the API, each studying the built-in deck; their tokens."""
    session = requests.Session()
    out = []
    deck_id = None
    for n in range(learners):
        name = f"load{n}-{uuid.uuid4().hex[:6]}"
        assert session.post(f"{base}/api/v1/users", json={"username": name, "password": PASSWORD}).status_code == 201
        token = session.post(f"{base}/api/v1/tokens", auth=(name, PASSWORD)).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        # Every card of the deck may be introduced today, so the learners never run out of work.
        assert session.patch(f"{base}/api/v1/me", headers=headers, json={"new_cards_per_day": 1000}).ok
        if deck_id is None:
            decks = session.get(f"{base}/api/v1/decks", headers=headers).json()["decks"]
            deck_id = next(d["id"] for d in decks if d["builtin"])
        started = session.post(f"{base}/api/v1/decks/{deck_id}/study", headers=headers, json={})
        assert started.status_code in (200, 201), started.text
        out.append(token)
    return out


def _review_client(base: str, tokens: list[str], seconds: float, results) -> None:
    session = requests.Session()
    nexts, posts, reviews, errors = [], [], 0, 0
    started = time.monotonic()
    deadline = started + seconds
    queue = list(tokens)
    while queue and time.monotonic() < deadline:
        session.headers["Authorization"] = f"Bearer {queue[0]}"
        t0 = time.perf_counter()
        shown = session.get(f"{base}/api/v1/review/next")
        nexts.append(time.perf_counter() - t0)
        if shown.status_code == 204:
            queue.pop(0)  # nothing due for this learner today: the next one takes over
            continue
        if shown.status_code != 200:
            errors += 1
            continue
        card = shown.json()["card"]
        item = {"card_id": card["id"], "rating": 3, "client_review_id": uuid.uuid4().hex, "version": card["version"],
                "reviewed_at": datetime.now(timezone.utc).isoformat()}
        t0 = time.perf_counter()
        answer = session.post(f"{base}/api/v1/reviews", json={"reviews": [item]})
        posts.append(time.perf_counter() - t0)
        if answer.status_code == 200:
            reviews += 1
        else:
            errors += 1
    results.put({"next": nexts, "post": posts, "reviews": reviews, "errors": errors,
                 "elapsed": time.monotonic() - started, "ran_out": not queue})


def _reference_client(base: str, row: int, seconds: float, results) -> None:
    session = requests.Session()
    times, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        answer = session.post(f"{base}/reference/{row}")
        times.append(time.perf_counter() - t0)
        errors += answer.status_code != 200
    results.put({"times": times, "errors": errors})


def run_clients(target, args_per_client: list[tuple]) -> list[dict]:
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=target, args=(*a, results)) for a in args_per_client]
    for p in procs:
        p.start()
    out = [results.get() for _ in procs]
    for p in procs:
        p.join()
    return out


def percentiles(values: list[float]) -> str:
    if not values:
        return "no calls"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms"


def sql_per_call(url: str) -> tuple[int, int]:
    """SQL statements of one `GET /review/next` and one `POST /reviews`, counted in-process on a copy
    of the benchmark's schema and deck."""
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db
    from app.models import Deck, utcnow
    from app.services import accounts, study, tokens

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=tempfile.mkdtemp(prefix="guitu-load-"))
    counted = []
    with app.app_context():
        user = accounts.create_user(f"counting-{uuid.uuid4().hex[:6]}", PASSWORD)
        deck = db.session.scalar(db.select(Deck).where(Deck.builtin.is_(True)))
        study.start_deck(user, deck, utcnow(), ["recognition", "recall"])
        token = tokens.issue_token(user, utcnow())[0]
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: counted.append(1))
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(2):  # the second round is the steady state (caches warm)
            counted.clear()
            card = client.get("/api/v1/review/next", headers=headers).get_json()["card"]
            n_next = len(counted)
            counted.clear()
            item = {"card_id": card["id"], "rating": 3, "client_review_id": uuid.uuid4().hex, "version": card["version"]}
            assert client.post("/api/v1/reviews", headers=headers, json={"reviews": [item]}).status_code == 200
            n_post = len(counted)
        db.engine.dispose()
    return n_next, n_post


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--reset", action="store_true", help="drop every table in the database first")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--learners", type=int, default=96)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='guitu-load-')) / 'load.sqlite3'}"
    if args.reset:
        drop_everything(url)
    prepare_database(url)
    log = tempfile.NamedTemporaryFile("w+", prefix="guitu-load-gunicorn-", suffix=".log", delete=False)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, args.workers, port, log)
    try:
        tokens_ = enroll(base, args.learners)
        shares = [tokens_[i::args.clients] for i in range(args.clients)]
        results = run_clients(_review_client, [(base, share, args.seconds) for share in shares])
        memory = [memory_mb(pid) for pid in workers_of(server.pid)]
    finally:
        stop(server)
    nexts = [t for r in results for t in r["next"]]
    posts = [t for r in results for t in r["post"]]
    reviews, errors = sum(r["reviews"] for r in results), sum(r["errors"] for r in results)

    port = free_port()
    reference = serve(url, args.workers, port, log, app="bench.reference_app:app")
    try:
        ref = run_clients(_reference_client, [(f"http://127.0.0.1:{port}", n, args.seconds) for n in range(args.clients)])
    finally:
        stop(reference)
    ref_times = [t for r in ref for t in r["times"]]
    ref_rate = len(ref_times) / args.seconds
    n_next, n_post = sql_per_call(url)
    log.seek(0)
    ready = [float(line.split(" ready ")[1].split(" s ")[0]) for line in log.read().splitlines()
             if " ready " in line and "after fork" in line]

    # Over the time the clients actually ran: a client whose learners all ran out of cards stops early.
    rate = reviews / max(r["elapsed"] for r in results)
    ran_out = sum(r["ran_out"] for r in results)
    print(json.dumps({"database": url.split("@")[-1], "workers": args.workers, "clients": args.clients,
                      "learners": args.learners, "seconds": args.seconds}))
    print(f"reviews per second      {rate:.1f}  ({reviews} reviews, {errors} errors)")
    if ran_out:
        print(f"WARNING: {ran_out} of {args.clients} clients ran out of cards before {args.seconds:g} s; "
              "the load was lighter than asked: raise --learners")
    print(f"GET /review/next        {percentiles(nexts)}")
    print(f"POST /reviews           {percentiles(posts)}")
    print(f"reference endpoint      {ref_rate:.1f} requests per second; {percentiles(ref_times)}; "
          f"{sum(r['errors'] for r in ref)} errors")
    print(f"ratio                   reviews/s = {100 * rate / ref_rate:.0f} % of the reference's requests/s")
    print(f"SQL statements          {n_next} per GET /review/next, {n_post} per POST /reviews")
    for i, m in enumerate(memory, 1):
        print(f"worker {i} memory         RSS {m.get('rss', 0):.0f} MB, PSS {m.get('pss', 0):.0f} MB, "
              f"private {m.get('uss', 0):.0f} MB")
    if ready:
        print(f"worker ready after fork max {max(ready):.3f} s over {len(ready)} workers")
    log.close()
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
