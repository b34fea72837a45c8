"""Certificates through their services: the eligibility checklist, issuing only when every
requirement is met, the final sign-off and automatic issue, renewal, revocation, the
prerequisite of trainer of trainers, and the database's one-certificate rule."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lms import audit
from lms.auth.models import Role
from lms.certificates import services
from lms.certificates.eligibility import eligibility
from lms.certificates.models import Certificate, Status, new_code, normalise_code
from lms.certificates.queries import by_code, expiring
from lms.certificates.services import CertificateError, add_months
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.cohorts.services import CohortError, check_prerequisite
from lms.programmes.services import get_programme, get_programmes
from tests.factories import complete_programme, make_cohort, make_user

NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
TODAY = date(2026, 10, 20)


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


@pytest.fixture
def trainer(session):
    return make_user(session, Role.TRAINER, display_name="Tiina Tamm")


@pytest.fixture
def coordinator(session):
    return make_user(session, Role.COORDINATOR)


@pytest.fixture
def trainee(session):
    return make_user(session, display_name="Õie Täht-Kovalenko", language="et")


@pytest.fixture
def cohort(session, trainer, trainee):
    return make_cohort(session, trainers=(trainer,), trainees=(trainee,))


def enrolment_of(session, cohort, user):
    return session.scalar(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)
    )


def check(session, cohort, user, today=TODAY):
    programme = get_programme(cohort.programme_slug)
    return eligibility(
        session, enrolment_of(session, cohort, user), programme, now=NOW, today=today
    )


def sign_off(session, cohort, trainee, trainer, today=TODAY):
    return services.sign_off(
        session,
        enrolment_of(session, cohort, trainee),
        get_programme(cohort.programme_slug),
        get_programmes(),
        trainer,
        "I confirm.",
        now=NOW,
        today=today,
    )


def issue(session, cohort, trainee, actor, today=TODAY):
    return services.issue(
        session,
        enrolment_of(session, cohort, trainee),
        get_programme(cohort.programme_slug),
        get_programmes(),
        actor,
        now=NOW,
        today=today,
    )


def events(session, certificate):
    """The certificate's audit trail, oldest first."""
    return audit.events_for(session, ("certificate",), [certificate.id])[::-1]


def graduate(session, cohort, trainee, trainer, today=TODAY) -> Certificate:
    complete_programme(session, cohort, trainee, trainer)
    certificate = sign_off(session, cohort, trainee, trainer, today)
    session.commit()
    return certificate


def test_codes_are_typeable_and_typing_is_forgiving():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14 and code.startswith("TUGI-")
        assert normalise_code(code.lower().replace("-", " ")) == code
        assert normalise_code(code[5:]) == code
    assert normalise_code("TUGI-0000-0000") == ""  # 0 is never in a code
    assert normalise_code("TUGI-7K3M") == ""
    assert normalise_code("") == ""


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 10, 20), 36) == date(2029, 10, 20)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 12, 5), 1) == date(2027, 1, 5)


def test_a_new_trainee_meets_nothing_and_the_checklist_names_every_requirement(
    session, cohort, trainee
):
    result = check(session, cohort, trainee)
    kinds = [item.kind for item in result.requirements]
    assert kinds == [
        "enrolment",
        "hours",
        "hours",
        "attendance",
        "lessons",
        "quiz",
        "quiz",
        "practice_hours",
        "practice_clients",
        "sign_off",
    ]
    assert not result.eligible
    assert [item.kind for item in result.missing] == kinds[1:]
    hours = result.requirements[1]
    assert (hours.done, hours.needed, hours.unit, hours.remaining) == (0, 20, "hours", 20)


@pytest.mark.parametrize("skip", ["hours", "lessons", "quiz", "practice"])
def test_one_missing_requirement_blocks_sign_off_and_issue(
    session, cohort, trainee, trainer, coordinator, skip
):
    complete_programme(session, cohort, trainee, trainer, skip=skip)
    result = check(session, cohort, trainee)
    assert not result.ready_for_sign_off
    with pytest.raises(CertificateError, match="Not every requirement"):
        sign_off(session, cohort, trainee, trainer)
    with pytest.raises(CertificateError, match="does not meet every requirement"):
        issue(session, cohort, trainee, coordinator)
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_a_withdrawn_trainee_cannot_be_certified(session, cohort, trainee, trainer, coordinator):
    complete_programme(session, cohort, trainee, trainer)
    enrolment_of(session, cohort, trainee).status = EnrolmentStatus.WITHDRAWN
    assert not check(session, cohort, trainee).ready_for_sign_off
    with pytest.raises(CertificateError):
        sign_off(session, cohort, trainee, trainer)


