"""Forms shared by several features."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """A bare form: its CSRF token confirms a POST action."""

    submit = SubmitField(_l("Confirm"))
