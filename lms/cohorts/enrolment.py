"""Enrolling many people at once: from a CSV file, by email, or picked from the list of people.

Enrolment never touches an existing person's account or password link: only a person the file
brings who has no account yet gets one (with the trainee role) and a link. The file that imported a
group with its trainer enrols the group as it is: the cohort's own trainers are left out of it.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.auth import api as accounts
from lms.auth.models import Role, User, UserRole
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.services import CohortError, enrol
from lms.collation import by_name
from lms.db import LIKE_ESCAPE, contains_pattern
from lms.programmes.api import Programme
from lms.users.api import ImportResult, PersonRow, import_people


def import_enrolments(
    session: Session,
    cohort: Cohort,
    programme: Programme,
    text: str,
    *,
    password_method: str,
    actor: User,
) -> ImportResult:
    """Enrol people from CSV text (the People import's format); all rows or none.

    A person who has an account is enrolled as they are. A new person needs a name and gets an
    account with the file's roles and the trainee role; ``result.created`` lists only them. A
    trainer of this cohort is left out with a warning: nobody trains their own cohort as a trainee.
    """
    trainer_ids = {trainer.id for trainer in cohort.trainers}

    def add_person(row: PersonRow) -> tuple[User, bool] | None:
        user = accounts.find_user_by_email(session, row.email) if row.email else None
        created = user is None
        if user is not None and user.id in trainer_ids:
            message = _l(
                "%(name)s trains this cohort and is not enrolled as a trainee.",
                name=user.display_name,
            )
            row.warnings.append(str(message))
            return None
        if created:
            twin = accounts.find_look_alike(session, row.email) if row.email else None
            if twin is not None:
                row.problems.append(str(accounts.look_alike_error(twin)))
            if not row.display_name:
                row.problems.append(str(_l("A name is required for a person without an account.")))
            if row.problems:  # an invalid email cannot be anybody's: that person is new too
                return None
            user = accounts.create_user(
                session,
                email=row.email,
                display_name=row.display_name,
                roles=sorted({*row.roles, Role.TRAINEE.value}),
                language=row.language,
                municipality=row.municipality,
                password_method=password_method,
            )
        try:
            enrol(session, cohort, programme, user, actor)
        except CohortError as error:
            row.problems.append(str(error))
            return None
        return user, created

    return import_people(session, text, required=("email",), add_person=add_person)


def find_by_email(session: Session, email: str) -> User:
    """The person with this address, or a refusal that says why there is none."""
    email = accounts.normalise_email(email)
    user = accounts.find_user_by_email(session, email)
    if user is None:
        twin = accounts.find_look_alike(session, email)
        if twin is not None:
            raise accounts.look_alike_error(twin)
        raise CohortError(_l("Nobody has an account with this email address."))
    return user


def pickable_people(query: str) -> sa.Select:
    """Active trainees matching ``query`` in their name or email (to be put in name order with
    ``collation.paginate_by_name``)."""
    statement = sa.select(User).where(
        User.active, User.role_rows.any(UserRole.role == Role.TRAINEE.value)
    )
    if query:
        pattern = contains_pattern(query.lower())
        statement = statement.where(
            sa.or_(
                sa.func.lower(User.display_name).like(pattern, escape=LIKE_ESCAPE),
                User.email.like(pattern, escape=LIKE_ESCAPE),
            )
        )
    return statement


def enrolled_ids(session: Session, cohort: Cohort, user_ids: list[int]) -> set[int]:
    """Which of ``user_ids`` are already in the cohort (whatever their status)."""
    return set(
        session.scalars(
            sa.select(Enrolment.user_id).where(
                Enrolment.cohort_id == cohort.id, Enrolment.user_id.in_(user_ids)
            )
        )
    )


def enrol_picked(
    session: Session, cohort: Cohort, programme: Programme, user_ids: list[int], actor: User
) -> tuple[list[User], list[str]]:
    """Enrol the people picked from the list; returns those enrolled and every refusal.

    The caller commits only when there is no refusal: all of them or none.
    """
    if not user_ids:
        return [], [str(_l("Tick at least one person."))]
    people = session.scalars(sa.select(User).where(User.id.in_(user_ids))).all()
    enrolled, problems = [], []
    if len(people) != len(set(user_ids)):
        problems.append(str(_l("Somebody picked is not in the list any more.")))
    for user in by_name(people, lambda person: person.display_name, tie=lambda person: person.id):
        try:
            enrol(session, cohort, programme, user, actor)
        except CohortError as error:
            problems.append(str(error))
        else:
            enrolled.append(user)
    return enrolled, problems
