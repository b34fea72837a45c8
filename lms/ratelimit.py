"""Rate-limit counters kept in the app's own database, shared by every worker and host.

Flask-Limiter counts through the ``limits`` library, whose ``memory://`` store counts per
process: with two gunicorn workers each allows the full limit. ``database://`` (the default)
keeps fixed-window counters in the ``rate_limit_counters`` table instead. One statement adds to
a counter and reads it back (an atomic upsert on SQLite and PostgreSQL alike), so concurrent
requests in any worker never lose a count. Redis (``redis://``) stays the choice for very busy
sites.
"""

import random
import time

import sqlalchemy as sa
import sqlalchemy.orm as so
from limits.storage import Storage

from lms.db import Base

#: ``LMS_RATELIMIT_STORAGE_URI`` value that means "the app's own database"
SCHEME = "database"
#: Roughly one increment in this many also deletes long-expired counters.
CLEANUP_ONE_IN = 500


class RateLimitCounter(Base):
    """One fixed-window counter: how many hits a key (limit and client) had until it expires."""

    __tablename__ = "rate_limit_counters"

    #: the limit and the client address it counts, as Flask-Limiter names them
    key: so.Mapped[str] = so.mapped_column(sa.String(255), primary_key=True)
    #: hits in the current window
    hits: so.Mapped[int] = so.mapped_column(sa.Integer)
    #: when the window ends, in seconds since the epoch
    expires_at: so.Mapped[float] = so.mapped_column(sa.Float)


TABLE = RateLimitCounter.__table__


class DatabaseStorage(Storage):
    """A ``limits`` storage on a SQLAlchemy database (fixed-window strategy)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, url: str = "", **options):
        """``url`` is the database's SQLAlchemy URL (the app's ``SQLALCHEMY_DATABASE_URI``)."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        if not url:
            raise ValueError("the database:// rate-limit store needs the database URL")
        # Its own small pool: a count is committed at once, whatever the request then does.
        pool = {} if url.startswith("sqlite") else {"pool_size": 2, "max_overflow": 4}
        self.engine = sa.create_engine(url, pool_pre_ping=True, **pool)

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def _insert(self):
        """An INSERT with this database's ``ON CONFLICT``, importing only its own dialect (with
        its drivers, PostgreSQL's costs a worker serving SQLite some 2 MB)."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(TABLE)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the key's counter (a new window if it expired); the new count."""
        now = time.time()
        statement = self._insert().values(key=key, hits=amount, expires_at=now + expiry)
        expired = TABLE.c.expires_at <= now
        statement = statement.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "hits": sa.case((expired, amount), else_=TABLE.c.hits + amount),
                "expires_at": sa.case((expired, now + expiry), else_=TABLE.c.expires_at),
            },
        ).returning(TABLE.c.hits)
        with self.engine.begin() as connection:
            hits = connection.execute(statement).scalar_one()
            if random.randrange(CLEANUP_ONE_IN) == 0:
                connection.execute(sa.delete(TABLE).where(TABLE.c.expires_at < now - 3600))
        return hits

    def _row(self, key: str):
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(TABLE.c.hits, TABLE.c.expires_at).where(TABLE.c.key == key)
            ).first()

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none or expired)."""
        row = self._row(key)
        return row.hits if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (now, when it has none)."""
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        """Forget every counter."""
        with self.engine.begin() as connection:
            return connection.execute(sa.delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Forget one key's counter."""
        with self.engine.begin() as connection:
            connection.execute(sa.delete(TABLE).where(TABLE.c.key == key))


def configure(app) -> None:
    """Point the ``database://`` store at the app's database (call before ``limiter.init_app``)."""
    if not app.config.get("RATELIMIT_STORAGE_URI", "").startswith(f"{SCHEME}://"):
        return
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        # A database in memory belongs to one process (and one connection) anyway.
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
        return
    options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    options.setdefault("url", url.render_as_string(hide_password=False))
    app.config["RATELIMIT_STORAGE_OPTIONS"] = options
