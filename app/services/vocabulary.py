"""Every worker's segmenter knows every deck term: loaded on a process's first use and refreshed when
terms change.

vocab.add_words changes one process's memory, and gunicorn runs several processes. So whatever adds or
changes terms also gives the one-row terms_version table a new number in the same transaction, and
in every request that segments, the process reads that number (one primary-key lookup) before the
segmenter's first use, teaching it the words it has not seen whenever the number changed. Requests
that never segment (the review loop, most of the API) never read it.
"""
from __future__ import annotations

import secrets

from flask import has_app_context
from sqlalchemy import select

import vocab
from app.extensions import db, rows
from app.models import Term, TermsVersion, dialect_insert

_loaded: set[str] = set()  # the words this process has given vocab.add_words
_seen_version: list[int | None] = [None]


def terms_changed() -> None:
    """Note, in the caller's transaction, that deck terms were added or changed."""
    version = secrets.randbits(62)
    db.session.execute(
        dialect_insert(TermsVersion).values(id=1, version=version)
        .on_conflict_do_update(index_elements=["id"], set_={"version": version})
    )


_VERSION = select(TermsVersion.version).where(TermsVersion.id == 1)


def init_app(app) -> None:
    """Check for new terms before the segmenter's first use in each request (see the module's text)."""
    vocab.set_word_source(refresh)
    app.before_request(vocab.words_may_have_changed)


def refresh() -> bool:
    """Teach this process's segmenter every deck term, when terms changed since it last looked.
    Outside an app context there is nothing to look in: False. vocab runs it under the segmenter's
    lock, one thread at a time."""
    if not has_app_context():
        return False
    with db.session.no_autoflush:  # it may run in the middle of a caller's work: read, never flush
        version = rows(_VERSION).scalar() or 0
        if version == _seen_version[0]:
            return True
        forms = rows(select(Term.simplified, Term.traditional).distinct()).all()
    new = {word for pair in forms for word in pair if word} - _loaded
    vocab.add_words(new)
    _loaded.update(new)
    _seen_version[0] = version
    return True
