"""/settings."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.services import ServiceError, accounts
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
    return render_template("settings/edit.html", form=form), status
