"""Refused forms: the error summary lists every problem at once with a link to its field, the
practice form runs its domain checks together with the field checks, a refused bulk sign-off
keeps the entries chosen, and the certificate checklist's count agrees with what it lists."""

import re

import pytest

from lms.auth.models import Role
from lms.practice.models import PracticeEntry, PracticeRevision, Status
from tests.factories import login, make_cohort, make_practice, make_user
from tests.test_dashboard import build_world


def summary_links(page: str) -> dict[str, str]:
    """Field id -> message of each link in the page's error summary."""
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0), re.S)
    return {target: " ".join(text.split()) for target, text in links}


def test_the_error_summary_links_every_problem_to_its_field(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    login(client, coordinator)
    response = client.post("/users/new", data={"email": "", "display_name": "", "language": "en"})
    page = response.get_data(as_text=True)
    links = summary_links(page)
    assert set(links) == {"email", "display_name", "roles-0"}
    assert links["roles-0"] == "Roles: Choose at least one role."
    # Two fields refused with the same words are told apart by their labels.
    assert links["email"] == "Email: This field is required."
    assert links["display_name"] == "Name: This field is required."
    for target in links:  # every link leads to an element of the page
        assert f'id="{target}"' in page


def test_wtforms_own_messages_read_as_our_catalog_words(client, session):
    """WTForms' Ukrainian "required" message writes a straight apostrophe; ours is shown."""
    coordinator = make_user(session, Role.COORDINATOR, language="uk")
    login(client, coordinator)
    response = client.post("/users/new", data={"email": "", "display_name": "", "language": "uk"})
    links = summary_links(response.get_data(as_text=True))
    assert links["email"] == "Електронна пошта: Це поле обов’язкове."
    assert "'" not in " ".join(links.values())


@pytest.fixture
def practice(session):
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session)
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    return trainer, trainee, cohort


def test_the_practice_form_shows_all_its_problems_at_once(client, session, practice):
    _, trainee, cohort = practice
    login(client, trainee)
    response = client.post(
        f"/practice/cohorts/{cohort.id}/new",
        data={
            "practised_on": "2099-01-01",  # a rule of the service: not in the future
            "minutes": "0",  # a rule of the form's field
            "client_code": "Olena Shevchenko",  # the privacy guard
            "client_group": "refugee-child",
            "activity": "school-contact",
            "reflection": "Call me on +372 5123 4567.",  # the privacy guard again
            "send": "1",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    links = summary_links(page)
    assert set(links) == {"practised_on", "minutes", "client_code", "reflection"}
    assert "cannot be in the future" in links["practised_on"]
    assert "person&#39;s name" in links["client_code"] or "person's name" in links["client_code"]
    assert session.query(PracticeEntry).count() == 0


def test_a_bulk_sign_off_without_the_attestation_keeps_the_entries_chosen(
    app, client, session, practice
):
    trainer, trainee, cohort = practice
    with app.app_context():
        entries = [make_practice(session, cohort, trainee, client_code=f"K{n}") for n in range(3)]
    chosen = [entries[0].latest.id, entries[2].latest.id]
    login(client, trainer)
    response = client.post("/practice/queue/sign-off?status=awaiting", data={"revision": chosen})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    ticked = {int(n) for n in re.findall(r'value="(\d+)" id="pick-\d+"[^>]*checked', page)}
    assert ticked == set(chosen)
    assert "attest" in summary_links(page)
    assert session.query(PracticeRevision).filter_by(status=Status.APPROVED).count() == 0

    # Ticking the attestation but no entry keeps the tick and says what is missing.
    response = client.post("/practice/queue/sign-off", data={"attest": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Choose the entries to sign off." in page
    assert re.search(r'id="attest"[^>]*checked|checked[^>]*id="attest"', page)


def test_the_checklist_count_agrees_with_the_requirements_listed_as_missing(app, client, session):
    with app.app_context():
        world = build_world(session)
    login(client, world["ann"])
    page = client.get("/").get_data(as_text=True)
    met, total = map(int, re.search(r"(\d+) of (\d+) requirements met", page).groups())
    section = page[page.index("requirements met") :]
    section = section[: section.index("The full checklist")]
    missing = re.findall(r'<li class="unmet', section)
    assert met < total and len(missing) == total - met
