"""Practice pages: logging through the form, the privacy guard's message, who sees what, the
trainers' review and bulk sign-off, the queue's filters and query counts, and the exports."""

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from lms.auth.models import Role
from lms.practice.models import PracticeEntry, PracticeRevision, Status
from tests.factories import (
    count_queries,
    login,
    make_cohort,
    make_practice,
    make_user,
)


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    trainee = make_user(session, display_name="Õie Täht-Kovalenko")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    other_trainer = make_user(session, Role.TRAINER)
    other_trainee = make_user(session)
    make_cohort(session, trainers=(other_trainer,), trainees=(other_trainee,))
    coordinator = make_user(session, Role.COORDINATOR)
    return {
        "trainer": trainer, "trainee": trainee, "cohort": cohort, "other_trainer": other_trainer,
        "other_trainee": other_trainee, "coordinator": coordinator,
    }  # fmt: skip


def entry_form(**fields):
    values = {
        "practised_on": "2026-10-05",
        "minutes": "90",
        "client_code": "UA-CH-03",
        "client_group": "refugee-child",
        "activity": "school-contact",
        "core_acts": ["connecting", "understanding"],
        "reflection": "We met the **class teacher** together.",
        "send": "1",
    }
    values.update(fields)
    return values


def test_a_trainee_logs_practice_and_submits_it(app, client, session, people):
    login(client, people["trainee"])
    cohort = people["cohort"]
    page = client.get(f"/practice/cohorts/{cohort.id}/new").get_data(as_text=True)
    assert "Do not write names" in page and "Client code" in page
    response = client.post(f"/practice/cohorts/{cohort.id}/new", data=entry_form())
    assert response.status_code == 302
    entry = session.scalars(session.query(PracticeEntry).statement).one()
    assert entry.latest.status == Status.SUBMITTED
    assert entry.latest.core_acts == ["connecting", "understanding"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>class teacher</strong>" in page and "UA-CH-03" in page


def test_a_refused_client_code_says_why_and_keeps_what_was_typed(client, session, people):
    login(client, people["trainee"])
    response = client.post(
        f"/practice/cohorts/{people['cohort'].id}/new",
        data=entry_form(client_code="Olena Shevchenko", reflection="A long careful reflection."),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "looks like a person&#39;s name" in page or "looks like a person's name" in page
    assert "A long careful reflection." in page and 'value="Olena Shevchenko"' in page
    assert session.query(PracticeEntry).count() == 0


def test_a_given_name_in_the_reflection_is_named_but_the_entry_is_kept(client, session, people):
    login(client, people["trainee"])
    response = client.post(
        f"/practice/cohorts/{people['cohort'].id}/new",
        data=entry_form(reflection="Olena and I met the class teacher."),
    )
    assert response.status_code == 302
    assert session.query(PracticeEntry).count() == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“Olena” in the reflection may be a person" in page


def test_a_future_date_is_refused_on_its_field(client, session, people):
    login(client, people["trainee"])
    response = client.post(
        f"/practice/cohorts/{people['cohort'].id}/new", data=entry_form(practised_on="2099-01-01")
    )
    assert "cannot be in the future" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("trainee", 200), ("trainer", 200), ("coordinator", 200),
     ("other_trainee", 404), ("other_trainer", 404)],
)  # fmt: skip
def test_an_entry_and_its_logbook_are_seen_only_by_the_trainee_the_trainers_and_coordinators(
    app, client, session, people, who, status
):
    with app.app_context():
        entry = make_practice(session, people["cohort"], people["trainee"], reflection="Private")
    login(client, people[who])
    cohort, trainee = people["cohort"], people["trainee"]
    urls = [
        f"/practice/entries/{entry.id}",
        f"/practice/cohorts/{cohort.id}/people/{trainee.id}",
        f"/practice/cohorts/{cohort.id}/people/{trainee.id}/logbook.csv",
        f"/practice/cohorts/{cohort.id}/people/{trainee.id}/logbook.pdf",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        if status == 404:
            assert b"Private" not in response.data and b"UA-CH" not in response.data
    if who.startswith("other"):
        queue = client.get("/practice/queue?status=all").get_data(as_text=True)
        assert "UA-CH" not in queue and trainee.display_name not in queue


def test_the_trainer_signs_off_with_the_attestation_and_the_entry_is_locked(
    app, client, session, people
):
    with app.app_context():
        entry = make_practice(session, people["cohort"], people["trainee"])
    login(client, people["trainer"])
    refused = client.post(f"/practice/entries/{entry.id}/review", data={"approve": "1"})
    assert refused.status_code == 400 and b"Confirm the attestation" in refused.data
    client.post(f"/practice/entries/{entry.id}/review", data={"approve": "1", "attest": "y"})
    session.refresh(entry.latest)
    revision = entry.latest
    assert revision.status == Status.APPROVED and revision.reviewer_id == people["trainer"].id
    assert revision.attestation.startswith("I supervised this practice")

    login(client, people["trainee"])
    assert client.get(f"/practice/entries/{entry.id}/edit").status_code == 404
    correct = client.post(f"/practice/entries/{entry.id}/correct")
    assert correct.headers["Location"].endswith(f"/practice/entries/{entry.id}/edit")
    client.post(f"/practice/entries/{entry.id}/edit", data=entry_form(minutes="120"))
    session.expire_all()
    statuses = [r.status for r in session.get(PracticeEntry, entry.id).revisions]
    assert statuses == [Status.APPROVED, Status.SUBMITTED]
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page and "minutes 90 → 120" in page


def test_returning_needs_a_comment_and_the_trainee_sees_it(app, client, session, people):
    with app.app_context():
        entry = make_practice(session, people["cohort"], people["trainee"])
    login(client, people["trainer"])
    empty = client.post(f"/practice/entries/{entry.id}/review", data={"send_back": "1"})
    assert empty.status_code == 400 and b"Say what the trainee should change" in empty.data
    client.post(
        f"/practice/entries/{entry.id}/review",
        data={"send_back": "1", "comment": "Add the *core acts* <script>alert(1)</script>"},
    )
    login(client, people["trainee"])
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "<em>core acts</em>" in page and "<script>alert" not in page


def test_a_trainee_who_is_also_a_trainer_of_the_cohort_cannot_sign_off_their_own_entry(
    app, client, session, people
):
    both = make_user(session, Role.TRAINEE, Role.TRAINER)
    cohort = make_cohort(session, trainers=(both,), trainees=(both,))
    with app.app_context():
        entry = make_practice(session, cohort, both)
    login(client, both)
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Sign off" not in page
    client.post(f"/practice/entries/{entry.id}/review", data={"approve": "1", "attest": "y"})
    client.post("/practice/queue/sign-off", data={"revision": entry.latest.id, "attest": "y"})
    session.expire_all()
    assert session.get(PracticeEntry, entry.id).latest.status == Status.SUBMITTED


def test_a_coordinator_sees_but_cannot_sign_off_a_cohort_they_do_not_train(
    app, client, session, people
):
    with app.app_context():
        entry = make_practice(session, people["cohort"], people["trainee"])
    login(client, people["coordinator"])
    assert "UA-CH" in client.get("/practice/queue").get_data(as_text=True)
    client.post(f"/practice/entries/{entry.id}/review", data={"approve": "1", "attest": "y"})
    session.expire_all()
    assert session.get(PracticeEntry, entry.id).latest.status == Status.SUBMITTED


def test_the_trainer_signs_off_several_entries_at_once(app, client, session, people):
    with app.app_context():
        entries = [
            make_practice(session, people["cohort"], people["trainee"], client_code=f"K{n}")
            for n in range(3)
        ]
    login(client, people["trainer"])
    ids = [entries[0].latest.id, entries[1].latest.id]
    no_attest = client.post("/practice/queue/sign-off", data={"revision": ids})
    assert no_attest.status_code == 400
    response = client.post(
        "/practice/queue/sign-off", data={"revision": ids, "attest": "y"}, follow_redirects=True
    )
    assert "2 entries signed off." in response.get_data(as_text=True)
    session.expire_all()
    statuses = [session.get(PracticeEntry, e.id).latest.status for e in entries]
    assert statuses == [Status.APPROVED, Status.APPROVED, Status.SUBMITTED]


def test_the_queue_filters_and_shows_totals_per_trainee(app, client, session, people):
    cohort, trainee, trainer = people["cohort"], people["trainee"], people["trainer"]
    second = make_user(session, display_name="Mari Maasikas")
    from lms.cohorts.models import Enrolment

    session.add(Enrolment(cohort_id=cohort.id, user_id=second.id))
    session.commit()
    with app.app_context():
        make_practice(session, cohort, trainee, minutes=120, approve_by=trainer,
                      client_code="A1", client_group="refugee-adult")  # fmt: skip
        make_practice(session, cohort, trainee, minutes=60, approve_by=trainer, client_code="a1")
        make_practice(session, cohort, second, practised_on=date(2026, 10, 1), client_code="M-7")
        make_practice(session, cohort, second, submit=False, client_code="DRAFT-1")
    login(client, trainer)
    page = client.get("/practice/queue").get_data(as_text=True)
    # codes are matched as whole cells: a random token in the page may hold "A1"
    assert ">M-7</td>" in page and ">A1</td>" not in page and "DRAFT-1" not in page
    page = client.get(f"/practice/queue?status=approved&trainee={trainee.id}").get_data(
        as_text=True
    )
    assert ">A1</td>" in page and ">M-7</td>" not in page
    page = client.get("/practice/queue?status=all&date_from=2026-10-02").get_data(as_text=True)
    assert ">M-7</td>" not in page and ">A1</td>" in page
    # Totals: 3 h signed off over one distinct client (A1 and a1 are the same code).
    row = page[page.index("Totals per trainee") :]
    row = row[row.index(trainee.display_name) :].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:-1]]
    assert cells[:3] == ["3", "–", "1"]


