"""``lms people export|erase EMAIL`` and ``lms privacy purge``."""

import json
import sys

import click
from flask.cli import with_appcontext

from lms.auth import api as accounts
from lms.extensions import db
from lms.i18n import local_today, now
from lms.privacy import retention


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
        raise click.ClickException(
            f"Nobody has the address {email} now. An erased person's address is no longer "
            "kept, so an address erased before cannot be told from a mistyped one."
        )
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
        click.echo("Nothing was erased. Run again with --yes to erase.")
        return
    name = erasure.erase_person(db.session, user, None, self_allowed=True)
    db.session.commit()
    click.echo(f"Erased: the person is now shown as {name}.")


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Print what would be removed; change nothing.")
@with_appcontext
def purge_command(dry_run: bool):
    """Remove the practice reflections and review comments whose retention period has ended
    (run daily from cron)."""
    today = local_today()
    if dry_run:
        summary = retention.due_for_redaction(db.session, today)
    else:
        summary = retention.purge(db.session, today, now=now())
        db.session.commit()
    for slug in summary.unknown_programmes:
        click.echo(f"Skipped: the programme '{slug}' does not load, so its cohorts are kept.")
    verb = "Would remove" if dry_run else "Removed"
    # only the cohorts where something goes: a cohort purged before is due but holds nothing
    holding = [item for item in summary.cohorts if item.revisions]
    for item in holding:
        click.echo(
            f"{item.cohort.name} (ended {item.cohort.ends_on.isoformat()}, due "
            f"{item.removed_on.isoformat()}): {item.revisions} version(s)"
        )
    if not summary.revisions and not summary.events:
        click.echo("Nothing to remove.")
        return
    click.echo(
        f"{verb} the reflections and comments of {summary.revisions} practice version(s) in "
        f"{len(holding)} cohort(s) past their retention period, and of "
        f"{summary.events} audit event(s)."
    )


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
