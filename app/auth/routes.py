"""Account pages: /auth/register, /auth/login, /auth/logout."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app import rate_limits
from app.auth import bp
from app.auth.forms import LoginForm, RegistrationForm
from app.edge import parse_id
from app.extensions import db, login_manager
from app.models import User
from app.services import ServiceError, accounts, timezones


@login_manager.user_loader
def load_user(cookie_id: str) -> User | None:
    """The user of a session or remember-me cookie, unless the cookie's session version was revoked."""
    user_id, _, version = cookie_id.partition(".")
    user_id, version = parse_id(user_id), parse_id(version)
    if user_id is None or version is None:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.session_version == version else None


login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see this page."
login_manager.login_message_category = "info"


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may follow a login; anything else could send users to a phishing page."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@rate_limits.registration
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    guessed = timezones.guess(request.headers.get("Accept-Language"))
    status = 200
    if form.validate_on_submit():
        # The browser's own zone when it sent a real one; else the guess from its language (settings can change it).
        zone = form.timezone.data if timezones.is_zone(form.timezone.data) else guessed
        try:
            user = accounts.register(form.username.data, form.password.data, form.role.data, zone)
        except ServiceError as error:
            getattr(form, error.field or "username").errors.append(error.message)
            status = error.status if error.status != 409 else 409
        else:
            login_user(user)
            flash(f"Welcome to Guitu, {user.username}!", "success")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 400
    if not form.timezone.data:
        form.timezone.data = guessed
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@rate_limits.login_limits
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
        form.password.errors.append("Wrong username or password.")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    # Logging out changes state, so it takes a POST with a CSRF token; GET shows the button.
    if request.method == "GET":
        return render_template("auth/logout.html")
    # Cookies are signed, not stored: ending this session on the server ends every copy of it, which
    # means every session of the account (Settings explains; "log out everywhere" keeps this one).
    accounts.end_sessions(current_user)
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("main.index"))
