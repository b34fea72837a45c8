"""Every registered route, for every kind of visitor: the answer each one must get.

A new route fails this test until it is added to ``AUDIENCE`` below.
"""

import re

import pytest

from lms.auth.models import Role
from tests.factories import login, make_user

PUBLIC, LOGIN = "public", "login"
TRAINEE, TRAINER, COORDINATOR = Role.TRAINEE, Role.TRAINER, Role.COORDINATOR

#: endpoint -> who may use it (PUBLIC, LOGIN for any signed-in person, or a set of roles)
AUDIENCE = {
    "static": PUBLIC,
    "main.home": LOGIN,
    "main.healthz": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": LOGIN,
    "auth.change_password": LOGIN,
    "auth.account": LOGIN,
    "auth.logout_everywhere": LOGIN,
    "auth.forgot_password": PUBLIC,
    "auth.set_password": PUBLIC,
    "users.index": {COORDINATOR},
    "users.create": {COORDINATOR},
    "users.edit": {COORDINATOR},
    "users.deactivate": {COORDINATOR},
    "users.activate": {COORDINATOR},
    "users.password_link": {COORDINATOR},
    "users.import_csv": {COORDINATOR},
    "users.sample_csv": {COORDINATOR},
    "privacy.erase": {COORDINATOR},
    "courses.catalogue": LOGIN,
    "courses.overview": LOGIN,
    "courses.lesson": LOGIN,
    "courses.guide": LOGIN,  # then only the course's trainers and coordinators: test_guide_pages
    "courses.completion": LOGIN,
    "courses.search": LOGIN,
    "courses.media": LOGIN,
    "courses.problems": {COORDINATOR},
    "interop.course_cartridge": {COORDINATOR},
    "programmes.index": LOGIN,
    "cohorts.index": LOGIN,
    "cohorts.new": {COORDINATOR},
    "cohorts.edit": {COORDINATOR},
    "cohorts.show": LOGIN,  # and then only for its staff and trainees: tests/test_cohorts.py
    "cohorts.enrol": {COORDINATOR},
    "cohorts.set_status": {COORDINATOR},
    "cohorts.import_csv": {COORDINATOR},
    "cohorts.sample_csv": {COORDINATOR},
    "cohorts.pick": {COORDINATOR},
    "cohorts.new_session": {TRAINER, COORDINATOR},
    "cohorts.edit_session": {TRAINER, COORDINATOR},
    "cohorts.cancel_session": {TRAINER, COORDINATOR},
    "cohorts.edit_series": {TRAINER, COORDINATOR},
    "cohorts.delete_session": {TRAINER, COORDINATOR},
    "cohorts.cohort_feed": PUBLIC,  # the secret address is the key
    "cohorts.personal_feed": PUBLIC,
    "cohorts.my_calendar": LOGIN,
    "cohorts.reset_cohort_feed": {TRAINER, COORDINATOR},
    "attendance.register": {TRAINER, COORDINATOR},
    "attendance.sign_in_sheet": {TRAINER, COORDINATOR},
    "attendance.add_make_up": {TRAINER, COORDINATOR},
    "attendance.confirm_check_ins": {TRAINER, COORDINATOR},
    "attendance.check_in_code": {TRAINER, COORDINATOR},
    "attendance.check_in": LOGIN,
    "attendance.history": {TRAINER, COORDINATOR},
    "attendance.matrix": {TRAINER, COORDINATOR},
    "attendance.trainee_report": LOGIN,  # and then only for the trainee and their staff
    "quizzes.index": LOGIN,
    "quizzes.show": LOGIN,
    "quizzes.start": LOGIN,
    "quizzes.take": LOGIN,  # and then only the attempt's own trainee: tests/test_quiz_attempts.py
    "quizzes.answer": LOGIN,
    "quizzes.save": LOGIN,
    "quizzes.confirm_submit": LOGIN,
    "quizzes.result": LOGIN,  # the trainee, the cohort's trainers and coordinators
    "quizzes.download": {TRAINER, COORDINATOR},
    "quizzes.upload": {TRAINER, COORDINATOR},
    "quizzes.edit": {TRAINER, COORDINATOR},
    "quizzes.regrade": {TRAINER, COORDINATOR},
    "quizzes.grading_queue": {TRAINER, COORDINATOR},
    "quizzes.grade": {TRAINER, COORDINATOR},
    "quizzes.gradebook": LOGIN,  # and then only the cohort's staff
    "quizzes.dates": LOGIN,  # likewise
    # practice: each entry and logbook only for its trainee, the cohort's trainers and
    # coordinators (tests/test_practice_pages.py checks each of them)
    "practice.index": LOGIN,
    "practice.logbook_page": LOGIN,
    "practice.new": LOGIN,
    "practice.entry": LOGIN,
    "practice.edit": LOGIN,
    "practice.submit": LOGIN,
    "practice.correct": LOGIN,
    "practice.discard": LOGIN,
    "practice.review": {TRAINER, COORDINATOR},
    "practice.queue": {TRAINER, COORDINATOR},
    "practice.approve_many": {TRAINER, COORDINATOR},
    "practice.export": LOGIN,
    # certificates: each checklist and certificate only for its holder, the cohort's trainers
    # and coordinators (tests/test_certificate_pages.py)
    "certificates.index": LOGIN,
    "organisation.edit": {COORDINATOR},
    "organisation.logo": PUBLIC,
    "certificates.export": {COORDINATOR},
    "certificates.checklist": LOGIN,
    "certificates.sign_off": {TRAINER},
    "certificates.issue": {COORDINATOR},
    "certificates.cohort": {TRAINER, COORDINATOR},
    "certificates.issue_cohort": {COORDINATOR},
    "certificates.show": LOGIN,
    "certificates.pdf": LOGIN,
    "certificates.badge": LOGIN,
    "certificates.revoke": {COORDINATOR},
    "verify.form": PUBLIC,
    "verify.show": PUBLIC,
    "verify.issuer": PUBLIC,
    "verify.jwks": PUBLIC,
    "verify.key": PUBLIC,
    "verify.revocations": PUBLIC,
    "verify.achievement": PUBLIC,
    # the funder report and the alumni follow-up (tests/test_funder_report.py, test_alumni.py)
    "reports.funder": {COORDINATOR},
    "reports.funder_table": {COORDINATOR},
    "reports.funder_workbook": {COORDINATOR},
    "alumni.index": {COORDINATOR},
    "alumni.export": {COORDINATOR},
    "alumni.follow_up": {COORDINATOR},
    # the privacy notice (tests/test_privacy_notice.py)
    "privacy.notice": PUBLIC,
    "privacy.first_login": LOGIN,
    "privacy.mark_changed": {COORDINATOR},
    "privacy.my_data": LOGIN,
    "privacy.my_data_json": LOGIN,
    "privacy.person_data_page": {COORDINATOR},
    "privacy.person_data_json": {COORDINATOR},
}

