"""The one CSV format for people, read the same way by *People → Import* and cohort enrolment.

Columns: ``email``, ``display_name``, ``roles`` (``trainee;trainer``), ``language``,
``municipality``; commas or semicolons separate them. A column the format does not know is named
in a warning and ignored. Every problem of every row is listed, each with its line. A file from
Moodle is known by its header and read as it comes (``lms.users.moodle_csv``).
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.auth import api as accounts
from lms.auth import api as emails
from lms.auth.models import ROLE_VALUES, User
from lms.config import LANGUAGES
from lms.inputs import clean_text
from lms.users import moodle_csv

COLUMNS = ("email", "display_name", "roles", "language", "municipality")
#: People one file may hold: a cohort takes at most 500, and an import of more would keep a
#: worker busy for seconds (each row is checked against the database).
MAX_ROWS = 500


@dataclass
class ImportProblem:
    """One problem of an import: its line in the file and what is wrong."""

    line: int
    message: str


@dataclass
class ImportResult:
    """What an import did: people created and people who already had an account (enrolment),
    or the problems that stopped it; warnings do not stop it."""

    created: list[User] = field(default_factory=list)
    existing: list[User] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def people(self) -> list[User]:
        """Everybody the import added or enrolled."""
        return self.created + self.existing


@dataclass
class PersonRow:
    """One row, read and checked field by field; ``problems`` holds everything wrong with it."""

    line: int
    email: str = ""
    display_name: str = ""
    roles: list[str] = field(default_factory=list)
    language: str = "en"
    municipality: str | None = None
    problems: list[str] = field(default_factory=list)
    #: What the import tells about the row without stopping (shown with its line): why it was left
    #: out, or that a value was replaced.
    warnings: list[str] = field(default_factory=list)
    #: The earlier line with the same (or a look-alike) email: this row is refused for that.
    duplicate_of: int | None = None


def csv_reader(text: str) -> csv.DictReader:
    """A reader for comma- or semicolon-separated text (spreadsheets in Estonia often use ';')."""
    text = clean_text(text)  # a NUL from a broken export would otherwise reach the database
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def _read_row(line: int, row: dict[str, str]) -> PersonRow:
    """Check each field of a row on its own, so that all its problems are found at once."""
    person = PersonRow(line)
    try:
        person.email = accounts.normalise_email(row.get("email") or "")
    except accounts.AccountError as error:
        person.problems.append(str(error))
    person.display_name = (row.get("display_name") or "").strip()
    municipality = (row.get("municipality") or "").strip()
    if len(person.display_name) > 120 or len(municipality) > 120:
        person.problems.append(str(_l("Names and municipalities can have at most 120 characters.")))
    person.municipality = municipality or None
    roles = [part.strip().lower() for part in (row.get("roles") or "").replace(",", ";").split(";")]
    person.roles = [role for role in roles if role]
    for role in person.roles:
        if role not in ROLE_VALUES:
            message = _l(
                "Unknown role %(role)s (use %(known)s).", role=role, known=", ".join(ROLE_VALUES)
            )
            person.problems.append(str(message))
    person.language = (row.get("language") or "").strip().lower() or "en"
    if person.language not in LANGUAGES:
        person.problems.append(str(_l("Unknown language: %(code)s.", code=person.language)))
    return person


def _unknown_warning(header: list[str]) -> str | None:
    """The warning naming the columns the format does not know, if any."""
    unknown = [name for name in header if name and name not in COLUMNS]
    if not unknown:
        return None
    message = _l(
        "Unknown column ignored: %(name)s (the columns are %(known)s).",
        name=", ".join(unknown),
        known=", ".join(COLUMNS),
    )
    return str(message)


def read_people(text: str, required: tuple[str, ...]) -> tuple[list[PersonRow], ImportResult]:
    """Read CSV text into checked rows; the result holds problems of the file as a whole
    (a missing column, a row longer than the header, the same person twice) and warnings."""
    result = ImportResult()
    reader = csv_reader(text.lstrip("\ufeff"))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    moodle = moodle_csv.is_moodle(header)
    columns = moodle_csv.tugi_header(header) if moodle else header
    missing = [name for name in required if name not in columns]
    if missing:
        result.problems.append(
            ImportProblem(1, str(_l("Missing column: %(name)s.", name=", ".join(missing))))
        )
        return [], result
    unknown = moodle_csv.unknown_warning(header) if moodle else _unknown_warning(header)
    if unknown:
        result.warnings.append(unknown)
    reader.fieldnames = header
    rows, seen = [], {}
    for row in reader:
        extra = row.pop(None, None)  # values beyond the header's columns
        if not any((value or "").strip() for value in row.values()) and not any(extra or []):
            continue  # blank line
        if len(rows) == MAX_ROWS:
            message = _l(
                "A file holds at most %(count)d people: split the rest into another file.",
                count=MAX_ROWS,
            )
            result.problems.append(ImportProblem(reader.line_num, str(message)))
            return [], result
        warning = None
        if moodle:
            row, warning = moodle_csv.tugi_row(row)
        person = _read_row(reader.line_num, row)
        if warning:
            person.warnings.append(warning)
        if extra and any(value.strip() for value in extra):
            person.problems.append(str(_l("The row has more values than the header.")))
        if person.email:
            key = emails.look_alike_key(person.email)
            if key in seen:
                person.duplicate_of = seen[key]
                person.problems.append(
                    str(_l("The same email is already on line %(line)d.", line=seen[key]))
                )
            seen.setdefault(key, person.line)
        rows.append(person)
    return rows, result


def import_people(
    session: Session,
    text: str,
    *,
    required: tuple[str, ...],
    add_person: Callable[[PersonRow], tuple[User, bool] | None],
) -> ImportResult:
    """Check every row of CSV text about people and add them all, or none.

    ``add_person(row)`` adds one checked row's person and returns ``(person, created)``; it
    appends what it refuses to ``row.problems`` (and returns None) rather than raising, so that
    every problem of the row is listed. A row it leaves out on purpose returns None with the
    reason in ``row.warnings``.
    """
    rows, result = read_people(text, required)
    if result.problems:
        return result
    with session.begin_nested() as savepoint:
        for row in rows:
            # A repeated row would only be refused again, as a person the file already added.
            added = None if row.duplicate_of else add_person(row)
            result.problems.extend(ImportProblem(row.line, message) for message in row.problems)
            result.warnings.extend(
                str(_l("Line %(line)d: %(message)s", line=row.line, message=message))
                for message in row.warnings
            )
            if added is not None and not row.problems:
                person, created = added
                (result.created if created else result.existing).append(person)
        if result.problems or not result.people:
            savepoint.rollback()
            result.created, result.existing = [], []
    if not result.problems and not rows:
        result.problems.append(ImportProblem(1, str(_l("The file has no rows to import."))))
    return result
