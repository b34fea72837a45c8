"""Retention of practice reflections: the date rule, the purge (what it removes and what it
keeps, in the revisions and the audit trail), the programme setting, the command and the pages."""

import csv
import html
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.audit import AuditEvent
from lms.auth.models import Role
from lms.certificates.api import cohort_eligibility
from lms.practice import services
from lms.practice.api import SUBJECT, reflections_due, reflections_removed_on, trainee_totals
from lms.practice.models import PracticeRevision, Status
from lms.practice.retention import add_months
from lms.privacy import retention
from lms.programmes.api import get_programme, get_programmes
from lms.programmes.loader import load_programmes
from lms.reports.funder import ReportFilter, funder_report
from tests.factories import count_queries, login, make_cohort, make_practice, make_user

TODAY = date(2026, 10, 20)
NOW = datetime(2026, 10, 20, 3, tzinfo=UTC)
OLD_REFLECTION = "We met the class teacher together; the boy was shy."
COMMENT = "Say more about what you did to connect."


@pytest.fixture(autouse=True)
def request_context(app, request):
    """Programmes are read through the app, and messages are lazy strings; a command makes
    its own app context (and its session), so its test sets up in a context of its own."""
    if "runner" in request.fixturenames:
        yield
        return
    with app.test_request_context():
        yield


@pytest.fixture
def trainer(session):
    return make_user(session, Role.TRAINER)


@pytest.fixture
def trainee(session):
    return make_user(session)


@pytest.fixture
def ended(session, trainer, trainee):
    """A cohort that ended in January 2024: 24 months later, on 31 January 2026, its
    reflections are due."""
    return make_cohort(
        session,
        trainers=(trainer,),
        trainees=(trainee,),
        starts_on=date(2023, 9, 1),
        ends_on=date(2024, 1, 31),
    )


@pytest.fixture
def running(session, trainer, trainee):
    """A cohort still running: nothing of it is due."""
    return make_cohort(
        session, trainers=(trainer,), trainees=(trainee,), ends_on=date(2099, 12, 31)
    )


def returned_then_signed_off(session, cohort, trainee, trainer, **fields):
    """An entry returned with a comment, resubmitted and signed off: every text there is."""
    entry = make_practice(session, cohort, trainee, reflection=OLD_REFLECTION, **fields)
    services.return_revision(session, entry.latest, trainer, COMMENT, NOW)
    services.submit_revision(session, entry.latest, trainee, NOW)
    services.approve(session, [entry.latest], trainer, "I attest.", NOW)
    session.commit()
    return entry


def practice_events(session, entry) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id == entry.id
            )
        )
    )


def texts_in(events) -> str:
    return repr([(event.before, event.after) for event in events])


# The date rule


def test_months_are_added_to_the_calendar_day_or_the_months_last_day():
    assert add_months(date(2024, 1, 31), 24) == date(2026, 1, 31)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 13) == date(2028, 1, 15)


def test_reflections_go_the_programmes_months_after_the_cohort_ends(ended):
    programme = get_programme("support-person")
    assert programme.reflection_retention_months == 24
    assert reflections_removed_on(ended, programme) == date(2026, 1, 31)
    assert not reflections_due(ended, programme, date(2026, 1, 30))
    assert reflections_due(ended, programme, date(2026, 1, 31))


# The purge


