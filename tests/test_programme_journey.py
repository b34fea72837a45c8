"""A cohort of each of the field's other programmes run end to end through the pages, as the
people do it: the coordinator opens it and enrols someone already trained as a support person,
the trainer schedules and holds its sessions, the trainee reads, passes the quizzes and logs the
practice, the trainer signs it off, the certificate is issued, and it shows beside the support
person's on the home and on /verify."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import Role
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.courses.api import get_catalog
from lms.demo.quizzes import right_answer
from lms.programmes.services import get_programme
from lms.quizzes.api import get_quiz
from lms.quizzes.models import QuizAttempt
from tests.factories import login, make_certificate, make_cohort, make_user

#: the programmes of the field's other roles, each with the course that teaches it
OTHER_PROGRAMMES = (
    "first-adaptation-support",
    "adaptation-mentor",
    "peer-counsellor",
    "language-partner",
    "work-mentor",
    "life-skills-workshops",
    "community-developer-trainer",
)
STARTS, ENDS = date(2026, 9, 1), date(2026, 11, 20)


def post(client, url: str, data=None, status: int = 302):
    response = client.post(url, data=data or {})
    assert response.status_code == status, (url, response.get_data(as_text=True)[:2000])
    return response


def schedule(client, cohort: Cohort, category, day: date, lessons: list[str]) -> None:
    """One session holding the category's whole syllabus; past sessions ask to be confirmed."""
    minutes = category.syllabus_minutes
    end = 8 * 60 + minutes
    form = {
        "title": category.title_for("en"),
        "category": category.slug,
        "day": day.isoformat(),
        "start": "08:00",
        "end": f"{end // 60:02d}:{end % 60:02d}",
        "place": "Räpina library",
        "online_url": "",
        "lessons": lessons,
        "repeat_weeks": "1",
    }
    url = f"/cohorts/{cohort.id}/sessions/new"
    asked = client.post(url, data=form).get_data(as_text=True)
    confirmed = re.search(r'name="confirmed" type="hidden" value="(\w+)"', asked)
    assert confirmed, asked[:2000]
    post(client, url, {**form, "confirmed": confirmed.group(1)})


def mark_present(client, item: TrainingSession, trainee) -> None:
    uid = trainee.id
    post(client, f"/attendance/sessions/{item.id}", {
        f"mark-{uid}": "present", f"minutes-{uid}": "", f"note-{uid}": "",
        f"shown-mark-{uid}": "", f"shown-minutes-{uid}": "", f"shown-note-{uid}": "",
        f"version-{uid}": "0",
    })  # fmt: skip


def pass_quiz(client, session, quiz) -> None:
    slug = quiz.slug
    started = post(client, f"/quizzes/{slug}/start")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    attempt = session.get(QuizAttempt, attempt_id)
    for position, item in enumerate(attempt.layout):
        question = quiz.question(item["key"])
        if not question.graded:
            continue
        values, pairs = right_answer(question)
        data = {"position": str(position), f"q-{position}": values}
        data.update({f"q-{position}-{key}": value for key, value in pairs.items()})
        post(client, f"/quizzes/attempts/{attempt_id}/answer", data, status=200)
    post(client, f"/quizzes/attempts/{attempt_id}/submit")
    session.expire_all()
    assert session.get(QuizAttempt, attempt_id).score == pytest.approx(1.0), slug


