"""The settings forms: study settings, the password, and sessions."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from app import limits


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
    timezone = StringField("Timezone", description="An IANA name such as Asia/Shanghai or Europe/London. "
                           "Your study day starts at 4 a.m. there.")
    script = SelectField("Characters", choices=[SelectChoice("simplified", "Simplified (简体)"),
                                                SelectChoice("traditional", "Traditional (繁體)")])
    tone_colors = BooleanField("Colour pinyin and characters by tone")
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
