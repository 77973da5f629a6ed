"""Backups of a SQLite database with SQLite's online backup API: a consistent copy taken while the
app keeps writing (a file copy misses what is still in the write-ahead log). PostgreSQL is backed up
with its own tools, pg_dump and pg_restore (see README)."""
from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

PG_HELP = ("This database is PostgreSQL: back it up with pg_dump and restore it with pg_restore (they take\n"
           "the URL without '+psycopg'), e.g.\n"
           "  pg_dump --format=custom --file=guitu.dump postgresql://guitu@127.0.0.1:5432/guitu\n"
           "  pg_restore --clean --if-exists --no-owner --dbname=postgresql://guitu@127.0.0.1:5432/guitu guitu.dump")


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why."""


def require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise BackupError(PG_HELP if engine.dialect.name == "postgresql" else
                          f"Backups of {engine.dialect.name} databases are made with that database's own tools.")


def _sqlite(engine: Engine):
    require_sqlite(engine)
    return engine.raw_connection()


def backup(engine: Engine, target: Path) -> int:
    """Copy the live database into `target` (replaced atomically: a half-written backup never has the
    name). Returns the number of pages copied."""
    connection = _sqlite(engine)
    target = Path(target).resolve()
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".partial")
    os.close(handle)
    try:
        copy = sqlite3.connect(partial)
        try:
            connection.driver_connection.backup(copy)
            pages = copy.execute("PRAGMA page_count").fetchone()[0]
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    finally:
        connection.close()
    return pages


def backup_revision(source: Path, migrations: Path) -> str:
    """The schema revision of a backup file; BackupError unless it is a Guitu database."""
    if not Path(source).is_file():
        raise BackupError(f"{source} does not exist.")
    try:
        with sqlite3.connect(f"file:{Path(source).resolve()}?mode=ro", uri=True) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's integrity check failed).")
            revision = check.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a Guitu backup ({error}).") from None
    known = {script.revision for script in ScriptDirectory(str(migrations)).walk_revisions()}
    if revision not in known:
        raise BackupError(f"{source} has schema revision {revision!r}, which this version of Guitu does not know.")
    return revision


def restore(engine: Engine, source: Path, migrations: Path) -> str:
    """Replace the live database's contents with the backup's, in one step. Returns the backup's revision."""
    revision = backup_revision(source, migrations)
    connection = _sqlite(engine)
    try:
        with sqlite3.connect(Path(source).resolve()) as saved:
            saved.backup(connection.driver_connection)
    finally:
        connection.close()
    engine.dispose()  # pooled connections may hold the old schema's cache
    return revision
