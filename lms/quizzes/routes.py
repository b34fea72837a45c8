"""Quiz pages: the list, taking a quiz (every answer saved as it is given), the result, and for
trainers uploading GIFT files, grading essays, regrading and the cohort gradebook."""

from datetime import datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import login_required, staff_only
from lms.auth.models import Role, User
from lms.cohorts.api import local_datetime, managed_cohort, programme_of, zone
from lms.cohorts.models import Enrolment
from lms.courses.api import get_catalog
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import content_language, now
from lms.quizzes import attempts, catalogue, grading, marking, regrading
from lms.quizzes.authoring import quiz_form_page
from lms.quizzes.forms import GradeForm, QuizForm, WindowForm
from lms.quizzes.gradebook import gradebook_page
from lms.quizzes.models import QuizAttempt, QuizResponse, QuizWindow, UploadedQuiz
from lms.rendering import render_text

bp = Blueprint("quizzes", __name__)


def get_quiz(slug: str):
    return catalogue.get_quiz(db.session, slug) or abort(404)


def quiz_of(attempt: QuizAttempt):
    """The version of the quiz the attempt is taken and graded on."""
    return catalogue.attempt_quiz(db.session, attempt) or abort(404)


def own_attempt(attempt_id: int) -> QuizAttempt:
    """The current person's attempt; anybody else's is a 404."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def shown(quiz) -> dict:
    """What a page needs to show the quiz in the reader's language (``?lang=`` for another it
    exists in): ``quiz`` in that language, the ``languages`` and whether the reader's was
    missing (``fell_back``). Services always get the source quiz."""
    languages = catalogue.quiz_languages(quiz)
    language, fell_back = content_language(languages)
    local = catalogue.localized(quiz, language) or quiz
    return {"quiz": local, "languages": languages, "fell_back": fell_back}


@bp.app_context_processor
def quiz_helpers() -> dict:
    """``quiz_title(quiz)`` for any page that names a quiz."""
    return {"quiz_title": catalogue.quiz_title}


@bp.app_template_filter("quiz_text")
def quiz_text(text: str, text_format: str = "moodle", inline: bool = False):
    return render_text(text, text_format, inline=inline)


@bp.route("/")
@login_required
def index():
    """Every quiz by course, with the person's own standing in each."""
    quizzes = catalogue.all_quizzes(db.session)
    if attempts.finish_overdue(db.session, now(), user_id=current_user.id):
        db.session.commit()
    results = marking.results(db.session, [current_user.id], quizzes)
    catalog = get_catalog()
    courses = {course.slug: course for course in catalog.courses}
    groups: dict[str, list] = {slug: [] for slug in courses}  # in the courses' order
    for quiz in quizzes:
        groups.setdefault(quiz.course if quiz.course in courses else "", []).append(quiz)
    groups = {slug: items for slug, items in groups.items() if items}
    staff_view = current_user.has_role(Role.TRAINER, Role.COORDINATOR)
    return render_template(
        "quizzes/index.html",
        groups=groups,
        courses=courses,
        results={slug: result for (_, slug), result in results.items()},
        problems=catalogue.shipped_quizzes().problems if staff_view else [],
        staff_view=staff_view,
    )


@bp.route("/<slug>")
@login_required
def show(slug: str):
    """A quiz's rules, the person's attempts and the button to start or go on."""
    quiz = catalogue.get_quiz(db.session, slug)
    if quiz is None:  # the file broke or went: an attempt in progress goes on with its version
        attempt = next(
            (a for a in attempts.attempts_of(db.session, slug, current_user.id) if a.is_open), None
        )
        if attempt is None:
            abort(404)
        return redirect(url_for(".take", attempt_id=attempt.id))
    moment = now()
    attempts.finish_overdue(db.session, moment, slug=slug, user_id=current_user.id)
    db.session.commit()
    tries = attempts.attempts_of(db.session, slug, current_user.id)
    cohort = attempts.quiz_cohort(db.session, quiz, current_user.id)
    window = attempts.window_of(db.session, cohort.id if cohort else None, slug)
    open_attempt = next((a for a in tries if a.is_open), None)
    reason = None if open_attempt else attempts.why_closed(quiz, window, len(tries), moment)
    staff_view = current_user.has_role(Role.TRAINER, Role.COORDINATOR)
    may_regrade = staff_view and regrading.can_regrade(db.session, current_user, quiz)
    return render_template(
        "quizzes/show.html",
        **shown(quiz),
        attempts=tries,
        open_attempt=open_attempt,
        window=window,
        reason=reason,
        staff_view=staff_view,
        may_regrade=may_regrade,
        outdated=regrading.outdated_attempts(db.session, quiz) if may_regrade else 0,
        lesson=_lesson_of(quiz),
        form=ConfirmForm(),
    )


