"""Coordinators manage people: create, edit, deactivate, import from CSV."""

import io
import re

import sqlalchemy as sa

from lms.auth.models import Role, User
from lms.users import services
from tests.factories import login, make_user

METHOD = "pbkdf2:sha256:1000"


def _count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User))


def test_create_a_person_shows_a_password_link(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    response = client.post(
        "/users/new",
        data={
            "email": "New@Example.org",
            "display_name": "Uus Inimene",
            "language": "et",
            "roles": ["trainee", "trainer"],
        },
    )
    page = response.get_data(as_text=True)
    assert "/password/" in page
    created = session.scalar(sa.select(User).where(User.email == "new@example.org"))
    assert created.roles == {Role.TRAINEE, Role.TRAINER} and created.password_hash is None


def test_create_keeps_what_was_typed_on_error(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    make_user(session, email="taken@example.org")
    page = client.post(
        "/users/new",
        data={
            "email": "taken@example.org",
            "display_name": "Kept Name",
            "language": "uk",
            "municipality": "Võru",
            "roles": ["trainer"],
        },
    ).get_data(as_text=True)
    assert "already has an account" in page
    assert 'value="Kept Name"' in page and 'value="Võru"' in page
    assert re.search(r'<input (?=[^>]*value="trainer")(?=[^>]*checked)[^>]*>', page)
    assert not re.search(r'<input (?=[^>]*value="trainee")(?=[^>]*checked)[^>]*>', page)


def test_edit_roles_and_details(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    person = make_user(session)
    response = client.post(
        f"/users/{person.id}/edit",
        data={
            "email": person.email,
            "display_name": "Renamed",
            "language": "uk",
            "roles": ["trainer"],
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert person.display_name == "Renamed" and person.roles == {Role.TRAINER}


def test_coordinator_cannot_remove_own_coordinator_role(client, session):
    me = make_user(session, Role.COORDINATOR)
    login(client, me)
    page = client.post(
        f"/users/{me.id}/edit",
        data={"email": me.email, "display_name": "Me", "language": "en", "roles": ["trainer"]},
    ).get_data(as_text=True)
    assert "cannot take the coordinator role from yourself" in page


def test_deactivate_asks_first_then_deactivates(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    person = make_user(session, display_name="Leaving Person")
    confirm = client.get(f"/users/{person.id}/deactivate").get_data(as_text=True)
    assert "Deactivate Leaving Person?" in confirm
    session.expire_all()
    assert person.active
    client.post(f"/users/{person.id}/deactivate")
    session.expire_all()
    assert not person.active
    client.post(f"/users/{person.id}/activate")
    session.expire_all()
    assert person.active


def test_cannot_deactivate_oneself(client, session):
    me = make_user(session, Role.COORDINATOR)
    login(client, me)
    client.post(f"/users/{me.id}/deactivate")
    session.expire_all()
    assert me.active


def test_unknown_person_is_404(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    assert client.get("/users/999999/edit").status_code == 404


def test_list_is_paginated_searchable_and_filtered(client, session):
    login(client, make_user(session, Role.COORDINATOR, display_name="Aaa Coordinator"))
    for number in range(30):
        make_user(session, display_name=f"Trainee {number:02d}", municipality="Räpina vald")
    make_user(session, Role.TRAINER, display_name="Only Trainer")
    first = client.get("/users/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert "Only Trainer" in client.get("/users/?role=trainer").get_data(as_text=True)
    assert "Trainee 00" not in client.get("/users/?role=trainer").get_data(as_text=True)
    assert "Trainee 07" in client.get("/users/?q=r%C3%A4pina&page=1").get_data(as_text=True)
    assert "Nobody matches" in client.get("/users/?q=zzzz").get_data(as_text=True)


GOOD_CSV = (
    "email,display_name,roles,language,municipality\n"
    "a@example.org,Anna A,trainee,et,Võru\n"
    "b@example.org,Bohdan B,trainee;trainer,uk,Põlva\n"
)


def test_import_creates_everyone(session):
    result = services.import_users(session, GOOD_CSV, METHOD)
    assert not result.problems
    assert [u.email for u in result.created] == ["a@example.org", "b@example.org"]
    assert result.created[1].roles == {Role.TRAINEE, Role.TRAINER}


def test_import_is_all_or_nothing_with_line_numbers(session):
    make_user(session, email="exists@example.org")
    before = _count(session)
    text = (
        "email,display_name,roles\n"
        "ok@example.org,Fine Person,trainee\n"
        "not-an-email,Bad Email,trainee\n"
        "exists@example.org,Already There,trainee\n"
        "ok@example.org,Twice In File,trainee\n"
        "x@example.org,,trainee\n"
        "y@example.org,Bad Role,boss\n"
    )
    result = services.import_users(session, text, METHOD)
    assert [(p.line, p.message.split()[0]) for p in result.problems] == [
        (3, "This"),
        (4, "Somebody"),
        (5, "The"),
        (6, "A"),
        (7, "Unknown"),
    ]
    assert "line 2" in result.problems[2].message
    assert result.created == []
    assert _count(session) == before


def test_import_reads_semicolons_and_a_byte_order_mark(session):
    text = "\ufeffemail;display_name;roles\nsemi@example.org;Semi Colon;trainer\n"
    result = services.import_users(session, text, METHOD)
    assert not result.problems and result.created[0].roles == {Role.TRAINER}


def test_import_reports_missing_columns_and_empty_files(session):
    assert (
        "display_name"
        in services.import_users(session, "email\na@example.org\n", METHOD).problems[0].message
    )
    assert (
        "no rows"
        in services.import_users(session, "email,display_name\n", METHOD).problems[0].message
    )


def test_import_page_lists_problems_and_imports_nothing(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    before = _count(session)
    bad = "email,display_name\ngood@example.org,Good\nbad,Bad\n"
    page = client.post(
        "/users/import",
        data={"file": (io.BytesIO(bad.encode()), "people.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "nothing was imported" in page and "<td>3</td>" in page
    assert _count(session) == before


def test_import_page_shows_links_for_each_person(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    page = client.post(
        "/users/import",
        data={"file": (io.BytesIO(GOOD_CSV.encode()), "people.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    tokens = set(re.findall(r"/password/([\w-]{20,})", page))
    assert "2 people imported" in page and len(tokens) == 2


def test_import_refuses_a_file_that_is_not_utf8(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    page = client.post(
        "/users/import",
        data={"file": (io.BytesIO("email,display_name\nä@x.org,Ä\n".encode("utf-16")), "p.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "UTF-8" in page


def test_sample_csv_imports_cleanly(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    sample = client.get("/users/import/sample.csv").get_data(as_text=True)
    assert not services.import_users(session, sample, METHOD).problems


def test_import_refuses_extra_values_long_names_and_unknown_columns(session):
    extra = services.import_users(
        session, "email,display_name\na@example.org,A,,,surprise\n", METHOD
    )
    assert [(p.line, p.message) for p in extra.problems] == [
        (2, "The row has more values than the header.")
    ]
    long_name = f"email,display_name\nlong@example.org,{'x' * 121}\n"
    assert "120" in services.import_users(session, long_name, METHOD).problems[0].message
    unknown = services.import_users(session, "email,display_name,role\nr@example.org,R,x\n", METHOD)
    assert not unknown.problems and "Unknown column ignored: role" in unknown.warnings[0]


def test_import_of_blank_rows_only_is_no_success(session):
    result = services.import_users(session, "email,display_name\n,\n\n,,\n", METHOD)
    assert result.created == [] and "no rows" in result.problems[0].message


def test_search_finds_non_ascii_names_and_treats_wildcards_literally(client, session):
    login(client, make_user(session, Role.COORDINATOR, display_name="Kadri"))
    make_user(session, display_name="Олена Tamm")
    make_user(session, display_name="Õnne Mets")
    assert "Олена Tamm" in client.get("/users/?q=олена").get_data(as_text=True)
    assert "Õnne Mets" in client.get("/users/?q=õnne").get_data(as_text=True)
    assert "Nobody matches" in client.get("/users/?q=_").get_data(as_text=True)
