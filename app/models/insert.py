"""INSERT ... ON CONFLICT on SQLite and PostgreSQL: two requests creating the same row at once both
succeed and the row exists once, instead of one of them failing on the unique constraint."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def dialect_insert(model):
    """The database's own INSERT, which has on_conflict_do_nothing() and on_conflict_do_update()."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_missing(model):
    """An INSERT into the model's table that skips rows a unique constraint already has."""
    return dialect_insert(model).on_conflict_do_nothing()
