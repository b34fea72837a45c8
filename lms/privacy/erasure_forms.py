"""The form that confirms an erasure: a tick and the person's email typed again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class EraseForm(FlaskForm):
    """Confirm erasing one person's data."""

    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    email = StringField(
        _l("The person's email address"),
        description=_l("Type it to show that this is the person who asked."),
        validators=[DataRequired(message=_l("Type the person's email address.")), Length(max=254)],
    )
    submit = SubmitField(_l("Erase this person's data"))
