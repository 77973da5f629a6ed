"""The settings forms: study settings, the password, and sessions."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from app import limits


def _enum_value(value) -> str:
    """A choice's value: the form's text, or an enum from the user's settings (Script.TRADITIONAL -> 'traditional')."""
    return getattr(value, "value", value)


class SettingsForm(FlaskForm):
    desired_retention = DecimalField(
        "Desired retention", places=2,
        validators=[InputRequired(), NumberRange(0.70, 0.97, "Choose between 0.70 and 0.97.")],
        description="The share of reviews you want to get right (0.70 to 0.97). Higher means more reviews.",
        render_kw={"step": "0.01", "min": "0.70", "max": "0.97", "type": "number"},
    )
    new_cards_per_day = IntegerField(
        "New cards per day", validators=[InputRequired(), NumberRange(0, 1000)], render_kw={"min": 0}
    )
    max_reviews_per_day = IntegerField(
        "Maximum reviews per day", validators=[InputRequired(), NumberRange(0, 10000)], render_kw={"min": 0}
    )
    learning_steps = StringField("Learning steps", description="For example: 1m 10m")
    relearning_steps = StringField("Relearning steps", description="For example: 10m")
    timezone = SelectField("Timezone", validate_choice=False,
                           description="Your study day starts at 4 a.m. there. Search by city, country or zone.")
    script = SelectField("Characters", coerce=_enum_value, choices=[SelectChoice("simplified", "Simplified (简体)"),
                                                SelectChoice("traditional", "Traditional (繁體)")])
    tone_colors = BooleanField("Colour pinyin and characters by tone")
    voice = SelectField("Voice", coerce=_enum_value, choices=[
        SelectChoice("browser", "This device’s Chinese voice, else the server’s"),
        SelectChoice("server", "Always the server’s voice")],
        description="The server’s voice is the same on every device and reads the pinyin chosen in context.")
    submit = SubmitField("Save settings")


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=limits.PASSWORD[1])],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField("New password", validators=[DataRequired(), Length(max=limits.PASSWORD[1])],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Change password")


class SessionsForm(FlaskForm):
    submit = SubmitField("Log out everywhere else")


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=limits.PASSWORD[1])],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField("I have downloaded what I want to keep. Delete my account and everything in it.",
                           validators=[DataRequired("Tick the box to confirm.")])
    submit = SubmitField("Delete my account")