def _page_queries(client, connection, url):
    with count_queries(connection) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_queue_and_logbook_make_the_same_number_of_queries_for_more_entries(
    app, client, connection, session, people
):
    cohort, trainee, trainer = people["cohort"], people["trainee"], people["trainer"]
    logbook = f"/practice/cohorts/{cohort.id}/people/{trainee.id}"
    with app.app_context():
        make_practice(session, cohort, trainee, client_code="Q1")
        make_practice(session, cohort, trainee, client_code="Q0", approve_by=trainer)
    login(client, trainer)
    few = (_page_queries(client, connection, "/practice/queue?status=all"),
           _page_queries(client, connection, logbook))  # fmt: skip
    with app.app_context():
        for n in range(8):
            make_practice(session, cohort, trainee, client_code=f"Q{n + 2}", minutes=30,
                          approve_by=trainer if n % 2 else None)  # fmt: skip
        for n in range(3):
            extra = make_user(session)
            from lms.cohorts.models import Enrolment

            session.add(Enrolment(cohort_id=cohort.id, user_id=extra.id))
            session.commit()
            make_practice(session, cohort, extra, client_code=f"X{n}")
    many = (_page_queries(client, connection, "/practice/queue?status=all"),
            _page_queries(client, connection, logbook))  # fmt: skip
    assert many == few


