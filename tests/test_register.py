"""The register page: *Mark all present* without losing what was typed, marks recorded before the
session, the printable sign-in sheet, the check-in prompts."""

import pytest
import sqlalchemy as sa

from lms.attendance.models import AttendanceRecord
from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from tests.factories import login, make_cohort, make_session, make_user


@pytest.fixture
def setup(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Trainer")
    ann = make_user(session, display_name="Ann Aru")
    bert = make_user(session, display_name="Bert Bork")
    carl = make_user(session, display_name="Carl Cook")
    dina = make_user(session, display_name="Dina Dorn")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(ann, bert, carl))
    session.add(Enrolment(cohort_id=cohort.id, user_id=dina.id, status=EnrolmentStatus.WITHDRAWN))
    session.commit()
    item = make_session(session, cohort, minutes=180)
    return trainer, (ann, bert, carl, dina), cohort, item


def row(user, value="", minutes="", note="", shown=("", "", ""), version=""):
    uid = user.id
    return {f"mark-{uid}": value, f"minutes-{uid}": str(minutes), f"note-{uid}": note,
            f"shown-mark-{uid}": shown[0], f"shown-minutes-{uid}": str(shown[1]),
            f"shown-note-{uid}": shown[2], f"version-{uid}": str(version)}  # fmt: skip


def records(session, item) -> dict[int, tuple]:
    session.expire_all()
    return {
        r.user_id: (r.mark, r.credited_minutes, r.note)
        for r in session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.session_id == item.id)
        )
    }


def selected(page: str, user) -> str:
    """The option selected in a trainee's mark select, read from the page."""
    start = page.index(f'name="mark-{user.id}"')
    block = page[start : page.index("</select>", start)]
    marker = block.index(" selected")
    return block[
        block.rindex('value="', 0, marker) + 7 : block.index(
            '"', block.rindex('value="', 0, marker) + 7
        )
    ]


def test_mark_all_present_keeps_what_was_typed_and_saves_nothing_unseen(client, session, setup):
    trainer, (ann, bert, carl, dina), _, item = setup
    login(client, trainer)
    url = f"/attendance/sessions/{item.id}"
    typed = {**row(ann, "late", 120, "Bus"), **row(bert, "absent", note="Ill"), **row(carl),
             **row(dina)}  # fmt: skip
    response = client.post(url, data={**typed, "fill": "present"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Nothing is saved until the trainer has seen the filled rows and pressed Save.
    assert records(session, item) == {}
    assert selected(page, ann) == "late" and 'value="120"' in page and 'value="Bus"' in page
    assert selected(page, bert) == "absent" and 'value="Ill"' in page
    assert selected(page, carl) == "present"  # the one empty row of an active trainee
    assert selected(page, dina) == ""  # withdrawn: left alone
    # The trainer saves what the page now shows: every typed value is kept.
    client.post(url, data={**typed, **row(carl, "present", 180)})
    assert records(session, item) == {
        ann.id: ("late", 120, "Bus"),
        bert.id: ("absent", 0, "Ill"),
        carl.id: ("present", 180, ""),
    }


def test_mark_all_present_never_changes_a_saved_mark(client, session, setup):
    trainer, (ann, bert, carl, _), _, item = setup
    session.add(AttendanceRecord(session_id=item.id, user_id=ann.id, mark="excused",
                                 credited_minutes=0, note="Told us"))  # fmt: skip
    session.commit()
    login(client, trainer)
    url = f"/attendance/sessions/{item.id}"
    page = client.get(url).get_data(as_text=True)
    assert selected(page, ann) == "excused"
    version = page.split(f'name="version-{ann.id}" value="')[1].split('"')[0]
    shown = ("excused", 0, "Told us")
    typed = {**row(ann, "excused", 0, "Told us", shown, version), **row(bert), **row(carl)}
    page = client.post(url, data={**typed, "fill": "present"}).get_data(as_text=True)
    assert selected(page, ann) == "excused"
    assert selected(page, bert) == selected(page, carl) == "present"
    assert records(session, item) == {ann.id: ("excused", 0, "Told us")}
