"""Forms shared by several features."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget


class ConfirmForm(FlaskForm):
    """A bare form: its CSRF token confirms a POST action."""

    submit = SubmitField(_l("Confirm"))


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
