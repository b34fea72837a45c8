"""Maintenance commands: ``lms init``, ``lms demo``, ``lms create-user``.

Each is also reachable as ``flask --app lms ...``.
"""

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from lms.auth import services as accounts
from lms.auth.models import ROLE_VALUES
from lms.db import bind_migrations, upgrade_schema
from lms.extensions import db


@click.command("init")
@with_appcontext
def init_command():
    """Create or migrate the database to the newest schema."""
    upgrade_schema()
    click.echo("The database is up to date.")
    _prepare_issuer()


def _prepare_issuer():
    """Make the signing key now (or import this host's earlier key file), so that hosts
    started afterwards find it; a wrong secret key shows here rather than on first use. Make
    the PDF fonts too, which takes seconds, so that the first certificate does not wait, and
    compile every template, so that no worker's first pages wait."""
    from lms.certificates import keys
    from lms.pdf import font_files
    from lms.templating import compile_templates

    font_files()
    compile_templates(current_app)

    secret = current_app.config["SECRET_KEY"]
    row = keys.provide_key(
        db.session, secret, Path(current_app.instance_path) / keys.LEGACY_KEY_FILE
    )
    try:
        keys.private_key(row, secret)
    except keys.IssuerKeyError as error:
        raise click.ClickException(str(error)) from None
    return row


@click.command("demo")
@with_appcontext
def demo_command():
    """Migrate the database and load the demo data (safe to run again)."""
    from lms.demo import DEMO_PASSWORD, load_demo

    upgrade_schema()
    _prepare_issuer()
    logins = load_demo(db.session, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo(
        "Demo data loaded: three finished support-person groups, a trainer-of-trainers group "
        "and a group of adaptation mentors."
    )
    click.echo(f"Log in at http://127.0.0.1:5000 with the password {DEMO_PASSWORD} as:\n")
    width = max(len(login.email) for login in logins)
    click.echo(f"  {'role':<12} {'email':<{width}}  who")
    for login in logins:
        click.echo(f"  {login.role:<12} {login.email:<{width}}  {login.name}: {login.shows}")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLE_VALUES),
    help="A role to give; repeat for several.",
)
@click.option("--name", "display_name", help="Name shown in the app (default: from the email).")
@click.option("--language", default="en", show_default=True)
@click.option("--municipality", default=None)
@with_appcontext
def create_user_command(email, roles, display_name, language, municipality):
    """Create a person. The password is asked for, or read from standard input."""
    password = _read_password()
    try:
        user = accounts.create_user(
            db.session,
            email=email,
            display_name=display_name or email.split("@")[0],
            roles=roles,
            password=password,
            language=language,
            municipality=municipality,
            password_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(user.roles))}.")


@click.group("content")
def content_group():
    """Course content commands."""


@content_group.command("check")
@click.option("--dir", "content_dir", type=click.Path(file_okay=False), help="Content folder.")
@with_appcontext
def content_check_command(content_dir):
    """Check every course, lesson, trainer's guide, programme and quiz, that every lesson has a
    guide, and that each is translated into every language the site offers (but
    LMS_CONTENT_OPTIONAL_LANGUAGES); print path:line: message."""
    from lms.courses.coverage import missing_translations, required_languages
    from lms.courses.guides import missing_guides
    from lms.courses.loader import load_catalog
    from lms.programmes.loader import load_programmes
    from lms.quizzes import translations

    folder = Path(content_dir or current_app.config["CONTENT_DIR"])
    languages, optional = (
        current_app.config["LANGUAGES"],
        current_app.config["CONTENT_OPTIONAL_LANGUAGES"],
    )
    catalog = load_catalog(folder)
    programmes = load_programmes(folder)
    lessons = {(c.slug, lesson.slug) for c in catalog.courses for lesson in c.lessons}
    quizzes = translations.load_all(folder, lessons, languages)
    wanted = required_languages(languages, optional, translations.SOURCE_LANGUAGE)
    problems = sorted(
        catalog.problems
        + programmes.problems
        + quizzes.problems
        + missing_translations(folder, catalog, languages, optional)
        + missing_guides(folder, catalog, languages, optional)
        + translations.missing(folder, quizzes, wanted)
    )
    for problem in problems:
        click.echo(str(problem))
    count = sum(len(course.lessons) for course in catalog.courses)
    guides = sum(bool(lesson.guide) for course in catalog.courses for lesson in course.lessons)
    click.echo(
        f"{len(catalog.courses)} courses, {count} lessons, {guides} guides, "
        f"{len(programmes.programmes)} programmes, {len(quizzes.quizzes)} quizzes, "
        f"{len(problems)} problems",
        err=True,
    )
    if problems:
        sys.exit(1)


@content_group.command("export")
@click.argument("course")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(["imscc"]),
    default="imscc",
    show_default=True,
    help="imscc: IMS Common Cartridge 1.3 (Moodle and others).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write."
)
@click.option("--language", help="Language of the lessons and quizzes (default: the course's).")
@click.option(
    "--cc-version",
    type=click.Choice(["1.3", "1.1"]),
    default="1.3",
    show_default=True,
    help="Common Cartridge version; 1.1 for Moodle's course restore.",
)
@with_appcontext
def content_export_command(course, export_format, output, language, cc_version):
    """Write COURSE with its quizzes as a file other learning systems import; print what could
    not be carried (also listed in the file)."""
    from lms.courses.api import get_catalog
    from lms.errors import DomainError
    from lms.extensions import db
    from lms.interop.services import course_cartridge

    found = get_catalog().course(course)
    try:
        language = language or (found and found.language) or ""
        cartridge = course_cartridge(db.session, course, language, cc_version)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    Path(output).write_bytes(cartridge.data)
    for loss in cartridge.losses:
        click.echo(f"not carried: {loss}")
    click.echo(f"{output}: {len(cartridge.losses)} things not carried", err=True)


