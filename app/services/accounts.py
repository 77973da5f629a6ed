"""Accounts: registering, authenticating and deleting users."""
from __future__ import annotations

import functools
import re
import unicodedata

from confusable_homoglyphs import confusables
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app import limits
from app.extensions import db
from app.models import Role, User
from app.services import Conflict, ServiceError, timezones

USERNAME_RE = re.compile(rf"^[\w.\-]{{{limits.USERNAME[0]},{limits.USERNAME[1]}}}$")
# Checked against when a name is unknown, so a wrong name and a wrong password take the same time.
_DUMMY_HASH = "scrypt:32768:8:1$dummy$" + "0" * 128


def normalise_username(username: str) -> str:
    """The name as stored and looked up: NFKC, so ｑｉｎ (fullwidth) and ﬁ (a ligature) are qin and fi."""
    return unicodedata.normalize("NFKC", username or "").strip()


@functools.lru_cache(maxsize=4096)
def _prototype(char: str) -> str:
    """The ASCII character `char` is drawn like (Cyrillic а, Greek α: a), from Unicode's confusables data."""
    if char.isascii():
        return char
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=[])
    ascii_lookalikes = sorted(h["c"] for hit in found or [] for h in hit["homoglyphs"] if h["c"].isascii())
    return ascii_lookalikes[0] if ascii_lookalikes else char


def username_skeleton(username: str) -> str:
    """What a name looks like: two names with one skeleton are confusable (аdmin in Cyrillic, ADMIN, admin)."""
    return "".join(_prototype(char) for char in normalise_username(username)).casefold()


def validate_username(username: str) -> str:
    username = normalise_username(username)
    if not USERNAME_RE.fullmatch(username):
        raise ServiceError(
            f"Usernames are {limits.USERNAME[0]} to {limits.USERNAME[1]} characters: letters (any script), digits, "
            "'.', '-' or '_'.",
            field="username",
        )
    return username


def validate_password(password: str) -> str:
    minimum, maximum = limits.PASSWORD
    if len(password or "") < minimum:
        raise ServiceError(f"Passwords need at least {minimum} characters.", field="password")
    if len(password) > maximum:
        raise ServiceError(f"Passwords may have at most {maximum} characters.", field="password")
    return password


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == normalise_username(username).lower()))


def create_user(username: str, password: str, role: Role | str = Role.LEARNER, timezone: str | None = None) -> User:
    """Create an account. Raises ServiceError on bad input and Conflict when the name is taken."""
    username = validate_username(username)
    validate_password(password)
    timezone = timezone or timezones.DEFAULT
    if not timezones.is_zone(timezone):
        raise ServiceError(f"Unknown timezone {timezone!r}.", field="timezone")
    try:
        role = Role(role)
    except ValueError:
        raise ServiceError("Role must be learner or instructor.", field="role") from None
    skeleton = username_skeleton(username)
    taken = Conflict(f"The username {username!r} is already taken or looks like one that is.", field="username")
    if find_user(username) is not None or db.session.scalar(select(User.id).where(User.username_skeleton == skeleton)):
        raise taken
    user = User(username=username, username_skeleton=skeleton, role=role, password_hash=hash_password(password),
                timezone=timezone)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same name registered by another request a moment ago
        db.session.rollback()
        raise taken from None
    return user


def register(username: str, password: str, role: Role | str, timezone: str | None = None) -> User:
    """Self-service registration: learners and instructors only; admins come from the CLI. The study
    day follows `timezone` (an IANA name; UTC when not given)."""
    if str(getattr(role, "value", role)) not in (Role.LEARNER.value, Role.INSTRUCTOR.value):
        raise ServiceError("Role must be learner or instructor.", field="role")
    return create_user(username, password, role, timezone)


def authenticate(username: str, password: str) -> User | None:
    user = find_user(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def end_sessions(user: User, *, tokens: bool = False) -> None:
    """Revoke every session and remember-me cookie of the user (and, with tokens, every API token), and commit."""
    from app.services.tokens import revoke_all_tokens

    user.session_version += 1
    if tokens:
        revoke_all_tokens(user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password, after checking the current one; every other session and API token ends."""
    if not check_password_hash(user.password_hash, current or ""):
        raise ServiceError("The current password is wrong.", field="current")
    validate_password(new)
    user.password_hash = hash_password(new)
    end_sessions(user, tokens=True)


def delete_user(user: User) -> None:
    """Delete a user with everything that is theirs: decks, cards, review logs, classes, tokens."""
    db.session.delete(user)
    db.session.commit()


def delete_account(user: User, password: str) -> None:
    """The user deletes their own account, after confirming their password; nothing of theirs is kept."""
    if not check_password_hash(user.password_hash, password or ""):
        raise ServiceError("The password is wrong; nothing was deleted.", field="password")
    delete_user(user)


STEP_RE = re.compile(r"^\s*(\d{1,4})\s*([smhd])\s*$")
_STEP_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_steps(text: str) -> list[int]:
    """'1m 10m' -> [60, 600] seconds. Raises ServiceError with the offending part."""
    steps = []
    for part in (text or "").replace(",", " ").split():
        match = STEP_RE.fullmatch(part)
        if not match or int(match[1]) == 0:
            raise ServiceError(f"{part!r} is not a step; write steps like '1m 10m' (s, m, h or d).")
        steps.append(int(match[1]) * _STEP_SECONDS[match[2]])
    if len(steps) > 10:
        raise ServiceError("At most 10 steps.")
    return steps


def update_settings(user: User, **values) -> User:
    """Change study settings after checking every value; nothing is saved if one is wrong."""
    from app.models import Script, Voice

    checks = {
        "desired_retention": lambda v: 0.70 <= float(v) <= 0.97,
        "new_cards_per_day": lambda v: 0 <= int(v) <= 1000,
        "max_reviews_per_day": lambda v: 0 <= int(v) <= 10000,
    }
    messages = {
        "desired_retention": "Desired retention must be between 0.70 and 0.97.",
        "new_cards_per_day": "New cards per day must be between 0 and 1000.",
        "max_reviews_per_day": "Maximum reviews per day must be between 0 and 10000.",
    }
    for name, check in checks.items():
        if name in values:
            try:
                ok = check(values[name])
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ServiceError(messages[name], field=name)
    if "timezone" in values and not timezones.is_zone(values["timezone"]):
        raise ServiceError(f"Unknown timezone {values['timezone']!r}: choose an IANA name such as Asia/Shanghai.",
                           field="timezone")
    for name in ("learning_steps", "relearning_steps"):
        if name in values:
            try:
                parse_steps(values[name])
            except ServiceError as error:
                raise ServiceError(error.message, field=name) from None
            values[name] = " ".join(values[name].replace(",", " ").split())
    if "script" in values:
        try:
            values["script"] = Script(values["script"])
        except ValueError:
            raise ServiceError("Script must be simplified or traditional.", field="script") from None
    if "voice" in values:
        try:
            values["voice"] = Voice(values["voice"])
        except ValueError:
            raise ServiceError("Voice must be browser or server.", field="voice") from None
    allowed = set(checks) | {"timezone", "learning_steps", "relearning_steps", "script", "tone_colors", "voice"}
    unknown = set(values) - allowed
    if unknown:
        raise ServiceError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    for name, value in values.items():
        setattr(user, name, value)
    db.session.commit()
    return user
