"""Account forms; Flask-WTF adds the CSRF token to each."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app import limits


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=limits.USERNAME[1])],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=limits.PASSWORD[1])],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class RegistrationForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(*limits.USERNAME)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=limits.PASSWORD[1])],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
    role = RadioField("I am", choices=[SelectChoice("learner", "a learner"), SelectChoice("instructor", "an instructor")],
                      default="learner", validators=[DataRequired()])
    # Filled from the browser's Intl API (static/js/timezone.js); without JavaScript the server guesses.
    timezone = HiddenField(validators=[Length(max=64)])
    submit = SubmitField("Create account")
