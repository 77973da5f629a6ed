"""API tokens: issued for a password, sent as a bearer token, stored only as a sha256 hash."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from app.extensions import commit_keeping_loaded, db
from app.models import ApiToken, User

TOKEN_LIFETIME = timedelta(days=30)
# Recording every use would write on every request; once in a while is enough to see stale tokens.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user: User, now: datetime) -> tuple[str, ApiToken]:
    """A new random token for the user, valid for TOKEN_LIFETIME. The plain token is returned once only."""
    token = secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=token_hash(token), created_at=now, expires_at=now + TOKEN_LIFETIME)
    db.session.add(record)
    db.session.commit()
    return token, record


_FIND = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))
# Every API request runs this: the user as the one ORM object, the token's own fields as columns
# (loading both as objects, joined, cost three times as much).
_USER_FOR = (select(User, ApiToken.id, ApiToken.expires_at, ApiToken.last_used_at)
             .join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == bindparam("token_hash")))
_TOUCH = (update(ApiToken).where(ApiToken.id == bindparam("token_id")).values(last_used_at=bindparam("now"))
          .execution_options(synchronize_session=False))


def _hash_of(token: str) -> str | None:
    return token_hash(token) if token and len(token) <= 200 else None


def _find(token: str) -> ApiToken | None:
    digest = _hash_of(token)
    return None if digest is None else db.session.scalar(_FIND, {"token_hash": digest})


def user_for_token(token: str, now: datetime) -> User | None:
    """The token's user, or None when the token is unknown, revoked or expired."""
    digest = _hash_of(token)
    found = None if digest is None else db.session.execute(_USER_FOR, {"token_hash": digest}).first()
    if found is None or found.expires_at <= now:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(_TOUCH, {"token_id": found.id, "now": now})
        commit_keeping_loaded()  # the user is as read: no need to read it again
    return found.User


def revoke_all_tokens(user: User) -> None:
    """Delete every API token of the user (in the caller's transaction)."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def revoke_token(token: str) -> bool:
    """Delete the token; True when there was one to delete."""
    record = _find(token)
    if record is None:
        return False
    db.session.delete(record)
    db.session.commit()
    return True