def test_final_sign_off_issues_the_certificate_automatically(session, cohort, trainee, trainer):
    complete_programme(session, cohort, trainee, trainer)
    result = check(session, cohort, trainee)
    assert result.ready_for_sign_off and not result.eligible
    certificate = sign_off(session, cohort, trainee, trainer)
    session.commit()
    assert certificate.holder_name == "Õie Täht-Kovalenko"
    assert certificate.language == "et"
    assert certificate.programme_slug == "support-person"
    assert certificate.issued_on == TODAY
    assert certificate.expires_on == date(2029, 10, 20)
    assert [line["minutes"] for line in certificate.hours] == [1500, 1500]
    assert certificate.hours[0]["title"] == "1. osa: tugiisiku roll ja vastutus"
    assert (certificate.practice_minutes, certificate.practice_clients) == (600, 1)
    assert certificate.trainers == ["Tiina Tamm"]
    assert certificate.issued_by_id is None
    assert enrolment_of(session, cohort, trainee).status == EnrolmentStatus.COMPLETED
    assert check(session, cohort, trainee).certificate.id == certificate.id
    trail = events(session, certificate)
    assert [event.action for event in trail] == ["certificate.issued"]
    assert trail[0].after["automatic"] is True


def test_only_a_trainer_of_the_cohort_signs_off_and_never_twice(
    session, cohort, trainee, trainer, coordinator
):
    complete_programme(session, cohort, trainee, trainer)
    other_trainer = make_user(session, Role.TRAINER)
    for outsider in (other_trainer, coordinator):
        with pytest.raises(CertificateError, match="Only a trainer"):
            sign_off(session, cohort, trainee, outsider)
    sign_off(session, cohort, trainee, trainer)
    with pytest.raises(CertificateError, match="already been signed off"):
        sign_off(session, cohort, trainee, trainer)


def test_a_coordinator_issues_once_and_a_second_request_is_refused(
    session, trainee, trainer, coordinator
):
    cohort = make_cohort(session, "trainer-of-trainers", trainers=(trainer,))
    support = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    graduate(session, support, trainee, trainer)
    session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
    session.commit()
    complete_programme(session, cohort, trainee, trainer)
    sign_off(session, cohort, trainee, trainer)  # trainer of trainers: no automatic issue
    assert check(session, cohort, trainee).eligible
    certificate = issue(session, cohort, trainee, coordinator)
    assert certificate.issued_by_id == coordinator.id
    assert certificate.expires_on == date(2031, 10, 20)
    with pytest.raises(CertificateError, match="already has this certificate"):
        issue(session, cohort, trainee, coordinator)


def test_the_database_allows_one_certificate_per_enrolment(session, cohort, trainee, trainer):
    certificate = graduate(session, cohort, trainee, trainer)
    twin = Certificate(
        **{
            column.key: getattr(certificate, column.key)
            for column in Certificate.__table__.columns
            if column.key not in ("id", "code", "credential_id")
        }
    )
    twin.status = Status.REVOKED  # even a certificate that is not current
    session.add(twin)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_the_database_allows_one_current_certificate_per_programme(
    session, cohort, trainee, trainer
):
    certificate = graduate(session, cohort, trainee, trainer)
    second = make_cohort(session, trainees=(trainee,))
    twin = Certificate(
        **{
            column.key: getattr(certificate, column.key)
            for column in Certificate.__table__.columns
            if column.key not in ("id", "code", "credential_id", "enrolment_id", "cohort_id")
        },
        enrolment_id=enrolment_of(session, second, trainee).id,
        cohort_id=second.id,
    )
    session.add(twin)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_issue_all_certifies_only_the_eligible(session, trainer, coordinator):
    people = [make_user(session) for _ in range(3)]
    cohort = make_cohort(session, "trainer-of-trainers", trainers=(trainer,))
    for person in people:
        support = make_cohort(session, trainers=(trainer,), trainees=(person,))
        graduate(session, support, person, trainer)
        session.add(Enrolment(cohort_id=cohort.id, user_id=person.id))
    session.commit()
    complete_programme(session, cohort, people[0], trainer)
    complete_programme(session, cohort, people[1], trainer)
    sign_off(session, cohort, people[0], trainer)
    issued = services.issue_all(
        session,
        cohort,
        get_programme("trainer-of-trainers"),
        get_programmes(),
        coordinator,
        now=NOW,
        today=TODAY,
    )
    assert [c.user_id for c in issued] == [people[0].id]


def test_trainer_of_trainers_admits_only_holders_of_a_valid_certificate(
    session, cohort, trainee, trainer, coordinator
):
    programme = get_programme("trainer-of-trainers")
    with pytest.raises(CohortError, match="holds no valid certificate"):
        check_prerequisite(session, trainee, programme, TODAY)
    certificate = graduate(session, cohort, trainee, trainer)
    check_prerequisite(session, trainee, programme, TODAY)
    with pytest.raises(CohortError):
        check_prerequisite(session, trainee, programme, certificate.expires_on)
    services.revoke(session, certificate, coordinator, "Issued in error.", now=NOW)
    with pytest.raises(CohortError):
        check_prerequisite(session, trainee, programme, TODAY)


