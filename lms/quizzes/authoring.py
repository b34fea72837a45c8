"""Uploading and correcting a quiz in the browser: GIFT text in, preview with problems by line,
save. The settings come from the form; ``// @`` lines in an uploaded file fill the form first.
A file exported from Moodle has none: its title then comes from its first ``$CATEGORY`` or its
file name (``definitions.title_from``)."""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.courses.api import Problem, get_catalog
from lms.extensions import db
from lms.quizzes import catalogue, gift, regrading
from lms.quizzes.definitions import REVIEW_OPTIONS, Quiz, read_quiz, read_settings, title_from
from lms.quizzes.forms import KIND_LABELS, MAX_GIFT_BYTES, QuizForm
from lms.quizzes.models import UploadedQuiz

_SETTING_LINE = re.compile(r"^\s*//\s*@.*$", re.MULTILINE)


def _link_choices(form: QuizForm, language: str) -> None:
    choices = [("", _("Not linked"))]
    for course in get_catalog().courses:
        title = course.title_for(language)
        choices.append((course.slug, title))
        choices += [
            (f"{course.slug}/{lesson.slug}", f"{title}: {lesson.text_for(language).title}")
            for lesson in course.lessons
        ]
    form.link.choices = choices


def _fill_from(form: QuizForm, settings: dict) -> None:
    """Put settings (from a quiz or from a file's @ lines) into the form."""
    if "title" in settings:
        form.title.data = settings["title"]
    if "course" in settings:
        course, lesson = settings["course"], settings.get("lesson", "")
        form.link.data = f"{course}/{lesson}" if lesson else course
    for name in ("pass_mark", "attempts", "time_limit", "shuffle_questions", "shuffle_answers"):
        if name in settings:
            getattr(form, name).data = settings[name]
    if "review" in settings:
        form.review.data = [option for option in REVIEW_OPTIONS if option in settings["review"]]


def _header(form: QuizForm) -> list[str]:
    """The form's settings as ``@`` lines, written the way a quiz writes its own."""
    course, _, lesson = (form.link.data or "").partition("/")
    settings = Quiz(
        slug="",
        title=" ".join((form.title.data or "").split()),
        parsed_questions=(),
        course=course,
        lesson=lesson,
        pass_mark=float(form.pass_mark.data or 0),
        attempts=form.attempts.data or 0,
        time_limit=form.time_limit.data or 0,
        shuffle_questions=bool(form.shuffle_questions.data),
        shuffle_answers=bool(form.shuffle_answers.data),
        review=frozenset(form.review.data or ()),
    )
    return settings.settings_header()


def _read_file(form: QuizForm) -> str | None:
    """The uploaded file's text with its @ lines blanked (they fill the form), or None."""
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    data = upload.read(MAX_GIFT_BYTES + 1)
    if len(data) > MAX_GIFT_BYTES:
        form.file.errors = [_("The file is larger than %(kb)s KB.", kb=MAX_GIFT_BYTES // 1024)]
        return ""
    text, problem = gift.decode(data)
    if problem:
        form.file.errors = [
            _("Line %(line)s: %(message)s", line=problem.line, message=problem.message)
        ]
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _absorb_settings(form: QuizForm, text: str) -> str:
    """Settings written as ``// @`` lines in the text fill the form; the lines stay as ``//``
    so that every line number still matches the file."""
    if not _SETTING_LINE.search(text):
        return text
    _fill_from(form, read_settings(gift.parse(text).header, lambda line, message: None))
    return _SETTING_LINE.sub("//", text)


def _fill_title(form: QuizForm) -> None:
    """A quiz without a title (a Moodle export has no ``@title``) takes one from its first
    ``$CATEGORY`` or the uploaded file's name; with neither, the title field asks for one."""
    if (form.title.data or "").strip():
        return
    upload = form.file.data
    name = getattr(upload, "filename", "") or ""
    form.title.data = title_from(gift.parse(form.source.data or ""), name)
    if not form.title.data:
        form.title.errors = [_("Give the quiz a title.")]


def _check(form: QuizForm, slug: str, replacing: bool):
    """(quiz or None, problems with lines counted in the text box, full source)."""
    body = form.source.data or ""
    header = _header(form)
    source = "\n".join(f"// {line}" for line in header) + "\n" + body
    quiz, found = read_quiz(slug, source, "", origin="upload")
    shift = len(header)
    problems = [Problem("", max(p.line - shift, 1), p.message) for p in found]
    for message in catalogue.name_problems(db.session, slug, replacing=replacing):
        problems.append(Problem("", 1, message))
    problems = sorted(set(problems))
    warnings = (
        [Problem("", max(w.line - shift, 1), w.message) for w in quiz.warnings] if quiz else []
    )
    return quiz, problems, warnings, source, gift.parse(body).questions


def quiz_form_page(form: QuizForm, row: UploadedQuiz | None):
    """The upload page (``row`` None) or the edit page of an uploaded quiz."""
    _link_choices(form, current_user.language)
    if row is not None:
        form.slug.data = row.slug  # the address never changes
        if request.method == "GET":
            _fill_from(form, read_settings(gift.parse(row.source).header, lambda *a: None))
            form.source.data = _SETTING_LINE.sub("//", row.source).lstrip("/\n")
    preview = problems = None
    warnings: list[Problem] = []
    if request.method == "POST":
        valid = form.validate()  # first: validating again would clear the errors added below
        uploaded = _read_file(form)
        if uploaded is not None:
            form.source.data = uploaded
        form.source.data = _absorb_settings(form, form.source.data or "")
        _fill_title(form)
        if len(form.source.data.encode()) > MAX_GIFT_BYTES:
            form.source.errors = [
                _("The text is longer than %(kb)s KB.", kb=MAX_GIFT_BYTES // 1024)
            ]
        elif not form.source.data.strip() and not form.file.errors:
            form.source.errors = [_("Upload a GIFT file or write the questions.")]
        valid = valid and not (form.file.errors or form.source.errors or form.title.errors)
        if valid:
            quiz, problems, warnings, source, preview = _check(
                form, form.slug.data, row is not None
            )
            if form.save.data and not problems:
                saved = catalogue.save_upload(db.session, form.slug.data, source, current_user)
                db.session.commit()
                flash(_("Quiz “%(title)s” saved.", title=form.title.data), "success")
                if (
                    row is not None
                    and regrading.outdated_attempts(db.session, quiz)
                    and regrading.can_regrade(db.session, current_user, quiz)
                ):
                    flash(
                        _("Attempts graded with the earlier version can now be regraded."), "info"
                    )
                return redirect(url_for("quizzes.show", slug=saved.slug))
    lines = (form.source.data or "").split("\n")
    return render_template(
        "quizzes/form.html",
        form=form,
        row=row,
        preview=preview,
        problems=problems,
        warnings=warnings,
        lines=lines,
        question_kinds=KIND_LABELS,
    )
