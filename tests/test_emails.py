"""Emails are normalised (NFKC, lower case) and a look-alike of an existing one is refused."""

import io

import pytest
import sqlalchemy as sa

from lms.auth import services as accounts
from lms.auth.models import Role, User
from lms.cohorts.models import Enrolment
from lms.users import services
from tests.factories import PASSWORD, login, make_cohort, make_user

METHOD = "pbkdf2:sha256:1000"
CYRILLIC_A = "\u0430"  # looks like the Latin a
FULL_WIDTH_X = "\uff58"  # ｘ


def test_emails_are_nfkc_and_lower_case():
    assert accounts.normalise_email(f"{FULL_WIDTH_X}AVER@Example.ORG") == "xaver@example.org"
    assert accounts.normalise_email("ＡＮＮＡ@example.org") == "anna@example.org"


def test_a_full_width_copy_is_the_same_address(session):
    make_user(session, email="xenia@example.org")
    with pytest.raises(accounts.AccountError, match="already has an account"):
        accounts.create_user(session, email=f"{FULL_WIDTH_X}enia@example.org", display_name="X")


def test_a_cyrillic_look_alike_is_refused(session):
    make_user(session, email="anna@example.org")
    with pytest.raises(accounts.AccountError, match="looks like"):
        accounts.create_user(session, email=f"{CYRILLIC_A}nna@example.org", display_name="A")


def test_real_letters_of_other_languages_are_not_look_alikes(session):
    make_user(session, email="juri@example.org")
    accounts.create_user(session, email="jüri@example.org", display_name="Jüri")
    make_user(session, email="olena@example.org")
    accounts.create_user(session, email="олена@example.org", display_name="Олена")


def test_a_profile_edit_to_a_look_alike_is_refused(session):
    make_user(session, email="anna@example.org")
    other = make_user(session, email="other@example.org")
    with pytest.raises(accounts.AccountError, match="looks like"):
        services.update_user(
            session,
            other,
            email=f"{CYRILLIC_A}nna@example.org",
            display_name="Other",
            language="en",
            municipality=None,
            roles=["trainee"],
        )


def test_a_person_keeps_their_own_address_when_edited(session):
    person = make_user(session, email="anna@example.org")
    services.update_user(
        session,
        person,
        email="Anna@Example.org",
        display_name="Anna",
        language="en",
        municipality=None,
        roles=["trainee"],
    )
    assert person.email == "anna@example.org"


def test_csv_imports_refuse_look_alikes(session):
    make_user(session, email="anna@example.org")
    text = f"email,display_name\n{CYRILLIC_A}nna@example.org,Fake Anna\n"
    result = services.import_users(session, text, METHOD)
    assert result.problems and "looks like" in result.problems[0].message


def test_csv_imports_refuse_look_alikes_within_the_file(session):
    text = f"email,display_name\nanna@example.org,Anna\n{CYRILLIC_A}nna@example.org,Fake\n"
    result = services.import_users(session, text, METHOD)
    assert [problem.line for problem in result.problems] == [3]


def test_enrolment_by_email_refuses_a_look_alike_and_finds_a_full_width_copy(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    anna = make_user(session, email="anna@example.org")
    xenia = make_user(session, email="xenia@example.org")
    cohort = make_cohort(session)
    response = client.post(
        f"/cohorts/{cohort.id}/enrol", data={"email": f"{CYRILLIC_A}nna@example.org"}
    )
    assert "looks like" in client.get(response.headers["Location"]).get_data(as_text=True)
    client.post(f"/cohorts/{cohort.id}/enrol", data={"email": f"{FULL_WIDTH_X}enia@example.org"})
    enrolled = set(
        session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id))
    )
    assert enrolled == {xenia.id} and anna.id not in enrolled


def test_enrolment_csv_refuses_a_look_alike(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    make_user(session, email="anna@example.org")
    cohort = make_cohort(session)
    text = f"email,display_name\n{CYRILLIC_A}nna@example.org,Fake Anna\n"
    data = {"file": (io.BytesIO(text.encode()), "people.csv")}
    page = client.post(
        f"/cohorts/{cohort.id}/import", data=data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "looks like" in page and "nobody was enrolled" in page


def test_the_people_form_refuses_a_look_alike(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    make_user(session, email="anna@example.org")
    page = client.post(
        "/users/new",
        data={
            "email": f"{CYRILLIC_A}nna@example.org",
            "display_name": "Fake",
            "language": "en",
            "roles": ["trainee"],
        },
    ).get_data(as_text=True)
    assert "looks like" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_login_with_a_full_width_address(client, session):
    make_user(session, email="xenia@example.org")
    response = client.post(
        "/login", data={"email": f"{FULL_WIDTH_X}enia@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
