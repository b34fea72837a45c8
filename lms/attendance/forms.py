"""Forms of the register and of self check-in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Code shown by your trainer"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Check in"))


class MakeUpForm(FlaskForm):
    user_id = SelectField(_l("Trainee of another cohort"), coerce=int)
    submit = SubmitField(_l("Add as present"))
