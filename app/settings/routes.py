"""/settings, with the learner's own scheduler: optimising it, going back to the defaults, and the
retention simulator (/settings/retention)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.models import utcnow
from app.progress.charts import desired_retention_chart
from app.services import ServiceError, accounts, personal_scheduler, retention_simulator
from app.settings import bp
from app.settings.forms import SettingsForm


@bp.route("", methods=["GET", "POST"])
@login_required
def edit():
    form = SettingsForm(obj=current_user)
    if not form.is_submitted():
        form.script.data = current_user.script.value
    status = 200
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
            status = 400
        else:
            flash("Settings saved.", "success")
            return redirect(url_for("settings.edit"))
    elif form.is_submitted():
        status = 400
    return render_template("settings/edit.html", form=form,
                           schedule=personal_scheduler.state(current_user, utcnow())), status


def _to_schedule():
    return redirect(url_for("settings.edit") + "#schedule")


@bp.route("/schedule/optimize", methods=["POST"])
@login_required
def optimize():
    fit, finished = personal_scheduler.request_optimization(current_user, utcnow())
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
