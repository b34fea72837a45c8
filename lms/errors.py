"""One family of refusals: a rule of a feature says no, in the reader's language, and a view says
so the same way everywhere (``refused``)."""

from flask import flash

from lms.extensions import db


class DomainError(ValueError):
    """A change the rules refuse; the message says why. ``field`` names the form field it is
    about, when there is one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


def refused(
    error: DomainError, form=None, *, to_form: bool = False, category: str = "error"
) -> None:
    """Undo the refused change and say why: under the form field it is about (the form keeps
    what was typed), else above the form (``to_form``), else at the top of the next page."""
    db.session.rollback()
    target = getattr(form, error.field or "", None) if form is not None else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    elif to_form and form is not None:
        form.form_errors.append(str(error))
    else:
        flash(str(error), category)
