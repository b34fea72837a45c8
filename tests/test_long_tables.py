"""Long tables made cheaply give the same page and file as the plain way: an address built once
for every row, a session's time of day, and spreadsheet cells written by their kind."""

import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from flask import render_template_string, url_for
from flask_babel import force_locale

from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.exports import xlsx_response
from lms.urls import row_url
from tests.factories import login, make_cohort, make_session, make_user


def test_a_row_address_is_what_url_for_gives_each_row(app):
    with app.test_request_context():
        report = row_url("attendance.trainee_report", "user_id", cohort_id=10)
        register = row_url("attendance.register", "session_id")
        # ids that share digits with the cohort's, and the largest a database hands out
        for user_id in (1, 10, 101, 1010, 2**63 - 1):
            expected = url_for("attendance.trainee_report", cohort_id=10, user_id=user_id)
            assert report(user_id) == expected
            assert register(user_id) == url_for("attendance.register", session_id=user_id)


def test_a_row_address_takes_only_a_number(app):
    with app.test_request_context():
        register = row_url("attendance.register", "session_id")
        with pytest.raises(ValueError):
            register("1/../../admin")


@pytest.mark.parametrize("language", ["en", "et", "uk", "ru"])
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 2, 10, 7, 5, tzinfo=UTC),  # winter, UTC+2
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the minute before summer time starts
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the first minute of summer time, UTC+3
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # summer time's last hour
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # the same clock hour again, in winter time
        datetime(2026, 12, 31, 22, 0),  # naive, as SQLite gives it back: read as UTC
    ],
)
def test_a_sessions_time_of_day_is_babels_in_every_language(app, language, moment):
    with app.test_request_context(), force_locale(language):
        clock, babel = render_template_string(
            "{{ at|clock }}|{{ at|timeformat('HH:mm') }}", at=moment
        ).split("|")
    assert clock == babel


def test_the_cohort_page_offers_each_trainee_their_own_status(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    ann = make_user(session, display_name="Ann <b>Aru</b> 100%")
    bert = make_user(session, display_name="Bert Bork")
    cohort = make_cohort(session, trainers=(coordinator,), trainees=(ann, bert))
    session.scalars(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == bert.id)
    ).one().status = EnrolmentStatus.WITHDRAWN
    session.commit()
    make_session(session, cohort)
    login(client, coordinator)
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    for person, status in ((ann, "active"), (bert, "withdrawn")):
        form = page.split(f'action="/cohorts/{cohort.id}/trainees/{person.id}/status"')[1]
        select = form.split("</select>")[0]
        assert select.count(" selected") == 1
        assert f'<option value="{status}" selected>' in select
        assert f'href="/attendance/cohorts/{cohort.id}/trainees/{person.id}"' in page
    assert "Status of Ann &lt;b&gt;Aru&lt;/b&gt; 100%" in page
    assert "<b>Aru</b>" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # every row's form and menu has ids of its own


def test_spreadsheet_cells_keep_their_kind(app):
    rows = [
        ["https://example.org/a", "=1+1", "", 3, 2.5, date(2026, 2, 10), None, True],
    ]
    with app.test_request_context():
        response = xlsx_response("t", "Sheet", ["a", "b", "c", "d", "e", "f", "g", "h"], rows)
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = list(sheet.iter_rows(min_row=2))[0]
    assert [cell.value for cell in cells] == [
        "https://example.org/a", "'=1+1", None, 3, 2.5, datetime(2026, 2, 10), None, "true",
    ]  # fmt: skip
    assert cells[0].hyperlink is None  # an address someone typed is text, not a link
    assert cells[5].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= len("https://example.org/a")
