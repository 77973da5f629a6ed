"""API tokens: issued for a password, sent as a bearer token, stored only as a sha256 hash."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from app.extensions import db
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


_FIND = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash")).options(joinedload(ApiToken.user))


def _find(token: str) -> ApiToken | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(_FIND, {"token_hash": token_hash(token)})


def user_for_token(token: str, now: datetime) -> User | None:
    """The token's user, or None when the token is unknown, revoked or expired."""
    record = _find(token)
    if record is None or record.expires_at <= now:
        return None
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        record.last_used_at = now
        db.session.commit()
    return record.user


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
