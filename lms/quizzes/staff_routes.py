"""Quiz pages for trainers and coordinators: GIFT download and upload, editing, regrading,
grading essays, the cohort gradebook and the dates each cohort takes a quiz."""

from datetime import datetime

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import ensure_visible, login_required, staff_only
from lms.auth.models import User
from lms.cohorts.api import local_datetime, managed_cohort, programme_of, zone
from lms.cohorts.models import Enrolment
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import now
from lms.quizzes import attempts, catalogue, marking, regrading
from lms.quizzes.authoring import quiz_form_page
from lms.quizzes.blueprint import bp, get_quiz, quiz_of, shown_question
from lms.quizzes.forms import GradeForm, QuizForm, WindowForm
from lms.quizzes.gradebook import gradebook_page
from lms.quizzes.models import QuizResponse, QuizWindow, UploadedQuiz


@bp.route("/<slug>.gift")
@staff_only
def download(slug: str):
    """The quiz as a GIFT file (settings in comment lines), ready for Moodle or for editing."""
    quiz = get_quiz(slug)
    return Response(
        quiz.to_gift(),
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{slug}.gift"'},
    )


@bp.route("/upload", methods=["GET", "POST"])
@staff_only
def upload():
    """Upload a GIFT file, preview it with any problems by line, then save it as a quiz."""
    return quiz_form_page(QuizForm(), None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@staff_only
def edit(slug: str):
    """Correct an uploaded quiz (the answer key, a typo); shipped quizzes are edited as files."""
    row = db.session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == slug))
    if row is None:
        abort(404)
    return quiz_form_page(QuizForm(), row)


@bp.route("/<slug>/regrade", methods=["GET", "POST"])
@staff_only
def regrade(slug: str):
    """Grade every submitted attempt again with the quiz's current answer key."""
    quiz = get_quiz(slug)
    ensure_visible(regrading.can_regrade(db.session, current_user, quiz))
    form = ConfirmForm()
    if form.validate_on_submit():
        regraded, changed = regrading.regrade(db.session, quiz, current_user)
        db.session.commit()
        flash(
            _(
                "%(attempts)s attempts regraded; %(changed)s scores changed.",
                attempts=regraded,
                changed=changed,
            ),
            "success",
        )
        return redirect(url_for(".show", slug=slug))
    return render_template(
        "quizzes/regrade.html",
        quiz=quiz,
        outdated=regrading.outdated_attempts(db.session, quiz),
        form=form,
    )


@bp.route("/grading")
@staff_only
def grading_queue():
    """Essays waiting for a grade, from the trainer's own cohorts (coordinators: all), each
    question named in the reader's language."""
    waiting = marking.grading_queue(db.session, current_user)
    questions = {
        row.response.id: shown_question(row.quiz, row.response.question_key)
        for row in waiting
        if row.quiz is not None
    }
    return render_template("quizzes/grading.html", waiting=waiting, questions=questions)


@bp.route("/grading/<int:response_id>", methods=["GET", "POST"])
@staff_only
def grade(response_id: int):
    """Grade one essay answer with a comment; the attempt's score is final once all are graded."""
    response = db.session.get(QuizResponse, response_id) or abort(404)
    attempt = response.attempt
    if attempt.is_open or not marking.can_review(db.session, current_user, attempt):
        abort(404)
    if attempt.user_id == current_user.id:
        abort(404)  # nobody grades their own answers
    quiz = quiz_of(attempt)
    question = quiz.question(response.question_key)
    if question is None or question.kind != "essay":
        abort(404)
    form = GradeForm()
    if request.method == "GET" and response.graded_at is not None:
        form.score.data = round(response.fraction * 100, 2)
        form.comment.data = response.comment
    if form.validate_on_submit():
        try:
            marking.grade_essay(
                db.session,
                quiz,
                response,
                fraction=float(form.score.data) / 100,
                comment=form.comment.data or "",
                grader=current_user,
                now=now(),
            )
        except catalogue.QuizError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_("Grade saved."), "success")
            return redirect(url_for(".grading_queue"))
    return render_template(
        "quizzes/grade.html",
        quiz=quiz,
        attempt=attempt,
        response=response,
        question=shown_question(quiz, response.question_key),  # the grade goes to the source's
        trainee=db.session.get(User, attempt.user_id),
        form=form,
    )


@bp.route("/cohorts/<int:cohort_id>/gradebook")
@bp.route("/cohorts/<int:cohort_id>/gradebook.<any(csv, xlsx):kind>")
@login_required
def gradebook(cohort_id: int, kind: str | None = None):
    """Trainees by quizzes: best score, attempts, passed; as a page, CSV or XLSX."""
    cohort = managed_cohort(cohort_id)
    return gradebook_page(cohort, programme_of(cohort), kind)


@bp.route("/cohorts/<int:cohort_id>/dates", methods=["GET", "POST"])
@login_required
def dates(cohort_id: int):
    """When the cohort may take each of its programme's quizzes."""
    cohort = managed_cohort(cohort_id)
    programme = programme_of(cohort)
    quizzes = catalogue.programme_quizzes(programme, catalogue.all_quizzes(db.session))
    form = WindowForm()
    if form.validate_on_submit():
        quiz = next((q for q in quizzes if q.slug == form.quiz.data), None) or abort(404)
        opens = _local(form.opens_at.data)
        closes = _local(form.closes_at.data)
        try:
            attempts.set_window(db.session, cohort, quiz.slug, opens, closes, current_user)
        except catalogue.QuizError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_("Dates saved for “%(quiz)s”.", quiz=catalogue.quiz_title(quiz)), "success")
            return redirect(url_for(".dates", cohort_id=cohort.id))
    elif request.method == "POST":
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    windows = {
        window.quiz_slug: window
        for window in db.session.scalars(
            sa.select(QuizWindow).where(QuizWindow.cohort_id == cohort.id)
        )
    }
    return render_template(
        "quizzes/dates.html",
        cohort=cohort,
        programme=programme,
        quizzes=quizzes,
        windows=windows,
        zone=zone(),
        form=form,
        trainee_count=db.session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == cohort.id)
        ),
    )


def _local(value: datetime | None) -> datetime | None:
    return local_datetime(value.date(), value.time(), zone()) if value else None
