"""``lms people export|erase EMAIL`` and ``lms privacy purge``."""

import click
from flask.cli import with_appcontext

from lms.auth import api as accounts
from lms.extensions import db


@click.group("people")
def people_group():
    """A person's data: export it or erase it."""


@click.group("privacy")
def privacy_group():
    """Retention of personal data."""


@people_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase: without it, only say what would go.")
@with_appcontext
def erase_command(email: str, yes: bool):
    """Erase a person's data on their request (the row stays, under a pseudonym)."""
    from lms.privacy import erasure

    user = accounts.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"Nobody has the address {email}.")
    try:
        erasure.check_can_erase(user, None)
    except erasure.ErasureError as error:
        raise click.ClickException(str(error)) from None
    counts = erasure.summary(db.session, user)
    click.echo(f"{user.display_name} <{user.email}>, id {user.id}")
    click.echo("Goes: name, email, password, calendar address, logins and password links;")
    click.echo(
        f"  the text of {counts.practice_revisions} revision(s) of {counts.practice_entries} "
        f"practice entries (reflections, review comments, client codes); the answers of "
        f"{counts.quiz_attempts} quiz attempt(s); {counts.register_notes} register note(s); "
        f"the employer of the follow-up; their values in the audit trail."
    )
    click.echo(
        f"Stays: {counts.enrolments} enrolment(s), {counts.attendance_records} attendance "
        f"record(s), hours, scores, {counts.certificates} certificate(s) with the name printed, "
        f"{counts.sign_offs_given} sign-off(s) they gave, the municipality and the funder "
        "report's figures."
    )
    if not yes:
        raise click.ClickException("Nothing was erased. Run again with --yes to erase.")
    name = erasure.erase_person(db.session, user, None, self_allowed=True)
    db.session.commit()
    click.echo(f"Erased: the person is now shown as {name}.")


COMMANDS = (people_group, privacy_group)
