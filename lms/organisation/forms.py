"""The organisation's settings form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional, ValidationError

from lms.config import LANGUAGES


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[InputRequired(_l("Give the organisation's name.")), Length(max=200)],
        description=_l("Printed on every certificate and shown where certificates are checked."),
    )
    address = StringField(
        _l("Address"),
        validators=[Optional(), Length(max=300)],
        description=_l("One line, such as: Turu 2, 51014 Tartu"),
    )
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=300),
            URL(require_tld=True, message=_l("Give a full address such as https://example.org")),
        ],
    )
    second_language = SelectField(
        _l("Second language on certificates"),
        choices=[SelectChoice("", _l("None: only the holder's language"))]
        + [SelectChoice(code, name) for code, name in LANGUAGES.items()],
        validators=[Optional()],
        description=_l(
            "Printed beneath the holder's language, so that, for example, an Estonian employer "
            "can read a certificate printed in Ukrainian."
        ),
    )
    logo = FileField(
        _l("Logo"),
        description=_l("A PNG or JPEG image of at most 1 MB; leave empty to keep the current one."),
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    save = SubmitField(_l("Save"))

    def validate_website(self, field):
        """Only web addresses: the page links to it."""
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Give a full address such as https://example.org"))
