"""The practice entry form: its choices from the programme and cohort, and its checks together
with the practice rules, so that one submission shows every problem."""

from flask import flash
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from lms.cohorts import api as cohorts
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.i18n import local_today as today
from lms.practice import privacy, services
from lms.practice.forms import EntryForm


def form_for(programme, cohort: Cohort, form: EntryForm | None = None) -> EntryForm:
    """The entry form with the programme's client groups and activities and the cohort's
    sessions (in the reader's language) to choose from."""
    form = form or EntryForm()
    language = str(get_locale())
    form.client_group.choices = [
        SelectChoice(g.slug, g.title_for(language)) for g in programme.client_groups
    ]
    form.activity.choices = [
        SelectChoice(a.slug, a.title_for(language)) for a in programme.activities
    ]
    sessions = [s for s in cohorts.cohort_sessions(db.session, cohort.id) if not s.cancelled]
    form.debrief_session_id.choices = [SelectChoice(None, _("Not discussed at a session yet"))] + [
        SelectChoice(s.id, f"{format_date(s.starts_at, 'short')} · {s.title}") for s in sessions
    ]
    return form


def data(form: EntryForm) -> services.EntryData:
    """What the form says; a value the form itself refused is None, so it is not checked twice."""

    def value(name, empty=None):
        item = getattr(form, name)
        return None if item.errors else (item.data if item.data is not None else empty)

    return services.EntryData(
        practised_on=value("practised_on"),
        minutes=value("minutes"),
        client_code=value("client_code", ""),
        client_group=value("client_group"),
        activity=value("activity"),
        core_acts=value("core_acts", []) or [],
        reflection=value("reflection", ""),
        debrief_session_id=value("debrief_session_id"),
    )


def validated(form: EntryForm, cohort: Cohort, programme, user_id: int, entry_id=None) -> bool:
    """The form's own checks and the practice rules in one pass, so that a refused entry shows
    every problem at once instead of one per submission."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    found = services.problems(
        db.session, data(form), user_id=user_id, cohort=cohort, programme=programme,
        today=today(), entry_id=entry_id,
    )  # fmt: skip
    for problem in found:
        show_error(form, problem)
    show_warnings(form)
    return valid and not found


def show_warnings(form: EntryForm) -> None:
    """Name each word of the reflection that may be a person's name; the entry is kept all the
    same, so the message also shows on the page the form leads to."""
    for warning in privacy.reflection_warnings(form.reflection.data or ""):
        flash(str(warning), "info")


def show_error(form: EntryForm, error: services.PracticeError) -> None:
    """Put each refused rule on its field; one that concerns no field becomes a message."""
    for problem in getattr(error, "problems", [error]):
        target = getattr(form, problem.field or "", None)
        if target is not None:
            target.errors = [*target.errors, str(problem)]
        else:
            flash(str(problem), "error")
