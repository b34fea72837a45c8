"""The funder report's filters, read from the address so that a report can be shared."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError


def _int_or_none(value):
    """A cohort id, or None for the empty value of "All cohorts"."""
    return int(value) if value not in (None, "") else None


def _text_or_none(value):
    """A slug or region, or None for the empty value of "All ..."."""
    return value or None


#: The value of each "All ..." option: empty, so the browser sends ``cohort=`` and not ``None``.
ALL = ""


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    programme = SelectField(
        _l("Programme"), choices=[], coerce=_text_or_none, validators=[Optional()]
    )
    cohort = SelectField(_l("Cohort"), choices=[], coerce=_int_or_none, validators=[Optional()])
    region = SelectField(_l("Region"), choices=[], coerce=_text_or_none, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))
