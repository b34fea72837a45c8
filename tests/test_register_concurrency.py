"""Two trainers save the same register rows at the same moment: both load the page, both post,
and neither writes before both have read the rows. Each row must end as exactly one trainer's
save, the other trainer must be told, and the history must hold the row as it really was.

This test commits for real (each thread has its own connection), so it cleans up after itself.
"""

import random
import re
import threading

import flask
import sqlalchemy as sa

from lms.attendance import services
from lms.attendance.models import AttendanceRecord
from lms.audit import AuditEvent
from lms.auth.models import Role
from tests.factories import login, make_cohort, make_session, make_user

SESSION_MINUTES = 240
MARKS = ("present", "late", "left_early", "excused", "absent")
BUSY = "Another change was being saved at the same moment"


def credited(mark: str, minutes: int) -> int:
    return {"present": SESSION_MINUTES, "excused": 0, "absent": 0}.get(mark, minutes)


def a_save(rng: random.Random, start: tuple | None) -> tuple:
    """A trainer's values for one row: each field kept from the row as shown or changed, so that
    a save mixing two trainers' fields would show."""
    while True:
        mark = rng.choice(MARKS)
        minutes = credited(mark, rng.randrange(1, SESSION_MINUTES))
        note = rng.choice(["", "B4", "bus late", f"n{rng.randrange(1000)}"])
        if start and rng.random() < 0.4:
            mark, minutes = start[0], start[1]  # only the note changes
        values = (mark, minutes, note)
        if values != start:
            return values


def as_audit(uid: int, values: tuple | None) -> dict:
    """A row's values as the audit trail writes them."""
    if values is None:
        return {}
    return {"user_id": uid, **dict(zip(("mark", "minutes", "note"), values, strict=True))}


def check_row(uid, start, saves, pages, final, events) -> str | None:
    """What is wrong with one row after a round, or None."""
    a, b = saves[0][uid], saves[1][uid]
    told = [f'id="conflict-{uid}"' in page or BUSY in page for page in pages]
    row = final.get(uid)
    if row not in (a, b):
        return "mixed"  # neither trainer's save, whole
    if a != b and told.count(True) != 1:
        return "told twice" if all(told) else "untold"
    if a != b and row != saves[told.index(False)][uid]:
        return "the one told of a conflict was saved"
    mine = [e for e in events if (e.after or {}).get("user_id") == uid]
    if len(mine) != 1 or (mine[0].before or {}) != as_audit(uid, start[uid]):
        return "audit before wrong"
    if mine[0].after != as_audit(uid, row):
        return "audit after wrong"
    return None


def form_of(page: str, people, saves: dict[int, tuple], shown: dict[int, tuple | None]) -> dict:
    versions = dict(re.findall(r'name="version-(\d+)" value="(\d*)"', page))
    data = {}
    for person in people:
        uid = person.id
        mark, minutes, note = saves[uid]
        before = shown[uid] or ("", "", "")
        data.update({
            f"mark-{uid}": mark, f"minutes-{uid}": str(minutes), f"note-{uid}": note,
            f"shown-mark-{uid}": before[0], f"shown-minutes-{uid}": str(before[1]),
            f"shown-note-{uid}": before[2], f"version-{uid}": versions.get(str(uid), ""),
        })  # fmt: skip
    return data


def test_two_trainers_saving_the_same_rows_at_once(app, committed, monkeypatch):
    postgres = committed.get_bind().dialect.name == "postgresql"
    rounds = 20 if postgres else 6
    with app.test_request_context():
        trainers = [make_user(committed, Role.TRAINER) for _ in range(2)]
        people = [make_user(committed) for _ in range(4)]
        cohort = make_cohort(committed, trainers=tuple(trainers), trainees=tuple(people))
    both_read = threading.Barrier(2, timeout=20)
    waited = threading.local()
    real_rows = services.register_rows

    def rows_then_wait(*args, **kwargs):
        rows = real_rows(*args, **kwargs)
        if flask.request.method == "POST" and not getattr(waited, "done", False):
            waited.done = True
            both_read.wait()  # neither writes before both have read the rows
        return rows

    monkeypatch.setattr(services, "register_rows", rows_then_wait)
    problems = []
    for number in range(rounds):
        rng = random.Random(number)
        with app.test_request_context():
            item = make_session(committed, cohort, minutes=SESSION_MINUTES)
        # every row but the first starts marked, so both the insert and the update race
        start = {person.id: None for person in people}
        for person in people[1:]:
            start[person.id] = ("present", SESSION_MINUTES, "")
            committed.add(
                AttendanceRecord(session_id=item.id, user_id=person.id, mark="present",
                                 credited_minutes=SESSION_MINUTES)
            )  # fmt: skip
        committed.commit()
        saves = [{p.id: a_save(rng, start[p.id]) for p in people} for _ in range(2)]
        last_event = committed.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
        committed.commit()  # end the read: on SQLite it would keep its snapshot from before
        pages: list = [None, None]
        clients = [app.test_client() for _ in trainers]
        for client, trainer in zip(clients, trainers, strict=True):
            login(client, trainer)  # here: the committed session is not for threads

        def trainer_saves(
            n, item_id=item.id, saves=saves, pages=pages, start=start, clients=clients
        ):
            waited.done = False
            client = clients[n]
            url = f"/attendance/sessions/{item_id}"
            page = client.get(url).get_data(as_text=True)
            data = form_of(page, people, saves[n], start)
            pages[n] = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)

        threads = [threading.Thread(target=trainer_saves, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert all(pages), f"round {number}: a request failed"
        committed.expire_all()
        final = {
            r.user_id: (r.mark, r.credited_minutes, r.note)
            for r in committed.scalars(
                sa.select(AttendanceRecord).where(AttendanceRecord.session_id == item.id)
            )
        }
        events = committed.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.subject_type == "register", AuditEvent.id > last_event)
            .order_by(AuditEvent.id)
        ).all()
        committed.commit()  # end the read, so that the next round's writes see a fresh snapshot
        for person in people:
            problem = check_row(person.id, start, saves, pages, final, events)
            if problem:
                problems.append((number, person.id, problem))
    counts = {kind: [p[2] for p in problems].count(kind) for _, _, kind in problems}
    assert not problems, (f"{rounds} rounds x {len(people)} rows", counts, problems[:5])
