"""The register report and its exports show exactly what the marks say: a small cohort with every
kind of cell (each mark, none, a cancelled session with a stray mark, a make-up session elsewhere,
a withdrawn trainee) compared with tables written out by hand."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from lms.attendance.models import AttendanceRecord
from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from tests.factories import login, make_cohort, make_session, make_user

MARCH = datetime(2026, 3, 2, 8, tzinfo=UTC)  # 10:00 in Tallinn


@pytest.fixture
def report(session):
    """Ann, Bert and withdrawn Cara; sessions on 2 March (part 1), 9 March (part 2) and a
    cancelled one on 16 March; Ann also made up an hour in another cohort on 20 March."""
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Trainer")
    ann = make_user(session, display_name="Ann Aru", email="ann@example.org")
    bert = make_user(session, display_name="Bert Bork", email="bert@example.org")
    cara = make_user(session, display_name="Cara Cole", email="cara@example.org")
    spring = {"starts_on": date(2026, 3, 1), "ends_on": date(2026, 6, 30)}
    cohort = make_cohort(session, trainers=(trainer,), trainees=(ann, bert, cara), **spring)
    session.execute(
        sa.update(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == cara.id)
        .values(status=EnrolmentStatus.WITHDRAWN)
    )
    roles = make_session(session, cohort, title="Roles", starts_at=MARCH)
    care = make_session(session, cohort, title="CARe", category="care-practice", minutes=120,
                        starts_at=MARCH + timedelta(days=7))  # fmt: skip
    dropped = make_session(session, cohort, title="Dropped", starts_at=MARCH + timedelta(days=14),
                           cancelled_at=MARCH, cancel_reason="Flu")  # fmt: skip
    other = make_cohort(session, trainers=(trainer,), **spring)
    make_up = make_session(session, other, title="Make-up", minutes=60,
                           starts_at=MARCH + timedelta(days=18))  # fmt: skip
    marks = [
        (roles, ann, "present", 180, ""),
        (care, ann, "late", 90, "Bus was late"),
        (make_up, ann, "present", 60, ""),
        (roles, bert, "absent", 0, ""),
        (dropped, bert, "present", 180, ""),  # a cancelled session credits nothing
        (roles, cara, "excused", 0, ""),
    ]
    session.execute(
        sa.insert(AttendanceRecord),
        [{"session_id": item.id, "user_id": user.id, "mark": mark, "credited_minutes": minutes,
          "note": note} for item, user, mark, minutes, note in marks],
    )  # fmt: skip
    session.commit()
    return trainer, cohort, (ann, bert, cara)


HEADER = ["Trainee", "Email", "Status", "2026-03-02 10:00 Roles", "2026-03-09 10:00 CARe",
          "2026-03-16 10:00 Dropped", "Part 1: the support person's role: credited h",
          "required h", "Part 2: practical work based on CARe: credited h", "required h",
          "At risk"]  # fmt: skip
ROWS = [
    ["Ann Aru", "ann@example.org", "active", "present 180", "late 90", "cancelled",
     4.0, 20.0, 1.5, 20.0, "yes"],
    ["Bert Bork", "bert@example.org", "active", "absent 0", "", "cancelled",
     0.0, 20.0, 0.0, 20.0, "yes"],
    ["Cara Cole", "cara@example.org", "withdrawn", "excused 0", "", "cancelled",
     0.0, 20.0, 0.0, 20.0, "no"],
]  # fmt: skip


def test_the_register_csv_and_xlsx_hold_the_expected_table(client, report):
    trainer, cohort, _ = report
    login(client, trainer)
    text = client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv").data.decode("utf-8")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        HEADER,
        *[[str(value) for value in row] for row in ROWS],
    ]
    data = client.get(f"/attendance/cohorts/{cohort.id}/matrix.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [[value if value is not None else "" for value in row]
              for row in sheet.iter_rows(values_only=True)]  # fmt: skip
    assert values == [HEADER, *ROWS]


def test_the_register_page_shows_the_expected_cells(client, report):
    trainer, cohort, _ = report
    login(client, trainer)
    html = client.get(f"/attendance/cohorts/{cohort.id}/matrix").get_data(as_text=True)
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = [re.findall(r"<td[^>]*>.*?</td>", row, re.S) for row in body.split("<tr>")[1:]]
    risk = '<td class="number risk">'
    assert rows == [
        ['<td class="mark mark-present"><abbr title="present, 180 min">P</abbr></td>',
         '<td class="mark mark-late"><abbr title="late, 90 min">L</abbr></td>',
         '<td class="mark mark-none">–</td>',
         f"{risk}4 / 20</td>", f"{risk}1.5 / 20</td>"],
        ['<td class="mark mark-absent"><abbr title="absent, 0 min">A</abbr></td>',
         '<td class="mark mark-none"></td>',
         '<td class="mark mark-none">–</td>',
         f"{risk}0 / 20</td>", f"{risk}0 / 20</td>"],
        ['<td class="mark mark-excused"><abbr title="excused, 0 min">E</abbr></td>',
         '<td class="mark mark-none"></td>',
         '<td class="mark mark-none">–</td>',
         '<td class="number">0 / 20</td>', '<td class="number">0 / 20</td>'],
    ]  # fmt: skip
    names = re.findall(r'<th scope="row">(.*?)</th>', body, re.S)
    assert ["Ann Aru" in names[0], "Bert Bork" in names[1], "Cara Cole" in names[2]] == [True] * 3
    assert "at risk" in names[0] and "at risk" not in names[2] and "withdrawn" in names[2]
    heads = re.findall(r'<th scope="col" class="(session-head[^"]*)"', html)
    assert heads == ["session-head", "session-head", "session-head cancelled"]


def test_a_trainees_report_lists_each_session_and_the_totals(client, report):
    trainer, cohort, (ann, _, _) = report
    login(client, trainer)
    text = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{ann.id}.csv").data
    rows = list(csv.reader(io.StringIO(text.decode("utf-8").lstrip("\ufeff"))))
    part1, part2 = "Part 1: the support person's role", "Part 2: practical work based on CARe"
    assert rows == [
        ["Date", "Session", "Hour category", "Length (min)", "Mark", "Credited (min)", "Note"],
        ["2026-03-02 10:00", "Roles", part1, "180", "present", "180", ""],
        ["2026-03-09 10:00", "CARe", part2, "120", "late", "90", "Bus was late"],
        ["2026-03-16 10:00", "Dropped", part1, "180", "cancelled", "", ""],
        ["", "Total", part1, "1200", "required", "240", ""],
        ["", "Total", part2, "1200", "required", "90", ""],
    ]
    page = client.get(f"/attendance/cohorts/{cohort.id}/trainees/{ann.id}").get_data(as_text=True)
    assert "Including 1 h in make-up sessions of other cohorts." in page
    assert "Bus was late" in page and "90 min" in page
