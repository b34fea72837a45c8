"""Test fixtures: the schema is made once per run, and each test runs in a transaction rolled back.

Set ``LMS_TEST_DATABASE_URL`` to run the suite on PostgreSQL; by default it runs on a temporary
SQLite file. The PostgreSQL run never skips silently: an unreachable server stops the run.
"""

import logging
import os
import tempfile

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session

# Before the app is imported: keep the secret key and any SQLite file out of the repository.
os.environ["LMS_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="tugi-test-instance-")

from lms import create_app  # noqa: E402
from lms.db import upgrade_schema  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.pdf import font_files  # noqa: E402
from tests.factories import login  # noqa: E402, F401  (re-exported for tests)

TEST_DATABASE_URL = os.environ.get("LMS_TEST_DATABASE_URL", "")

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    # A cheap hash keeps the suite fast; production uses werkzeug's slow scrypt default.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "RATELIMIT_ENABLED": False,
    # Counted per process in tests: the database store writes on its own connection, which the
    # test's open transaction would block on SQLite. tests/test_rate_limit_workers.py covers it.
    "RATELIMIT_STORAGE_URI": "memory://",
    "WTF_CSRF_ENABLED": False,
    "SERVER_NAME": None,
    # Credentials and PDFs name the site by its configured address, never the request's Host.
    "BASE_URL": "http://localhost",
    # The PDF fonts take seconds to make: made once, kept for later runs.
    "FONT_CACHE_DIR": os.path.join(tempfile.gettempdir(), "tugi-test-fonts"),
}


def reset_schema(app) -> None:
    """Drop everything in the test database and migrate it to the newest schema."""
    with app.app_context():
        engine = db.engine
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA public"))
            else:
                db.metadata.drop_all(connection)
                connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade_schema()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The database the suite runs on."""
    if TEST_DATABASE_URL:
        engine = sa.create_engine(TEST_DATABASE_URL)
        try:
            with engine.connect():
                pass
        except sa.exc.OperationalError as error:
            pytest.exit(f"LMS_TEST_DATABASE_URL is set but unreachable: {error}", returncode=3)
        finally:
            engine.dispose()
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class ErrorRecorder(logging.Handler):
    """The messages logged on the app's logger, whatever the logging set-up around the test."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def make_app(database_url: str, **overrides):
    """An app configured for tests, on ``database_url``."""
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})


@pytest.fixture(scope="session")
def app(database_url):
    """The application under test, with the schema made once for the whole run."""
    application = make_app(database_url)
    reset_schema(application)
    with application.app_context():
        font_files()  # before any test asks for a PDF and waits for them
    return application


class _ConnectionBoundSession(FlaskSession):
    """A request session that always uses the test's connection, whatever the table."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def connection(app):
    """One connection with an outer transaction, rolled back after the test."""
    with app.app_context():
        conn = db.engine.connect()
    outer = conn.begin()
    original = db.session
    db.session = db._make_scoped_session(
        {
            "bind": conn,
            "join_transaction_mode": "create_savepoint",
            "class_": _ConnectionBoundSession,
        }
    )
    try:
        yield conn
    finally:
        # Remove every session before rolling back: on PostgreSQL a session idle in a
        # transaction would block the next schema change.
        with app.app_context():
            db.session.remove()
        db.session = original
        outer.rollback()
        conn.close()


@pytest.fixture
def session(connection) -> Session:
    """A session for the test's own setup and checks, inside the test's transaction.

    It sees what the app's requests write (same connection); call ``session.expire_all()``
    before reading something a request has changed.
    """
    test_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield test_session
    test_session.close()


def empty_every_table(engine) -> None:
    """Delete every row, children first: after tests whose data was committed for real."""
    with engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def committed(app):
    """A session on its own connection whose writes are committed (for tests of concurrent
    requests); every table is emptied afterwards."""
    with app.app_context():
        session = Session(db.engine, expire_on_commit=False)
        try:
            yield session
        finally:
            session.rollback()
            session.close()
            empty_every_table(db.engine)


@pytest.fixture
def client(app, connection):
    """A test client whose requests run inside the test's transaction."""
    return app.test_client()


@pytest.fixture
def runner(app, connection):
    """A CLI runner whose commands run inside the test's transaction."""
    return app.test_cli_runner()
