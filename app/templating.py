"""Template filters: pinyin and characters coloured by tone (Pleco's convention), Chinese in the learner's
script, and CSP nonces for trusted SVG."""
from __future__ import annotations

import re
from functools import lru_cache

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup, escape

from app import limits
from app.services import script
from vocab.syllables import split_syllables

_VOWEL_START = tuple("aeoāáǎàēéěèōóǒò")


def _syllables(pinyin: str):
    try:
        return split_syllables(pinyin)
    except ValueError:
        return None


@lru_cache(maxsize=65536)  # pure, and asked for every word of every text the reader shows
def pinyin_tones(pinyin: str) -> Markup:
    """'guītú lièchē' -> each syllable in a span of class t1..t5; words keep their spaces."""
    words = []
    for word in (pinyin or "").split():
        syllables = _syllables(word)
        if not syllables:
            words.append(str(escape(word)))
            continue
        spans = []
        for i, s in enumerate(syllables):
            text = s.marks
            # Keep the apostrophe that separates a vowel-initial syllable inside a word (nǚ'ér).
            if i and text.lower().startswith(_VOWEL_START):
                text = "'" + text
            spans.append(f'<span class="t{s.tone or 5}">{escape(text)}</span>')
        words.append("".join(spans))
    return Markup(" ".join(words))


@lru_cache(maxsize=65536)
def hanzi_tones(hanzi: str, pinyin: str) -> Markup:
    """Each character in a span coloured by its syllable's tone, when the reading lines up one-to-one."""
    syllables = _syllables(pinyin or "")
    chars = list(hanzi or "")
    if not syllables or len(syllables) != len(chars):
        return Markup(escape(hanzi))
    return Markup("".join(f'<span class="t{s.tone or 5}">{escape(c)}</span>' for c, s in zip(chars, syllables)))


def learner_script() -> str:
    """The script the current user reads: 'traditional' or 'simplified' (the default for everyone else)."""
    user = current_user
    return user.script.value if getattr(user, "is_authenticated", False) else "simplified"


def zh(text: str) -> str:
    """Chinese text in the current user's script (OpenCC where no stored form exists)."""
    return script.text(text, learner_script())


def headword(term) -> str:
    """A term's characters in the current user's script: its stored traditional form first."""
    return script.headword(term, learner_script())


def nonced_styles(markup: Markup) -> Markup:
    """Trusted markup (pygal's SVG) whose <style> blocks carry this request's Content-Security-Policy nonce."""
    nonce = getattr(request, "csp_nonce", "")
    return Markup(_STYLE_TAG.sub(f'<style nonce="{nonce}">', str(markup)))


_STYLE_TAG = re.compile(r"<style\b[^>]*>")


def register_template_filters(app: Flask) -> None:
    app.jinja_env.globals["limits"] = limits  # maxlength attributes from the one limits table
    app.add_template_filter(pinyin_tones)
    app.add_template_filter(hanzi_tones)
    app.add_template_filter(zh)
    app.add_template_filter(headword)
    app.jinja_env.globals["zh_lang"] = lambda: "zh-Hant" if learner_script() == "traditional" else "zh-Hans"
