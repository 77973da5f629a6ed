"""/reader: read Chinese with every word tappable, keep texts, and add words and sentences to study."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app import clock
from app.edge import accepts_json, parse_id
from app.extensions import db
from app.models import Deck
from app.reader import bp
from app.services import authoring, classes, imports, reading, speech, texts
from app.templating import hanzi_tones, pinyin_tones


class ReaderForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=texts.TITLE_MAX)],
                        description="Optional; saved texts are listed by it.")
    text = TextAreaField("Chinese text", validators=[
        DataRequired("Paste some Chinese text."),
        Length(max=reading.TEXT_MAX, message=f"At most {reading.TEXT_MAX:,} characters at a time."),
    ])
    read = SubmitField("Read")
    save = SubmitField("Save and read")


@bp.route("/reader", methods=["GET", "POST"])
@login_required
def read():
    """Paste a text and read it (or keep it); below, the learner's saved texts."""
    form = ReaderForm()
    if form.validate_on_submit():
        if form.save.data:
            text = texts.create_text(current_user, form.title.data or "", form.text.data, clock.now())
            flash(f"Saved “{text.title}”: it is in your texts below the reader.", "success")
            return redirect(url_for("reader.show", text_id=text.id))
        annotation = reading.annotate(texts.clean(form.text.data))
        return _render_reading(annotation, form=form)
    status = 400 if form.is_submitted() else 200
    known = reading.knowledge(current_user)
    return render_template("reader/index.html", form=form, summaries=texts.texts_for(current_user, known)), status


@bp.route("/reader/texts/<int:text_id>")
@login_required
def show(text_id: int):
    text = texts.get_visible_text(current_user, text_id, with_annotation=True)
    return _render_reading(texts.annotation_of(text), text=text)


def _render_reading(annotation: dict, *, text=None, form=None):
    layout = reading.reading(annotation, current_user)
    buttons = [_word_button(number, word) for number, word in enumerate(layout.words)]
    sharing = None
    if text is not None and text.owner_id == current_user.id and current_user.is_instructor:
        sharing = {"decks": db.session.scalars(select(Deck).where(Deck.owner_id == current_user.id)
                                               .order_by(Deck.title)).all(),
                   "classes": classes.classes_taught(current_user),
                   "shared": {s.classroom_id for s in text.shares}}
    return render_template("reader/read.html", form=form, text=text, reading=layout, buttons=buttons,
                           study_words=reading.study_words(annotation, layout), sharing=sharing,
                           word_audio=[speech.audio_url(w["simplified"]) for w in layout.words],
                           sentence_audio=[speech.audio_url(s) for s in layout.sentences])


def _word_button(number: int, word: dict) -> Markup:
    """A word of the text: a button holding one ruby, its class saying what the learner knows of it.
    Made once per distinct word (a 5,000-character text has ~3,000 tokens but ~1,000 words), not
    in the template's loop over tokens."""
    kind = " name" if word["kind"] == "name" else ""
    return Markup(f'<button type="button" class="w st-{word["state"]}{kind}" data-w="{number}"><ruby>'
                  f'{hanzi_tones(word["hanzi"], word["pinyin"])}<rt>{pinyin_tones(word["pinyin"])}</rt></ruby></button>')


@bp.route("/reader/texts/<int:text_id>/delete", methods=["POST"])
@login_required
def delete(text_id: int):
    title = texts.delete_text(current_user, text_id)
    flash(f"Deleted “{title}”.", "success")
    return redirect(url_for("reader.read"))


@bp.route("/reader/texts/<int:text_id>/share", methods=["POST"])
@login_required
def share(text_id: int):
    """Instructors: attach the text to one of their decks and share it with their classes."""
    deck = request.form.get("deck_id", "")
    deck_id = parse_id(deck) if deck else None
    class_ids = [parse_id(c) for c in request.form.getlist("class_id")]
    if (deck and deck_id is None) or None in class_ids:
        abort(400, description="Choose a deck and classes from the lists.")
    texts.share_text(current_user, text_id, deck_id, class_ids)
    flash("Sharing saved.", "success")
    return redirect(url_for("reader.show", text_id=text_id))


@bp.route("/reader/words", methods=["POST"])
@login_required
@accepts_json
def add_word():
    """The popover's "add to my words": one word, with its reading, meaning and sentence (JSON)."""
    data = _json()
    term, added = authoring.add_my_word(current_user, data.get("word", ""), clock.now(), pinyin=data.get("pinyin", ""),
                                        english=data.get("english", ""), context=data.get("context", ""))
    message = f"Added {term.simplified} to My words." if added else f"{term.simplified} is already in My words."
    return jsonify({"added": added, "word": term.simplified, "study_state": reading.StudyState.LEARNING.value,
                    "message": message, "deck_url": url_for("decks.show", deck_id=term.deck_id)}), 201 if added else 200


@bp.route("/reader/sentences", methods=["POST"])
@login_required
@accepts_json
def save_sentence():
    """The popover's "save as a cloze card": the sentence with the tapped word hidden (JSON)."""
    data = _json()
    term = authoring.save_sentence(current_user, data.get("sentence", ""), data.get("word", ""), clock.now())
    return jsonify({"word": term.simplified, "message": f"Saved to My sentences with {term.simplified} hidden.",
                    "deck_url": url_for("decks.show", deck_id=term.deck_id)}), 201


def _json() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        abort(400, description="Send a JSON object of strings.")
    return data


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
    terms = imports.import_terms(current_user, deck.id, items, now, source="reader",
                                 duplicates=imports.Duplicates.SKIP).added if items else []
    if not terms:
        flash("Tick the words you want to learn; words already in My words are skipped.", "info")
        return redirect(url_for("reader.read"))
    flash(authoring.added_message(current_user, terms, now), "success")
    return redirect(url_for("decks.show", deck_id=deck.id))
