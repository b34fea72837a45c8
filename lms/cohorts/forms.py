"""Forms for cohorts, enrolment and the schedule."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from lms.cohorts.sessions import link_problem
from lms.forms import CheckboxesField


class CohortForm(FlaskForm):
    programme = SelectField(_l("Programme"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    region = StringField(_l("Municipality or region"), validators=[Optional(), Length(max=120)])
    capacity = IntegerField(
        _l("Capacity"),
        validators=[Optional(), NumberRange(min=1, max=500)],
        description=_l("Most trainees the cohort takes; leave empty for no limit."),
    )
    trainers = CheckboxesField(_l("Trainers"), coerce=int)
    submit = SubmitField(_l("Save"))


class EnrolForm(FlaskForm):
    email = EmailField(
        _l("Trainee's email"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The person must already have an account with the trainee role."),
    )
    submit = SubmitField(_l("Enrol"))


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"))
    submit = SubmitField(_l("Change"))


class SeriesForm(FlaskForm):
    """What the rest of a series shares: each session keeps its own date and lessons."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    category = SelectField(_l("Hour category"), validators=[DataRequired()])
    start = TimeField(_l("Starts at"), validators=[DataRequired()])
    end = TimeField(_l("Ends at"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    online_url = URLField(_l("Online meeting link"), validators=[Optional()])
    #: the digest of the warnings shown and confirmed (``schedule.fingerprint``)
    confirmed = HiddenField()
    submit = SubmitField(_l("Save"))

    def validate_online_url(self, field) -> None:
        """The link goes into calendar feeds: one safe web address or nothing."""
        url = (field.data or "").strip()
        if url and (problem := link_problem(url)):
            raise ValidationError(str(problem))


class SessionForm(SeriesForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    lessons = SelectMultipleField(
        _l("Lessons covered"),
        description=_l("Hold Ctrl (or Cmd) to choose several."),
    )
    repeat_weeks = IntegerField(
        _l("Repeat weekly, number of sessions"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=52)],
        description=_l("1 schedules one session; 10 schedules ten, one each week."),
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    scope = RadioField(
        _l("Which sessions"),
        choices=[
            SelectChoice("one", _l("Only this session")),
            SelectChoice("rest", _l("This and the following ones")),
        ],
        default="one",
    )
    submit = SubmitField(_l("Cancel the session"))
