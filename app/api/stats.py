"""GET /stats: the caller's reviews today, what is due, retention, streak and cards by state."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import StatsOut
from app.services.stats import learner_stats

bp = ApiBlueprint("api_stats", __name__, description="The caller's study statistics.")


@bp.route("/stats", methods=["GET"])
@bp.response(200, StatsOut)
@bp.problem(401, "No valid token")
def show():
    """Counted in the caller's study days (they turn over at 4 a.m. in the caller's timezone)."""
    return learner_stats(current_user(), now())
