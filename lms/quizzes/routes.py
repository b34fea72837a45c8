"""Quiz pages for trainees: the list, taking a quiz (every answer saved as it is given) and the
result. The pages for trainers and coordinators are in ``staff_routes``."""

from flask import (
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

from lms.access import ensure_visible, login_required
from lms.auth.models import Role, User
from lms.courses.api import get_catalog
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import now
from lms.quizzes import attempts, catalogue, grading, marking, regrading
from lms.quizzes.blueprint import bp, get_quiz, own_attempt, quiz_of, shown
from lms.quizzes.models import QuizAttempt


@bp.route("/")
@login_required
def index():
    """Every quiz by course, with the person's own standing in each."""
    quizzes = catalogue.all_quizzes(db.session)
    results = marking.results(db.session, [current_user.id], quizzes, now=now())
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
    # an attempt past its deadline shows as finished; the next write keeps it so
    attempts.finish_overdue(db.session, moment, slug=slug, user_id=current_user.id)
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


def _closed_attempt(quiz, attempt: QuizAttempt, *, quiet: bool = False) -> bool:
    """Submit the attempt if its time ran out; True when it is no longer open. A page that only
    shows (GET) submits in the session and commits nothing: the next write keeps it."""
    if attempts.is_overdue(attempt, now()):
        attempts.submit(db.session, quiz, attempt, now=now(), auto=True)
        if request.method == "POST":
            db.session.commit()
        if not quiet:
            message = _("The time was up, so your attempt was submitted with the answers saved.")
            flash(message, "info")
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
            refused(error, category="info")
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
    ensure_visible(attempt is not None and marking.can_review(db.session, current_user, attempt))
    quiz = quiz_of(attempt)
    closed = _closed_attempt(quiz, attempt, quiet=True)
    if attempt.user_id == current_user.id and not closed:
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
