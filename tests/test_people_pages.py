"""People pages: adding a person, who has set a password, the sheet of links, forgotten
passwords, and picking people to enrol in a cohort."""

import re
from urllib.parse import unquote

import sqlalchemy as sa

from lms.auth import services as accounts
from lms.auth.models import PasswordLink, Role, User
from lms.cohorts.models import Enrolment
from tests.factories import login, make_cohort, make_user


def test_add_a_person_ticks_no_role_and_refuses_none(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    form = client.get("/users/new").get_data(as_text=True)
    assert 'name="roles"' in form
    assert not re.search(r'<input (?=[^>]*name="roles")(?=[^>]*checked)[^>]*>', form)
    page = client.post(
        "/users/new",
        data={"email": "norole@example.org", "display_name": "No Role", "language": "en"},
    ).get_data(as_text=True)
    assert "Choose at least one role." in page
    assert session.scalar(sa.select(User).where(User.email == "norole@example.org")) is None


def test_people_shows_who_has_set_a_password(client, session):
    login(client, make_user(session, Role.COORDINATOR, display_name="Aaa Coordinator"))
    make_user(session, display_name="Has Password")
    make_user(session, display_name="Waits For Link", password=None)
    page = client.get("/users/").get_data(as_text=True)
    rows = {name: row for row in page.split("<tr>") for name in re.findall(r">([^<]+)</a>", row)}
    assert "Not set yet" in rows["Waits For Link"]
    assert "Not set yet" not in rows["Has Password"] and "Set" in rows["Has Password"]


def test_the_links_page_offers_copy_download_and_print(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    page = client.post(
        "/users/new",
        data={
            "email": "sheet@example.org",
            "display_name": "=Sheet Person",
            "language": "et",
            "roles": ["trainee"],
        },
    ).get_data(as_text=True)
    assert "data-copy-links" in page and "data-print" in page and "js/links.js" in page
    address = re.search(r'href="(data:text/csv[^"]+)" download="([^"]+)"', page)
    assert address and address.group(2).endswith(".csv")
    text = unquote(address.group(1).split(",", 1)[1])
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Name,Email,Password link,Valid until"
    token = re.search(r"/password/([\w-]{20,})", page).group(1)
    assert lines[1].startswith("'=Sheet Person,sheet@example.org,") and token in lines[1]
    assert "Valid until" in page


def test_setting_a_password_through_a_link_logs_the_person_in(client, session):
    person = make_user(session, email="new@example.org", password=None)
    token = accounts.create_password_link(session, person, None, valid_hours=48)
    session.commit()
    data = {"password": "my own password", "confirm": "my own password"}
    response = client.post(f"/password/{token}", data=data)
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_login_page_links_to_forgot_password(client, session):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_without_mail_forgot_password_says_whom_to_ask(client, session):
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "Ask your coordinator" in page and 'name="email"' not in page


def test_with_mail_a_link_is_sent_and_nobody_learns_who_has_an_account(
    app, client, session, monkeypatch
):
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "lms.auth.links.send_mail", lambda to, subject, body: sent.append((to, body)) or True
    )
    person = make_user(session, email="forgot@example.org")
    handed = accounts.create_password_link(session, person, None, valid_hours=48)
    session.commit()
    answers = []
    for email in ("Forgot@example.org", "nobody@example.org"):
        response = client.post("/password/forgot", data={"email": email})
        answers.append((response.status_code, client.get(response.headers["Location"]).data))
    assert answers[0] == answers[1] and b"If an account has this address" in answers[0][1]
    assert [to for to, _ in sent] == ["forgot@example.org"]
    emailed = re.search(r"/password/([\w-]{20,})", sent[0][1]).group(1)
    # Asking by email does not kill the link the coordinator handed over ...
    accounts.find_password_link(session, handed)
    data = {"password": "my own password", "confirm": "my own password"}
    assert client.post(f"/password/{emailed}", data=data).status_code == 302
    session.expire_all()
    # ... and using one link retires the others.
    assert (
        session.scalar(
            sa.select(sa.func.count()).where(
                PasswordLink.user_id == person.id, PasswordLink.used_at.is_(None)
            )
        )
        == 0
    )


def test_pick_people_to_enrol_searches_pages_and_marks_the_enrolled(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    enrolled = make_user(session, display_name="Anna Enrolled", email="anna.e@example.org")
    people = [make_user(session, display_name=f"Pick {n:02d}") for n in range(30)]
    make_user(session, Role.TRAINER, display_name="Pick Trainer")
    cohort = make_cohort(session, trainees=(enrolled,))
    first = client.get(f"/cohorts/{cohort.id}/pick").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Pick Trainer" not in first
    assert re.search(r"<input (?=[^>]*disabled)(?=[^>]*checked)[^>]*>", first)
    assert "already enrolled" in first
    found = client.get(f"/cohorts/{cohort.id}/pick?q=anna.e@").get_data(as_text=True)
    assert "Anna Enrolled" in found and "Pick 01" not in found
    response = client.post(
        f"/cohorts/{cohort.id}/pick", data={"person": [people[0].id, people[29].id]}
    )
    assert response.status_code == 302
    in_cohort = set(
        session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id))
    )
    assert in_cohort == {enrolled.id, people[0].id, people[29].id}


def test_picking_someone_already_enrolled_enrols_nobody(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    enrolled, other = make_user(session), make_user(session)
    cohort = make_cohort(session, trainees=(enrolled,))
    page = client.post(
        f"/cohorts/{cohort.id}/pick", data={"person": [enrolled.id, other.id]}
    ).get_data(as_text=True)
    assert "Nobody was enrolled" in page and "already in this cohort" in page
    count = sa.select(sa.func.count()).where(Enrolment.cohort_id == cohort.id)
    assert session.scalar(count) == 1
