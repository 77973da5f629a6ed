"""The yardstick of bench/review_load.py: a minimal Flask endpoint doing one indexed UPDATE and one
SELECT on the same database, served by the same gunicorn settings. What a review costs beyond that is
Guitu's own work.

    gunicorn -c gunicorn.conf.py bench.reference_app:app   (DATABASE_URL as for Guitu)
"""
from __future__ import annotations

import os

from flask import Flask, jsonify
from sqlalchemy import create_engine, text

from app.config import normalise_database_url

ROWS = 64

app = Flask(__name__)
_engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)


def _setup() -> None:
    with _engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS bench_reference (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        if not connection.execute(text("SELECT count(*) FROM bench_reference")).scalar():
            connection.execute(text("INSERT INTO bench_reference (id, n) VALUES (:id, 0)"),
                               [{"id": i} for i in range(1, ROWS + 1)])


_setup()
_engine.dispose()  # the master loaded the app (preload): each worker opens its own connections


@app.get("/healthz")
def healthz():
    return "ok"


@app.post("/reference/<int:row>")
def reference(row: int):
    with _engine.begin() as connection:
        connection.execute(text("UPDATE bench_reference SET n = n + 1 WHERE id = :id"), {"id": row % ROWS + 1})
        n = connection.execute(text("SELECT n FROM bench_reference WHERE id = :id"), {"id": row % ROWS + 1}).scalar()
    return jsonify(n=n)
