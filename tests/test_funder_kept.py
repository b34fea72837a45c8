"""The signed-off practice the funder report reads per cohort and set of client groups
(``practice_client_sets``) is kept by database triggers: after every kind of write it equals a
recount of the live revisions, and the report from it equals the report from the revisions."""

import dataclasses
from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from lms.auth.models import Role, User
from lms.cohorts.models import Cohort
from lms.practice import services
from lms.practice.models import PracticeClientSet, PracticeEntry, PracticeRevision, Status
from lms.privacy import erasure
from tests.factories import make_cohort, make_practice, make_user
from tests.test_demo import demo  # noqa: F401  (the fixture)
from tests.test_funder_report import report, world  # noqa: F401  (the fixture)

NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
#: a period wider than any data: the report then counts clients from the revisions themselves
EVER = {"date_from": date(1900, 1, 1), "date_to": date(2999, 12, 31)}


def kept(session) -> dict:
    """The kept rows: (cohort, groups) -> (clients, minutes)."""
    session.flush()
    rows = session.execute(sa.select(PracticeClientSet)).scalars()
    return {(row.cohort_id, row.client_groups): (row.clients, row.minutes) for row in rows}


def recounted(session) -> dict:
    """The same rows worked out here, in Python, from every signed-off revision."""
    session.flush()
    clients = defaultdict(lambda: [set(), 0])
    for cohort_id, key, group, minutes in session.execute(
        sa.select(
            PracticeRevision.cohort_id,
            PracticeRevision.client_key,
            PracticeRevision.client_group,
            PracticeRevision.minutes,
        ).where(PracticeRevision.status == Status.APPROVED)
    ):
        client = clients[cohort_id, key]
        client[0].add(group)
        client[1] += minutes
    sets = defaultdict(lambda: (0, 0))
    for (cohort_id, _key), (groups, minutes) in clients.items():
        before = sets[cohort_id, " ".join(sorted(groups))]
        sets[cohort_id, " ".join(sorted(groups))] = (before[0] + 1, before[1] + minutes)
    return dict(sets)


def assert_kept(session) -> None:
    assert kept(session) == recounted(session)


def _figures(funder_report) -> dict:
    figures = dataclasses.asdict(funder_report)
    del figures["chosen"]
    return figures


def assert_same_report(app, session, **chosen) -> None:
    """The report from the kept rows equals the one counted from the revisions."""
    assert _figures(report(app, session, **chosen)) == _figures(
        report(app, session, **chosen, **EVER)
    )


def test_the_world_s_kept_rows_and_report(app, session, world):  # noqa: F811
    assert kept(session) == recounted(session) != {}
    assert_same_report(app, session)
    assert_same_report(app, session, cohort_id=world["a"].id)
    assert_same_report(app, session, region="Harjumaa")
    assert_same_report(app, session, programme_slug="trainer-of-trainers")


def _entry(session, code: str) -> PracticeEntry:
    return session.scalar(
        sa.select(PracticeEntry)
        .join(PracticeRevision)
        .where(PracticeRevision.client_code == code)
        .order_by(PracticeEntry.id)
        .limit(1)
    )


def test_every_way_a_revision_moves_keeps_them(app, session, world):  # noqa: F811
    a, t1, trainer = world["a"], world["t1"], world["trainer"]
    with app.app_context():
        draft = make_practice(session, a, t1, submit=False, client_code="NEW-1", minutes=33)
        assert_kept(session)  # a draft counts nowhere
        services.submit_revision(session, draft.latest, t1, NOW)
        assert_kept(session)
        services.return_revision(session, draft.latest, trainer, "More, please.", NOW)
        assert_kept(session)
        services.submit_revision(session, draft.latest, t1, NOW)  # resubmitted
        services.approve(session, [draft.latest], trainer, "I attest.", NOW)
        assert_kept(session)
        before = kept(session)
        # a correction: counted only once signed off, when it supersedes the earlier revision
        correction = services.start_correction(session, draft, t1, NOW)
        correction.minutes, correction.client_group = 50, "family"
        services.submit_revision(session, correction, t1, NOW)
        assert kept(session) == before
        services.approve(session, [correction], trainer, "I attest.", NOW)
        assert_kept(session)
        assert kept(session) != before
        assert_same_report(app, session)


