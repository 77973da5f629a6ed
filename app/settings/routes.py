"""/settings: study settings, the password, ending sessions on other devices, and the learner's own
scheduler: optimising it, going back to the defaults, and the retention simulator (/settings/retention)."""
from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app import clock
from app.progress.charts import desired_retention_chart
from app.services import ServiceError, accounts, personal_scheduler, retention_simulator, timezones
from app.services.account_data import account_json
from app.settings import bp
from app.settings.forms import DeleteAccountForm, PasswordForm, SessionsForm, SettingsForm


def _page(form=None, password_form=None, status=200):
    if form is None:
        form = SettingsForm(obj=current_user, formdata=None)
        form.script.data = current_user.script.value
        form.voice.data = current_user.voice.value
    _zone_choices(form)
    return render_template("settings/edit.html", form=form, password_form=password_form or PasswordForm(formdata=None),
                           sessions_form=SessionsForm(formdata=None),
                           schedule=personal_scheduler.state(current_user, clock.now())), status


def _zone_choices(form: SettingsForm) -> None:
    choices = [(zone.name, zone.label) for zone in timezones.zones()]
    if current_user.timezone not in {name for name, _ in choices}:  # an alias such as Asia/Calcutta
        choices.insert(0, (current_user.timezone, current_user.timezone))
    form.timezone.choices = choices


@bp.route("", methods=["GET", "POST"])
@login_required
def edit():
    if request.method == "GET":
        return _page()
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in (
            "new_cards_per_day", "max_reviews_per_day", "learning_steps", "relearning_steps",
            "timezone", "script", "tone_colors", "voice")}
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


def _to_schedule():
    return redirect(url_for("settings.edit") + "#schedule")


@bp.route("/schedule/optimize", methods=["POST"])
@login_required
def optimize():
    fit, finished = personal_scheduler.request_optimization(current_user, clock.now())
    if not finished:
        flash("Optimising your schedule on your review history. This takes a few seconds: the result appears "
              "below.", "success")
    elif fit.accepted:
        flash("Your own parameters schedule your cards.", "success")
    else:
        flash("Nothing has changed since the last optimisation: FSRS's defaults still predict you as well.", "success")
    return _to_schedule()


@bp.route("/schedule/defaults", methods=["POST"])
@login_required
def use_defaults():
    personal_scheduler.use_parameters(current_user, None)
    flash("Back to FSRS's default parameters. Optimise again at any time.", "success")
    return _to_schedule()


@bp.route("/schedule/reminder", methods=["POST"])
@login_required
def reminder():
    personal_scheduler.set_reminder(current_user, request.form.get("reminder") == "on")
    flash("Reminder saved.", "success")
    return _to_schedule()


@bp.route("/retention", methods=["GET", "POST"])
@login_required
def retention():
    """The retention simulator; choosing a retention from it saves it as the desired retention."""
    if request.method == "POST":
        try:
            value = float(request.form.get("desired_retention", ""))
        except ValueError:
            value = None
        if value is None or not 0.70 <= value <= 0.97:
            raise ServiceError("Desired retention must be between 0.70 and 0.97.", field="desired_retention")
        accounts.update_settings(current_user, desired_retention=round(value, 2))
        flash(f"Desired retention set to {value:.2f}.", "success")
        return redirect(url_for("settings.retention"))
    simulation = retention_simulator.simulate(current_user)
    current = round(current_user.desired_retention, 2)
    return render_template("settings/retention.html", simulation=simulation, charts=[
        desired_retention_chart(simulation.points, current, lambda p: p.minutes_per_day, "minutes a day"),
        desired_retention_chart(simulation.points, current, lambda p: p.remembered, "cards remembered after a year"),
    ])


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


@bp.route("/data.json")
@login_required
def data():
    """Everything of the learner's as one JSON file: settings, own decks, cards, notes, review history."""
    user = current_user._get_current_object()
    filename = f"guitu-{user.username}-{clock.now():%Y-%m-%d}.json"
    return Response(stream_with_context(account_json(user, clock.now())), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """Delete my account: the page offers the data download first, then asks for the password."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.delete_account(user, form.password.data)
        except ServiceError as error:
            form.password.errors.append(error.message)
            return render_template("settings/delete.html", form=form), 400
        logout_user()
        flash("Your account and everything in it have been deleted.", "info")
        return redirect(url_for("main.index"))
    return render_template("settings/delete.html", form=form), 400 if form.is_submitted() else 200
