"""/ and /healthz."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from app import clock
from app.errors import RETRY_AFTER_SECONDS
from app.extensions import db
from app.main import bp
from app.services import study
from app.services.decks import deck_summaries


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    now = clock.now()
    return render_template("main/home.html", summaries=deck_summaries(current_user, now),
                           remaining=study.counts(current_user, now))


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers and orchestrators)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return {"status": "ok", "database": "ok"}, 200

