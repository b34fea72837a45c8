"""The schema: constraints enforced by the database, migrations that match the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.auth.models import User, UserRole
from lms.extensions import db
from tests.factories import make_user


def test_migrations_match_the_models(app, connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = compare_metadata(context, db.metadata)
    assert differences == [], "run: flask --app lms db migrate -m '...'"


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO users (email, display_name, language, active, session_version, created_at)"
        " VALUES ('Upper@Example.org', 'X', 'en', true, 1, CURRENT_TIMESTAMP)",
        "INSERT INTO users (email, display_name, language, active, session_version, created_at)"
        " VALUES ('empty@example.org', '', 'en', true, 1, CURRENT_TIMESTAMP)",
    ],
)
def test_database_refuses_bad_people(session, statement):
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.execute(sa.text(statement))


def test_database_refuses_duplicate_email_and_unknown_role(session):
    user = make_user(session, email="one@example.org")
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.add(User(email="one@example.org", display_name="Again"))
        session.flush()
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.add(UserRole(user_id=user.id, role="boss"))
        session.flush()


def test_deleting_a_person_removes_their_roles(session):
    user = make_user(session)
    session.delete(user)
    session.flush()
    remaining = sa.select(sa.func.count()).select_from(UserRole).where(UserRole.user_id == user.id)
    assert session.scalar(remaining) == 0


def test_timestamps_come_back_aware(session):
    user = make_user(session)
    session.expire_all()
    assert user.created_at.tzinfo is not None


def test_sqlite_runs_with_foreign_keys_wal_and_busy_timeout(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/tuned.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 20000
    engine.dispose()


def test_sqlite_transactions_begin_and_roll_back(tmp_path):
    """BEGIN goes to the driver itself (lms.db): a transaction is open from its first statement
    and a rollback undoes it; a failing BEGIN comes back as SQLAlchemy's own error."""
    engine = sa.create_engine(f"sqlite:///{tmp_path}/begin.sqlite3")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.connect() as conn:
        with conn.begin() as transaction:
            assert conn.connection.dbapi_connection.in_transaction
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
            transaction.rollback()
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
        conn.rollback()
        conn.connection.dbapi_connection.execute("BEGIN")  # a BEGIN inside one fails
        with pytest.raises(sa.exc.OperationalError, match="BEGIN"):
            conn.begin()
    engine.dispose()


def test_a_forked_worker_never_shares_the_parents_connections(database_url):
    """gunicorn --preload forks workers from an app that may have used the database."""
    import os

    from tests.conftest import make_app

    app = make_app(database_url)
    with app.app_context():
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        assert db.engine.pool.checkedin() == 1
        child = os.fork()
        if child == 0:  # the worker: an empty pool, and a connection of its own that works
            try:
                empty = db.engine.pool.checkedin() == 0
                with db.engine.connect() as connection:
                    works = connection.exec_driver_sql("SELECT 1").scalar() == 1
                os._exit(0 if empty and works else 1)
            finally:
                os._exit(2)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert db.engine.pool.checkedin() == 1  # the parent keeps its own
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
        db.engine.dispose()


def test_the_health_check_leaves_pooled_connections_as_they_were(database_url):
    """/healthz runs outside a transaction on PostgreSQL; the connection goes back to the pool
    in the transaction handling every other request expects."""
    from tests.conftest import make_app

    app = make_app(database_url)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    with app.app_context():
        with db.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            if db.engine.dialect.name == "sqlite":
                assert raw.isolation_level is None  # BEGIN is ours (lms.db), not pysqlite's
            else:
                assert raw.autocommit is False
        db.engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_partial_indexes_are_partial_on_each_database(dialect):
    import importlib

    from lms.db import use_partial_indexes

    use_partial_indexes(db.metadata, dialect)
    compiled = importlib.import_module(f"sqlalchemy.dialects.{dialect}").dialect()
    partial = [
        index for table in db.metadata.tables.values() for index in table.indexes
        if "where" in index.info
    ]  # fmt: skip
    assert len(partial) == 7
    for index in partial:
        ddl = str(sa.schema.CreateIndex(index).compile(dialect=compiled))
        assert ddl.endswith(f"WHERE {index.info['where']}"), ddl
