"""Who opened a trainee's practice: the record each opening leaves, what the trainee (and a
coordinator) reads of it, and the watch that lets a GET commit that record and nothing else."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import Role, User
from lms.extensions import db
from lms.practice import access_record
from lms.practice.models import PracticeAccess
from tests.factories import count_queries, login, make_cohort, make_practice, make_user
from tests.write_watch import GetWrites


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    trainee = make_user(session, display_name="Õie Täht-Kovalenko")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    other_trainer = make_user(session, Role.TRAINER)
    other_trainee = make_user(session)
    make_cohort(session, trainers=(other_trainer,), trainees=(other_trainee,))
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri Kask")
    return {
        "trainer": trainer, "trainee": trainee, "cohort": cohort, "other_trainer": other_trainer,
        "other_trainee": other_trainee, "coordinator": coordinator,
    }  # fmt: skip


@pytest.fixture
def entry(app, session, people):
    with app.app_context():
        return make_practice(session, people["cohort"], people["trainee"], reflection="Private")


def rows(session) -> list[PracticeAccess]:
    session.expire_all()
    return list(session.scalars(sa.select(PracticeAccess).order_by(PracticeAccess.id)))


def logbook_url(people, suffix=""):
    return f"/practice/cohorts/{people['cohort'].id}/people/{people['trainee'].id}{suffix}"


# The record, without HTTP


def test_record_access_adds_a_row_for_someone_else_and_none_for_the_trainee(session, people):
    trainee, trainer = people["trainee"], people["trainer"]
    assert access_record.record_access(session, trainee, trainee.id, what="logbook") is None
    row = access_record.record_access(session, trainer, trainee.id, what="csv")
    session.flush()
    assert (row.viewer_id, row.trainee_id, row.entry_id, row.what) == (
        trainer.id, trainee.id, None, "csv",
    )  # fmt: skip
    assert [r.id for r in rows(session)] == [row.id]


def test_the_trainees_record_is_newest_first_paginated_and_in_three_queries(
    connection, session, people
):
    trainee, trainer, coordinator = people["trainee"], people["trainer"], people["coordinator"]
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    session.add(PracticeAccess(viewer_id=trainer.id, trainee_id=trainee.id, what="logbook",
                               at=start))  # fmt: skip
    session.flush()
    with count_queries(connection) as statements:
        access_record.accesses_for_trainee(session, trainee.id)
    few = len(statements)
    for n in range(access_record.PAGE_SIZE + 4):
        session.add(
            PracticeAccess(
                viewer_id=(trainer if n % 2 else coordinator).id, trainee_id=trainee.id,
                what="pdf", at=start + timedelta(minutes=n + 1),
            )
        )  # fmt: skip
    session.flush()
    trainee_id = trainee.id
    session.expire_all()
    with count_queries(connection) as statements:
        first, count = access_record.accesses_for_trainee(session, trainee_id)
    assert len(statements) == few <= 3
    assert count == access_record.PAGE_SIZE + 5 and len(first) == access_record.PAGE_SIZE
    assert first[0].at > first[1].at and first[0].name == "Tiina Tamm"
    assert first[0].roles == ["trainer"] and first[1].roles == ["coordinator"]
    last, _ = access_record.accesses_for_trainee(session, trainee_id, page=2)
    assert len(last) == 5 and last[-1].what == "logbook"


def test_an_entrys_openings_stay_apart_from_the_logbooks(session, people, entry):
    trainee, trainer = people["trainee"], people["trainer"]
    access_record.record_access(session, trainer, trainee.id, entry.id)
    access_record.record_access(session, trainer, trainee.id, what="logbook")
    session.flush()
    openings, count = access_record.accesses_for_entry(session, entry.id)
    assert count == 1 and openings[0].what == "entry"
    assert access_record.accesses_for_trainee(session, trainee.id)[1] == 1
    assert access_record.accesses_for_trainee(session, trainee.id, entries=True)[1] == 2


# Opening through the pages


def test_a_trainer_opening_an_entry_leaves_one_row(client, session, people, entry):
    login(client, people["trainer"])
    assert client.get(f"/practice/entries/{entry.id}").status_code == 200
    (row,) = rows(session)
    assert (row.viewer_id, row.trainee_id, row.entry_id, row.what) == (
        people["trainer"].id, people["trainee"].id, entry.id, "entry",
    )  # fmt: skip


def test_the_trainee_opening_their_own_practice_leaves_no_row(client, session, people, entry):
    login(client, people["trainee"])
    urls = [f"/practice/entries/{entry.id}", logbook_url(people)]
    urls += [logbook_url(people, "/logbook.csv"), logbook_url(people, "/logbook.pdf")]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert rows(session) == []


def test_a_coordinators_exports_and_logbook_visit_are_recorded_by_format(
    client, session, people, entry
):
    login(client, people["coordinator"])
    for url in (logbook_url(people), logbook_url(people, "/logbook.csv"),
                logbook_url(people, "/logbook.pdf")):  # fmt: skip
        assert client.get(url).status_code == 200, url
    recorded = rows(session)
    assert [(r.what, r.entry_id, r.viewer_id) for r in recorded] == [
        ("logbook", None, people["coordinator"].id),
        ("csv", None, people["coordinator"].id),
        ("pdf", None, people["coordinator"].id),
    ]


def test_a_refused_request_leaves_no_row(client, session, people, entry):
    for who in ("other_trainer", "other_trainee"):
        login(client, people[who])
        for url in (f"/practice/entries/{entry.id}", logbook_url(people),
                    logbook_url(people, "/logbook.csv")):  # fmt: skip
            assert client.get(url).status_code == 404, url
    assert rows(session) == []


def test_the_record_survives_a_download_that_fails_after_the_check(
    client, session, people, entry, monkeypatch
):
    from lms.practice import routes

    def broken(*_args):
        raise RuntimeError("the PDF could not be made")

    monkeypatch.setattr(routes.logbook, "download", broken)
    login(client, people["trainer"])
    assert client.get(logbook_url(people, "/logbook.pdf")).status_code == 500
    assert [r.what for r in rows(session)] == ["pdf"]


def test_the_trainee_sees_who_opened_the_entry_and_the_logbook(client, session, people, entry):
    login(client, people["trainee"])
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Nobody but you has opened this entry yet." in page
    page = client.get(logbook_url(people)).get_data(as_text=True)
    assert "Nobody but you has opened your logbook yet." in page

    login(client, people["trainer"])
    client.get(f"/practice/entries/{entry.id}")
    login(client, people["coordinator"])
    client.get(logbook_url(people, "/logbook.csv"))

    login(client, people["trainee"])
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Opened by Tiina Tamm (trainer), " in page
    assert "Nobody but you has opened this entry yet." not in page and "Kadri Kask" not in page
    page = client.get(logbook_url(people)).get_data(as_text=True)
    section = page[page.index("Who opened your practice") :]
    assert "Kadri Kask (coordinator)" in section and "Logbook as CSV" in section
    assert "Tiina Tamm" not in section  # the entry's opening is shown on the entry


def test_the_logbooks_record_is_paginated(client, session, people):
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for n in range(access_record.PAGE_SIZE + 1):
        session.add(PracticeAccess(viewer_id=people["trainer"].id, trainee_id=people["trainee"].id,
                                   what="csv", at=start + timedelta(minutes=n)))  # fmt: skip
    session.add(PracticeAccess(viewer_id=people["coordinator"].id,
                               trainee_id=people["trainee"].id, what="pdf", at=start))  # fmt: skip
    session.commit()
    login(client, people["trainee"])
    page = client.get(logbook_url(people)).get_data(as_text=True)
    assert "Page 1 of 2" in page and "Kadri Kask" not in page and "opened=2" in page
    page = client.get(logbook_url(people, "?opened=2")).get_data(as_text=True)
    assert "Page 2 of 2" in page and "Kadri Kask (coordinator)" in page


def test_only_the_trainee_and_coordinators_see_the_record(client, session, people, entry):
    login(client, people["trainer"])
    client.get(logbook_url(people))
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Who opened" not in page and "Opened by" not in page
    login(client, people["coordinator"])
    page = client.get(f"/practice/entries/{entry.id}").get_data(as_text=True)
    assert "Who opened this entry" in page and "Opened by Tiina Tamm (trainer)" in page
    login(client, people["other_trainee"])
    for url in (f"/practice/entries/{entry.id}", logbook_url(people)):
        response = client.get(url)
        assert response.status_code == 404 and b"Tiina Tamm" not in response.data


# The watch used by tests/test_reader_formats.py::test_no_page_writes_while_it_is_read


def _in_request(app, method, work):
    with GetWrites() as watch, app.test_request_context("/practice/x", method=method):
        work(db.session)
        db.session.remove()
    return watch.paths


def _rename(people):
    def work(session):
        session.get(User, people["trainer"].id).display_name = "Someone Else"
        session.commit()

    return work


def test_the_watch_lets_a_get_commit_the_access_record(app, people):
    def work(session):
        access_record.record_access(session, people["trainer"], people["trainee"].id)
        access_record.keep_record(session)

    assert _in_request(app, "GET", work) == []


def test_the_watch_catches_a_get_that_commits_anything_else(app, people):
    assert _in_request(app, "GET", _rename(people)) == ["/practice/x"]
    assert _in_request(app, "POST", _rename(people)) == []


def test_the_watch_catches_a_write_flushed_before_the_commit_or_beside_the_record(app, people):
    def flushed_first(session):
        session.add(PracticeAccess(viewer_id=people["trainer"].id,
                                   trainee_id=people["trainee"].id, what="logbook"))  # fmt: skip
        session.get(User, people["trainer"].id).display_name = "Someone Else"
        session.flush()
        session.commit()

    def statement(session):
        session.execute(
            sa.update(User).where(User.id == people["trainer"].id).values(display_name="X")
        )
        session.commit()

    assert _in_request(app, "GET", flushed_first) == ["/practice/x"]
    assert _in_request(app, "GET", statement) == ["/practice/x"]


def test_the_watch_forgets_what_a_rollback_undid(app, people):
    def undone(session):
        session.get(User, people["trainer"].id).display_name = "Someone Else"
        session.flush()
        session.rollback()
        access_record.record_access(session, people["trainer"], people["trainee"].id)
        session.commit()

    assert _in_request(app, "GET", undone) == []


def test_a_coordinators_export_of_all_a_trainees_data_is_recorded(client, session, people, entry):
    login(client, people["coordinator"])
    trainee_id = people["trainee"].id
    assert client.get(f"/privacy/people/{trainee_id}/data").status_code == 200
    assert rows(session) == []  # the page only offers the export
    assert client.post(f"/privacy/people/{trainee_id}/data").status_code == 200
    assert client.post(f"/privacy/people/{trainee_id}/data.json").status_code == 200
    assert [(r.what, r.viewer_id) for r in rows(session)] == [
        ("data-page", people["coordinator"].id),
        ("data-json", people["coordinator"].id),
    ]
    login(client, people["trainee"])
    page = client.get(logbook_url(people)).get_data(as_text=True)
    assert "All their data, downloaded by a coordinator" in page
