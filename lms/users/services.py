"""Coordinator rules for people: edit, deactivate, and import many from a CSV file."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.auth import services as accounts
from lms.auth.models import ROLE_VALUES, Role, User
from lms.config import LANGUAGES
from lms.inputs import clean_text

REQUIRED_COLUMNS = ("email", "display_name")
OPTIONAL_COLUMNS = ("roles", "language", "municipality")


@dataclass
class ImportProblem:
    """One bad row of an import: its line in the file and why it was refused."""

    line: int
    message: str


@dataclass
class ImportResult:
    """What an import did: the people created, or the problems that stopped it."""

    created: list[User] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


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
    """Change a person's details and roles."""
    email = accounts.normalise_email(email)
    other = accounts.find_user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise accounts.AccountError(_l("Somebody already has an account with this email address."))
    if language not in LANGUAGES:
        raise accounts.AccountError(_l("Unknown language: %(code)s.", code=language))
    accounts.check_person_fields(display_name, municipality)
    user.email = email
    user.display_name = display_name.strip()
    user.language = language
    user.municipality = (municipality or "").strip() or None
    accounts.set_roles(session, user, roles)


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate or reactivate a person; nobody can deactivate themself."""
    if not active and user.id == acting.id:
        raise accounts.AccountError(_l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        user.session_version += 1  # end the person's open sessions at once


def _parse_roles(text: str) -> list[str]:
    roles = [part.strip().lower() for part in text.replace(",", ";").split(";") if part.strip()]
    unknown = [role for role in roles if role not in ROLE_VALUES]
    if unknown:
        raise accounts.AccountError(
            _l(
                "Unknown role %(role)s (use %(known)s).",
                role=unknown[0],
                known=", ".join(ROLE_VALUES),
            )
        )
    return roles or [Role.TRAINEE.value]


def csv_reader(text: str) -> csv.DictReader:
    """A reader for comma- or semicolon-separated text (spreadsheets in Estonia often use ';')."""
    text = clean_text(text)  # a NUL from a broken export would otherwise reach the database
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def import_people(
    session: Session,
    text: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    add_person: Callable[[dict[str, str], str], User],
    refusals: tuple[type[Exception], ...] = (accounts.AccountError,),
) -> ImportResult:
    """Check every row of CSV text about people and add them all, or none.

    ``add_person(row, email)`` adds one row's person (raising one of ``refusals`` to refuse the
    row); the rows, their columns, blank lines and repeated emails are checked here.
    """
    result = ImportResult()
    reader = csv_reader(text.lstrip("\ufeff"))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name not in required + optional]
    if missing:
        message = _l("Missing column: %(name)s.", name=", ".join(missing))
    elif unknown:
        message = _l(
            "Unknown column: %(name)s (use %(known)s).",
            name=", ".join(unknown),
            known=", ".join(required + optional),
        )
    if missing or unknown:
        result.problems.append(ImportProblem(1, str(message)))
        return result
    reader.fieldnames = header
    seen: dict[str, int] = {}
    with session.begin_nested() as savepoint:
        for row in reader:
            line = reader.line_num
            extra = row.pop(None, None)  # values beyond the header's columns
            if not any((value or "").strip() for value in row.values()) and not any(extra or []):
                continue  # blank line
            if extra and any(value.strip() for value in extra):
                result.problems.append(
                    ImportProblem(line, str(_l("The row has more values than the header.")))
                )
                continue
            try:
                email = accounts.normalise_email(row.get("email") or "")
                if email in seen:
                    raise accounts.AccountError(
                        _l("The same email is already on line %(line)d.", line=seen[email])
                    )
                seen[email] = line
                user = add_person(row, email)
            except refusals as error:
                result.problems.append(ImportProblem(line, str(error)))
            else:
                result.created.append(user)
        if result.problems or not result.created:
            savepoint.rollback()
            result.created = []
    if not result.problems and not result.created:
        result.problems.append(ImportProblem(1, str(_l("The file has no rows to import."))))
    return result


def import_users(session: Session, text: str, password_method: str) -> ImportResult:
    """Import people from CSV text: every row is checked, and either all are created or none.

    Columns: email, display_name (required); roles (``trainee;trainer``), language, municipality.
    """

    def add_person(row: dict[str, str], email: str) -> User:
        return accounts.create_user(
            session,
            email=email,
            display_name=row.get("display_name") or "",
            roles=_parse_roles(row.get("roles") or ""),
            language=(row.get("language") or "en").strip().lower(),
            municipality=row.get("municipality"),
            password_method=password_method,
        )

    return import_people(
        session, text, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, add_person=add_person
    )
