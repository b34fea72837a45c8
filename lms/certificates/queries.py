"""Reading certificates: the current one of a person, by code, the ones expiring soon."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms import hooks
from lms.certificates.models import Certificate, Status, normalise_code


def current_certificate(
    session: Session, user_id: int, programme_slug: str, today: date
) -> Certificate | None:
    """The person's certificate of a programme that is valid today, if any."""
    return session.scalar(
        sa.select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.programme_slug == programme_slug,
            Certificate.status == Status.VALID,
            Certificate.expires_on > today,
        )
    )


def by_code(session: Session, typed: str) -> Certificate | None:
    code = normalise_code(typed or "")
    if not code:
        return None
    return session.scalar(sa.select(Certificate).where(Certificate.code == code))


#: valid certificates expiring after ``today`` and by ``until``, soonest first (built once:
#: building it cost more than running it on the homes)
_EXPIRING = (
    sa.select(Certificate)
    .where(
        Certificate.status == Status.VALID,
        Certificate.expires_on > sa.bindparam("today", type_=sa.Date),
        Certificate.expires_on <= sa.bindparam("until", type_=sa.Date),
    )
    .order_by(Certificate.expires_on, Certificate.id)
)
_EXPIRING_OWN = _EXPIRING.where(Certificate.user_id == sa.bindparam("user_id"))


def expiring(
    session: Session, today: date, days: int, user_id: int | None = None
) -> list[Certificate]:
    """Valid certificates that expire within ``days``, soonest first (``expiring_among`` is the
    same rule over certificates read already)."""
    bounds = {"today": today, "until": today + timedelta(days=days)}
    if user_id is None:
        return list(session.scalars(_EXPIRING, bounds))
    return list(session.scalars(_EXPIRING_OWN, {**bounds, "user_id": user_id}))


def expiring_among(certificates, today: date, days: int) -> list[Certificate]:
    """``expiring`` among ``certificates`` (a person's, read already): the valid ones that
    expire within ``days``, soonest first."""
    return sorted(
        (
            certificate
            for certificate in certificates
            if certificate.status == Status.VALID
            and today < certificate.expires_on <= today + timedelta(days=days)
        ),
        key=lambda certificate: (certificate.expires_on, certificate.id),
    )


@hooks.answers("holds_certificate")
def holds_certificate(session: Session, user_id: int, programme_slug: str, today: date) -> bool:
    """Whether the person holds a certificate of the programme that is valid today (cohorts asks
    this before enrolling anyone in a programme that requires it)."""
    return current_certificate(session, user_id, programme_slug, today) is not None