VISITORS = ["anonymous", TRAINEE, TRAINER, COORDINATOR]


def _sample_arguments(rule, target_user_id: int) -> dict:
    values = {
        "filename": "css/tugi.css",
        "user_id": target_user_id,
        "token": "no-such-token",
        "course_slug": "support-role",
        "lesson_slug": "boundaries-and-ethics",
        "cohort_id": 999_999,
        "session_id": 999_999,
        "kind": "csv",
        "slug": "support-role-01",
        "attempt_id": 999_999,
        "response_id": 999_999,
        "entry_id": 999_999,
        "enrolment_id": 999_999,
        "certificate_id": 999_999,
        "code": "TUGI-3333-3333",
        "thumbprint": "no-such-key",
        "key": "summary",
    }
    missing = [name for name in rule.arguments if name not in values]
    assert not missing, f"add a sample value for {missing} of {rule.endpoint}"
    return {name: values[name] for name in rule.arguments}


def _allowed(audience, visitor) -> bool:
    if audience == PUBLIC:
        return True
    if visitor == "anonymous":
        return False
    return audience == LOGIN or visitor in audience


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - AUDIENCE.keys() == set(), "new routes: add them to AUDIENCE"
    assert AUDIENCE.keys() - endpoints == set(), "AUDIENCE names routes that do not exist"


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_answers_each_visitor_as_expected(app, client, session, visitor):
    target = make_user(session, display_name="Target Person")
    if visitor != "anonymous":
        login(client, make_user(session, visitor))
    checked = 0
    for rule in app.url_map.iter_rules():
        url = app.url_map.bind("localhost").build(rule.endpoint, _sample_arguments(rule, target.id))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ("auth.logout", "auth.logout_everywhere", "main.set_language"):
                continue  # these change the session itself; tested on their own below
            response = client.open(url, method=method)
            where = f"{visitor} {method} {url} -> {response.status_code}"
            assert response.status_code < 500, where
            if _allowed(AUDIENCE[rule.endpoint], visitor):
                assert response.status_code not in (401, 403), where
                assert "/login?next" not in response.headers.get("Location", ""), where
            elif visitor == "anonymous":
                assert response.status_code == 302, where
                assert re.search(r"/login\?next=", response.headers["Location"]), where
            else:
                assert response.status_code == 403, where
            checked += 1
    assert checked >= len(AUDIENCE) - 3


def test_logout_needs_a_login_and_a_post(client, session):
    assert client.post("/logout").status_code == 302
    assert client.get("/logout").status_code == 405
    login(client, make_user(session))
    response = client.post("/logout")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/").status_code == 302


def test_a_view_without_declared_audience_is_refused_to_everybody(database_url, session):
    from tests.conftest import make_app

    app = make_app(database_url)
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    client = app.test_client()
    login(client, make_user(session, Role.COORDINATOR))
    assert client.get("/forgotten").status_code == 403
