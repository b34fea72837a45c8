"""A report's heaviest query on a connection of its own, beside the request's (PostgreSQL), and
in place where the session has one connection only (SQLite, a test's transaction)."""

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.db import rows_alongside
from lms.extensions import db
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user
from tests.test_funder_counts import build_twice, report

PEOPLE = sa.select(sa.func.count()).select_from(User)
on_postgresql = pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"),
    reason="only PostgreSQL runs a statement beside the session; SQLite runs it in place",
)


def test_a_session_on_one_connection_runs_the_statement_in_place(app, session):
    make_user(session)  # written inside the test's transaction, seen only on its connection
    assert rows_alongside(session, PEOPLE)() == [(1,)]


@on_postgresql
def test_on_postgresql_the_statement_runs_on_another_connection(app, committed):
    with app.app_context():
        pid = sa.select(sa.func.pg_backend_pid())
        own = committed.execute(pid).all()  # the session holds its connection from here
        assert rows_alongside(committed, pid)() != own
        committed.add(User(email="unsaved@example.org", email_key="unsaved@example.org",
                           display_name="Not yet saved", language="et"))  # fmt: skip
        committed.flush()
        # the other connection does not see what this one has not committed
        assert rows_alongside(committed, PEOPLE)() == [(0,)]
        assert committed.execute(PEOPLE).scalar() == 1


def test_an_error_beside_is_raised_in_the_request(app, committed):
    with app.app_context(), pytest.raises(sa.exc.DBAPIError):
        rows_alongside(committed, sa.text("SELECT * FROM no_such_table"))()


@on_postgresql
def test_the_funder_report_counts_the_same_people_either_way(app, committed):
    build_twice(app, committed)
    with app.app_context():
        with db.engine.connect() as connection:
            in_place = report(app, Session(bind=connection))
        beside = report(app, committed)  # people counted on a second connection
    assert beside.people_trained == in_place.people_trained == 4
    assert beside.municipalities == in_place.municipalities
    assert beside.municipalities == {"Tartu linn": (2, 2), "Elva vald": (2, 0)}
