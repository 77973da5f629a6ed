"""POST /annotate: Chinese text in, words out with pinyin, English, HSK level and the caller's study state."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user
from app.api.schemas import AnnotateIn, AnnotateOut
from app.services import reading, script

bp = ApiBlueprint("api_annotate", __name__, description="Annotating Chinese text.")


@bp.route("/annotate", methods=["POST"])
@bp.arguments(AnnotateIn)
@bp.response(200, AnnotateOut)
@bp.problem(401, "No valid token")
@bp.problem(413, f"The text is longer than {reading.TEXT_MAX} characters")
def annotate(data):
    """Segment the text into words, each with context-aware pinyin, CC-CEDICT senses, HSK level and
    whether the caller knows it (from their own cards), and say how much of the text they know.
    A word's `text` is in the caller's script (simplified or traditional); `simplified` is always simplified."""
    user = current_user()
    annotation = reading.annotate(data["text"])
    known = reading.knowledge(user)
    counts, _ = reading.summary(annotation)
    tokens = reading.token_dicts(annotation, known)
    for token in tokens:
        if token["simplified"]:
            token["text"] = script.word(token["simplified"], token["traditional"], user.script)
    return {"tokens": tokens, "known": reading.coverage(counts, known).to_dict()}

