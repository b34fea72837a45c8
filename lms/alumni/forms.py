"""The employment follow-up form and the alumni list's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from lms.alumni.models import EMPLOYMENT_LABELS


class FollowUpForm(FlaskForm):
    employment = SelectField(
        _l("What does the alumnus do now?"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(value, label) for value, label in EMPLOYMENT_LABELS.items()],
        validators=[InputRequired(_l("Choose what the alumnus does now."))],
    )
    role_title = StringField(
        _l("Job title"),
        validators=[Optional(), Length(max=120)],
        description=_l("As the alumnus names it, such as case manager or social educator."),
    )
    employer = StringField(
        _l("Employer"),
        validators=[Optional(), Length(max=160)],
        description=_l("A municipality or an organisation; leave empty if they prefer."),
    )
    asked_on = DateField(
        _l("Asked on"), validators=[InputRequired(_l("Give the day the alumnus was asked."))]
    )
    save = SubmitField(_l("Save"))


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class AlumniFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    cohort = SelectField(_l("Cohort"), choices=[], coerce=_int_or_none, validators=[Optional()])
    employment = SelectField(_l("Employment follow-up"), choices=[], validators=[Optional()])