def test_deleting_entries_cohorts_and_people_keeps_them(app, session, world):  # noqa: F811
    a, b, trainer = world["a"], world["b"], world["trainer"]
    session.delete(_entry(session, "FAM-2"))  # the ORM deletes the revisions
    assert_kept(session)
    # the database's own cascades: entry -> revisions, person -> entries, cohort -> entries
    entry = _entry(session, "UA-A-3")
    session.execute(sa.delete(PracticeEntry).where(PracticeEntry.id == entry.id))
    assert_kept(session)
    with app.app_context():
        other = make_user(session)
        make_cohort(session, trainers=(trainer,), trainees=(other,), name="C")
        cohort_c = session.scalar(sa.select(Cohort).where(Cohort.name == "C"))
        make_practice(session, cohort_c, other, approve_by=trainer, client_code="C-1")
    assert_kept(session)
    session.execute(sa.delete(User).where(User.id == other.id))
    assert_kept(session)
    session.execute(sa.delete(Cohort).where(Cohort.id == b.id))
    assert_kept(session)
    assert {cohort for cohort, _ in kept(session)} == {a.id}


def test_erasing_a_trainee_and_a_trainer_keeps_them(app, session, world):  # noqa: F811
    with app.app_context():
        coordinator = world["coordinator"]
        erasure.erase_person(session, world["t1"], coordinator)
        assert_kept(session)
        trainer = make_user(session, Role.TRAINER)
        erasure.erase_person(session, trainer, coordinator)
        assert_kept(session)
        erasure.erase_person(session, world["trainer"], coordinator)
        assert_kept(session)
    assert_same_report(app, session)


def test_a_bulk_update_keeps_them(app, session, world):  # noqa: F811
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.client_group == "refugee-child")
        .values(client_group="gone-away")
        .execution_options(synchronize_session=False)
    )
    assert_kept(session)
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.status == Status.APPROVED)
        .values(minutes=PracticeRevision.minutes + 1)
        .execution_options(synchronize_session=False)
    )
    assert_kept(session)
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.client_key == "fam-2")
        .values(status=Status.SUPERSEDED)
        .execution_options(synchronize_session=False)
    )
    assert_kept(session)
    assert_same_report(app, session)


def test_clients_in_several_groups_known_and_gone(app, session, world):  # noqa: F811
    """Generated cohorts whose clients are seen in one to three groups, some of them no
    programme names: the report from the kept rows is the report from the revisions."""
    trainer = world["trainer"]
    groups = ["refugee-child", "refugee-adult", "family", "child", "gone-one", "gone-two"]
    with app.app_context():
        for number in range(3):
            people = [make_user(session) for _ in range(3)]
            cohort = make_cohort(
                session, trainers=(trainer,), trainees=tuple(people), name=f"Generated {number}",
                region="Kagu-Eesti", starts_on=date(2026, 5, 1), ends_on=date(2026, 9, 30),
            )  # fmt: skip
            for n in range(12):
                make_practice(
                    session, cohort, people[n % 3], approve_by=trainer,
                    client_code=f"G-{n % 5}", minutes=10 + n, practised_on=date(2026, 9, 1 + n),
                )  # fmt: skip
            revisions = session.scalars(
                sa.select(PracticeRevision)
                .where(PracticeRevision.cohort_id == cohort.id)
                .order_by(PracticeRevision.id)
            ).all()
            # bulk writes of groups, as a data fix would make them (the form allows known ones)
            for n, revision in enumerate(revisions):
                session.execute(
                    sa.update(PracticeRevision)
                    .where(PracticeRevision.id == revision.id)
                    .values(client_group=groups[(n * (number + 1)) % len(groups)])
                    .execution_options(synchronize_session=False)
                )
    assert_kept(session)
    assert any(len(groups.split(" ")) == 3 for _, groups in kept(session))
    assert_same_report(app, session)
    assert_same_report(app, session, region="Kagu-Eesti")
    figures = report(app, session)
    assert figures.refugee_clients and figures.child_clients and figures.groups[0].clients


TRIGGERS = {
    "practice_kept_insert",
    "practice_kept_delete",
    "practice_kept_update",
}


