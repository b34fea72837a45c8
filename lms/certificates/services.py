"""Issuing, renewing and revoking certificates, and the trainer's final sign-off.

Every path that creates a certificate goes through ``issue``, which re-reads the checklist and
refuses unless every requirement is met; the database's unique indexes settle a race.
"""

import calendar
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import Role, User
from lms.certificates.eligibility import Eligibility, cohort_eligibility, eligibility
from lms.certificates.models import Certificate, FinalSignOff, Status
from lms.cohorts.api import can_manage
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.collation import by_name
from lms.errors import DomainError
from lms.programmes.api import Programme

SUBJECT = "certificate"


class CertificateError(DomainError):
    """A certificate action was refused; the message says why, in the reader's language."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def renewal_programme(programmes, slug: str) -> Programme | None:
    """The refresher programme that renews a programme's certificate, if there is one."""
    return next((item for item in programmes if item.renews == slug), None)


def can_view_enrolment(user: User, enrolment: Enrolment) -> bool:
    """The trainee, the cohort's trainers and coordinators."""
    return enrolment.user_id == user.id or can_manage(user, enrolment.cohort)


def can_view(user: User, certificate: Certificate) -> bool:
    return (
        certificate.user_id == user.id
        or user.has_role(Role.COORDINATOR)
        or (user.has_role(Role.TRAINER) and certificate.cohort.has_trainer(user.id))
    )


def can_sign_off(user: User, enrolment: Enrolment) -> bool:
    """A trainer of the cohort, never for their own enrolment."""
    return (
        user.has_role(Role.TRAINER)
        and enrolment.cohort.has_trainer(user.id)
        and enrolment.user_id != user.id
    )


def _snapshot(certificate: Certificate) -> dict:
    return {
        "code": certificate.code,
        "holder": certificate.holder_name,
        "programme": certificate.programme_slug,
        "status": certificate.status,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
    }


def _record(session, actor: User | None, action: str, certificate, **extra) -> None:
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action=f"certificate.{action}",
        subject_type=SUBJECT,
        subject_id=certificate.id,
        after=_snapshot(certificate) | extra,
    )


def _build(
    check: Eligibility, programmes, today: date, now: datetime, actor: User | None
) -> Certificate:
    enrolment, programme = check.enrolment, check.programme
    user, cohort = enrolment.user, enrolment.cohort
    certified = programmes.get(programme.renews) if programme.renews else programme
    language = user.language
    languages = current_app.config["LANGUAGES"]
    hours = [
        {
            "slug": line.category.slug,
            "title": line.category.title_for(language),
            "titles": {code: line.category.title_for(code) for code in languages},
            "minutes": line.credited,
            # what the certificate certifies: the syllabus, however much more was attended
            "certified": line.category.syllabus_minutes,
        }
        for line in check.ledger.lines
    ]
    totals = check.practice
    return Certificate(
        user_id=user.id,
        enrolment_id=enrolment.id,
        cohort_id=cohort.id,
        programme_slug=certified.slug,
        earned_in=programme.slug,
        holder_name=user.display_name,
        language=language,
        hours=hours,
        programme_titles={code: certified.title_for(code) for code in languages},
        hour_minutes=programme.hour_minutes,
        practice_minutes=totals.approved_minutes if totals else 0,
        practice_clients=totals.client_count if totals else 0,
        trainers=[
            trainer.display_name
            for trainer in by_name(cohort.trainers, lambda trainer: trainer.display_name, language)
        ],
        issued_on=today,
        issued_at=now,
        expires_on=add_months(today, certified.certificate_valid_months),
        issued_by_id=actor.id if actor else None,
        status=Status.VALID,
    )


def issue(
    session: Session,
    enrolment: Enrolment,
    programme: Programme,
    programmes,
    actor: User | None,
    *,
    now: datetime,
    today: date,
) -> Certificate:
    """Issue the enrolment's certificate after checking every requirement again.

    ``actor`` is None when the certificate follows a final sign-off automatically. The
    person's earlier certificate of the same programme (the one a renewal renews, or a lapsed
    one) is marked superseded in the same transaction; nothing is ever re-dated.
    """
    if not programme.certifies:
        raise CertificateError(_l("This programme does not issue certificates."))
    check = eligibility(session, enrolment, programme, now=now, today=today)
    if check.certificate is not None:
        raise CertificateError(
            _l("%(name)s already has this certificate.", name=enrolment.user.display_name)
        )
    if not check.eligible:
        missing = "; ".join(str(item.label) for item in check.missing)
        raise CertificateError(
            _l(
                "%(name)s does not meet every requirement yet: %(missing)s.",
                name=enrolment.user.display_name,
                missing=missing,
            )
        )
    certificate = _build(check, programmes, today, now, actor)
    previous = None
    try:
        with session.begin_nested():
            # the person's earlier certificate of the programme, valid or lapsed, gives way
            previous = session.scalar(
                sa.select(Certificate)
                .where(
                    Certificate.user_id == enrolment.user_id,
                    Certificate.programme_slug == certificate.programme_slug,
                    Certificate.status == Status.VALID,
                )
                .with_for_update()
            )
            if programme.renews and (previous is None or previous.expires_on <= today):
                raise CertificateError(_l("There is no valid certificate to renew."))
            if previous is not None:
                previous.status = Status.SUPERSEDED
                session.flush()
                certificate.renews_id = previous.id
            session.add(certificate)
            session.flush()
    except IntegrityError:
        raise CertificateError(
            _l("%(name)s already has this certificate.", name=enrolment.user.display_name)
        ) from None
    if enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment.status = EnrolmentStatus.COMPLETED
    extra = {"enrolment_id": enrolment.id, "automatic": actor is None}
    if previous is not None:
        extra["supersedes"] = previous.code
        audit.record(
            session,
            actor_id=actor.id if actor else None,
            action="certificate.superseded",
            subject_type=SUBJECT,
            subject_id=previous.id,
            before={"status": Status.VALID.value},
            after={"status": previous.status, "superseded_by": certificate.code},
        )
    _record(session, actor, "renewed" if programme.renews else "issued", certificate, **extra)
    return certificate


