"""/reader, and adding words from it to the learner's own deck."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

import vocab
from app import clock, limits
from app.reader import bp
from app.services import authoring


class ReaderForm(FlaskForm):
    text = TextAreaField("Chinese text", validators=[
        DataRequired("Paste some Chinese text."),
        Length(max=limits.READER_TEXT, message=f"At most {limits.READER_TEXT:,} characters at a time."),
    ])


@bp.route("/reader", methods=["GET", "POST"])
@login_required
def read():
    form = ReaderForm()
    tokens, words, status = None, None, 200
    if form.validate_on_submit():
        tokens = vocab.annotate(form.text.data)
        words = vocab.extract_terms(form.text.data, limit=300)
    elif form.is_submitted():
        status = 400
    return render_template("reader/read.html", form=form, tokens=tokens, words=words,
                           TokenKind=vocab.TokenKind), status


@bp.route("/reader/add", methods=["POST"])
@login_required
def add_words():
    """Add the ticked words to "My words", each with the sentence it came from; all or nothing."""
    words, contexts = request.form.getlist("word"), request.form.getlist("context")
    chosen = set(request.form.getlist("add"))
    if len(words) != len(contexts):
        abort(400, description="The word list was incomplete; annotate the text again.")
    items = [{"hanzi": w, "example_zh": c} for w, c in zip(words, contexts) if w in chosen]
    now = clock.now()
    deck = authoring.personal_deck(current_user, now) if items else None
    terms = authoring.add_terms(current_user, deck.id, items, now, source="reader", skip_existing=True) if items else []
    if not terms:
        flash("Tick the words you want to learn; words already in My words are skipped.", "info")
        return redirect(url_for("reader.read"))
    flash(authoring.added_message(current_user, terms, now), "success")
    return redirect(url_for("decks.show", deck_id=deck.id))
