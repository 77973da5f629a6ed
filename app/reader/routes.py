"""/reader."""
from flask import render_template
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

import vocab
from app.reader import bp

MAX_TEXT = 20_000


class ReaderForm(FlaskForm):
    text = TextAreaField("Chinese text", validators=[
        DataRequired("Paste some Chinese text."),
        Length(max=MAX_TEXT, message=f"At most {MAX_TEXT:,} characters at a time."),
    ])


@bp.route("/reader", methods=["GET", "POST"])
@login_required
def read():
    form = ReaderForm()
    tokens, status = None, 200
    if form.validate_on_submit():
        tokens = vocab.annotate(form.text.data)
    elif form.is_submitted():
        status = 400
    return render_template("reader/read.html", form=form, tokens=tokens, TokenKind=vocab.TokenKind), status