def _lesson_of(quiz):
    course = get_catalog().course(quiz.course) if quiz.course else None
    return (course, course.lesson(quiz.lesson) if quiz.lesson else None) if course else None


@bp.route("/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    quiz = get_quiz(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_attempt(db.session, quiz, current_user, now())
    except catalogue.QuizError as error:
        db.session.commit()  # attempts that ran out of time were submitted on the way
        flash(str(error), "error")
        return redirect(url_for(".show", slug=slug))
    db.session.commit()
    return redirect(url_for(".take", attempt_id=attempt.id))


def _closed_attempt(quiz, attempt: QuizAttempt) -> bool:
    """Submit the attempt if its time ran out; True when it is no longer open."""
    if attempts.is_overdue(attempt, now()):
        attempts.submit(db.session, quiz, attempt, now=now(), auto=True)
        db.session.commit()
        flash(_("The time was up, so your attempt was submitted with the answers saved."), "info")
    return not attempt.is_open


@bp.route("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int):
    """The open attempt with every saved answer filled in."""
    attempt = own_attempt(attempt_id)
    quiz = quiz_of(attempt)
    if _closed_attempt(quiz, attempt):
        return redirect(url_for(".result", attempt_id=attempt.id))
    page = shown(quiz)
    items = attempts.attempt_questions(page["quiz"], attempt)
    return render_template(
        "quizzes/take.html",
        **page,
        attempt=attempt,
        items=items,
        question_count=sum(1 for _, question in items if question.kind != "description"),
        options=grading.match_options,
        unanswered=_unanswered(quiz, attempt),
    )


def _unanswered(quiz, attempt) -> int:
    return sum(
        1
        for item, question in attempts.attempt_questions(quiz, attempt)
        if question.graded and getattr(attempt.response(item["key"]), "answer", None) is None
    )


def _form_answer(position: int, question) -> tuple[list[str], dict[str, str]]:
    name = f"q-{position}"
    pairs = {
        field[len(name) + 1 :]: request.form[field]
        for field in request.form
        if field.startswith(name + "-")
    }
    return request.form.getlist(name), pairs


def _key_at(attempt: QuizAttempt, position: str | None) -> str:
    if position is None or not position.isdigit() or int(position) >= len(attempt.layout):
        raise catalogue.QuizError(_("That question is not part of this attempt."))
    return attempt.layout[int(position)]["key"]


@bp.route("/attempts/<int:attempt_id>/answer", methods=["POST"])
@login_required
def answer(attempt_id: int):
    """Save one answer as it is given (called by the page's script); answers in JSON."""
    attempt = own_attempt(attempt_id)
    quiz = quiz_of(attempt)
    # "refused": the server will never take this answer, so the page drops it and says so;
    # any other failure (session, form token, outage) leaves it waiting in the browser.
    if _closed_attempt(quiz, attempt):
        return jsonify(error=_("This attempt is closed."), closed=True, refused=True), 409
    try:
        position = request.form.get("position")
        key = _key_at(attempt, position)
        values, pairs = _form_answer(int(position), quiz.question(key))
        attempts.save_answer(db.session, quiz, attempt, key, values, pairs, now=now())
    except catalogue.QuizError as error:
        db.session.rollback()
        return jsonify(error=str(error), refused=True), 400
    db.session.commit()
    return jsonify(saved=True, unanswered=_unanswered(quiz, attempt))


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def save(attempt_id: int):
    """Save every answer on the page (the button that works without script)."""
    attempt = own_attempt(attempt_id)
    quiz = quiz_of(attempt)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if _closed_attempt(quiz, attempt):
        return redirect(url_for(".result", attempt_id=attempt.id))
    errors, number = [], 0
    for position, (item, question) in enumerate(attempts.attempt_questions(quiz, attempt)):
        if not question.graded:
            continue
        number += 1  # as the page numbers them: descriptions carry no number
        values, pairs = _form_answer(position, question)
        try:
            with db.session.begin_nested():
                attempts.save_answer(
                    db.session, quiz, attempt, item["key"], values, pairs, now=now()
                )
        except catalogue.QuizError as error:
            errors.append(_("Question %(number)s: %(error)s", number=number, error=error))
    db.session.commit()
    for error in errors:
        flash(error, "error")
    if request.form.get("finish") and not errors:
        return redirect(url_for(".confirm_submit", attempt_id=attempt.id))
    if not errors:
        flash(_("Your answers are saved."), "success")
    language = request.form.get("lang")
    language = language if language in current_app.config["LANGUAGES"] else None
    return redirect(url_for(".take", attempt_id=attempt.id, lang=language))


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def confirm_submit(attempt_id: int):
    """Ask before submitting: nothing can be changed afterwards."""
    attempt = own_attempt(attempt_id)
    quiz = quiz_of(attempt)
    form = ConfirmForm()
    if attempt.submitted_at is not None and request.method == "POST":
        flash(_("This attempt was already submitted."), "info")
        return redirect(url_for(".result", attempt_id=attempt.id))
    if _closed_attempt(quiz, attempt):
        return redirect(url_for(".result", attempt_id=attempt.id))
    if form.validate_on_submit():
        try:
            attempts.submit(db.session, quiz, attempt, now=now())
        except catalogue.QuizError as error:
            db.session.rollback()
            flash(str(error), "info")
        else:
            db.session.commit()
        return redirect(url_for(".result", attempt_id=attempt.id))
    return render_template(
        "quizzes/submit.html",
        **shown(quiz),
        attempt=attempt,
        unanswered=_unanswered(quiz, attempt),
        form=form,
    )


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """The graded attempt, showing what the quiz's review options allow (staff see all)."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or not marking.can_review(db.session, current_user, attempt):
        abort(404)
    quiz = quiz_of(attempt)
    if attempt.user_id == current_user.id and _closed_attempt(quiz, attempt) is False:
        return redirect(url_for(".take", attempt_id=attempt.id))
    if attempt.is_open:
        abort(404)
    own = attempt.user_id == current_user.id
    review = quiz.review if own else frozenset({"score", "feedback", "answers"})
    page = shown(quiz)
    return render_template(
        "quizzes/result.html",
        **page,
        attempt=attempt,
        trainee=db.session.get(User, attempt.user_id),
        items=attempts.attempt_questions(page["quiz"], attempt),
        alternates=catalogue.alternates(quiz),
        review=review,
        own=own,
        passed=marking.passed(quiz, attempt),
        grading=grading,
        options=grading.match_options,
    )


# --- trainers and coordinators ---------------------------------------------------------------


@bp.route("/<slug>.gift")
@staff_only
def download(slug: str):
    """The quiz as a GIFT file (settings in comment lines), ready for Moodle or for editing."""
    quiz = get_quiz(slug)
    return Response(
        quiz.to_gift(),
        mimetype="text/plain; charset=utf-8",
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
    if not regrading.can_regrade(db.session, current_user, quiz):
        abort(404)
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
    """Essays waiting for a grade, from the trainer's own cohorts (coordinators: all)."""
    return render_template(
        "quizzes/grading.html", waiting=marking.grading_queue(db.session, current_user)
    )


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
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Grade saved."), "success")
            return redirect(url_for(".grading_queue"))
    return render_template(
        "quizzes/grade.html",
        quiz=quiz,
        attempt=attempt,
        response=response,
        question=question,
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
            db.session.rollback()
            flash(str(error), "error")
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
