"""The register page: *Mark all present* without losing what was typed, marks recorded before the
session, the printable sign-in sheet, the check-in prompts."""

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from lms.attendance.models import AttendanceRecord, CheckIn
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


def test_a_sign_in_sheet_for_rooms_without_devices(client, session, setup):
    trainer, (ann, bert, carl, dina), cohort, item = setup
    item.place = "Räpina library, room 2"
    session.add(AttendanceRecord(session_id=item.id, user_id=bert.id, mark="excused",
                                 credited_minutes=0))  # fmt: skip
    session.commit()
    login(client, trainer)
    register = client.get(f"/attendance/sessions/{item.id}").get_data(as_text=True)
    url = f"/attendance/sessions/{item.id}/sign-in-sheet.pdf"
    assert url in register
    assert url in client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)  # the schedule
    response = client.get(url)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    local = item.starts_at.astimezone(ZoneInfo("Europe/Tallinn"))
    expected = (item.title, cohort.name, "Räpina library, room 2", "Tiina Trainer",
                f"{local:%H:%M}–", "Ann Aru", "Bert Bork", "Carl Cook", "Signature")  # fmt: skip
    for fact in expected:
        assert fact in text, fact
    assert "Dina Dorn" not in text  # withdrawn
    assert "excused" in text.split("Bert Bork")[1].split("Carl Cook")[0]
    login(client, ann)
    assert client.get(url).status_code in (403, 404)


def test_confirm_check_ins_shows_only_when_it_can_act(client, session, setup):
    trainer, (ann, bert, *_), cohort, _ = setup
    now = datetime.now(UTC)
    current = make_session(session, cohort, starts_at=now - timedelta(minutes=5), minutes=120)
    coming = make_session(session, cohort, starts_at=now + timedelta(minutes=10), minutes=60)
    login(client, trainer)
    url = f"/attendance/sessions/{current.id}"
    assert "Confirm check-ins" not in client.get(url).get_data(as_text=True)
    session.add(CheckIn(session_id=current.id, user_id=ann.id, checked_in_at=now))
    session.add(CheckIn(session_id=coming.id, user_id=bert.id, checked_in_at=now))
    session.commit()
    assert "Confirm check-ins" in client.get(url).get_data(as_text=True)
    # checked in early, but the session has not started: there is nothing to confirm yet
    early = client.get(f"/attendance/sessions/{coming.id}").get_data(as_text=True)
    assert "Confirm check-ins" not in early
    client.post(f"{url}/check-ins")
    assert "Confirm check-ins" not in client.get(url).get_data(as_text=True)


def test_a_trainee_sees_check_in_at_home_while_their_session_runs(client, session, setup):
    _, (ann, *_), cohort, _ = setup
    other = make_cohort(session)
    now = datetime.now(UTC)
    make_session(session, other, title="Someone else's session", starts_at=now - timedelta(hours=1))
    login(client, ann)
    assert "/attendance/check-in" not in client.get("/").get_data(as_text=True)
    later = make_session(session, cohort, title="Later today", starts_at=now + timedelta(hours=1))
    assert "Later today" not in client.get("/").get_data(as_text=True).split("Next sessions")[0]
    running = make_session(
        session, cohort, title="Role play", starts_at=now - timedelta(minutes=30)
    )
    home = client.get("/").get_data(as_text=True)
    on_now = home.split('id="on-now-title"')[1].split("</section>")[0]
    assert "Role play" in on_now and "/attendance/check-in" in on_now
    assert "Someone else's session" not in home and later.title not in on_now
    session.add(CheckIn(session_id=running.id, user_id=ann.id, checked_in_at=now))
    session.commit()
    on_now = client.get("/").get_data(as_text=True).split('id="on-now-title"')[1]
    assert "Checked in at" in on_now.split("</section>")[0]
