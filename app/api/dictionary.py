"""GET /dictionary?q=: search CC-CEDICT by characters, pinyin or English."""
from __future__ import annotations

from app.api.core import ApiBlueprint, current_user
from app.api.schemas import DictionaryOut, DictionaryQuery
from app.services import dictionary

bp = ApiBlueprint("api_dictionary", __name__, description="The dictionary.")


@bp.route("/dictionary", methods=["GET"])
@bp.arguments(DictionaryQuery, location="query")
@bp.response(200, DictionaryOut)
@bp.problem(400, "No query, or a query too long")
@bp.problem(401, "No valid token")
def search(args):
    """Entries in rank order: the word itself first (exact characters, exact pinyin, or an English sense
    that says just the query), then words starting with or containing it; within each, common words by
    frequency and HSK level, names and surnames after the common word."""
    current_user()
    return {"entries": [dictionary.entry_dict(m) for m in dictionary.search(args["q"], args["limit"])]}
