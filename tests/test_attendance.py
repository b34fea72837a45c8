"""The register, self check-in, the hours ledger, reports and exports, and what they cost."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from lms.attendance import attendees, services
from lms.attendance.ledger import build_matrix
from lms.attendance.models import AttendanceRecord, CheckIn
from lms.audit import AuditEvent
from lms.auth.models import Role
from lms.cohorts.models import EnrolmentStatus
from lms.config import REPOSITORY_ROOT
from lms.programmes.loader import load_programmes
from tests.factories import count_queries, login, make_cohort, make_session, make_user

PROGRAMMES = load_programmes(REPOSITORY_ROOT)
BASIC = PROGRAMMES.get("support-person")
SECRET = "test-secret"


@pytest.fixture
def setup(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Trainer")
    other_trainer = make_user(session, Role.TRAINER, display_name="Toomas Trainer")
    ann = make_user(session, display_name="Ann Aru")
    bert = make_user(session, display_name="Bert Bork")
    cohort = make_cohort(session, trainers=(trainer, other_trainer), trainees=(ann, bert))
    item = make_session(session, cohort, minutes=180)
    return trainer, other_trainer, ann, bert, cohort, item


def mark(user, value, minutes="", note="", shown=("", "", ""), version=0):
    uid = user.id
    return {f"mark-{uid}": value, f"minutes-{uid}": str(minutes), f"note-{uid}": note,
            f"shown-mark-{uid}": shown[0], f"shown-minutes-{uid}": str(shown[1]),
            f"shown-note-{uid}": shown[2], f"version-{uid}": str(version)}  # fmt: skip


def record_of(session, item, user):
    session.expire_all()
    return session.scalar(
        sa.select(AttendanceRecord).where(
            AttendanceRecord.session_id == item.id, AttendanceRecord.user_id == user.id
        )
    )


@pytest.mark.parametrize(
    ("mark_value", "minutes", "expected"),
    [
        ("present", None, 180),
        ("excused", 50, 0),
        ("absent", None, 0),
        ("late", 150, 150),
        ("left_early", 0, 0),
        ("late", 180, 180),
    ],  # fmt: skip
)
def test_credited_minutes_follow_the_mark(mark_value, minutes, expected):
    assert services.credit(mark_value, minutes, 180) == expected


@pytest.mark.parametrize(
    ("mark_value", "minutes"), [("late", None), ("late", 181), ("left_early", -1), ("gone", 10)]
)
def test_credited_minutes_stay_within_the_session(mark_value, minutes):
    with pytest.raises(services.RegisterError):
        services.credit(mark_value, minutes, 180)


def test_the_database_keeps_one_mark_per_trainee_and_session(session, setup):
    *_, ann, _bert, _cohort, item = setup
    session.add(AttendanceRecord(session_id=item.id, user_id=ann.id, mark="present",
                                 credited_minutes=180))  # fmt: skip
    session.commit()
    session.add(AttendanceRecord(session_id=item.id, user_id=ann.id, mark="absent"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()
    session.add(AttendanceRecord(session_id=item.id, user_id=_bert.id, mark="late",
                                 credited_minutes=-5))  # fmt: skip
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_the_database_refuses_a_session_that_ends_before_it_starts(session, setup):
    *_, cohort, item = setup
    item.ends_at = item.starts_at - timedelta(minutes=1)
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_a_trainer_marks_the_register_and_a_mistake_saves_nothing(client, session, setup):
    trainer, _, ann, bert, _, item = setup
    login(client, trainer)
    page = client.get(f"/attendance/sessions/{item.id}").get_data(as_text=True)
    assert "Ann Aru" in page and "Bert Bork" in page
    url = f"/attendance/sessions/{item.id}"
    bad = client.post(url, data={**mark(ann, "present", note="On time"), **mark(bert, "late", 999)})
    page = bad.get_data(as_text=True)
    assert "Credited minutes must be between 0 and 180." in page
    assert 'value="On time"' in page and 'value="999"' in page  # what was typed stays
    assert record_of(session, item, ann) is None
    client.post(url, data={**mark(ann, "present", note="On time"), **mark(bert, "late", 150)})
    assert record_of(session, item, ann).credited_minutes == 180
    assert record_of(session, item, bert).credited_minutes == 150


def test_two_trainers_saving_at_once_lose_nothing(app, session, setup):
    trainer, other_trainer, ann, bert, _, item = setup
    first, second = app.test_client(), app.test_client()
    login(first, trainer)
    login(second, other_trainer)
    url = f"/attendance/sessions/{item.id}"
    first.get(url), second.get(url)  # both open the empty register
    first.post(url, data={**mark(ann, "present"), **mark(bert, "", "")})
    second.post(url, data={**mark(ann, ""), **mark(bert, "late", 120)})
    assert record_of(session, item, ann).mark == "present"  # the second did not wipe it
    assert record_of(session, item, bert).credited_minutes == 120
    # Both change Ann from the same page state: the later one is told and shown the row as it
    # is now; nothing of theirs is written until they save again, having seen it.
    first.post(url, data=mark(ann, "late", 90, shown=("present", 180, ""), version=1))
    response = second.post(url, data=mark(ann, "excused", shown=("present", 180, ""), version=1))
    page = response.get_data(as_text=True)
    assert f'id="conflict-{ann.id}"' in page
    assert "Tiina Trainer saved this row" in page and "late · 90 min" in page
    assert record_of(session, item, ann).mark == "late"
    assert f'name="version-{ann.id}" value="2"' in page  # saving again replaces what they saw
    second.post(url, data=mark(ann, "excused", shown=("late", 90, ""), version=2))
    assert record_of(session, item, ann).mark == "excused"
    count = session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord))
    assert count == 2  # one row per trainee and session
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "register").order_by(AuditEvent.id)
    ).all()
    ann_events = [e for e in events if (e.after or {}).get("user_id") == ann.id]
    assert [(e.actor_id, e.after["mark"]) for e in ann_events] == [
        (trainer.id, "present"),
        (trainer.id, "late"),
        (other_trainer.id, "excused"),
    ]
    assert ann_events[-1].before == {"mark": "late", "minutes": 90, "note": "", "user_id": ann.id}
    history = first.get(f"/attendance/sessions/{item.id}/history").get_data(as_text=True)
    assert "Toomas Trainer" in history and "Tiina Trainer" in history


def test_concurrent_first_marks_end_in_one_row(session, setup):
    """The insert path: a first mark that appeared after the page was shown is not overwritten;
    the later saver gets it back as a conflict."""
    trainer, other_trainer, ann, _, _, item = setup
    rows = services.register_rows(session, item)
    late_rows = services.register_rows(session, item)  # read before anyone saved
    services.save_register(session, item, rows, [services.MarkChange(ann.id, "present", None, "")],
                           trainer)  # fmt: skip
    session.commit()
    absent = [services.MarkChange(ann.id, "absent", None, "")]
    result = services.save_register(session, item, late_rows, absent, other_trainer)
    session.commit()
    assert result.saved == 0 and result.conflicts[ann.id].mark == "present"
    assert record_of(session, item, ann).mark == "present"
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 1


def test_before_the_start_only_an_announced_absence_is_recorded(client, session, setup):
    trainer, _, ann, bert, cohort, _ = setup
    future = make_session(session, cohort, starts_at=datetime.now(UTC) + timedelta(days=2))
    login(client, trainer)
    url = f"/attendance/sessions/{future.id}"
    page = client.get(url).get_data(as_text=True)
    assert "absence announced in advance" in page and "Mark all present" not in page
    assert 'value="present"' not in page  # only excused is offered before the start
    response = client.post(url, data={**mark(ann, "present"), **mark(bert, "excused")})
    assert "only an absence announced in advance" in response.get_data(as_text=True)
    assert record_of(session, future, ann) is None and record_of(session, future, bert) is None
    client.post(url, data=mark(bert, "excused", note="Hospital appointment, told us on Monday"))
    record = record_of(session, future, bert)
    assert (record.mark, record.credited_minutes) == ("excused", 0)
    assert record.note.startswith("Hospital appointment")
    assert client.post(f"{url}/check-ins").status_code == 302  # nothing else opens early
    assert record_of(session, future, ann) is None


def test_self_check_in_works_only_for_the_open_session(session, setup):
    trainer, _, ann, bert, cohort, _ = setup
    now = datetime.now(UTC)
    current = make_session(session, cohort, starts_at=now - timedelta(minutes=20), minutes=120)
    upcoming = make_session(session, cohort, starts_at=now + timedelta(hours=3))
    elsewhere = make_session(session, make_cohort(session), starts_at=now - timedelta(minutes=5))
    step = int(now.timestamp()) // attendees.CODE_STEP_SECONDS

    def attempt(user, for_session, at=now):
        code = attendees.check_in_code(SECRET, for_session.id, step)
        return attendees.check_in(session, user, code, secret=SECRET, now=at, early_minutes=15)

    assert attempt(ann, current).id == current.id
    for wrong in (upcoming, elsewhere):  # a future session, another cohort's session
        with pytest.raises(services.RegisterError):
            attempt(bert, wrong)
    with pytest.raises(services.RegisterError):  # yesterday's code is no good today
        attendees.check_in(session, bert, attendees.check_in_code(SECRET, current.id, step - 5),
                          secret=SECRET, now=now, early_minutes=15)  # fmt: skip
    attempt(ann, current)  # a second tap changes nothing
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1

    rows = services.register_rows(session, current)
    assert attendees.confirm_check_ins(session, current, rows, trainer) == 1
    session.commit()
    record = record_of(session, current, ann)
    assert record.mark == "late"  # checked in 20 minutes after the start
    assert record.credited_minutes == 100


def test_check_in_page_and_code_screen(client, session, setup):
    trainer, _, ann, _, cohort, _ = setup
    current = make_session(session, cohort, starts_at=datetime.now(UTC) - timedelta(minutes=5))
    login(client, trainer)
    screen = client.get(f"/attendance/sessions/{current.id}/code").get_data(as_text=True)
    # the code is fetched again by a script that can be paused, not by a timed reload
    assert "<svg" in screen and 'http-equiv="refresh"' not in screen
    assert "js/check-in-code.js" in screen and 'id="pause-code"' in screen
    code = attendees.current_code(client.application.config["SECRET_KEY"], current.id,
                                 datetime.now(UTC))[0]  # fmt: skip
    login(client, ann)
    wrong = client.post(
        "/attendance/check-in", data={"code": "000000" if code != "000000" else "1"}
    )
    assert "The code is not valid" in wrong.get_data(as_text=True)
    assert client.post("/attendance/check-in", data={"code": code}).status_code == 302
    assert session.scalar(sa.select(CheckIn.user_id)) == ann.id
    assert client.get(f"/attendance/sessions/{current.id}/code").status_code == 403


def test_a_make_up_session_in_another_cohort_counts(client, session, setup):
    trainer, _, ann, _, cohort, item = setup
    other_cohort = make_cohort(session, trainers=(trainer,))
    make_up = make_session(session, other_cohort, minutes=120)
    foreign = make_cohort(session, "regional-thematic", trainers=(trainer,))
    foreign_item = make_session(session, foreign, category="addiction")
    login(client, trainer)
    client.post(f"/attendance/sessions/{make_up.id}/make-up", data={"user_id": ann.id})
    assert record_of(session, make_up, ann).credited_minutes == 120
    client.post(f"/attendance/sessions/{foreign_item.id}/make-up", data={"user_id": ann.id})
    assert record_of(session, foreign_item, ann) is None  # another programme does not count
    sessions = [item]
    ledger = build_matrix(session, cohort, BASIC, sessions, user_id=ann.id).ledgers[0]
    assert ledger.lines[0].credited == 120
    report = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{ann.id}")
    assert "make-up sessions of other cohorts" in report.get_data(as_text=True)


def test_the_ledger_knows_what_is_still_possible(session, setup):
    _, _, ann, bert, cohort, first = setup
    start = first.starts_at
    future = [make_session(session, cohort, starts_at=start + timedelta(days=7 * n), minutes=240)
              for n in range(1, 6)]  # fmt: skip
    session.add_all([
        AttendanceRecord(session_id=first.id, user_id=ann.id, mark="present", credited_minutes=180),
        AttendanceRecord(session_id=first.id, user_id=bert.id, mark="absent", credited_minutes=0),
    ])  # fmt: skip
    session.commit()
    running = date(2026, 11, 1)  # the cohort runs from September to December
    matrix = build_matrix(session, cohort, BASIC, [first, *future], today=running)
    ann_ledger, bert_ledger = matrix.ledgers
    part_one = ann_ledger.lines[0]
    assert (part_one.credited, part_one.required) == (180, 1200)
    assert part_one.remaining == 1020 and part_one.achievable == 1200
    assert part_one.possible and not part_one.met
    # Nothing of part 2 is scheduled yet: a gap in the schedule, not a risk for anyone.
    assert ann_ledger.lines[1].state == "unscheduled"
    assert "unreachable:care-practice" not in ann_ledger.risks
    assert "attendance" in bert_ledger.risks and "attendance" not in ann_ledger.risks
    # Bert's part 1: 0 + 1200 achievable = 1200 required, still possible.
    assert bert_ledger.lines[0].possible
    future[0].cancelled_at = datetime.now(UTC)
    session.commit()
    bert_ledger = build_matrix(session, cohort, BASIC, [first, *future], today=running).ledgers[1]
    assert not bert_ledger.lines[0].possible  # a cancelled session cannot be attended


def test_withdrawn_trainees_are_not_flagged(session, setup):
    *_, ann, _bert, cohort, item = setup
    from lms.cohorts.services import enrolment_of

    enrolment_of(session, cohort.id, ann.id).status = EnrolmentStatus.WITHDRAWN
    session.commit()
    ledger = build_matrix(session, cohort, BASIC, [item], user_id=ann.id).ledgers[0]
    assert ledger.risks == []


def fill(session, trainees: int, sessions: int):
    trainer = make_user(session, Role.TRAINER)
    people = [make_user(session) for _ in range(trainees)]
    cohort = make_cohort(session, trainers=(trainer,), trainees=tuple(people))
    start = datetime.now(UTC) - timedelta(days=sessions + 1)
    categories = ("support-role", "care-practice")
    items = [make_session(session, cohort, starts_at=start + timedelta(days=n),
                          category=categories[n % 2]) for n in range(sessions)]  # fmt: skip
    session.execute(
        sa.insert(AttendanceRecord),
        [{"session_id": item.id, "user_id": person.id, "mark": "present", "credited_minutes": 180,
          "note": ""} for item in items for person in people],
    )  # fmt: skip
    session.commit()
    return trainer, cohort, items


def test_register_and_matrix_cost_the_same_for_5x5_and_60x40(client, session, connection):
    counts = []
    for trainees, sessions in ((5, 5), (60, 40)):
        trainer, cohort, items = fill(session, trainees, sessions)
        login(client, trainer)
        with count_queries(connection) as register:
            assert client.get(f"/attendance/sessions/{items[-1].id}").status_code == 200
        with count_queries(connection) as matrix:
            page = client.get(f"/attendance/cohorts/{cohort.id}/matrix")
        assert page.status_code == 200
        assert page.get_data(as_text=True).count('class="mark mark-present"') == trainees * sessions
        counts.append((len(register), len(matrix)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 12 and counts[0][1] <= 8, counts


def test_exports_open_in_a_spreadsheet(client, session, setup):
    trainer, _, ann, bert, cohort, item = setup
    bert.display_name = '=HYPERLINK("http://evil")'
    session.commit()
    login(client, trainer)
    marks = {**mark(ann, "late", 90, note="Bus was late"), **mark(bert, "present")}
    client.post(f"/attendance/sessions/{item.id}", data=marks)
    response = client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv")
    assert response.headers["Content-Disposition"].endswith('.csv"')
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    names = [row[0] for row in rows[1:]]
    assert "Ann Aru" in names and '\'=HYPERLINK("http://evil")' in names  # no formula
    ann_row = rows[1 + names.index("Ann Aru")]
    assert "late 90" in ann_row and "1.5" in ann_row

    response = client.get(f"/attendance/cohorts/{cohort.id}/matrix.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Trainee"
    ann_values = next(row for row in values if row[0] == "Ann Aru")
    assert 1.5 in ann_values and 20 in ann_values  # credited and required hours, as numbers
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    mine = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{ann.id}.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(mine.data)).active.iter_rows(values_only=True))
    assert any("Bus was late" in row for row in rows)


def test_academic_hours_are_shown_in_the_programmes_unit(client, session):
    trainee = make_user(session)
    cohort = make_cohort(session, "regional-thematic", trainees=(trainee,))
    item = make_session(session, cohort, category="addiction", minutes=90)
    session.add(AttendanceRecord(session_id=item.id, user_id=trainee.id, mark="present",
                                 credited_minutes=90))  # fmt: skip
    session.commit()
    login(client, trainee)
    page = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{trainee.id}")
    # 90 minutes are 2 academic hours; 75 % of 32 academic hours are required
    assert "2 of 24 h" in page.get_data(as_text=True)
    csv_text = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{trainee.id}.csv").data
    assert b"present" in csv_text