def test_the_csv_has_every_version_and_the_pdf_prints_every_letter(app, client, session, people):
    cohort, trainee, trainer = people["cohort"], people["trainee"], people["trainer"]
    with app.app_context():
        entry = make_practice(session, cohort, trainee, approve_by=trainer, client_code="ÕT-1")
        from lms.practice import services

        services.start_correction(session, entry, trainee, entry.latest.reviewed_at)
        session.commit()
    login(client, trainee)
    base = f"/practice/cohorts/{cohort.id}/people/{trainee.id}/logbook"
    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").get_data(as_text=True))))
    assert rows[0][0].lstrip("\ufeff") == "Entry" and len(rows) == 3
    assert [row[2] for row in rows[1:]] == ["signed off", "draft"]
    response = client.get(base + ".pdf")
    assert response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    for expected in ("Õie Täht-Kovalenko", "ÕT-1", "Tiina Tamm", "1.5 h of 10 h", "I attest."):
        assert expected in text, expected
    assert "We met the class teacher" not in text  # reflections stay out of the summary


def test_a_draft_can_be_deleted_after_confirmation(app, client, session, people):
    with app.app_context():
        entry = make_practice(session, people["cohort"], people["trainee"], submit=False)
    entry_id = entry.id
    login(client, people["trainee"])
    assert b"cannot be undone" in client.get(f"/practice/entries/{entry_id}/discard").data
    client.post(f"/practice/entries/{entry_id}/discard")
    session.expire_all()
    assert session.get(PracticeEntry, entry_id) is None
    assert session.query(PracticeRevision).count() == 0


def test_a_long_logbook_runs_onto_more_pages_with_every_entry(app, client, session, people):
    from datetime import timedelta

    cohort, trainee, trainer = people["cohort"], people["trainee"], people["trainer"]
    with app.app_context():
        for n in range(45):
            make_practice(session, cohort, trainee, approve_by=trainer, client_code=f"LB-{n}",
                          practised_on=date(2026, 9, 1) + timedelta(days=n))  # fmt: skip
    login(client, trainee)
    response = client.get(f"/practice/cohorts/{cohort.id}/people/{trainee.id}/logbook.pdf")
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = "".join(page.extract_text() for page in pages)
    assert len(pages) >= 2 and all(f"LB-{n}\n" in text or f"LB-{n} " in text for n in range(45))


def test_the_queue_is_split_into_pages_of_fifty(app, client, session, people):
    with app.app_context():
        for n in range(51):
            make_practice(session, people["cohort"], people["trainee"], minutes=20,
                          client_code=f"PG-{n:02d}")  # fmt: skip
    login(client, people["trainer"])
    first = client.get("/practice/queue").get_data(as_text=True)
    assert "51 entries" in first and "Page 1 of 2" in first and "PG-49" in first
    second = client.get("/practice/queue?page=2").get_data(as_text=True)
    assert "PG-50" in second and "PG-49" not in second and 'rel="prev"' in second


def test_bulk_sign_off_with_an_entry_of_another_cohort_signs_off_nothing(
    app, client, session, people
):
    other_cohort = make_cohort(session, trainees=(people["other_trainee"],))
    with app.app_context():
        own = make_practice(session, people["cohort"], people["trainee"], client_code="OWN-1")
        foreign = make_practice(session, other_cohort, people["other_trainee"], client_code="F-1")
    login(client, people["trainer"])
    ids = [own.latest.id, foreign.latest.id]
    response = client.post("/practice/queue/sign-off", data={"revision": ids, "attest": "y"})
    assert response.status_code == 400 and b"F-1" not in response.data
    session.expire_all()
    assert {session.get(PracticeRevision, i).status for i in ids} == {Status.SUBMITTED}
