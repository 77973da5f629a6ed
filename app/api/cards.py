"""GET /cards/<id>: one of the caller's cards with its FSRS state and recall probability now."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user, now
from app.api.schemas import CardDetailOut
from app.services import study

bp = ApiBlueprint("api_cards", __name__, description="The caller's cards.")


@bp.route("/cards/<int:card_id>", methods=["GET"])
@bp.response(200, CardDetailOut)
@bp.problem(401, "No valid token")
@bp.problem(404, "No such card, or another user's")
def show(card_id):
    """A card's schedule: due, stability (days), difficulty, state, reps, lapses, retrievability (0-1)."""
    user = current_user()
    card = study.get_own_card(user, card_id)
    card.retrievability = study.retrievability(user, card, now())
    return card
