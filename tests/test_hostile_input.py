"""Hostile input answers 404 or 400, never 500: integers beyond 64 bits in addresses and page
numbers, and control characters (NUL above all, which PostgreSQL refuses in text) in forms and
searches, which are stripped in one place so that the form still saves."""

import pytest
import sqlalchemy as sa

from lms.auth.models import Role, User
from lms.practice.models import PracticeRevision
from tests.factories import login, make_cohort, make_user
from tests.test_practice_pages import entry_form

HUGE = [99999999999999999999999, 2**63, 10**23, -(2**63) - 1]

PLACEHOLDERS = {
    "course_slug": "support-role",
    "lesson_slug": "boundaries-and-ethics",
    "slug": "support-role-01",
    "token": "t",
    "thumbprint": "t",
    "code": "TUGI-AAAA-BBBB",
    "filename": "x.png",
    "kind": "csv",
}


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and any(
            type(converter).__name__.startswith(("Integer", "Bounded"))
            for converter in rule._converters.values()
        ):
            yield rule


@pytest.fixture
def staff(client, session):
    person = make_user(session, Role.COORDINATOR, Role.TRAINER, Role.TRAINEE)
    login(client, person)
    return person


def test_routes_with_int_parameters_answer_404_beyond_64_bits(app, client, staff):
    rules = list(_int_routes(app))
    assert len(rules) > 20
    for rule in rules:
        for number in HUGE[:2]:
            values = {
                name: number if name.endswith("_id") else PLACEHOLDERS.get(name, "x")
                for name in rule.arguments
            }
            url = "".join(
                str(values[part]) if dynamic else part
                for dynamic, part in rule._trace
                if part != "|"
            ).replace("|", "")
            response = client.get(url)
            assert response.status_code == 404, f"{url} gave {response.status_code}"


@pytest.mark.parametrize(
    "query",
    [
        "/practice/queue?page={n}",
        "/alumni/?page={n}",
        "/practice/queue?cohort={n}&trainee={n}",
        "/reports/funder?cohort={n}",
        "/certificates/?page={n}",
        "/users/?page={n}",
    ],
)
@pytest.mark.parametrize("number", HUGE)
def test_huge_numbers_in_the_query_string_are_not_a_crash(client, staff, query, number):
    response = client.get(query.format(n=number))
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize(
    "url",
    [
        "/courses/search?q=%00",
        "/courses/search?q=care%00x",
        "/users/?q=%00",
        "/users/?q=a%00&role=%00",
        "/certificates/?q=%00&status=%00&programme=%00",
        "/alumni/?q=%00",
        "/practice/queue?status=%00",
        "/reports/funder?programme=%00&region=%00",
        "/verify?code=%00",
        "/verify/TUGI%00",
        "/quizzes/%00",
        "/courses/support-role%00/",
    ],
)
def test_nul_in_searches_and_addresses_is_not_a_crash(client, staff, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404), response.status_code


def test_a_nul_in_a_name_is_stripped_and_the_person_saved(client, session, staff):
    response = client.post(
        "/users/new",
        data={
            "email": "nul@example.org",
            "display_name": "Ana\x00 Tamm\x07",
            "language": "et",
            "municipality": "Võ\x00ru",
            "roles": ["trainee"],
        },
    )
    assert response.status_code in (200, 302)
    created = session.scalar(sa.select(User).where(User.email == "nul@example.org"))
    assert created.display_name == "Ana Tamm" and created.municipality == "Võru"


def test_a_nul_in_a_reflection_is_stripped_and_tabs_and_newlines_kept(client, session):
    trainee = make_user(session)
    cohort = make_cohort(session, trainees=(trainee,))
    login(client, trainee)
    reflection = "First line\x00\r\n\tSecond line"
    response = client.post(
        f"/practice/cohorts/{cohort.id}/new", data=entry_form(reflection=reflection)
    )
    assert response.status_code == 302
    saved = session.scalars(sa.select(PracticeRevision.reflection)).one()
    assert "\x00" not in saved and "First line" in saved and "\tSecond line" in saved


def test_a_nul_in_an_imported_csv_is_stripped(session):
    from lms.users import services

    text = "email,display_name,roles\nnul.csv@example.org,Olena\x00 Koval\x00enko,trainee\n"
    result = services.import_users(session, text, "pbkdf2:sha256:1000")
    assert not result.problems
    assert result.created[0].display_name == "Olena Kovalenko"