def issue_all(
    session: Session,
    cohort: Cohort,
    programme: Programme,
    programmes,
    actor: User,
    *,
    now: datetime,
    today: date,
) -> list[Certificate]:
    """Issue a certificate to every eligible trainee of the cohort who has none yet."""
    table = cohort_eligibility(session, cohort, programme, now=now, today=today)
    issued = []
    for check in table.values():
        if check.eligible and check.certificate is None:
            try:
                issued.append(
                    issue(
                        session,
                        check.enrolment,
                        programme,
                        programmes,
                        actor,
                        now=now,
                        today=today,
                    )  # fmt: skip
                )
            except CertificateError:
                continue  # issued by someone else meanwhile: the others still get theirs
    return issued


def sign_off(
    session: Session,
    enrolment: Enrolment,
    programme: Programme,
    programmes,
    trainer: User,
    statement: str,
    *,
    now: datetime,
    today: date,
) -> Certificate | None:
    """Record a trainer's final sign-off; returns the certificate when it follows at once."""
    if not programme.final_sign_off:
        raise CertificateError(_l("This programme has no final sign-off."))
    if not can_sign_off(trainer, enrolment):
        raise CertificateError(_l("Only a trainer of the cohort can sign a trainee off."))
    if not statement.strip():
        raise CertificateError(_l("Confirm the statement to sign off."))
    check = eligibility(session, enrolment, programme, now=now, today=today)
    if check.sign_off is not None:
        raise CertificateError(_l("This trainee has already been signed off."))
    if not check.ready_for_sign_off:
        raise CertificateError(
            _l(
                "Not every requirement is met yet: %(missing)s.",
                missing="; ".join(
                    str(item.label) for item in check.missing if item.kind != "sign_off"
                ),
            )
        )
    record = FinalSignOff(enrolment_id=enrolment.id, trainer_id=trainer.id, statement=statement)
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        raise CertificateError(_l("This trainee has already been signed off.")) from None
    audit.record(
        session,
        actor_id=trainer.id,
        action="enrolment.signed_off",
        subject_type="enrolment",
        subject_id=enrolment.id,
        after={"statement": statement},
    )
    if programme.auto_issue and programme.certifies:
        return issue(session, enrolment, programme, programmes, None, now=now, today=today)
    return None


def revoke(
    session: Session,
    certificate: Certificate,
    actor: User,
    reason: str,
    *,
    now: datetime,
    today: date | None = None,
) -> None:
    """Withdraw a certificate for good; the reason is shown wherever it is verified.

    Revoking a renewal gives the certificate it superseded back its validity, if its own dates
    still allow: the renewal was void, the earlier certificate never stopped being earned."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_l("Give the reason for revoking."))
    if len(reason) > 500:
        raise CertificateError(_l("Keep the reason under 500 characters."))
    locked = session.scalar(
        sa.select(Certificate).where(Certificate.id == certificate.id).with_for_update()
    )
    if locked.status != Status.VALID:
        raise CertificateError(_l("Only a valid certificate can be revoked."))
    locked.status = Status.REVOKED
    locked.revoked_at = now
    locked.revoked_by_id = actor.id
    locked.revoke_reason = reason
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="certificate.revoked",
        subject_type=SUBJECT,
        subject_id=locked.id,
        before={"status": Status.VALID.value},
        after={"status": locked.status, "reason": reason},
    )
    earlier = locked.renews
    today = today or now.date()
    if earlier is not None and earlier.status == Status.SUPERSEDED and earlier.expires_on > today:
        earlier.status = Status.VALID
        session.flush()
        audit.record(
            session,
            actor_id=actor.id,
            action="certificate.restored",
            subject_type=SUBJECT,
            subject_id=earlier.id,
            before={"status": Status.SUPERSEDED.value},
            after={"status": earlier.status, "revoked_renewal": locked.code},
        )


def send_expiry_reminders(
    session: Session, programmes, *, today: date, days: int, now: datetime, verify_url
) -> int:
    """Email each holder whose certificate expires within ``days`` and who has not been told
    yet; returns how many were sent. Without SMTP nothing is sent or marked."""
    from flask_babel import force_locale, format_date, gettext

    from lms.certificates.queries import expiring
    from lms.mail import mail_configured, send_mail

    if not mail_configured():
        return 0
    sent = 0
    for certificate in expiring(session, today, days):
        user = certificate.user
        if certificate.reminded_at is not None or not user.email or user.erased_at is not None:
            continue  # an erased holder has no address any more
        with force_locale(certificate.user.language or certificate.language):
            subject = gettext("Your certificate expires on %(date)s",
                              date=format_date(certificate.expires_on, "long"))  # fmt: skip
            body = gettext(
                "Dear %(name)s,\n\nyour certificate %(code)s expires on %(date)s.\n\n"
                "Anyone can check the certificate at %(url)s\n",
                name=certificate.holder_name,
                code=certificate.code,
                date=format_date(certificate.expires_on, "long"),
                url=verify_url(certificate),
            )
            if renewal_programme(programmes, certificate.programme_slug):
                body += "\n" + gettext(
                    "To renew it, take the refresher training and log fresh supervised practice "
                    "before then; your coordinator can tell you when the next refresher cohort "
                    "starts.\n"
                )
        if send_mail(certificate.user.email, subject, body):
            certificate.reminded_at = now
            sent += 1
    return sent