def test_purge_redacts_only_due_cohorts_and_keeps_every_figure(
    app, session, ended, running, trainee, trainer
):
    old = returned_then_signed_off(session, ended, trainee, trainer, practised_on=date(2023, 10, 5))
    draft = make_practice(session, ended, trainee, submit=False, practised_on=date(2023, 10, 6))
    new = returned_then_signed_off(session, running, trainee, trainer)
    programme = get_programme("support-person")
    before = (
        trainee_totals(session, ended.id, trainee.id),
        [(r.kind, r.met, r.done) for r in cohort_eligibility(
            session, ended, programme, today=TODAY)[trainee.id].requirements],
        funder_report(session, ReportFilter(), list(get_programmes()), TODAY).practice_minutes,
    )  # fmt: skip
    kept = [
        (r.status, r.minutes, r.client_code, r.client_key, r.client_group, r.activity,
         r.core_acts, r.practised_on, r.reviewer_id, r.reviewed_at, r.attestation)
        for r in old.revisions
    ]  # fmt: skip

    summary = retention.purge(session, TODAY, now=NOW)
    session.commit()

    assert [item.cohort.id for item in summary.cohorts] == [ended.id]
    assert summary.revisions == 2  # the signed-off entry and the draft, each one version
    for entry in (old, draft):
        session.refresh(entry)
        for revision in entry.revisions:
            assert revision.reflection == "" and revision.review_comment is None
            assert revision.redacted_at == NOW
    assert [
        (r.status, r.minutes, r.client_code, r.client_key, r.client_group, r.activity,
         r.core_acts, r.practised_on, r.reviewer_id, r.reviewed_at, r.attestation)
        for r in old.revisions
    ] == kept  # fmt: skip
    session.refresh(new)
    assert new.latest.reflection == OLD_REFLECTION and new.latest.redacted_at is None
    after = (
        trainee_totals(session, ended.id, trainee.id),
        [(r.kind, r.met, r.done) for r in cohort_eligibility(
            session, ended, programme, today=TODAY)[trainee.id].requirements],
        funder_report(session, ReportFilter(), list(get_programmes()), TODAY).practice_minutes,
    )  # fmt: skip
    assert after == before
    assert old.latest.status == Status.APPROVED


def test_purge_scrubs_the_comments_from_the_audit_trail(session, ended, running, trainee, trainer):
    old = returned_then_signed_off(session, ended, trainee, trainer, practised_on=date(2023, 10, 5))
    new = returned_then_signed_off(session, running, trainee, trainer)
    assert COMMENT in texts_in(practice_events(session, old))

    summary = retention.purge(session, TODAY, now=NOW)
    session.commit()

    assert summary.events == 1  # the "returned" event held the comment
    events = practice_events(session, old)
    assert COMMENT not in texts_in(events)
    returned = next(e for e in events if e.action == "practice.returned")
    assert returned.after["minutes"] == 90 and "comment" not in returned.after
    assert COMMENT in texts_in(practice_events(session, new))


def test_purge_is_idempotent(session, ended, trainee, trainer):
    entry = returned_then_signed_off(session, ended, trainee, trainer)
    retention.purge(session, TODAY, now=NOW)
    session.commit()

    again = retention.purge(session, date(2026, 11, 1), now=datetime(2026, 11, 1, tzinfo=UTC))
    session.commit()

    assert (again.revisions, again.events) == (0, 0)
    session.refresh(entry)
    assert entry.latest.redacted_at == NOW  # the first date stays


def test_a_redacted_entry_cannot_be_corrected_or_edited(session, ended, trainee, trainer):
    signed = returned_then_signed_off(session, ended, trainee, trainer)
    draft = make_practice(session, ended, trainee, submit=False)
    retention.purge(session, TODAY, now=NOW)
    session.commit()
    session.refresh(signed)
    session.refresh(draft)

    with pytest.raises(services.PracticeError, match="retention period"):
        services.start_correction(session, signed, trainee, NOW)
    with pytest.raises(services.PracticeError, match="retention period"):
        services.submit_revision(session, draft.latest, trainee, NOW)
    assert draft.latest.locked
    assert services.discard_draft(session, draft.latest, trainee)  # a left-over draft may go


def test_purge_queries_do_not_grow_with_the_entries(session, connection, trainee, trainer):
    def count(entries: int) -> int:
        cohort = make_cohort(
            session, trainers=(trainer,), trainees=(trainee,),
            starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30),
        )  # fmt: skip
        for day in range(entries):
            returned_then_signed_off(
                session, cohort, trainee, trainer, practised_on=date(2020, 2, day + 1)
            )
        with count_queries(connection) as statements:
            summary = retention.purge(session, TODAY, now=NOW)
        session.commit()
        assert summary.revisions == entries
        return len(statements)

    assert count(1) == count(6)


def test_a_cohort_whose_programme_does_not_load_is_left(session, trainee):
    cohort = make_cohort(
        session, "no-such-programme", starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30)
    )
    summary = retention.due_for_redaction(session, TODAY)
    assert summary.unknown_programmes == ["no-such-programme"]
    assert cohort.id not in [item.cohort.id for item in summary.cohorts]


# The programme setting


