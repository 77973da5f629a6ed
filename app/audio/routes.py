"""GET /audio/<token>.wav: the signed text's speech, made once and cached on disk and in browsers."""
from __future__ import annotations

from flask import send_file

from app.audio import bp
from app.services import speech

ONE_YEAR = 365 * 24 * 3600


@bp.route("/audio/<token>.wav")
def speak(token: str):
    """The file never changes for a URL (the URL names the text and the server's key), so browsers and
    proxies may keep it a year without asking again."""
    path = speech.audio_file(speech.text_of(token))
    response = send_file(path, mimetype="audio/wav", conditional=True, etag=True, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
