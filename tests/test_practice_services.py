"""The practice log's rules, through its services: what an entry may say, its workflow, locking
and corrections, who may sign off, the totals that count, and the trainers' queue."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms.auth.models import Role
from lms.practice import queries, services
from lms.practice.models import PracticeEntry, PracticeRevision, Status
from lms.practice.services import PracticeError
from lms.programmes.services import get_programme
from tests.factories import make_cohort, make_practice, make_session, make_user, practice_data

NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
TODAY = date(2026, 10, 20)
DAY = date(2026, 10, 5)


@pytest.fixture(autouse=True)
def request_context(app):
    """Programmes are read through the app, and messages are lazy strings."""
    with app.test_request_context():
        yield


@pytest.fixture
def programme():
    return get_programme("support-person")


@pytest.fixture
def trainer(session):
    return make_user(session, Role.TRAINER)


@pytest.fixture
def trainee(session):
    return make_user(session)


@pytest.fixture
def cohort(session, trainer, trainee):
    return make_cohort(session, trainers=(trainer,), trainees=(trainee,))


def create(session, cohort, trainee, programme, *, submit=False, **fields) -> PracticeEntry:
    data = practice_data(**fields)
    return services.create_entry(
        session, trainee, cohort, programme, data, today=TODAY, now=NOW, submit=submit
    )


def update(session, revision, actor, programme, *, submit=False, **fields) -> None:
    data = practice_data(**fields)
    services.update_revision(
        session, revision, actor, programme, data, today=TODAY, submit=submit, now=NOW
    )


def approve(session, revisions, trainer, statement="I attest.") -> int:
    return services.approve(session, revisions, trainer, statement, NOW)


def refused_field(call) -> str | None:
    with pytest.raises(PracticeError) as refusal:
        call()
    return refusal.value.field


def totals(session, cohort, trainee) -> queries.Totals:
    return queries.trainee_totals(session, cohort.id, trainee.id)


# What an entry may say


def test_a_date_in_the_future_is_refused(session, cohort, trainee, programme):
    tomorrow = TODAY + timedelta(days=1)
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, practised_on=tomorrow))
        == "practised_on"
    )
    create(session, cohort, trainee, programme, practised_on=TODAY)


def test_a_date_before_the_cohort_started_is_refused(session, cohort, trainee, programme):
    before = cohort.starts_on - timedelta(days=1)
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, practised_on=before))
        == "practised_on"
    )
    create(session, cohort, trainee, programme, practised_on=cohort.starts_on)


@pytest.mark.parametrize("minutes", [0, -30, 721])
def test_an_entry_lasts_from_1_minute_to_12_hours(session, cohort, trainee, programme, minutes):
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, minutes=minutes))
        == "minutes"
    )


def test_an_entry_of_1_minute_or_12_hours_is_accepted(session, cohort, trainee, programme):
    short = create(session, cohort, trainee, programme, minutes=1, practised_on=date(2026, 10, 1))
    long = create(session, cohort, trainee, programme, minutes=720, practised_on=date(2026, 10, 2))
    assert [short.latest.minutes, long.latest.minutes] == [1, 720]


def test_a_day_holds_at_most_24_hours_across_entries(session, cohort, trainee, programme):
    create(session, cohort, trainee, programme, minutes=720, practised_on=DAY)
    create(session, cohort, trainee, programme, minutes=720, practised_on=DAY)
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, minutes=1)) == "minutes"
    )
    create(session, cohort, trainee, programme, minutes=1, practised_on=DAY + timedelta(days=1))


def test_editing_an_entry_does_not_count_its_own_minutes(session, cohort, trainee, programme):
    create(session, cohort, trainee, programme, minutes=720, practised_on=DAY)
    entry = create(session, cohort, trainee, programme, minutes=600, practised_on=DAY)
    update(session, entry.latest, trainee, programme, minutes=720, practised_on=DAY)
    assert entry.latest.minutes == 720
    other = create(session, cohort, trainee, programme, minutes=60, practised_on=DAY - timedelta(1))
    assert (
        refused_field(lambda: update(session, other.latest, trainee, programme, practised_on=DAY))
        == "minutes"
    )


def test_the_day_total_counts_only_an_entrys_newest_revision(
    session, cohort, trainer, trainee, programme
):
    entry = create(session, cohort, trainee, programme, submit=True, minutes=720)
    approve(session, [entry.latest], trainer)
    services.start_correction(session, entry, trainee, NOW)  # a second revision of 720
    create(session, cohort, trainee, programme, minutes=720, practised_on=DAY)
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, minutes=1)) == "minutes"
    )


def test_a_client_code_that_identifies_the_client_is_refused(session, cohort, trainee, programme):
    for code in ("Olena Shevchenko", "+372 5123 4567", "49403136515"):
        assert (
            refused_field(lambda c=code: create(session, cohort, trainee, programme, client_code=c))
            == "client_code"
        )


@pytest.mark.parametrize("field", ["client_group", "activity"])
def test_a_client_group_or_activity_must_be_the_programmes(
    session, cohort, trainee, programme, field
):
    fields = {field: "astrology"}
    assert refused_field(lambda: create(session, cohort, trainee, programme, **fields)) == field


def test_core_acts_must_be_from_the_list(session, cohort, trainee, programme):
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, core_acts=["guessing"]))
        == "core_acts"
    )


def test_a_reflection_with_an_email_is_refused(session, cohort, trainee, programme):
    text = "Her son wrote to me from olena@example.com."
    assert (
        refused_field(lambda: create(session, cohort, trainee, programme, reflection=text))
        == "reflection"
    )


def test_a_debrief_session_of_another_cohort_is_refused(
    session, cohort, trainer, trainee, programme
):
    other = make_session(session, make_cohort(session, trainers=(trainer,)))
    assert (
        refused_field(
            lambda: create(session, cohort, trainee, programme, debrief_session_id=other.id)
        )
        == "debrief_session_id"
    )


def test_a_cancelled_debrief_session_is_refused(session, cohort, trainee, programme):
    cancelled = make_session(session, cohort, cancelled_at=NOW)
    assert (
        refused_field(
            lambda: create(session, cohort, trainee, programme, debrief_session_id=cancelled.id)
        )
        == "debrief_session_id"
    )


def test_a_session_of_the_cohort_is_a_debrief(session, cohort, trainee, programme):
    debrief = make_session(session, cohort)
    entry = create(session, cohort, trainee, programme, debrief_session_id=debrief.id)
    assert entry.latest.debrief_session_id == debrief.id


def test_an_entry_is_stored_trimmed_with_its_client_key(session, cohort, trainee, programme):
    entry = create(
        session, cohort, trainee, programme, client_code="  UA CH 03 ",
        core_acts=["strengthening", "connecting"], reflection="  We met.\n",
    )  # fmt: skip
    revision = entry.latest
    assert (revision.number, revision.status) == (1, Status.DRAFT)
    assert (revision.client_code, revision.client_key) == ("UA CH 03", "uach03")
    assert revision.core_acts == ["connecting", "strengthening"]
    assert revision.reflection == "We met."


# The workflow


def test_an_entry_can_be_submitted_when_it_is_created(session, cohort, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    assert revision.status == Status.SUBMITTED
    assert revision.submitted_at == NOW


def test_only_its_trainee_can_edit_or_submit_an_entry(session, cohort, trainer, programme, trainee):
    revision = create(session, cohort, trainee, programme).latest
    other = make_user(session)
    with pytest.raises(PracticeError):
        update(session, revision, other, programme)
    with pytest.raises(PracticeError):
        services.submit_revision(session, revision, trainer, NOW)
    assert revision.status == Status.DRAFT


def test_returning_needs_a_comment(session, cohort, trainer, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    assert (
        refused_field(lambda: services.return_revision(session, revision, trainer, "  ", NOW))
        == "comment"
    )
    assert revision.status == Status.SUBMITTED


def test_a_returned_entry_is_edited_and_resubmitted(session, cohort, trainer, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    services.return_revision(session, revision, trainer, " Add the core acts. ", NOW)
    assert revision.status == Status.RETURNED
    assert (revision.reviewer_id, revision.review_comment) == (trainer.id, "Add the core acts.")

    update(session, revision, trainee, programme, minutes=100, submit=True)
    assert revision.status == Status.RESUBMITTED
    assert revision.minutes == 100


def test_approval_needs_a_statement(session, cohort, trainer, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    assert refused_field(lambda: approve(session, [revision], trainer, " ")) == "attest"
    assert revision.status == Status.SUBMITTED


def test_approval_keeps_the_reviewer_time_and_attestation(
    session, cohort, trainer, trainee, programme
):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    services.return_revision(session, revision, trainer, "Say more.", NOW - timedelta(hours=1))
    update(session, revision, trainee, programme, submit=True)
    assert approve(session, [revision], trainer, "I saw this work.") == 1
    session.commit()
    session.expire_all()
    revision = session.get(PracticeRevision, revision.id)
    assert revision.status == Status.APPROVED
    assert (revision.reviewer_id, revision.reviewed_at) == (trainer.id, NOW)
    assert revision.attestation == "I saw this work."


def test_a_draft_cannot_be_reviewed(session, cohort, trainer, trainee, programme):
    revision = create(session, cohort, trainee, programme).latest
    with pytest.raises(PracticeError):
        approve(session, [revision], trainer)
    with pytest.raises(PracticeError):
        services.return_revision(session, revision, trainer, "Why?", NOW)


# Locking and corrections


@pytest.fixture
def signed_off(session, cohort, trainer, trainee, programme) -> PracticeEntry:
    entry = create(session, cohort, trainee, programme, submit=True, minutes=90, client_code="UA-1")
    approve(session, [entry.latest], trainer)
    return entry


def test_a_signed_off_revision_is_locked(session, signed_off, trainee, programme):
    revision = signed_off.latest
    assert revision.locked
    with pytest.raises(PracticeError):
        update(session, revision, trainee, programme, minutes=120)
    with pytest.raises(PracticeError):
        services.submit_revision(session, revision, trainee, NOW)
    assert (revision.status, revision.minutes) == (Status.APPROVED, 90)


def test_a_correction_is_a_draft_copy_of_the_signed_off_revision(session, signed_off, trainee):
    old = signed_off.latest
    correction = services.start_correction(session, signed_off, trainee, NOW)
    assert (correction.number, correction.status) == (2, Status.DRAFT)
    assert signed_off.latest is correction and signed_off.approved is old
    for name in services.EntryData.__annotations__:
        assert getattr(correction, name) == getattr(old, name), name
    assert correction.client_key == old.client_key
    assert correction.reviewer_id is None and correction.attestation is None


def test_a_correction_is_started_only_once_by_the_trainee_of_a_signed_off_entry(
    session, cohort, signed_off, trainer, trainee, programme
):
    with pytest.raises(PracticeError):
        services.start_correction(session, signed_off, trainer, NOW)
    services.start_correction(session, signed_off, trainee, NOW)
    with pytest.raises(PracticeError):
        services.start_correction(session, signed_off, trainee, NOW)
    submitted = create(session, cohort, trainee, programme, submit=True)
    with pytest.raises(PracticeError):
        services.start_correction(session, submitted, trainee, NOW)


def test_the_signed_off_revision_counts_while_its_correction_is_pending(
    session, cohort, signed_off, trainee, programme
):
    correction = services.start_correction(session, signed_off, trainee, NOW)
    update(session, correction, trainee, programme, minutes=120, client_code="UA-1")
    assert (
        totals(session, cohort, trainee).approved_minutes,
        totals(session, cohort, trainee).pending_minutes,
    ) == (90, 0)  # noqa: E501
    services.submit_revision(session, correction, trainee, NOW)
    line = totals(session, cohort, trainee)
    assert (line.approved_minutes, line.pending_minutes, line.entries) == (90, 120, 1)


def test_signing_off_a_correction_supersedes_the_old_revision(
    session, cohort, signed_off, trainer, trainee, programme
):
    old = signed_off.latest
    correction = services.start_correction(session, signed_off, trainee, NOW)
    update(session, correction, trainee, programme, minutes=120, submit=True)
    approve(session, [correction], trainer)
    assert (old.status, correction.status) == (Status.SUPERSEDED, Status.APPROVED)
    assert old.attestation == "I attest."  # what was signed stays on the record
    line = totals(session, cohort, trainee)
    assert (line.approved_minutes, line.pending_minutes, line.entries) == (120, 0, 1)
    assert queries.signed_off(session, cohort.id, trainee.id) == [correction]


def test_history_lists_every_step(session, cohort, trainer, trainee, programme):
    entry = create(session, cohort, trainee, programme, submit=True, client_code="UA-1")
    services.return_revision(session, entry.latest, trainer, "Say more.", NOW)
    update(session, entry.latest, trainee, programme, client_code="UA-1", minutes=60, submit=True)
    approve(session, [entry.latest], trainer)
    correction = services.start_correction(session, entry, trainee, NOW)
    update(session, correction, trainee, programme, client_code="UA-1", minutes=45, submit=True)
    approve(session, [correction], trainer)

    events = services.history(session, entry)
    assert [event.action.removeprefix("practice.") for event in reversed(events)] == [
        "created", "submitted", "returned", "edited", "resubmitted", "approved",
        "correction_started", "edited", "submitted", "approved",
    ]  # fmt: skip
    assert events[0].after["supersedes"] == 1 and events[0].after["revision"] == 2
    assert events[0].actor_id == trainer.id
    assert events[-1].actor_id == trainee.id


# Totals


def test_clients_are_counted_by_their_folded_code(session, cohort, trainer, trainee):
    for day, code in ((1, "UA-1"), (2, "ua-1"), (3, "UA 2")):
        make_practice(
            session, cohort, trainee, approve_by=trainer, client_code=code,
            practised_on=date(2026, 10, day),
        )  # fmt: skip
    line = totals(session, cohort, trainee)
    assert line.client_count == 2 and line.clients == {"ua-1", "ua2"}


def test_correcting_a_client_code_changes_the_count(
    session, cohort, signed_off, trainer, trainee, programme
):
    make_practice(session, cohort, trainee, approve_by=trainer, client_code="UA-1")
    assert totals(session, cohort, trainee).client_count == 1

    correction = services.start_correction(session, signed_off, trainee, NOW)
    update(session, correction, trainee, programme, client_code="UA-2", submit=True)
    assert totals(session, cohort, trainee).client_count == 1
    approve(session, [correction], trainer)
    assert totals(session, cohort, trainee).clients == {"ua-1", "ua-2"}


def test_minutes_and_clients_by_client_group(session, cohort, trainer, trainee):
    for day, minutes, code, group in (
        (1, 60, "A1", "refugee-child"),
        (2, 30, "a1", "refugee-child"),
        (3, 45, "B1", "refugee-child"),
        (4, 120, "C1", "family"),
    ):
        make_practice(
            session, cohort, trainee, approve_by=trainer, minutes=minutes, client_code=code,
            client_group=group, practised_on=date(2026, 10, day),
        )  # fmt: skip
    line = totals(session, cohort, trainee)
    assert dict(line.minutes_by_group) == {"refugee-child": 135, "family": 120}
    assert dict(line.clients_by_group) == {"refugee-child": {"a1", "b1"}, "family": {"c1"}}
    assert (line.approved_minutes, line.entries, line.client_count) == (255, 4, 3)


def test_pending_minutes_count_only_entries_awaiting_review(
    session, cohort, trainer, trainee, programme
):
    create(session, cohort, trainee, programme, minutes=10)
    create(session, cohort, trainee, programme, minutes=20, submit=True)
    returned = create(session, cohort, trainee, programme, minutes=40, submit=True).latest
    services.return_revision(session, returned, trainer, "Say more.", NOW)
    resubmitted = create(session, cohort, trainee, programme, minutes=80, submit=True).latest
    services.return_revision(session, resubmitted, trainer, "Say more.", NOW)
    services.submit_revision(session, resubmitted, trainee, NOW)
    line = totals(session, cohort, trainee)
    assert (line.pending_minutes, line.approved_minutes, line.client_count) == (100, 0, 0)


def test_totals_are_kept_per_cohort_and_trainee(session, cohort, trainer, trainee):
    other_trainee = make_user(session)
    other_cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    make_practice(session, cohort, trainee, approve_by=trainer, minutes=60)
    make_practice(session, cohort, other_trainee, approve_by=trainer, minutes=30)
    make_practice(session, other_cohort, trainee, approve_by=trainer, minutes=15)
    result = queries.totals(session, [cohort.id, other_cohort.id])
    assert result[(cohort.id, trainee.id)].approved_minutes == 60
    assert result[(cohort.id, other_trainee.id)].approved_minutes == 30
    assert result[(other_cohort.id, trainee.id)].approved_minutes == 15
    assert queries.trainee_totals(session, other_cohort.id, other_trainee.id).approved_minutes == 0


def test_progress_is_met_with_the_hours_and_clients_required(
    session, cohort, trainer, trainee, programme
):
    assert (programme.practice_hours, programme.practice_clients) == (10, 1)
    progress = queries.progress(programme, totals(session, cohort, trainee))
    assert (progress.met, progress.remaining_minutes, progress.remaining_clients) == (False, 600, 1)

    for day in (1, 2):
        make_practice(
            session, cohort, trainee, approve_by=trainer, minutes=270, client_code="UA-1",
            practised_on=date(2026, 10, day),
        )  # fmt: skip
    progress = queries.progress(programme, totals(session, cohort, trainee))
    assert (progress.met, progress.remaining_minutes, progress.remaining_clients) == (False, 60, 0)

    make_practice(session, cohort, trainee, approve_by=trainer, minutes=90, client_code="ua-1")
    progress = queries.progress(programme, totals(session, cohort, trainee))
    assert (progress.met, progress.remaining_minutes, progress.remaining_clients) == (True, 0, 0)


# Who may see and sign off


def test_a_trainer_of_another_cohort_cannot_review(session, cohort, trainee, programme):
    stranger = make_user(session, Role.TRAINER)
    make_cohort(session, trainers=(stranger,))
    revision = create(session, cohort, trainee, programme, submit=True).latest
    with pytest.raises(PracticeError):
        approve(session, [revision], stranger)
    with pytest.raises(PracticeError):
        services.return_revision(session, revision, stranger, "No.", NOW)
    assert revision.status == Status.SUBMITTED


def test_a_coordinator_who_does_not_train_the_cohort_cannot_review(
    session, cohort, trainee, programme
):
    coordinator = make_user(session, Role.COORDINATOR, Role.TRAINER)
    revision = create(session, cohort, trainee, programme, submit=True).latest
    with pytest.raises(PracticeError):
        approve(session, [revision], coordinator)
    with pytest.raises(PracticeError):
        services.return_revision(session, revision, coordinator, "No.", NOW)


def test_a_trainer_cannot_sign_off_their_own_practice(session, programme):
    both = make_user(session, Role.TRAINEE, Role.TRAINER)
    cohort = make_cohort(session, trainers=(both,), trainees=(both,))
    revision = create(session, cohort, both, programme, submit=True).latest
    assert not services.can_sign_off(both, revision.entry)
    with pytest.raises(PracticeError):
        approve(session, [revision], both)
    assert revision.status == Status.SUBMITTED


def test_a_trainee_cannot_return_their_own_entry(session, cohort, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    with pytest.raises(PracticeError):
        services.return_revision(session, revision, trainee, "Oops.", NOW)
    assert revision.status == Status.SUBMITTED


def test_who_can_view_an_entry(session, cohort, trainer, trainee, programme):
    entry = create(session, cohort, trainee, programme)
    stranger = make_user(session, Role.TRAINER)
    make_cohort(session, trainers=(stranger,), trainees=(make_user(session),))
    assert services.can_view(trainee, entry)
    assert services.can_view(trainer, entry)
    assert services.can_view(make_user(session, Role.COORDINATOR), entry)
    assert not services.can_view(make_user(session), entry)
    assert not services.can_view(stranger, entry)


# Bulk sign-off


def test_bulk_approval_signs_off_every_revision(session, cohort, trainer, trainee, programme):
    revisions = [
        create(
            session, cohort, trainee, programme, submit=True, practised_on=date(2026, 10, d)
        ).latest
        for d in (1, 2)
    ]
    assert approve(session, revisions, trainer) == 2
    assert [revision.status for revision in revisions] == [Status.APPROVED] * 2


def test_bulk_approval_is_all_or_none(session, cohort, trainer, trainee, programme):
    ready = create(session, cohort, trainee, programme, submit=True).latest
    draft = create(session, cohort, trainee, programme, practised_on=date(2026, 10, 6)).latest
    session.commit()
    with pytest.raises(PracticeError):
        approve(session, [ready, draft], trainer)
    session.rollback()
    assert session.get(PracticeRevision, ready.id).status == Status.SUBMITTED
    assert totals(session, cohort, trainee).approved_minutes == 0


def test_a_revision_listed_twice_is_signed_off_once(session, cohort, trainer, trainee, programme):
    revision = create(session, cohort, trainee, programme, submit=True).latest
    try:
        approve(session, [revision, revision], trainer)
    except PracticeError:
        return  # refusing the batch is fine too
    approvals = [e for e in services.history(session, revision.entry) if "approved" in e.action]
    assert len(approvals) == 1 and "supersedes" not in approvals[0].after


# What the database enforces


def _signed_revision(entry, trainer, number, status) -> PracticeRevision:
    return PracticeRevision(
        entry_id=entry.id, cohort_id=entry.cohort_id, number=number, status=status,
        practised_on=DAY, minutes=30, client_code="UA-1", client_key="ua-1",
        client_group="refugee-child", activity="home-visit", reviewer_id=trainer.id,
        reviewed_at=NOW, attestation="I attest.",
    )  # fmt: skip


def test_the_database_allows_one_approved_revision_per_entry(session, signed_off, trainer):
    with session.begin_nested():
        session.add(_signed_revision(signed_off, trainer, 2, Status.SUPERSEDED))
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(_signed_revision(signed_off, trainer, 3, Status.APPROVED))
    assert signed_off.approved.number == 1


def test_the_database_allows_one_open_revision_per_entry(session, cohort, trainee, programme):
    entry = create(session, cohort, trainee, programme)
    extra = _signed_revision(entry, trainee, 2, Status.DRAFT)
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(extra)


def test_every_revision_keeps_its_entrys_cohort(session, cohort, signed_off, trainee):
    """The funder report groups revisions by the cohort they keep: it is the entry's, for the
    first revision and a correction alike, and the database refuses any other."""
    correction = services.start_correction(session, signed_off, trainee, NOW)
    session.flush()
    stored = session.execute(
        sa.select(PracticeRevision.cohort_id, PracticeEntry.cohort_id).join(PracticeEntry)
    ).all()
    assert len(stored) >= 2 and all(kept == own for kept, own in stored)
    assert correction.cohort_id == signed_off.cohort_id == cohort.id
    other = make_cohort(session, name="Another")
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(
                sa.update(PracticeRevision)
                .where(PracticeRevision.id == correction.id)
                .values(cohort_id=other.id)
            )


# Discarding drafts


def test_discarding_a_never_submitted_entry_deletes_it(session, cohort, trainee, programme):
    entry = create(session, cohort, trainee, programme)
    entry_id = entry.id
    assert services.discard_draft(session, entry.latest, trainee) is True
    assert session.get(PracticeEntry, entry_id) is None
    count = sa.select(sa.func.count()).where(PracticeRevision.entry_id == entry_id)
    assert session.scalar(count) == 0


def test_discarding_a_correction_keeps_the_signed_off_revision(
    session, cohort, signed_off, trainee
):
    correction = services.start_correction(session, signed_off, trainee, NOW)
    assert services.discard_draft(session, correction, trainee) is False
    session.expire_all()
    assert [r.status for r in signed_off.revisions] == [Status.APPROVED]
    assert session.get(PracticeRevision, correction.id) is None
    assert totals(session, cohort, trainee).approved_minutes == 90


def test_only_its_trainee_can_discard_and_only_a_draft(
    session, cohort, trainer, signed_off, trainee, programme
):
    draft = create(session, cohort, trainee, programme).latest
    with pytest.raises(PracticeError):
        services.discard_draft(session, draft, trainer)
    with pytest.raises(PracticeError):
        services.discard_draft(session, signed_off.latest, trainee)
    submitted = create(session, cohort, trainee, programme, submit=True).latest
    with pytest.raises(PracticeError):
        services.discard_draft(session, submitted, trainee)


# The trainers' queue


@pytest.fixture
def queue_setup(session, trainer, cohort, trainee):
    """Revisions in two cohorts, of two trainees, on several days and in every state."""
    other_trainee = make_user(session)
    other_cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    made = {
        "early": make_practice(session, cohort, trainee, practised_on=date(2026, 10, 1)),
        "late": make_practice(session, cohort, trainee, practised_on=date(2026, 10, 15)),
        "other_trainee": make_practice(session, cohort, other_trainee),
        "other_cohort": make_practice(session, other_cohort, trainee),
        "draft": make_practice(session, cohort, trainee, submit=False),
        "approved": make_practice(session, cohort, trainee, approve_by=trainer),
    }
    returned = make_practice(session, cohort, trainee)
    services.return_revision(session, returned.latest, trainer, "Say more.", NOW)
    made["returned"] = returned
    ids = {name: entry.latest.id for name, entry in made.items()}
    return ids, other_trainee, other_cohort


def queued(session, cohort_ids, **chosen) -> set[int]:
    revisions, count = queries.queue(session, cohort_ids, queries.QueueFilter(**chosen))
    assert count == len(revisions)
    return {revision.id for revision in revisions}


def test_the_queue_lists_what_awaits_review(session, cohort, queue_setup):
    ids, _, other_cohort = queue_setup
    awaiting = {ids["early"], ids["late"], ids["other_trainee"]}
    assert queued(session, [cohort.id]) == awaiting
    assert queued(session, [cohort.id, other_cohort.id]) == awaiting | {ids["other_cohort"]}


def test_the_queue_filters_by_cohort_and_trainee(session, cohort, trainee, queue_setup):
    ids, other_trainee, other_cohort = queue_setup
    both = [cohort.id, other_cohort.id]
    assert queued(session, both, cohort_id=other_cohort.id) == {ids["other_cohort"]}
    assert queued(session, both, user_id=other_trainee.id) == {ids["other_trainee"]}
    assert queued(session, both, cohort_id=cohort.id, user_id=trainee.id) == {
        ids["early"], ids["late"],
    }  # fmt: skip


def test_the_queue_filters_by_status(session, cohort, queue_setup):
    ids, _, _ = queue_setup
    assert queued(session, [cohort.id], status="returned") == {ids["returned"]}
    assert queued(session, [cohort.id], status="approved") == {ids["approved"]}
    assert queued(session, [cohort.id], status="all") == set(ids.values()) - {
        ids["draft"], ids["other_cohort"],
    }  # fmt: skip


def test_the_queue_filters_by_date_range(session, cohort, queue_setup):
    ids, _, _ = queue_setup
    chosen = {"date_from": date(2026, 10, 2), "date_to": date(2026, 10, 14)}
    assert queued(session, [cohort.id], **chosen) == {ids["other_trainee"]}  # on 5 October
    assert queued(session, [cohort.id], date_from=date(2026, 10, 15)) == {ids["late"]}
    assert queued(session, [cohort.id], date_to=date(2026, 10, 1)) == {ids["early"]}


@pytest.mark.parametrize("status", ["draft", "all", "awaiting", "nonsense"])
def test_the_queue_never_lists_drafts(session, cohort, queue_setup, status):
    ids, _, _ = queue_setup
    assert ids["draft"] not in queued(session, [cohort.id], status=status)


def test_the_queue_lists_only_the_given_cohorts(session, cohort, queue_setup):
    ids, _, other_cohort = queue_setup
    assert queued(session, [cohort.id], cohort_id=other_cohort.id) == set()
    assert queued(session, [], status="all") == set()


def test_an_edit_of_the_reflection_alone_is_in_the_history_without_its_text(
    session, cohort, trainee, programme
):
    entry = create(session, cohort, trainee, programme, client_code="R-1", reflection="First")
    update(session, entry.latest, trainee, programme, client_code="R-1", reflection="Second")
    edits = [e for e in services.history(session, entry) if e.action == "practice.edited"]
    assert len(edits) == 1 and edits[0].after["reflection_changed"] is True
    assert "Second" not in str(edits[0].after) and "First" not in str(edits[0].before)
