"""``lms people export|erase EMAIL`` and ``lms privacy purge``."""

import click


@click.group("people")
def people_group():
    """A person's data: export it or erase it."""


@click.group("privacy")
def privacy_group():
    """Retention of personal data."""


COMMANDS = (people_group, privacy_group)
