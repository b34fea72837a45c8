"""The register report, its exports and the cohort page show exactly what the marks say: a small
cohort with every kind of cell (each mark, none, a cancelled session with a stray mark, a make-up
session elsewhere, a withdrawn trainee) compared with tables written out by hand; and what the
register report and the cohort page cost does not grow in SQL statements with their size."""

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from lms.attendance.models import MARK_LABELS, MARKS, AttendanceRecord
from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from tests.factories import count_queries, login, make_cohort, make_session, make_user

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
          "Part 1: the support person's role: required h",
          "Part 2: practical work based on CARe: credited h",
          "Part 2: practical work based on CARe: required h", "At risk"]  # fmt: skip
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


def test_the_cohort_page_shows_the_expected_ledgers_and_schedule(client, session, report):
    trainer, cohort, _ = report
    coordinator = make_user(session, Role.COORDINATOR)
    login(client, coordinator)
    html = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    trainees = html.split('id="trainees"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for row in trainees.split("<tr>")[1:]:
        name = re.search(r'<th scope="row"><span><a href="[^"]+">([^<]+)</a>(.*?)</span></th>', row)
        status = re.search(r'<td data-label="Status">([^<]*)</td>', row).group(1)
        totals = re.findall(r'<td data-label="([^"]+)" class="(number[^"]*)">([^<]*)</td>', row)
        selected = re.search(r'<option value="(\w+)" selected>', row).group(1)
        rows.append((name.group(1), "at risk" in name.group(2), status, totals, selected))
    part1 = "Part 1: the support person&#39;s role"
    part2 = "Part 2: practical work based on CARe"
    assert rows == [
        ("Ann Aru", True, "active",
         [(part1, "number risk", "4 / 20"), (part2, "number risk", "1.5 / 20")], "active"),
        ("Bert Bork", True, "active",
         [(part1, "number risk", "0 / 20"), (part2, "number risk", "0 / 20")], "active"),
        ("Cara Cole", False, "withdrawn",
         [(part1, "number", "0 / 20"), (part2, "number", "0 / 20")], "withdrawn"),
    ]  # fmt: skip
    assert "Trainees (2)" in html and "2 trainees at risk" in html
    assert len(re.findall(r'<form method="post" action="[^"]+/status"', html)) == 3
    schedule = html.split('id="schedule"')[1].split("<tbody>")[1].split("</tbody>")[0]
    sessions = []
    for row in schedule.split("<tr")[1:]:
        category = re.search(
            r'<td data-label="Hour category"><span class="struck">([^<]*)</span></td>', row
        ).group(1)
        actions = re.findall(r"<a[^>]*>([^<]+)</a>", row.split('class="cell-actions"')[1])
        sessions.append(("cancelled" in row.split(">")[0], category, actions))
    running = ["Register", "Sign-in sheet", "Edit", "Cancel…"]  # each has marks: no Delete
    assert sessions == [(False, part1, running), (False, part2, running),
                        (True, part1, ["History"])]  # fmt: skip


def fill(session, trainees: int, sessions: int):
    """A cohort of ``trainees`` x ``sessions``, everyone marked present everywhere."""
    people = [make_user(session) for _ in range(trainees)]
    cohort = make_cohort(session, trainees=tuple(people))
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
    return cohort


def test_the_cohort_page_costs_the_same_statements_for_5x5_and_40x30(client, session, connection):
    login(client, make_user(session, Role.COORDINATOR))
    counts = []
    for trainees, sessions in ((5, 5), (40, 30)):
        cohort = fill(session, trainees, sessions)
        with count_queries(connection) as statements:
            page = client.get(f"/cohorts/{cohort.id}/")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        part1, part2 = 3 * ((sessions + 1) // 2), 3 * (sessions // 2)  # hours, sessions alternate
        for hours, columns in Counter([part1, part2]).items():
            assert html.count(f'">{hours} / 20</td>') == columns * trainees
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("language", "minutes"),
    [("en", "180 min"), ("et", "180 min"), ("uk", "180 хв"), ("ru", "180 мин")],
)
def test_every_mark_has_letters_of_its_own_in_every_language(
    app, client, report, language, minutes
):
    """A mark's first letter is not enough: late and left early share one in English, present
    and excused in Russian. The legend names each mark's letters; a cell's title its minutes."""
    from lms.attendance.reports import mark_letters

    with app.test_request_context(), force_locale(language):
        letters = mark_letters()
    assert set(letters) == set(MARKS) and len(set(letters.values())) == len(MARKS)
    trainer, cohort, _ = report
    trainer.language = language
    login(client, trainer)
    html = client.get(f"/attendance/cohorts/{cohort.id}/matrix").get_data(as_text=True)
    legend = html.split('class="hint mark-legend"')[1].split("</p>")[0]
    assert re.findall(r"<abbr>(.*?)</abbr>", legend) == list(letters.values())
    if language == "en":
        assert "an empty cell: not marked yet" in legend
    with app.test_request_context(), force_locale(language):
        present = str(MARK_LABELS["present"])
    assert f'<abbr title="{present}, {minutes}">' in html
