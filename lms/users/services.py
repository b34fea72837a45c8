"""Coordinator rules for people: edit, deactivate, and import many from a CSV file
(read by ``lms.users.people_csv``, the format cohort enrolment reads too)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.auth import api as accounts
from lms.auth.models import Role, User
from lms.config import LANGUAGES
from lms.users.people_csv import ImportResult, PersonRow, import_people


def update_user(
    session: Session,
    user: User,
    *,
    email: str,
    display_name: str,
    language: str,
    municipality: str | None,
    roles: list[str],
) -> None:
    """Change a person's details and roles; an erased person's are not changed any more."""
    refuse_erased(user)
    email = accounts.normalise_email(email)
    accounts.check_email_free(session, email, user)
    if language not in LANGUAGES:
        raise accounts.AccountError(_l("Unknown language: %(code)s.", code=language))
    accounts.check_person_fields(display_name, municipality)
    user.email = email
    user.display_name = display_name.strip()
    user.language = language
    user.municipality = (municipality or "").strip() or None
    accounts.set_roles(session, user, roles)


def refuse_erased(user: User) -> None:
    """Refuse any change to a person whose data has been erased."""
    if user.erased_at is not None:
        raise accounts.AccountError(
            _l("This person's data has been erased: the account cannot be changed or used again.")
        )


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate or reactivate a person; nobody can deactivate themself, and an erased person
    is not reactivated."""
    if active:
        refuse_erased(user)
    if not active and user.id == acting.id:
        raise accounts.AccountError(_l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.session_version += 1  # end the person's open sessions at once


def import_users(session: Session, text: str, password_method: str) -> ImportResult:
    """Import people from CSV text: every row is checked, and either all are created or none.

    Columns: email, display_name (required); roles (``trainee;trainer``; trainee when empty),
    language, municipality.
    """

    def add_person(row: PersonRow) -> tuple[User, bool] | None:
        if not row.display_name:
            row.problems.append(str(_l("A name is required.")))
        if row.problems:
            if row.email:  # so that a taken address is listed with the row's other problems
                try:
                    accounts.check_email_free(session, row.email)
                except accounts.AccountError as error:
                    row.problems.append(str(error))
            return None
        try:  # create_user checks the address itself: once per row, not twice
            user = accounts.create_user(
                session,
                email=row.email,
                display_name=row.display_name,
                roles=row.roles or [Role.TRAINEE.value],
                language=row.language,
                municipality=row.municipality,
                password_method=password_method,
            )
        except accounts.AccountError as error:
            row.problems.append(str(error))
            return None
        return user, True

    return import_people(session, text, required=("email", "display_name"), add_person=add_person)