def test_the_retention_period_is_read_and_checked(tmp_path):
    shipped = Path(__file__).resolve().parent.parent / "programmes"
    (tmp_path / "programmes").mkdir()
    text = (shipped / "regional-thematic.yaml").read_text(encoding="utf-8")
    assert "reflection_retention_months: 24" in text

    (tmp_path / "programmes" / "a.yaml").write_text(
        text.replace("reflection_retention_months: 24", "reflection_retention_months: 6")
    )
    (tmp_path / "programmes" / "b.yaml").write_text(
        text.replace("reflection_retention_months: 24\n", "")
    )
    loaded = load_programmes(tmp_path)
    assert loaded.problems == []
    assert loaded.get("a").reflection_retention_months == 6
    assert loaded.get("b").reflection_retention_months == 24  # the default

    line = text.split("\n").index("reflection_retention_months: 24") + 1
    for wrong in ("0", "-3", "1.5", "two", "true"):
        (tmp_path / "programmes" / "a.yaml").write_text(
            text.replace("reflection_retention_months: 24", f"reflection_retention_months: {wrong}")
        )
        problems = [str(problem) for problem in load_programmes(tmp_path).problems]
        assert problems == [
            f"programmes/a.yaml:{line}: 'reflection_retention_months' must be a positive whole "
            "number"
        ], wrong


# The command


def test_the_command_dry_run_changes_nothing_and_the_purge_redacts(
    app, runner, session, trainee, trainer
):
    with app.app_context():
        cohort = make_cohort(
            session, trainers=(trainer,), trainees=(trainee,), name="Spring 2020",
            starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30),
        )  # fmt: skip
        entry = returned_then_signed_off(
            session, cohort, trainee, trainer, practised_on=date(2020, 2, 3)
        )

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Spring 2020 (ended 2020-06-30, due 2022-06-30): 1 version(s)" in dry.output
    assert "of 1 practice version(s) in 1 cohort(s) past" in dry.output
    assert "Would remove the reflections and comments of 1 practice version(s)" in dry.output
    assert "and of 1 audit event(s)." in dry.output
    session.expire_all()
    assert session.get(PracticeRevision, entry.latest.id).reflection == OLD_REFLECTION
    assert COMMENT in texts_in(practice_events(session, entry))

    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert "Removed the reflections and comments of 1 practice version(s)" in done.output
    assert "and of 1 audit event(s)." in done.output
    session.expire_all()
    revision = session.get(PracticeRevision, entry.latest.id)
    assert revision.reflection == "" and revision.redacted_at is not None
    assert COMMENT not in texts_in(practice_events(session, entry))

    again = runner.invoke(args=["privacy", "purge"])
    assert again.exit_code == 0, again.output
    assert again.output.strip() == "Nothing to remove."  # not "0 version(s) in 1 cohort(s)"
    again = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert again.output.strip() == "Nothing to remove."


# The pages


def test_the_entry_page_says_when_the_reflection_goes_and_that_it_went(
    client, session, ended, running, trainee, trainer
):
    old = returned_then_signed_off(session, ended, trainee, trainer, practised_on=date(2023, 10, 5))
    new = returned_then_signed_off(session, running, trainee, trainer)
    login(client, trainee)

    page = client.get(f"/practice/entries/{new.id}").get_data(as_text=True)
    assert (
        "The reflection will be removed on December 31, 2101 (24 months after the cohort ends)"
        in page
    )
    assert "the boy was shy" in page
    logbook = client.get(f"/practice/cohorts/{running.id}/people/{trainee.id}").get_data(
        as_text=True
    )
    assert "The reflection will be removed on December 31, 2101" in logbook

    retention.purge(session, TODAY, now=NOW)
    session.commit()

    page = html.unescape(client.get(f"/practice/entries/{old.id}").get_data(as_text=True))
    assert "The reflection was removed on Oct 20, 2026 under the programme's retention" in page
    assert "the boy was shy" not in page and COMMENT not in page
    assert "will be removed" not in page and "Correct this entry" not in page
    rows = list(csv.reader(io.StringIO(
        client.get(f"/practice/cohorts/{ended.id}/people/{trainee.id}/logbook.csv").get_data(as_text=True)
    )))  # fmt: skip
    assert rows[1][10] == (
        "The reflection was removed on 2026-10-20 under the programme's retention period."
    )
    assert rows[1][14] == ""
