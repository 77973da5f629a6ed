"""/decks and /decks/<id>."""
from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from app import clock
from app.decks import bp
from app.extensions import db
from app.models import DeckStudy
from app.services.decks import deck_summaries, get_visible_deck
from app.services.study import PRIORITIES


@bp.route("")
@login_required
def index():
    return render_template("decks/index.html", summaries=deck_summaries(current_user, clock.now()))


@bp.route("/<int:deck_id>")
@login_required
def show(deck_id: int):
    deck = get_visible_deck(current_user, deck_id)
    study = db.session.scalar(
        select(DeckStudy).where(DeckStudy.user_id == current_user.id, DeckStudy.deck_id == deck.id)
    )
    return render_template("decks/show.html", deck=deck, study=study, priorities=PRIORITIES)
