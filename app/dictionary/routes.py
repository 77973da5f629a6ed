"""/dictionary: search, a word's page, and adding the word to My words from there."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import vocab
from app import clock
from app.dictionary import bp
from app.services import authoring, dictionary, reading

RESULTS = 30


@bp.route("/dictionary")
@login_required
def search():
    query = request.args.get("q", "").strip()
    known = reading.knowledge(current_user)
    matches = dictionary.search(query, RESULTS) if query else []
    return render_template("dictionary/search.html", query=query, matches=matches, known=known,
                           script=current_user.script.value, query_max=vocab.SEARCH_QUERY_MAX)


@bp.route("/dictionary/<word>")
@login_required
def entry(word: str):
    page = dictionary.word_page(current_user, word)
    return render_template("dictionary/entry.html", page=page, script=current_user.script.value)


@bp.route("/dictionary/<word>/add", methods=["POST"])
@login_required
def add(word: str):
    """Add the word (with the reading chosen on its page) to My words, with an example sentence."""
    term, added = authoring.add_my_word(current_user, word, clock.now(), pinyin=request.form.get("pinyin", ""),
                                        english=request.form.get("english", ""),
                                        context=request.form.get("context", ""))
    if added:
        flash(f"Added {term.simplified} to My words: it is in your reviews now.", "success")
    else:
        flash(f"{term.simplified} is already in My words.", "info")
    return redirect(url_for("dictionary.entry", word=word))
