"""What other features may use of people: handing out password links and the people CSV sample."""

from flask import Response, render_template
from flask_login import current_user

from lms.auth import api as links
from lms.auth.models import User
from lms.exports import csv_response
from lms.extensions import db
from lms.users.forms import ImportForm  # noqa: F401
from lms.users.people_csv import COLUMNS, ImportResult, PersonRow, import_people  # noqa: F401

SAMPLE_ROWS = (
    ("maria.tamm@example.org", "Maria Tamm", "trainee", "et", "Võru"),
    ("olena.k@example.org", "Olena Kovalenko", "trainee", "uk", "Põlva"),
    ("peeter.trainer@example.org", "Peeter Saar", "trainer, coordinator", "et", "Tartu"),
)


def sample_csv_response(filename: str) -> Response:
    """The sample file of the People and enrolment imports, in the reader's separators (the
    import reads both ``,`` and ``;``)."""
    return csv_response(filename, COLUMNS, SAMPLE_ROWS)


def hand_out(users: list[User]) -> list[links.HandedLink]:
    """Commit new one-time links for ``users``, then email them where mail is configured."""
    handed = [links.make_link(user, current_user) for user in users]
    db.session.commit()
    for link in handed:
        links.email_link(link)
    return handed


def links_page(template: str, handed: list[links.HandedLink], **context):
    """A page of password links: shown once, with copy, download (CSV) and print."""
    return render_template(
        template, links=handed, csv_address=links.sheet_csv_address(handed), **context
    )