@click.group("quizzes")
def quizzes_group():
    """Quiz commands."""


@quizzes_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed questions as JSON.")
@with_appcontext
def quizzes_check_command(files, as_json):
    """Check the shipped quizzes and their translations, or FILES (a translation
    ``x.uk.gift`` against its source ``x.gift`` beside it; a file in no ``quizzes/`` folder may
    be any Moodle GIFT export, without Tugi's ``// @`` lines); print path:line: message."""
    import json

    from lms.courses.loader import load_catalog
    from lms.quizzes import translations
    from lms.quizzes.definitions import read_quiz_file

    folder = Path(current_app.config["CONTENT_DIR"])
    catalog = load_catalog(folder)
    lessons = {(c.slug, lesson.slug) for c in catalog.courses for lesson in c.lessons}
    if files:
        quizzes, problems = [], []
        for name in files:
            path = Path(name).resolve()
            shipped = path.parent.name == "quizzes"  # else: any GIFT file, e.g. from Moodle
            if shipped and "." in path.stem:
                found = translations.check_file(path, Path.cwd(), lessons)
            else:
                quiz, found = read_quiz_file(path, Path.cwd(), lessons, shipped=shipped)
                quizzes += [quiz] if quiz else []
            problems += found
    else:
        loaded = translations.load_all(folder, lessons, current_app.config["LANGUAGES"])
        quizzes, problems = list(loaded.quizzes.values()), loaded.problems
    for problem in sorted(problems):
        click.echo(str(problem), err=as_json)
    for warning in sorted(w for quiz in quizzes for w in quiz.warnings):
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=as_json)
    if as_json:
        data = [
            {
                "quiz": quiz.slug,
                "path": quiz.path,
                "settings": quiz.settings_header(),
                "questions": [question.as_dict() for question in quiz.questions],
            }
            for quiz in quizzes
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    count = sum(len(quiz.questions) for quiz in quizzes)
    click.echo(f"{len(quizzes)} quizzes, {count} questions, {len(problems)} problems", err=True)
    if problems:
        sys.exit(1)


@quizzes_group.command("finish-overdue")
@with_appcontext
def quizzes_finish_overdue_command():
    """Submit every attempt past its deadline with the answers saved; run it from cron.

    Pages show such attempts as finished without writing; this keeps them finished."""
    from datetime import UTC, datetime

    from lms.extensions import db
    from lms.quizzes.api import finish_overdue

    finished = finish_overdue(db.session, datetime.now(UTC))
    db.session.commit()
    click.echo(f"{finished} attempts submitted.", err=True)


@click.group("certificates")
def certificates_group():
    """Certificate commands."""


@certificates_group.command("remind")
@click.option("--days", type=int, default=None, help="Days ahead (LMS_CERTIFICATE_WARNING_DAYS).")
@with_appcontext
def certificates_remind_command(days):
    """Email holders whose certificate expires soon (once each); run it daily from cron."""
    from datetime import UTC, datetime

    from lms.certificates.services import send_expiry_reminders
    from lms.extensions import db
    from lms.i18n import local_today
    from lms.mail import mail_configured
    from lms.programmes.services import get_programmes
    from lms.urls import absolute_url

    if not mail_configured():
        click.echo("LMS_MAIL_SERVER is not set: no reminders sent.", err=True)
        return
    if not current_app.config["BASE_URL"]:
        raise click.ClickException("set LMS_BASE_URL so that the emails can link to the site")
    now = datetime.now(UTC)
    with current_app.test_request_context():
        sent = send_expiry_reminders(
            db.session,
            get_programmes(),
            today=local_today(),
            days=days or current_app.config["CERTIFICATE_WARNING_DAYS"],
            now=now,
            verify_url=lambda c: absolute_url("verify.show", code=c.code),
        )
        db.session.commit()
    click.echo(f"{sent} reminders sent.", err=True)


@click.group("issuer")
def issuer_group():
    """The Open Badges issuer's signing keys."""


@issuer_group.command("rotate-key")
@with_appcontext
def issuer_rotate_key_command():
    """Make a new signing key; the old public keys stay published, so credentials signed
    earlier keep verifying."""
    from lms.certificates import keys

    row = keys.rotate(db.session, current_app.config["SECRET_KEY"])
    db.session.commit()
    click.echo(f"New signing key {row.kid}; earlier keys stay published at /issuer/jwks.json.")


@issuer_group.command("check")
@with_appcontext
def issuer_check_command():
    """Make or import the signing key if there is none, and check this host can decrypt it."""
    from lms.certificates import keys

    row = _prepare_issuer()
    count = len(keys.public_keys(db.session))
    click.echo(f"Signing key {row.kid} is usable here; {count} key(s) published.")


class _MigrationCommands(click.Command):
    """``db``: Flask-Migrate's commands, loaded (with Alembic) only when one is run."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        bind_migrations(parent.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    from lms.privacy.cli import COMMANDS as privacy_commands

    for command in (
        init_command,
        demo_command,
        create_user_command,
        content_group,
        quizzes_group,
        certificates_group,
        issuer_group,
        *privacy_commands,
    ):
        app.cli.add_command(command)
    app.cli.add_command(_MigrationCommands("db", help="Perform database migrations."))


def main() -> None:
    """Entry point of the ``lms`` console script."""
    from lms import create_app

    FlaskGroup(create_app=create_app, help="Tugi maintenance commands.")(prog_name="lms")
