"""Forms for logging in and setting passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.auth.services import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """Email, password and "remember me"."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me on this device"))
    submit = SubmitField(_l("Log in"))


class NewPasswordForm(FlaskForm):
    """A new password typed twice."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "A password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
                ),
            ),
        ],
        description=_l("At least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Save the password"))


class ChangePasswordForm(NewPasswordForm):
    """The current password, then a new one typed twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    """The address to send a new password link to."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))
