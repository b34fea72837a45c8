"""The declarative base, the constraint naming convention and per-engine tuning."""

import os
import threading
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

#: Predictable constraint names, so that Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


#: the databases Tugi runs on, each of which takes a partial index's condition as ``<name>_where``
PARTIAL_INDEX_DIALECTS = ("sqlite", "postgresql")


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> sa.Index:
    """An index of the rows matching ``where`` (SQL, the same on SQLite and PostgreSQL).

    The condition is handed to a database's dialect (``sqlite_where``, ``postgresql_where``)
    only when that database is used (``use_partial_indexes``): naming ``postgresql_where`` in a
    model makes SQLAlchemy import PostgreSQL's dialect with all of its drivers, some 2 MB in
    every worker serving SQLite."""
    index = sa.Index(name, *columns, unique=unique)
    index.info["where"] = where
    return index


def use_partial_indexes(metadata: sa.MetaData, dialect: str) -> None:
    """Give every ``partial_index`` of ``metadata`` its condition in ``dialect``'s terms: when
    an engine of that dialect is bound, and before tables are created on one."""
    for table in metadata.tables.values():
        for index in table.indexes:
            if "where" in index.info:
                index.dialect_options[dialect]["where"] = sa.text(index.info["where"])


@event.listens_for(Base.metadata, "before_create")
def _partial_indexes_before_create(metadata, connection, **kw) -> None:
    use_partial_indexes(metadata, connection.dialect.name)


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC (used as a callable column default)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware, on SQLite too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime in UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, connection_record):
    """Turn on foreign keys, WAL and a busy timeout, and let SQLAlchemy own transactions.

    pysqlite's own transaction handling breaks SAVEPOINT (used by the tests' rollback per test and
    by nested transactions), so it is switched off and BEGIN is emitted by the listener below.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # a writer waits for another's lock rather than failing: on a busy machine a write holding the
    # lock can outlast a few seconds (two hosts making the issuer key together hit 5 s under load)
    cursor.execute("PRAGMA busy_timeout=20000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # SQLite's own lower() knows only ASCII; searching "олена" must find "Олена", as on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """BEGIN on SQLite, sent to the driver itself: through ``exec_driver_sql`` it cost as much
    CPU as a query (a statement, a cursor and a result set up for nothing), on every request.
    A failure is raised as SQLAlchemy's own, as any other statement's."""
    if connection.dialect.name != "sqlite":
        return
    try:
        connection.connection.dbapi_connection.execute("BEGIN")
    except connection.dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            "BEGIN", None, error, connection.dialect.loaded_dbapi.Error
        ) from error


#: the escape character of the patterns ``contains_pattern`` makes
LIKE_ESCAPE = "\\"


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, its own ``%`` and ``_`` taken as typed."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def plain_rows(session, statement, parameters: dict | None = None) -> list:
    """The rows of a prebuilt Core statement, run on the session's connection (in its
    transaction) without the ORM's work per statement: under half the CPU of building the
    statement and running it through ``session.execute``, which counts on a page of a few
    milliseconds. The session is flushed first, as ``session.execute`` would, so that what it
    holds and has not yet written is read."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters or {}).all()


def rows_alongside(session, statement) -> Callable[[], list]:
    """Start a read-only Core statement on a connection of its own, in a thread, beside the
    session's; returns a function that waits for its rows (and raises what it raised).

    One request uses one core of the database server; a report whose heaviest query runs beside
    its other queries uses two. Nothing is promised that was not before: under READ COMMITTED
    every statement of a request already reads its own snapshot. Where the session is bound to
    one connection (SQLite, or a test's transaction) the statement runs in place, at once."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "postgresql":
        rows = plain_rows(session, statement)
        return lambda: rows
    outcome: dict = {}

    def run() -> None:
        try:
            with bind.connect() as connection:
                outcome["rows"] = connection.execute(statement).all()
        except BaseException as error:  # handed to the request's thread, which raises it
            outcome["error"] = error

    thread = threading.Thread(target=run, name="rows-alongside", daemon=True)
    thread.start()

    def rows() -> list:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["rows"]

    return rows


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection with ``SELECT 1`` before use only when it has sat unused for
    ``idle_seconds`` or more (a database restarted, a firewall that dropped it).

    ``pool_pre_ping`` pings at every checkout: on PostgreSQL that is one more round trip for
    every request, and most of ``/healthz``. A connection returned a moment ago is alive unless
    the database went away in that moment; then that one request fails (503, "try again"),
    SQLAlchemy throws the whole pool away on the disconnect, and the next request reconnects.
    """

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, proxy):
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # the pool replaces this connection and tries again with a new one
            raise sa.exc.DisconnectionError(str(error)) from error


def forget_connections_after_fork(engine: Engine) -> None:
    """In a process forked from this one (gunicorn ``--preload`` starts the app once, then forks
    its workers), start with an empty pool: a connection the parent opened is never shared, as
    two processes talking on one socket would corrupt both conversations."""
    reference = weakref.ref(engine)

    def _forget() -> None:
        if (alive := reference()) is not None:
            alive.dispose(close=False)  # the parent keeps its connections; the child drops them

    os.register_at_fork(after_in_child=_forget)


def bind_migrations(app) -> None:
    """Give ``app`` Flask-Migrate, which brings Alembic, Mako and Pygments (some 11 MB per
    worker): only the commands that change the schema call this, never the app's start-up."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from lms.config import SHIPPED_ROOT
    from lms.extensions import db

    migrations = str(SHIPPED_ROOT / "migrations")
    for dialect in PARTIAL_INDEX_DIALECTS:  # so that a migration made on one names both
        use_partial_indexes(db.metadata, dialect)
    Migrate(app, db, directory=migrations, render_as_batch=True, compare_type=True)


def upgrade_schema() -> None:
    """Migrate the current app's database to the newest schema."""
    from flask import current_app
    from flask_migrate import upgrade

    bind_migrations(current_app._get_current_object())
    upgrade()
