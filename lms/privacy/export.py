"""*My data*: everything Tugi holds about one person, as one JSON-ready dictionary.

``person_data`` reads each kind of record with one query (``lms/privacy/gather.py``), so the
export costs the same number of statements for a person with one entry as for one with a
thousand. Secrets are left out: the password hash, the calendar token, the ids of login sessions
and the hashes of password links. Events a person made about others name the event but not the
values it changed, which are the others' data.
"""

from datetime import date, datetime

from flask_babel import force_locale

from lms import audit
from lms.auth.models import User
from lms.courses import api as courses
from lms.db import utcnow
from lms.privacy import gather
from lms.programmes import api as programmes
from lms.quizzes import api as quizzes

FORMAT = "tugi-person-data/1"
#: the audit action of an export made for a person by someone else (or from the command line)
EXPORTED = "person.data_exported"


def record_export(session, person: User, actor: User | None, shape: str) -> None:
    """Note in the audit trail that ``actor`` (None: the command line) took ``person``'s data
    away as ``shape`` ("json" or "page")."""
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action=EXPORTED,
        subject_type="user",
        subject_id=person.id,
        after={"shape": shape},
    )


def iso(value) -> str | None:
    """A date or moment as ISO 8601; None stays None."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def person_data(session, user: User, *, language: str | None = None, now=None) -> dict:
    """Everything held about ``user``: profile, enrolments, attendance, lessons read, quiz
    attempts with every answer, practice entries with every revision, certificates, alumni
    follow-ups, audit events about them or by them and the record of who opened their practice.

    Titles are given in ``language`` (the person's own by default); dates and moments are ISO.
    """
    language = language or user.language
    now = now or utcnow()
    rows = gather.gather(session, user.id)
    return {
        "format": FORMAT,
        "exported_at": iso(now),
        "person": _person(user, rows["roles"]),
        "logins": [
            {
                "started_at": iso(r.created_at),
                "remembered": r.remember,
                "ended_at": iso(r.revoked_at),
            }
            for r in rows["logins"]
        ],
        "password_links": [
            {
                "made_at": iso(r.created_at),
                "expires_at": iso(r.expires_at),
                "used_at": iso(r.used_at),
            }
            for r in rows["password_links"]
        ],
        "enrolments": [_enrolment(r, language) for r in rows["enrolments"]],
        "attendance": [_attendance(r) for r in rows["attendance"]],
        "check_ins": [
            {
                "session": r.title,
                "session_id": r.session_id,
                "checked_in_at": iso(r.checked_in_at),
                "confirmed_at": iso(r.confirmed_at),
            }
            for r in rows["check_ins"]
        ],
        "lessons_read": [
            {
                "lesson": f"{r.course_slug}/{r.lesson_slug}",
                "title": courses.lesson_title(f"{r.course_slug}/{r.lesson_slug}", language),
                "read_at": iso(r.completed_at),
            }
            for r in rows["lessons"]
        ],
        "quiz_attempts": _attempts(session, rows, language),
        "practice": _practice(rows, language),
        "certificates": [_certificate(r, language, now.date()) for r in rows["certificates"]],
        "alumni_follow_ups": [
            {
                "employment": r.employment,
                "role_title": r.role_title,
                "employer": r.employer,
                "asked_on": iso(r.asked_on),
                "recorded_at": iso(r.recorded_at),
            }
            for r in rows["follow_ups"]
        ],
        "audit_events": [_event(event, bool(about), user.id) for event, about in rows["events"]],
        "practice_access": [
            {"at": iso(r.at), "viewer": r.viewer, "entry_id": r.entry_id, "what": r.what}
            for r in rows["access"]
        ],
    }


def _person(user: User, roles: list[str]) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.display_name,
        "language": user.language,
        "municipality": user.municipality,
        "roles": roles,
        "active": user.active,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
        "privacy_notice_seen_at": iso(user.privacy_notice_seen_at),
        "erased_at": iso(user.erased_at),
    }


def _enrolment(row, language: str) -> dict:
    return {
        "cohort": row.cohort_name,
        "cohort_id": row.cohort_id,
        "programme": row.programme_slug,
        "programme_title": programmes.programme_title(row.programme_slug, language),
        "status": row.status,
        "enrolled_at": iso(row.enrolled_at),
        "signed_off_at": iso(row.signed_at),
        "sign_off_statement": row.statement,
    }


def _attendance(row) -> dict:
    return {
        "session": row.title,
        "session_id": row.session_id,
        "cohort": row.cohort_name,
        "starts_at": iso(row.starts_at),
        "ends_at": iso(row.ends_at),
        "cancelled": row.cancelled_at is not None,
        "mark": row.mark,
        "credited_minutes": row.credited_minutes,
        "note": row.note,
        "recorded_at": iso(row.updated_at),
    }


#: scores are shares of 1 kept as floats; four decimals read 0.9, not 0.8999999916666667
SCORE_DIGITS = 4


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, SCORE_DIGITS)


def _answer(r, question) -> dict:
    """A saved answer as stored, in words, and scored."""
    return {
        "question": r.question_key,
        "question_title": (question and question.title) or r.question_key,
        "answer": r.answer,
        "answer_text": quizzes.answer_text(question, r.answer) if question else None,
        "score": _score(r.fraction),
        "comment": r.comment,
        "saved_at": iso(r.saved_at),
        "graded_at": iso(r.graded_at),
    }


def _attempts(session, rows: dict, language: str) -> list[dict]:
    """Each attempt with every answer in words, on the version of the quiz it was taken on;
    titles in ``language`` where the quiz is translated."""
    titles = {quiz.slug: quiz.title_for(language) for quiz in rows["quizzes"]}
    taken = quizzes.attempt_versions(session, rows["attempts"], rows["quizzes"])
    shown = {
        attempt_id: (quiz, quizzes.localized(quiz, language) or quiz)
        for attempt_id, quiz in taken.items()
        if quiz is not None
    }
    answers: dict[int, list] = {}
    with force_locale(language):  # "True" and "False" in the language of the titles
        for r in rows["responses"]:
            source, local = shown.get(r.attempt_id, (None, None))
            question = local and (local.question(r.question_key) or source.question(r.question_key))
            answers.setdefault(r.attempt_id, []).append(_answer(r, question))
    return [
        {
            "quiz": a.quiz_slug,
            "quiz_title": titles.get(a.quiz_slug, a.quiz_slug),
            "number": a.number,
            "version": a.version,
            "started_at": iso(a.started_at),
            "deadline": iso(a.deadline),
            "submitted_at": iso(a.submitted_at),
            "submitted_automatically": a.auto_submitted,
            "score": _score(a.score),
            "awaiting_grading": a.awaiting_grading,
            "answers": answers.get(a.id, []),
        }
        for a in rows["attempts"]
    ]


def _choice_title(programme, kind: str, slug: str, language: str) -> str:
    choice = getattr(programme, kind)(slug) if programme else None
    return choice.title_for(language) if choice else slug


def _practice(rows: dict, language: str) -> list[dict]:
    revisions: dict[int, list] = {}
    for r, programme_slug, reviewer in rows["revisions"]:
        programme = programmes.get_programme(programme_slug)
        revisions.setdefault(r.entry_id, []).append(
            {
                "number": r.number,
                "status": r.status,
                "practised_on": iso(r.practised_on),
                "minutes": r.minutes,
                "client_code": r.client_code,
                "client_group": r.client_group,
                "client_group_title": _choice_title(
                    programme, "client_group", r.client_group, language
                ),
                "activity": r.activity,
                "activity_title": _choice_title(programme, "activity", r.activity, language),
                "core_acts": list(r.core_acts or []),
                "reflection": r.reflection,
                "debrief_session_id": r.debrief_session_id,
                "written_at": iso(r.created_at),
                "submitted_at": iso(r.submitted_at),
                "reviewer": reviewer,
                "reviewed_at": iso(r.reviewed_at),
                "review_comment": r.review_comment,
                "attestation": r.attestation,
                "redacted_at": iso(r.redacted_at),
            }
        )
    return [
        {
            "entry_id": e.id,
            "cohort": e.cohort_name,
            "logged_at": iso(e.created_at),
            "revisions": revisions.get(e.id, []),
        }
        for e in rows["entries"]
    ]


def _certificate(c, language: str, today: date) -> dict:
    return {
        "number": c.code,
        "credential_id": c.credential_id,
        "programme": c.programme_slug,
        "programme_title": c.programme_title(language),
        "holder_name": c.holder_name,
        "hours": c.hours,
        "practice_minutes": c.practice_minutes,
        "practice_clients": c.practice_clients,
        "trainers": c.trainers,
        "issued_on": iso(c.issued_on),
        "expires_on": iso(c.expires_on),
        "status": c.status_on(today),
        "revoked_at": iso(c.revoked_at),
        "revoke_reason": c.revoke_reason,
    }


def _event(event, about: bool, user_id: int) -> dict:
    """An audit event; the values it changed only when it is about the person."""
    return {
        "at": iso(event.at),
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "actor": event.actor.display_name if event.actor else None,
        "about_you": about,
        "by_you": event.actor_id == user_id,
        "before": event.before if about else None,
        "after": event.after if about else None,
    }
