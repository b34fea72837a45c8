"""Every CSV download names its type and its one character set: ``text/csv; charset=utf-8``.

The routes are found in the URL map (every rule whose address can end in ``.csv``), so a new CSV
download is checked without being added here.
"""

import pytest

from lms.auth.models import Role
from lms.exports import content_disposition, csv_response, file_slug
from tests.factories import login, make_cohort, make_practice, make_session, make_user

CSV_TYPE = "text/csv; charset=utf-8"
#: The CSV downloads there are today; the walk below must find at least these.
KNOWN = {
    "users.sample_csv",
    "cohorts.sample_csv",
    "certificates.export",
    "attendance.matrix",
    "attendance.trainee_report",
    "alumni.export",
    "quizzes.gradebook",
    "reports.funder_table",
    "practice.export",
}


def test_a_csv_response_names_its_charset_once(app):
    with app.test_request_context():
        response = csv_response("people.csv", ["email"], [["a@example.org"]])
    assert response.headers["Content-Type"] == CSV_TYPE
    assert response.mimetype == "text/csv"
    assert response.mimetype_params == {"charset": "utf-8"}


def _csv_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and "csv" in rule.rule:
            yield rule


@pytest.fixture
def world(app, session):
    coordinator = make_user(session, Role.COORDINATOR, Role.TRAINER)
    trainee = make_user(session)
    cohort = make_cohort(session, trainers=(coordinator,), trainees=(trainee,))
    make_session(session, cohort)
    with app.app_context():
        make_practice(session, cohort, trainee)
    return coordinator, trainee, cohort


def test_every_csv_download_sends_one_charset(app, client, world):
    coordinator, trainee, cohort = world
    login(client, coordinator)
    values = {"cohort_id": cohort.id, "user_id": trainee.id, "kind": "csv"}
    adapter = app.url_map.bind("localhost")
    checked = set()
    for rule in _csv_rules(app):
        arguments = {name: values[name] for name in rule.arguments if name in values}
        if "key" in rule.arguments:
            arguments["key"] = "summary"
        url = adapter.build(rule.endpoint, arguments)
        response = client.get(url)
        assert response.status_code == 200, f"{url} -> {response.status_code}"
        assert response.headers["Content-Type"] == CSV_TYPE, url
        assert response.get_data().startswith("\ufeff".encode()), url
        checked.add(rule.endpoint)
    assert KNOWN <= checked, f"not reached: {KNOWN - checked}"


def test_a_download_keeps_the_letters_of_its_name():
    assert file_slug("Välipraktika 2: õppimine", "session") == "välipraktika-2-õppimine"
    assert file_slug("Андрій Савчук", "trainee") == "андрій-савчук"
    assert file_slug(" -- ", "trainee") == "trainee"
    assert content_disposition("report.csv") == 'attachment; filename="report.csv"'
    assert content_disposition("sign-in-2026-02-10-välipraktika-õppimine.pdf") == (
        'attachment; filename="sign-in-2026-02-10-valipraktika-oppimine.pdf"; '
        "filename*=UTF-8''sign-in-2026-02-10-v%C3%A4lipraktika-%C3%B5ppimine.pdf"
    )
    # no Latin letters at all: the plain name keeps what it can, the full one is beside it
    header = content_disposition("practice-андрій-савчук-7.pdf")
    assert header.startswith('attachment; filename="practice-7.pdf"; filename*=UTF-8')
