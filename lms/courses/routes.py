"""Course pages: catalogue, course overview, lesson, completion, search, media, content problems."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from lms import hooks
from lms.access import ensure_visible, login_required, roles_required
from lms.auth.models import Role
from lms.courses import services
from lms.courses.content import IMAGE_SUFFIXES
from lms.courses.lesson_head import lesson_head
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import content_language, template_globals
from lms.security import cacheable

bp = Blueprint("courses", __name__)


def _language() -> str:
    return str(get_locale())


#: ``lesson_title(ref)`` and ``has_guide(ref)`` for any page that names a lesson by its
#: ``course/lesson``
template_globals(
    bp,
    {
        "lesson_title": lambda ref: services.lesson_title(ref, _language()),
        "has_guide": services.has_guide,
    },
)


def _course_or_404(course_slug: str):
    return services.get_catalog().course(course_slug) or abort(404)


def _staff() -> bool:
    """Whether the reader sees what is for trainers: the ``check`` callouts of lessons."""
    return current_user.has_role(Role.TRAINER, Role.COORDINATOR)


def _readable_guide(course, lesson):
    """The lesson's trainer's guide if the reader may read it (a trainee's page asks the database
    nothing more), else None."""
    staff = lesson.guide is not None and _staff()
    return (
        lesson.guide
        if staff and hooks.ask("teaches_course", db.session, current_user, course.slug)
        else None
    )


@bp.route("/")
@login_required
def catalogue():
    """Every course with the reader's progress."""
    catalog = services.get_catalog()
    completed = services.completed_lessons(db.session, current_user.id)
    courses = services.courses_with_progress(catalog, completed)
    return render_template(
        "courses/catalogue.html", courses=courses, problems=catalog.problems, language=_language()
    )


@bp.route("/<course_slug>/")
@login_required
def overview(course_slug: str):
    """A course: its lessons with minutes and which ones the reader has completed."""
    course = _course_or_404(course_slug)
    completed = services.completed_lessons(db.session, current_user.id)
    next_lesson = next(
        (lesson for lesson in course.lessons if (course.slug, lesson.slug) not in completed),
        None,
    )
    return render_template(
        "courses/overview.html",
        course=course,
        completed=completed,
        progress=services.course_progress(course, completed),
        next_lesson=next_lesson,
        language=_language(),
        quizzes=[
            q for q in hooks.ask("quizzes", db.session, course.slug) if q.course == course.slug
        ],
    )


@bp.route("/<course_slug>/<lesson_slug>")
@login_required
def lesson(course_slug: str, lesson_slug: str):
    """A lesson in the reader's language (or its source language, saying so); ``?lang=``
    reads it in another language it exists in. Its completion form carries the form token as
    a ``ConfirmForm`` renders it, without making one on every page."""
    course = _course_or_404(course_slug)
    current = course.lesson(lesson_slug) or abort(404)
    language = _language()
    languages = [current.source.language, *sorted(current.translations)]
    shown, fell_back = content_language(languages)
    text = current.text_for(shown)
    position = course.lessons.index(current)
    completed = services.completed_lessons(db.session, current_user.id)
    body = text.body.for_reader(_staff())
    is_completed = (course.slug, current.slug) in completed
    head = lesson_head(
        course, current, text, body.toc, language=language, languages=languages,
        fell_back=fell_back, is_completed=is_completed,
        has_guide=_readable_guide(course, current) is not None,
    )  # fmt: skip
    return render_template(
        "courses/lesson.html",
        course=course,
        lesson=current,
        text=text,
        body=body,
        lesson_head=head,
        fell_back=fell_back,
        languages=languages,
        previous=course.lessons[position - 1] if position > 0 else None,
        next=course.lessons[position + 1] if position + 1 < len(course.lessons) else None,
        is_completed=is_completed,
        progress=services.course_progress(course, completed),
        language=language,
        quizzes=[
            q
            for q in hooks.ask("quizzes", db.session, current.slug)
            if (q.course, q.lesson) == (course.slug, current.slug)
        ],
    )


@bp.route("/<course_slug>/<lesson_slug>/guide")
@login_required
def guide(course_slug: str, lesson_slug: str):
    """The lesson's trainer's guide, printable: for the trainers of a cohort whose programme
    includes the course, and coordinators; anyone else gets a 404, not a hint that it exists."""
    course = _course_or_404(course_slug)
    current = course.lesson(lesson_slug) or abort(404)
    ensure_visible(_readable_guide(course, current) is not None)
    languages = [current.guide.source.language, *sorted(current.guide.translations)]
    shown, fell_back = content_language(languages)
    return render_template(
        "courses/guide.html",
        course=course,
        lesson=current,
        guide=current.guide,
        text=current.guide.text_for(shown),
        fell_back=fell_back,
        languages=languages,
        language=_language(),
    )


@bp.route("/<course_slug>/<lesson_slug>/completion", methods=["POST"])
@login_required
def completion(course_slug: str, lesson_slug: str):
    """Mark the lesson as completed (or, with ``completed=0``, as not completed)."""
    course = _course_or_404(course_slug)
    current = course.lesson(lesson_slug) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    completed = request.form.get("completed", "1") != "0"
    services.set_completed(db.session, current_user.id, current, completed)
    db.session.commit()
    position = course.lessons.index(current)
    if completed and position + 1 < len(course.lessons):
        following = course.lessons[position + 1]
        return redirect(
            url_for("courses.lesson", course_slug=course.slug, lesson_slug=following.slug)
        )
    if completed:
        return redirect(url_for("courses.overview", course_slug=course.slug))
    return redirect(url_for("courses.lesson", course_slug=course.slug, lesson_slug=current.slug))


@bp.route("/search")
@login_required
def search():
    """Search every lesson in the reader's language."""
    query = request.args.get("q", "").strip()[:200]
    language = _language()
    catalog = services.get_catalog()
    hits = services.search_lessons(catalog, query, language, _staff()) if query else []
    return render_template("courses/search.html", query=query, hits=hits, language=language)


@bp.route("/<course_slug>/media/<path:filename>")
@login_required
@cacheable("private, max-age=3600")  # lesson pictures, not personal: a phone keeps them
def media(course_slug: str, filename: str):
    """An image of a course."""
    course = _course_or_404(course_slug)
    if "." + filename.rsplit(".", 1)[-1].lower() not in IMAGE_SUFFIXES:
        abort(404)
    folder = current_app.config["CONTENT_DIR"] / "courses" / course.slug
    return send_from_directory(folder, filename)


@bp.route("/problems")
@roles_required(Role.COORDINATOR)
def problems():
    """Content problems found by the loader, for coordinators to pass on to authors."""
    return render_template("courses/problems.html", problems=services.get_catalog().problems)
