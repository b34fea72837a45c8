"""The cohort gradebook: trainees by quizzes (best score, attempts, passed), on a page or as a
CSV or XLSX download. Its query count does not grow with the cohort."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.cohorts.models import STATUS_LABELS, Cohort, Enrolment
from lms.collation import by_name
from lms.exports import table_response
from lms.extensions import db
from lms.programmes.api import Programme
from lms.quizzes import catalogue, marking
from lms.quizzes.definitions import Quiz


@dataclass
class Gradebook:
    quizzes: list[Quiz]
    required: set[str]
    rows: list[tuple[User, str, list[marking.Result]]]  # trainee, status, a result per quiz


def build_gradebook(session: Session, cohort: Cohort, programme: Programme) -> Gradebook:
    quizzes = catalogue.programme_quizzes(programme, catalogue.all_quizzes(session))
    people = by_name(
        session.execute(
            sa.select(User, Enrolment.status)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id)
        ).all(),
        lambda row: row[0].display_name,
        tie=lambda row: row[0].id,
    )
    table = marking.results(session, [user.id for user, _ in people], quizzes)
    rows = [
        (user, status, [table.get((user.id, quiz.slug), marking.Result()) for quiz in quizzes])
        for user, status in people
    ]
    return Gradebook(quizzes, set(programme.quizzes), rows)


def _percent(value: float | None) -> float | str:
    return round(value * 100, 1) if value is not None else ""


def gradebook_page(cohort: Cohort, programme: Programme, kind: str | None):
    book = build_gradebook(db.session, cohort, programme)
    if kind:
        header = [_("Trainee"), _("Email"), _("Status")]
        for quiz in book.quizzes:
            header += [
                _("%(quiz)s: best %%", quiz=quiz.title_for(str(get_locale()))),
                _("attempts"),
                _("passed"),
            ]
        header.append(_("Required quizzes passed"))
        rows = []
        for user, status, results in book.rows:
            row = [user.display_name, user.email, str(STATUS_LABELS.get(status, status))]
            for result in results:
                row += [_percent(result.best), result.attempts, _("yes") if result.passed else ""]
            row.append(_required_passed(book, results))
            rows.append(row)
        name = f"gradebook-{cohort.id}"
        return table_response(kind, name, _("Gradebook"), header, rows)
    return render_template(
        "quizzes/gradebook.html",
        cohort=cohort,
        programme=programme,
        book=book,
        required_passed=lambda results: _required_passed(book, results),
    )


def _required_passed(book: Gradebook, results: list[marking.Result]) -> int:
    return sum(
        1
        for quiz, result in zip(book.quizzes, results, strict=True)
        if quiz.slug in book.required and result.passed
    )
