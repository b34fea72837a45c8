"""Two simultaneous requests to issue the same certificate give one certificate: both pass the
eligibility check before either writes, and the database's unique index settles it.

This test commits for real (each thread has its own connection), so it cleans up after itself.
"""

import threading
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.auth.models import Role
from lms.certificates import services
from lms.certificates.models import Certificate
from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.programmes.services import get_programme, get_programmes
from tests.factories import complete_programme, make_cohort, make_user

NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
TODAY = date(2026, 10, 20)


def test_two_simultaneous_issues_give_one_certificate(app, committed, monkeypatch):
    with app.test_request_context():
        trainer = make_user(committed, Role.TRAINER)
        coordinators = [make_user(committed, Role.COORDINATOR) for _ in range(2)]
        trainee = make_user(committed)
        support = make_cohort(committed, trainers=(trainer,), trainees=(trainee,))
        complete_programme(committed, support, trainee, trainer)
        enrolment_id = committed.scalar(
            sa.select(Enrolment.id).where(Enrolment.user_id == trainee.id)
        )
        enrolment = committed.get(Enrolment, enrolment_id)
        services.sign_off(
            committed,
            enrolment,
            get_programme("support-person"),
            get_programmes(),
            trainer,
            "I confirm.",
            now=NOW,
            today=TODAY,
        )
        committed.commit()
        # the first certificate is issued; now make the trainer-of-trainers one twice at once
        advanced = make_cohort(committed, "trainer-of-trainers", trainers=(trainer,))
        committed.add(Enrolment(cohort_id=advanced.id, user_id=trainee.id))
        committed.commit()
        complete_programme(committed, advanced, trainee, trainer)
        services.sign_off(
            committed,
            committed.scalar(
                sa.select(Enrolment).where(
                    Enrolment.cohort_id == advanced.id, Enrolment.user_id == trainee.id
                )
            ),
            get_programme("trainer-of-trainers"),
            get_programmes(),
            trainer,
            "I confirm.",
            now=NOW,
            today=TODAY,
        )
        committed.commit()
        advanced_id = advanced.id

    both_checked = threading.Barrier(2, timeout=10)
    real_eligibility = services.eligibility

    def eligibility_then_wait(*args, **kwargs):
        result = real_eligibility(*args, **kwargs)
        both_checked.wait()  # neither writes before both have found no certificate
        return result

    monkeypatch.setattr(services, "eligibility", eligibility_then_wait)
    outcomes: list = [None, None]

    def request(number):
        with app.test_request_context(), Session(db.engine) as session:
            enrolment = session.scalar(
                sa.select(Enrolment).where(
                    Enrolment.cohort_id == advanced_id, Enrolment.user_id == trainee.id
                )
            )
            try:
                services.issue(
                    session,
                    enrolment,
                    get_programme("trainer-of-trainers"),
                    get_programmes(),
                    session.merge(coordinators[number]),
                    now=NOW,
                    today=TODAY,
                )
                session.commit()
                outcomes[number] = "issued"
            except Exception as error:  # noqa: BLE001 - the loser's error is the point
                session.rollback()
                outcomes[number] = error

    threads = [threading.Thread(target=request, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("issued") == 1, outcomes
    loser = next(outcome for outcome in outcomes if outcome != "issued")
    if committed.get_bind().dialect.name == "postgresql":
        # PostgreSQL makes the second insert wait for the first, then refuses it
        assert isinstance(loser, services.CertificateError), loser
        assert "already has this certificate" in str(loser)
    else:
        # SQLite lets one writer at a time: the second is refused while the first writes
        assert isinstance(loser, services.CertificateError | sa.exc.OperationalError), loser
    count = committed.scalar(
        sa.select(sa.func.count(Certificate.id)).where(
            Certificate.programme_slug == "trainer-of-trainers"
        )
    )
    assert count == 1
