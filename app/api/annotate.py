"""POST /annotate: Chinese text in, words out with pinyin, English and HSK level."""
from __future__ import annotations

from flask import abort

import vocab
from app import limits
from app.api.core import ApiBlueprint, current_user
from app.api.schemas import AnnotateIn, AnnotateOut
from app.services import script

bp = ApiBlueprint("api_annotate", __name__, description="Annotating Chinese text.")


@bp.route("/annotate", methods=["POST"])
@bp.arguments(AnnotateIn)
@bp.response(200, AnnotateOut)
@bp.problem(401, "No valid token")
@bp.problem(413, f"The text is longer than {limits.READER_TEXT} characters")
def annotate(data):
    """Segment the text into words, each with context-aware pinyin, a CC-CEDICT gloss and its HSK level.
    `text` is in the caller's script (simplified or traditional); `simplified` is always simplified."""
    user = current_user()
    text = data["text"]
    if len(text) > limits.READER_TEXT:
        abort(413, description=f"Texts may have at most {limits.READER_TEXT} characters; this one has {len(text)}.")
    return {"tokens": [
        {"text": script.text(t.text, user.script), "simplified": t.simplified or t.text, "kind": t.kind.value, "pinyin": t.pinyin, "pinyin_numbers": t.pinyin_numbers,
         "english": t.gloss, "senses": list(t.senses), "other_readings": other_readings(t.other_readings),
         "hsk": t.hsk, "traditional": t.traditional}
        for t in vocab.annotate(text)
    ]}


def other_readings(readings) -> list[dict]:
    """A word's other dictionary readings as the API gives them (tokens and card backs alike)."""
    return [{"pinyin": r.pinyin, "pinyin_numbers": r.pinyin_numbers, "english": r.gloss} for r in readings]
