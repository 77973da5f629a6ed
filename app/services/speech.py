"""Audio of Chinese text: made once per text by vocab's speech engine, kept on disk, named by signed URLs.

An audio URL carries its text signed with the app's secret key, so the server only ever speaks text
it chose to give a URL for (a term, an example sentence), anyone holding the URL may fetch it (the
`<audio>` element and API clients alike, with no cookie or token), and no database row is needed.
Files are named by a hash of the engine and the text, written atomically, so racing workers agree.
"""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

import vocab
from app import limits
from app.services import NotFound

_SALT = "guitu-audio"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


@functools.lru_cache(maxsize=4096)
def _signed(secret: str, text: str) -> str:
    """The URL token of a text: the same for every request (every review card names its word's audio)."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(text)


def audio_url(text: str | None, *, external: bool = False) -> str | None:
    """The URL of the text read aloud, or None when there is no Chinese in it (or it is too long to read)."""
    text = (text or "").strip()
    if not vocab.can_speak(text) or len(text) > limits.SPOKEN_TEXT:
        return None
    return url_for("audio.speak", token=_signed(current_app.config["SECRET_KEY"], text), _external=external)


def text_of(token: str) -> str:
    """The text an audio URL names; NotFound for a token this server did not sign."""
    try:
        text = _serializer().loads(token)
    except BadSignature:
        raise NotFound("No such audio.") from None
    if not isinstance(text, str) or not vocab.can_speak(text) or len(text) > limits.SPOKEN_TEXT:
        raise NotFound("No such audio.")
    return text


def audio_file(text: str) -> Path:
    """The WAV file of the text, made now if it is not on disk yet."""
    digest = hashlib.sha256(f"{vocab.SPEECH_ENGINE}\0{text}".encode()).hexdigest()
    path = Path(current_app.config["AUDIO_CACHE_DIR"]) / digest[:2] / f"{digest}.wav"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = vocab.synthesize(text)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # atomic: a reader sees no file or the whole file
    return path