def _triggers(connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = (
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'practice_revisions'::regclass"
            " AND NOT tgisinternal"
        )
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {name for (name,) in connection.exec_driver_sql(query)}


def test_the_triggers_are_in_the_schema(connection):
    """Every write to the revisions goes through them: they exist after the migrations, and no
    other trigger on the table was forgotten here."""
    assert _triggers(connection) == TRIGGERS


@pytest.fixture
def scratch_url(database_url):
    """A database of its own, for migrating down and up again."""
    if not database_url.startswith("postgresql"):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/scratch.sqlite3"
        return
    server, _, _ = database_url.rpartition("/")
    name = "test_funder_kept_scratch"
    engine = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        engine.dispose()


def test_downgrade_removes_the_triggers_and_upgrade_backfills(scratch_url):
    from flask_migrate import downgrade, upgrade

    from lms.db import bind_migrations
    from lms.extensions import db
    from tests.conftest import make_app

    app = make_app(scratch_url)
    with app.app_context():
        bind_migrations(app)
        upgrade()
        engine = db.engine
        with engine.connect() as connection:
            assert _triggers(connection) == TRIGGERS
        downgrade(revision="c4d8e2f6a1b3")
        with engine.connect() as connection:
            assert _triggers(connection) == set()
            assert not sa.inspect(connection).has_table("practice_client_sets")
        with engine.begin() as connection:  # practice written while the triggers were gone
            connection.exec_driver_sql(
                "INSERT INTO users (id, email, email_key, display_name, language, active,"
                " session_version, created_at) VALUES (1, 'a@example.org', 'a@example.org', 'A',"
                " 'en', true, 1, CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO cohorts (id, programme_slug, name, starts_on, ends_on, calendar_token,"
                " created_at) VALUES (1, 'support-person', 'C', '2026-01-01', '2026-02-01', 't',"
                " CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO practice_entries (id, user_id, cohort_id, created_at)"
                " VALUES (1, 1, 1, CURRENT_TIMESTAMP), (2, 1, 1, CURRENT_TIMESTAMP)"
            )
            for entry, group in ((1, "family"), (2, "child")):
                connection.exec_driver_sql(
                    "INSERT INTO practice_revisions (entry_id, cohort_id, number, status,"
                    " practised_on, minutes, client_code, client_key, client_group, activity,"
                    " core_acts, reflection, created_at, reviewer_id, reviewed_at, attestation)"
                    f" VALUES ({entry}, 1, 1, 'approved', '2026-01-10', 30, 'X', 'x', '{group}',"
                    " 'visit', '[]', '', CURRENT_TIMESTAMP, 1, CURRENT_TIMESTAMP, 'I attest.')"
                )
        upgrade()
        with engine.connect() as connection:
            assert _triggers(connection) == TRIGGERS
            rows = connection.exec_driver_sql("SELECT * FROM practice_client_sets").all()
        assert [tuple(row) for row in rows] == [(1, "child family", 1, 60)]
        db.session.remove()
        engine.dispose()


def test_two_sign_offs_in_one_cohort_at_once_are_both_kept(app, committed):
    """Each transaction recounts the cohort; the second waits for the first to commit and then
    counts its revision too (PostgreSQL: the cohort's row is locked; SQLite: one writer)."""
    import threading
    import time

    from lms.extensions import db

    with app.app_context():
        trainer = make_user(committed, Role.TRAINER)
        people = [make_user(committed) for _ in range(2)]
        cohort = make_cohort(committed, trainers=(trainer,), trainees=tuple(people))
        for n, person in enumerate(people):
            make_practice(committed, cohort, person, client_code=f"AT-ONCE-{n}")
        waiting = committed.scalars(
            sa.select(PracticeRevision.id).order_by(PracticeRevision.id)
        ).all()
        engine = db.engine
    committed.rollback()
    signed_off = {
        "status": Status.APPROVED,
        "reviewer_id": trainer.id,
        "reviewed_at": NOW,
        "attestation": "I attest.",
    }

    def sign_off(connection, revision_id):
        connection.execute(
            sa.update(PracticeRevision)
            .where(PracticeRevision.id == revision_id)
            .values(**signed_off)
        )

    first = engine.connect()
    first.begin()
    sign_off(first, waiting[0])  # the first recount is done, not yet committed
    errors = []

    def second():
        try:
            with engine.begin() as connection:
                sign_off(connection, waiting[1])
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)  # the second waits for the first
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not thread.is_alive() and errors == []
    committed.rollback()  # a snapshot taken before both commits would see neither
    assert kept(committed) == recounted(committed)
    assert sum(clients for clients, _ in kept(committed).values()) == 2


def test_the_demo_s_kept_rows_and_report(app, demo):  # noqa: F811
    """Last in the module: the demo's transaction stays open until the module ends."""
    assert kept(demo.session) == recounted(demo.session) != {}
    assert_same_report(app, demo.session)
    assert_same_report(app, demo.session, programme_slug="support-person")
