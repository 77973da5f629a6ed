"""/settings: study settings, the password, and ending sessions on other devices."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from app.services import ServiceError, accounts
from app.settings import bp
from app.settings.forms import PasswordForm, SessionsForm, SettingsForm


def _page(form=None, password_form=None, status=200):
    if form is None:
        form = SettingsForm(obj=current_user, formdata=None)
        form.script.data = current_user.script.value
    return render_template("settings/edit.html", form=form, password_form=password_form or PasswordForm(formdata=None),
                           sessions_form=SessionsForm(formdata=None)), status


@bp.route("", methods=["GET", "POST"])
@login_required
def edit():
    if request.method == "GET":
        return _page()
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "new_cards_per_day", "max_reviews_per_day", "learning_steps", "relearning_steps",
            "timezone", "script", "tone_colors")}
        values["desired_retention"] = float(form.desired_retention.data)
        try:
            accounts.update_settings(current_user, **values)
        except ServiceError as error:
            if error.field:
                getattr(form, error.field).errors.append(error.message)
            else:
                flash(error.message, "error")
            return _page(form, status=400)
        flash("Settings saved.", "success")
        return redirect(url_for("settings.edit"))
    return _page(form, status=400)


def _stay_logged_in_here(user) -> None:
    """After the sessions were revoked, this browser gets a fresh session (and remember-me cookie, if it had one)."""
    login_user(user, remember=bool(request.cookies.get("remember_token")))


@bp.route("/password", methods=["POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current.data, form.password.data)
        except ServiceError as error:
            getattr(form, error.field or "password").errors.append(error.message)
            return _page(password_form=form, status=400)
        _stay_logged_in_here(user)
        flash("Password changed. Every other session and API token has ended.", "success")
        return redirect(url_for("settings.edit"))
    return _page(password_form=form, status=400)


@bp.route("/sessions", methods=["POST"])
@login_required
def sessions():
    user = current_user._get_current_object()
    accounts.end_sessions(user, tokens=True)
    _stay_logged_in_here(user)
    flash("You are logged out everywhere else: other browsers and API tokens (apps) must log in again.", "success")
    return redirect(url_for("settings.edit"))
