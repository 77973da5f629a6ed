"""/, /healthz, and the study pages not built yet."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from app.extensions import db
from app.main import bp
from app.models import utcnow
from app.services.decks import deck_summaries


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template("main/home.html", summaries=deck_summaries(current_user, utcnow()))


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers and orchestrators)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


# Pages whose features arrive with later issues; each says so plainly instead of pretending.
_COMING = {
    "progress": ("Progress", "Your progress dashboard with charts"),
    "classes": ("Classes", "Classes, join codes and class progress"),
}


def _coming_soon(name: str):
    title, feature = _COMING[name]
    return render_template("main/coming.html", title=title, feature=feature)


for _name in _COMING:
    bp.add_url_rule(f"/{_name}", _name, login_required(lambda _n=_name: _coming_soon(_n)))
