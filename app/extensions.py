"""Extension objects, created once here and bound to an application in create_app()."""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
# Flask-Talisman keeps its settings on the instance, not per app, so create_app makes one per app.


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds: the objects are what was just committed, so a
    caller that answers with them (a graded card) need not read them back."""
    session = db.session()
    kept, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = kept


def rows(statement, params: dict | None = None):
    """Run a statement that selects columns, not ORM objects, on the session's connection: in the
    session's transaction and after its autoflush, as Session.execute would, for about half the cost
    (the session wraps every result for ORM objects). The review loop's reads go through here."""
    session = db.session()
    if session.autoflush:
        session.flush()  # nothing to do when nothing is pending
    return session.connection().execute(statement, params or {})


def insert_row(statement, values: dict) -> int:
    """Run a Core INSERT of one row on the session's connection, in the session's transaction; its id.
    For rows written on every review (its log and undo record) that nothing reads back in the same
    request: added to the session instead, each would cost the unit of work more than the INSERT."""
    return db.session.connection().execute(statement, values).inserted_primary_key[0]
