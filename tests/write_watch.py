"""Watch what GET requests commit: a GET shows and never writes, except the record of who opened
a trainee's practice (``PracticeAccess`` rows, lms/practice/access_record.py).

``GetWrites`` listens on every ORM session while it is active. It notes the path of a GET (or
HEAD) request whose commit carries anything else: an object added, changed or deleted (seen in
``before_flush`` and, for what was never flushed, in ``before_commit``) or an ORM INSERT, UPDATE
or DELETE statement on another table (seen in ``do_orm_execute``). What a rollback undoes is
forgotten, since it was never committed.
"""

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import orm

from lms.practice.models import PracticeAccess

KEY = "writes_besides_the_access_record"
ALLOWED = (PracticeAccess,)


def _reading() -> bool:
    return has_request_context() and request.method in ("GET", "HEAD")


def _changed(session: orm.Session) -> list[str]:
    """What the session holds to write that is not an access record."""
    touched = [*session.new, *session.deleted]
    touched += [obj for obj in session.dirty if session.is_modified(obj)]
    return [type(obj).__name__ for obj in touched if not isinstance(obj, ALLOWED)]


class GetWrites:
    """A context manager; ``paths`` lists the GET requests that committed other writes."""

    def __init__(self):
        self.paths: list[str] = []

    def before_flush(self, session, _context, _instances):
        if _reading():
            session.info.setdefault(KEY, []).extend(_changed(session))

    def do_orm_execute(self, state):
        if not _reading() or not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if table is None or table.name != PracticeAccess.__tablename__:
            state.session.info.setdefault(KEY, []).append(str(table))

    def before_commit(self, session):
        if _reading() and (session.info.pop(KEY, []) + _changed(session)):
            self.paths.append(request.path)
        session.info.pop(KEY, None)

    def forget(self, session, *_args):
        session.info.pop(KEY, None)

    HOOKS = (
        ("before_flush", "before_flush"),
        ("do_orm_execute", "do_orm_execute"),
        ("before_commit", "before_commit"),
        ("after_commit", "forget"),
        ("after_rollback", "forget"),
        ("after_soft_rollback", "forget"),
    )

    def __enter__(self):
        for event, method in self.HOOKS:
            sa.event.listen(orm.Session, event, getattr(self, method))
        return self

    def __exit__(self, *_exc):
        for event, method in self.HOOKS:
            sa.event.remove(orm.Session, event, getattr(self, method))
