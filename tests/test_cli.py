"""The maintenance commands."""

import sqlalchemy as sa

from lms.auth.models import Role, User
from lms.demo import DEMO_PASSWORD, DEMO_PEOPLE


def test_create_user_reads_the_password_from_stdin(runner, session):
    result = runner.invoke(
        args=[
            "create-user",
            "New.Trainer@Example.org",
            "--role",
            "trainer",
            "--role",
            "coordinator",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User).where(User.email == "new.trainer@example.org"))
    assert user.roles == {Role.TRAINER, Role.COORDINATOR}


def test_create_user_refuses_a_short_password_and_a_duplicate(runner, session):
    short = runner.invoke(
        args=["create-user", "a@example.org", "--role", "trainee"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 10" in short.output
    runner.invoke(
        args=["create-user", "b@example.org", "--role", "trainee"], input="long password 1\n"
    )
    again = runner.invoke(
        args=["create-user", "B@example.org", "--role", "trainee"], input="long password 1\n"
    )
    assert again.exit_code != 0 and "already has an account" in again.output


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "boss"], input="x" * 12)
    assert result.exit_code != 0 and "boss" in result.output


def test_demo_prints_logins_and_can_run_twice(runner, session):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output
    for email in ("coordinator@", "trainer@", "trainee@", "oksana@", "mari@"):
        assert f"{email}demo.tugi.ee" in first.output
    assert "Olena Kovalenko: certified, now training as a trainer" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert second.output == first.output
    count = session.scalar(sa.select(sa.func.count()).select_from(User))
    assert count == len(DEMO_PEOPLE)
