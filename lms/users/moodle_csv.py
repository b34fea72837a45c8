"""Moodle's people files, read by the People import and cohort enrolment as they come.

Moodle's *Upload users* file and the list its *Bulk user actions → Download* gives have a header of
Moodle's own column names (``username``, ``firstname``, ``lastname``, ``email``, ``city``,
``lang`` ...). A file is Moodle's when its header has ``username``, ``firstname`` and ``lastname``
and no ``display_name``; each of its rows is then read as a row of Tugi's format.
"""

from flask_babel import lazy_gettext as _l

from lms.config import LANGUAGES

#: The columns every Moodle people file has, and Tugi's own file never needs.
SIGNATURE = frozenset({"username", "firstname", "lastname"})
#: Moodle's columns Tugi reads, and the Tugi column each one fills (the name joins the first and
#: last names; ``username`` tells the file apart and is not kept: people sign in with their email).
READ = {"email": "email", "city": "municipality", "lang": "language"}
KNOWN = ("username", "firstname", "lastname", *READ)


def is_moodle(header: list[str]) -> bool:
    """Whether a (lower-case) header is that of a Moodle people file."""
    return SIGNATURE <= set(header) and "display_name" not in header


def tugi_header(header: list[str]) -> list[str]:
    """The Tugi columns a Moodle file with ``header`` gives."""
    return ["display_name", *(READ[name] for name in header if name in READ)]


def unknown_warning(header: list[str]) -> str | None:
    """The warning naming the columns of a Moodle file that Tugi does not read, if any."""
    unknown = [name for name in header if name and name not in KNOWN]
    if not unknown:
        return None
    message = _l(
        "Columns of the Moodle file ignored: %(name)s (Tugi reads %(known)s).",
        name=", ".join(unknown),
        known=", ".join(KNOWN[1:]),
    )
    return str(message)


def language(code: str | None) -> tuple[str, str | None]:
    """Tugi's language for a Moodle language pack (``et``, ``uk``, ``ru``, ``en``; a variant such
    as ``en_us`` is its base language), and the code itself when Tugi does not offer it (the person
    then gets English). Empty stays empty: the import's default."""
    code = (code or "").strip().lower()
    base = code.replace("-", "_").split("_")[0]
    if not code or base in LANGUAGES:
        return base, None
    return "en", code


def tugi_row(row: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """A row of a Moodle file as a row of Tugi's format, and a warning for it (a language Tugi
    does not offer) or None."""
    parts = ((row.get("firstname") or "").strip(), (row.get("lastname") or "").strip())
    tugi, unknown = language(row.get("lang"))
    converted = {
        "email": row.get("email") or "",
        "display_name": " ".join(part for part in parts if part),
        "municipality": row.get("city") or "",
        "language": tugi,
    }
    if unknown is None:
        return converted, None
    message = _l(
        "Moodle's language %(code)s is not offered here; the person gets English.", code=unknown
    )
    return converted, str(message)
