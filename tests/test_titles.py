"""Names, not slugs: lessons, quizzes and programmes are called by their titles, in the reader's
language, on every page people read and in refusal messages."""

import html
import re

import pytest

from lms.auth.models import Role
from lms.cohorts.models import Enrolment
from tests.factories import login, make_cohort, make_user
from tests.test_dashboard import build_world

SLUGS = (
    "boundaries-and-ethics",
    "the-personal-profile",
    "support-role/",
    "support-role-final",
    "care-methodology-final",
    "support-person",
)


def visible_text(page: str) -> str:
    """What a reader sees: the text between the tags (addresses and attributes left out)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def assert_no_slug(page: str, where: str) -> None:
    text = visible_text(page)
    if where == "the programmes page":  # its summaries say "a support-person certificate"
        text = text.replace("support-person certificate", "")
    for slug in SLUGS:
        assert slug not in text, f"{slug} shows on {where}"


@pytest.fixture
def world(app, session):
    with app.app_context():
        return build_world(session)


def pages(client, session, world):
    enrolment = session.query(Enrolment).filter_by(user_id=world["ann"].id).first()
    alpha = world["alpha"].id
    login(client, world["trainer"])
    yield "the cohort page", client.get(f"/cohorts/{alpha}/")
    yield "the cohort's certificates", client.get(f"/certificates/cohorts/{alpha}")
    yield "the trainer's checklist", client.get(f"/certificates/enrolments/{enrolment.id}")
    login(client, world["ann"])
    yield "the trainee's home", client.get("/")
    yield "the trainee's cohort page", client.get(f"/cohorts/{alpha}/")
    yield "the trainee's checklist", client.get(f"/certificates/enrolments/{enrolment.id}")
    yield "the programmes page", client.get("/programmes/")


def test_pages_show_titles_where_slugs_were(client, session, world):
    for where, response in pages(client, session, world):
        assert response.status_code == 200, where
        page = response.get_data(as_text=True)
        assert_no_slug(page, where)
        if "cohort page" in where:  # the schedule names the lessons a session covers
            assert "Boundaries and ethics" in visible_text(page), where


def test_titles_follow_the_readers_language(client, session, world):
    world["trainer"].language = "et"
    session.commit()
    login(client, world["trainer"])
    page = client.get(f"/cohorts/{world['alpha'].id}/").get_data(as_text=True)
    assert "Piirid ja eetika" in visible_text(page)
    assert_no_slug(page, "the Estonian cohort page")


def test_a_refused_enrolment_names_the_required_programme(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainee = make_user(session)
    advanced = make_cohort(session, "trainer-of-trainers")
    login(client, coordinator)
    response = client.post(
        f"/cohorts/{advanced.id}/enrol", data={"email": trainee.email}, follow_redirects=True
    )
    text = visible_text(response.get_data(as_text=True))
    assert "holds no valid certificate" in text and "Support-person training" in text
    assert_no_slug(response.get_data(as_text=True), "the refusal")
