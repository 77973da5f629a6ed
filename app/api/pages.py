"""Lists in pages: ?page=1&per_page=100 (schemas.PageIn), answered with an RFC 8288 Link header to the
first, prev, next and last pages and X-Total-Count. A page past the end is empty, not an error."""
from __future__ import annotations

from math import ceil
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Select, func, select

from app.extensions import db


def page_of(items, args: dict) -> tuple[list, dict]:
    """One page of `items` (a list, or a SELECT counted and sliced in SQL) and the headers that go with it."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    if isinstance(items, Select):
        total = db.session.scalar(select(func.count()).select_from(items.order_by(None).subquery()))
        chunk = list(db.session.scalars(items.limit(per_page).offset(start)))
    else:
        total, chunk = len(items), list(items[start:start + per_page])
    return chunk, _headers(page, per_page, total)


def _headers(page: int, per_page: int, total: int) -> dict:
    last = max(1, ceil(total / per_page))
    pages = {"first": 1}
    if page > 1:
        pages["prev"] = min(page - 1, last)
    if page < last:
        pages["next"] = page + 1
    pages["last"] = last
    link = ", ".join(f'<{_url(number, per_page)}>; rel="{rel}"' for rel, number in pages.items())
    return {"Link": link, "X-Total-Count": str(total)}


def _url(page: int, per_page: int) -> str:
    args = request.args.to_dict(flat=False) | {"page": [str(page)], "per_page": [str(per_page)]}
    return f"{request.base_url}?{urlencode(args, doseq=True)}"
