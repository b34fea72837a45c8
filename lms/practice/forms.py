"""Forms for logging practice, reviewing it, and filtering the trainers' queue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.forms import CheckboxesField
from lms.practice.models import CORE_ACTS, MAX_ENTRY_MINUTES
from lms.practice.privacy import MAX_CODE_LENGTH

ATTESTATION = _l(
    "I supervised this practice, I have read the entry and its reflection, and I confirm that "
    "it is a true record of the trainee's supervised work with the client."
)


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class EntryForm(FlaskForm):
    """One piece of client work, as the trainee describes it."""

    practised_on = DateField(_l("Date"), validators=[InputRequired()])
    minutes = IntegerField(
        _l("Duration in minutes"),
        validators=[InputRequired(), NumberRange(1, MAX_ENTRY_MINUTES)],
        description=_l("Time spent with or for the client, travel included, at most 12 hours."),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_ENTRY_MINUTES},
    )
    client_code = StringField(
        _l("Client code"),
        validators=[InputRequired(), Length(max=MAX_CODE_LENGTH)],
        description=_l(
            "A pseudonym of your own, such as C-03. Never a name, ID code, phone number or "
            "email. Use the same code each time you meet the same client."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
    client_group = SelectField(_l("Client group"), choices=[])
    activity = SelectField(_l("Activity"), choices=[])
    core_acts = CheckboxesField(
        _l("CARe core acts used"),
        choices=[SelectChoice(key, label) for key, label in CORE_ACTS.items()],
    )
    reflection = TextAreaField(
        _l("Reflection"),
        validators=[Optional(), Length(max=20_000)],
        description=_l(
            "What happened, what you did and what you learned. Markdown is allowed. Do not write "
            "names, addresses, ID codes, phone numbers or other details that identify the client "
            "or their family: refer to them by their code."
        ),
        render_kw={"rows": 8},
    )
    debrief_session_id = SelectField(
        _l("Discussed at session"),
        choices=[],
        coerce=_int_or_none,
        validators=[Optional()],
        description=_l("The debriefing session where this practice was discussed, if any."),
    )
    save = SubmitField(_l("Save draft"))
    send = SubmitField(_l("Submit for sign-off"))


class ReviewForm(FlaskForm):
    """A trainer signs an entry off, or returns it with a comment."""

    comment = TextAreaField(
        _l("Comment to the trainee"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Needed when you return the entry: say what to change."),
        render_kw={"rows": 4},
    )
    attest = BooleanField(ATTESTATION)
    approve = SubmitField(_l("Sign off"))
    send_back = SubmitField(_l("Return to the trainee"))


class BulkApproveForm(FlaskForm):
    """Sign off several reviewed entries at once; the entries are the checked ``revision``s."""

    attest = BooleanField(ATTESTATION)
    approve = SubmitField(_l("Sign off the selected entries"))


class QueueFilterForm(FlaskForm):
    """The queue's filters, read from the address so that a filtered list can be shared."""

    class Meta:
        csrf = False

    cohort = SelectField(_l("Cohort"), choices=[], coerce=_int_or_none, validators=[Optional()])
    trainee = SelectField(_l("Trainee"), choices=[], coerce=_int_or_none, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("awaiting", _l("waiting for sign-off")),
            SelectChoice("returned", _l("returned")),
            SelectChoice("approved", _l("signed off")),
            SelectChoice("all", _l("all")),
        ],
        default="awaiting",
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
