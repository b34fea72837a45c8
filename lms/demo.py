"""Demo data: a few people in every role, so the app can be tried at once.

Loading is idempotent: people who already exist are left as they are.
"""

from sqlalchemy.orm import Session

from lms.auth import services as accounts
from lms.auth.models import Role

DEMO_PASSWORD = "tugi-demo-2026"

#: (email, name, roles, language, municipality)
DEMO_PEOPLE = [
    ("coordinator@demo.tugi.ee", "Kadri Koordinaator", [Role.COORDINATOR], "et", "Võru vald"),
    ("trainer@demo.tugi.ee", "Tiina Tamm", [Role.TRAINER], "et", "Põlva vald"),
    ("trainee@demo.tugi.ee", "Olena Kovalenko", [Role.TRAINEE], "en", "Võru linn"),
    ("mari@demo.tugi.ee", "Mari Mets", [Role.TRAINEE], "et", "Räpina vald"),
    ("oksana@demo.tugi.ee", "Oksana Shevchenko", [Role.TRAINEE], "uk", "Setomaa vald"),
]


def load_demo(session: Session, password_method: str) -> list[tuple[str, str]]:
    """Create the demo people that are missing; return (role, email) of each demo login."""
    logins = []
    for email, name, roles, language, municipality in DEMO_PEOPLE:
        if accounts.find_user_by_email(session, email) is None:
            accounts.create_user(
                session,
                email=email,
                display_name=name,
                roles=roles,
                password=DEMO_PASSWORD,
                language=language,
                municipality=municipality,
                password_method=password_method,
            )
        logins.append((", ".join(role.value for role in roles), email))
    session.flush()
    return logins
