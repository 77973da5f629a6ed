"""Every worker's segmenter knows every deck term: loaded on a process's first request and refreshed
when terms change.

vocab.add_words changes one process's memory, and gunicorn runs several processes. So whatever adds or
changes terms also gives the one-row terms_version table a new number in the same transaction, and
every process reads that number (one primary-key lookup) before each request, teaching its segmenter
the words it has not seen whenever the number changed.
"""
from __future__ import annotations

import secrets
import threading

from sqlalchemy import select

import vocab
from app.extensions import db
from app.models import Term, TermsVersion, dialect_insert

_lock = threading.Lock()
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


def refresh() -> None:
    """Teach this process's segmenter every deck term, when terms changed since it last looked."""
    version = db.session.scalar(_VERSION) or 0
    if version == _seen_version[0]:
        return
    with _lock:
        if version == _seen_version[0]:
            return
        words = set()
        for simplified, traditional in db.session.execute(select(Term.simplified, Term.traditional).distinct()):
            words.update(w for w in (simplified, traditional) if w)
        new = words - _loaded
        vocab.add_words(new)
        _loaded.update(new)
        _seen_version[0] = version