@pytest.mark.parametrize("slug", OTHER_PROGRAMMES)
def test_a_cohort_of_the_programme_runs_from_enrolment_to_its_certificate(
    app, client, session, slug
):
    with app.app_context():
        programme, catalog = get_programme(slug), get_catalog()
        quizzes = {quiz: get_quiz(session, quiz) for quiz in programme.quizzes}
    assert programme is not None and programme.prepares, slug
    coordinator = make_user(session, Role.COORDINATOR)
    trainer = make_user(session, Role.TRAINER, display_name="Priit Pärn")
    trainee = make_user(session, display_name="Mari Mets")
    earlier = make_cohort(session, "support-person", trainees=(trainee,))
    basic = make_certificate(session, earlier, trainee)

    # The coordinator opens the cohort and enrols a support person already trained.
    login(client, coordinator)
    post(client, "/cohorts/new", {
        "programme": slug, "name": "Räpina 2026", "starts_on": STARTS.isoformat(),
        "ends_on": ENDS.isoformat(), "region": "Põlva", "capacity": "8",
        "trainers": [trainer.id],
    })  # fmt: skip
    cohort = session.scalar(sa.select(Cohort).where(Cohort.programme_slug == slug))
    post(client, f"/cohorts/{cohort.id}/enrol", {"email": trainee.email})
    assert session.scalar(sa.select(sa.func.count()).where(Enrolment.user_id == trainee.id)) == 2

    # The trainer schedules each category's hours with its course's lessons, and holds them.
    login(client, trainer)
    taught = []
    for number, category in enumerate(programme.categories):
        lessons = [
            f"{course}/{lesson.slug}"
            for course in category.courses
            for lesson in catalog.course(course).lessons
        ]
        taught += lessons
        schedule(client, cohort, category, STARTS + timedelta(days=7 * (number + 1)), lessons)
    for item in session.scalars(sa.select(TrainingSession).filter_by(cohort_id=cohort.id)):
        mark_present(client, item, trainee)
    assert taught, f"{slug}: no course is taught"

    # The trainee reads every lesson, passes the quizzes and logs the practice.
    login(client, trainee)
    for ref in taught:
        course, lesson = ref.split("/")
        page = client.get(f"/courses/{course}/{lesson}")
        assert page.status_code == 200, ref
        post(client, f"/courses/{course}/{lesson}/completion", {"completed": "1"})
    for quiz in quizzes.values():
        pass_quiz(client, session, quiz)
    practice_minutes = round(programme.practice_hours * 60)
    clients = max(programme.practice_clients, 1)
    for number in range(clients if programme.practice_logged else 0):
        share = -(-practice_minutes // clients) if practice_minutes else 60
        for part in range(-(-share // 600)):
            post(client, f"/practice/cohorts/{cohort.id}/new", {
                "practised_on": (STARTS + timedelta(days=20 + part)).isoformat(),
                "minutes": str(min(600, share - part * 600)),
                "client_code": f"M-{number + 1:02d}",
                "client_group": programme.client_groups[0].slug,
                "activity": programme.activities[0].slug,
                "reflection": "We agreed on the next small step together.",
                "send": "1",
            })  # fmt: skip

    # The trainer signs the practice and the completion off; the certificate follows.
    login(client, trainer)
    from lms.practice.models import PracticeEntry

    for entry in session.scalars(sa.select(PracticeEntry).filter_by(cohort_id=cohort.id)):
        post(client, f"/practice/entries/{entry.id}/review", {"approve": "1", "attest": "y"})
    enrolment = session.scalar(
        sa.select(Enrolment).filter_by(cohort_id=cohort.id, user_id=trainee.id)
    )
    if not programme.certifies:
        page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
        assert "Mari Mets" in page
        return
    if programme.final_sign_off:
        post(client, f"/certificates/enrolments/{enrolment.id}/sign-off", {"attest": "y"})
    if not programme.auto_issue:
        login(client, coordinator)
        post(client, f"/certificates/enrolments/{enrolment.id}/issue")
    certificate = session.scalar(sa.select(Certificate).filter_by(cohort_id=cohort.id))
    assert certificate is not None and certificate.user_id == trainee.id

    # Both certificates show together on the home, and on /verify for whoever gets the link.
    login(client, trainee)
    home = client.get("/").get_data(as_text=True)
    panel = home[home.index('id="my-certificates-title"') :]
    assert basic.code in panel and certificate.code in panel
    assert programme.title_for("en") in panel
    link = re.search(r'href="(/verify\?[^"]+)"', panel).group(1).replace("&amp;", "&")
    client.get("/logout")
    together = client.get(link).get_data(as_text=True)
    assert together.count("Mari Mets") >= 2 and programme.title_for("en") in together
