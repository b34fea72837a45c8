"""Forms for coordinators managing people."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from lms.auth.models import ROLE_LABELS
from lms.config import LANGUAGES
from lms.forms import CheckboxesField


class UserForm(FlaskForm):
    """A person's details and roles."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()
        ],
    )
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=120)])
    roles = CheckboxesField(
        _l("Roles"),
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )
    submit = SubmitField(_l("Save"))


class ImportForm(FlaskForm):
    """A CSV file of people."""

    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(message=_l("Choose a file.")),
            FileAllowed(["csv", "txt"], _l("The file must be a .csv file.")),
        ],
    )
    submit = SubmitField(_l("Check and import"))