def test_revoking_needs_a_reason_and_is_recorded(session, cohort, trainee, trainer, coordinator):
    certificate = graduate(session, cohort, trainee, trainer)
    with pytest.raises(CertificateError, match="reason"):
        services.revoke(session, certificate, coordinator, "  ", now=NOW)
    services.revoke(session, certificate, coordinator, "Practice log was forged.", now=NOW)
    assert certificate.status_on(TODAY) == Status.REVOKED
    assert certificate.revoke_reason == "Practice log was forged."
    with pytest.raises(CertificateError, match="Only a valid"):
        services.revoke(session, certificate, coordinator, "again", now=NOW)
    actions = [e.action for e in events(session, certificate)]
    assert actions == ["certificate.issued", "certificate.revoked"]


def test_expiry_is_read_from_the_date(session, cohort, trainee, trainer):
    certificate = graduate(session, cohort, trainee, trainer)
    assert certificate.status_on(date(2029, 10, 19)) == Status.VALID
    assert certificate.status_on(date(2029, 10, 20)) == Status.EXPIRED
    assert expiring(session, date(2029, 8, 1), 90) == [certificate]
    assert expiring(session, date(2029, 6, 1), 90) == []
    assert expiring(session, date(2029, 10, 20), 90) == []
    assert by_code(session, certificate.code.lower()) is certificate
    assert by_code(session, "TUGI-3333-3333") is None


def test_renewal_issues_a_new_certificate_and_supersedes_the_old(session, cohort, trainee, trainer):
    old = graduate(session, cohort, trainee, trainer)
    later = date(2029, 6, 1)
    refresher = make_cohort(
        session, "support-person-refresher", trainers=(trainer,), trainees=(trainee,)
    )
    result = check(session, refresher, trainee, later)
    assert [item.kind for item in result.requirements][-2:] == ["prerequisite", "sign_off"]
    assert result.requirements[-2].met
    complete_programme(session, refresher, trainee, trainer)
    renewed = sign_off(session, refresher, trainee, trainer, later)  # the refresher auto-issues
    session.commit()
    assert old.status == Status.SUPERSEDED
    assert old.issued_on == TODAY and old.expires_on == date(2029, 10, 20)  # never re-dated
    assert renewed.renews_id == old.id
    assert renewed.programme_slug == "support-person"
    assert renewed.earned_in == "support-person-refresher"
    assert (renewed.issued_on, renewed.expires_on) == (later, date(2032, 6, 1))
    assert check(session, refresher, trainee, later).requirements[-2].met
    assert [e.action for e in events(session, old)] == [
        "certificate.issued",
        "certificate.superseded",
    ]
    assert [e.action for e in events(session, renewed)] == ["certificate.renewed"]


def test_an_expired_certificate_cannot_be_renewed(session, cohort, trainee, trainer):
    old = graduate(session, cohort, trainee, trainer)
    refresher = make_cohort(
        session, "support-person-refresher", trainers=(trainer,), trainees=(trainee,)
    )
    complete_programme(session, refresher, trainee, trainer)
    after_expiry = old.expires_on
    result = check(session, refresher, trainee, after_expiry)
    assert not result.requirements[-2].met
    with pytest.raises(CertificateError):
        sign_off(session, refresher, trainee, trainer, after_expiry)
    assert old.status == Status.VALID


def test_retaking_the_programme_after_expiry_starts_from_nothing_and_supersedes(
    session, cohort, trainee, trainer
):
    old = graduate(session, cohort, trainee, trainer)
    again = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    later = date(2030, 1, 10)
    result = check(session, again, trainee, later)
    unmet = {item.kind for item in result.missing}
    # the first cohort's hours, attendance and quizzes do not count again; lessons read stay read
    assert {"hours", "attendance", "quiz", "practice_hours"} <= unmet
    assert "lessons" not in unmet
    complete_programme(session, again, trainee, trainer, start=datetime(2030, 1, 2, 8, tzinfo=UTC))
    new = sign_off(session, again, trainee, trainer, later)
    assert old.status == Status.SUPERSEDED and new.renews_id == old.id


def test_revoking_a_renewal_gives_the_earlier_certificate_back_its_validity(
    session, cohort, trainee, trainer, coordinator
):
    old = graduate(session, cohort, trainee, trainer)
    later = date(2029, 6, 1)
    refresher = make_cohort(
        session, "support-person-refresher", trainers=(trainer,), trainees=(trainee,)
    )
    complete_programme(session, refresher, trainee, trainer)
    renewed = sign_off(session, refresher, trainee, trainer, later)
    services.revoke(session, renewed, coordinator, "Issued in error.", now=NOW, today=later)
    assert old.status == Status.VALID and old.status_on(later) == Status.VALID
    assert [e.action for e in events(session, old)][-1] == "certificate.restored"
    # ... but not once its own dates have run out
    renewed_again_cohort = make_cohort(
        session, "support-person-refresher", trainers=(trainer,), trainees=(trainee,)
    )
    complete_programme(
        session, renewed_again_cohort, trainee, trainer, start=datetime(2029, 6, 2, tzinfo=UTC)
    )
    second = sign_off(session, renewed_again_cohort, trainee, trainer, date(2029, 6, 5))
    services.revoke(session, second, coordinator, "Again.", now=NOW, today=old.expires_on)
    assert old.status == Status.SUPERSEDED
