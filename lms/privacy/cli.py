"""``lms people export|erase EMAIL`` and ``lms privacy purge``."""

import json
import sys

import click
from flask.cli import with_appcontext


@click.group("people")
def people_group():
    """A person's data: export it or erase it."""


@click.group("privacy")
def privacy_group():
    """Retention of personal data."""


@people_group.command("export")
@click.argument("email")
@with_appcontext
def people_export_command(email: str):
    """Print everything Tugi holds about the person with EMAIL, as JSON (recorded in the audit
    trail as an export from the command line)."""
    from lms.auth.api import find_user_by_email
    from lms.extensions import db
    from lms.privacy.export import person_data, record_export

    person = find_user_by_email(db.session, email)
    if person is None:
        click.echo(f"Nobody has the email address {email!r}.", err=True)
        sys.exit(1)
    data = person_data(db.session, person)
    record_export(db.session, person, None, "json")
    db.session.commit()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


COMMANDS = (people_group, privacy_group)
