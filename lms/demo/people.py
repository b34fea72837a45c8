"""The demo's people: the staff, and the 48 trainees of the three support-person groups, from
eleven municipalities of South-East Estonia, with what each of them did.

Everyone logs in with ``DEMO_PASSWORD``. The password is hashed once and the hash is shared,
so that loading the demo does not spend a second on each of fifty slow hashes.
"""

import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from lms.auth import services as accounts
from lms.auth.models import Role, User
from lms.db import utcnow

DEMO_PASSWORD = "tugi-demo-2026"
DOMAIN = "demo.tugi.ee"

COORDINATOR = "coordinator@demo.tugi.ee"
TIINA = "trainer@demo.tugi.ee"
PRIIT = "priit@demo.tugi.ee"
ANNE = "anne@demo.tugi.ee"
OLENA = "trainee@demo.tugi.ee"
MARI = "mari@demo.tugi.ee"
OKSANA = "oksana@demo.tugi.ee"


@dataclass(frozen=True)
class Person:
    """A demo account."""

    email: str
    name: str
    roles: tuple[Role, ...]
    language: str
    municipality: str


STAFF = (
    Person(COORDINATOR, "Kadri Koordinaator", (Role.COORDINATOR,), "et", "Võru vald"),
    Person(TIINA, "Tiina Tamm", (Role.TRAINER,), "et", "Põlva vald"),
    Person(PRIIT, "Priit Pärn", (Role.TRAINER,), "et", "Valga vald"),
    Person(ANNE, "Anne Kask", (Role.TRAINER,), "et", "Võru linn"),
)


@dataclass(frozen=True)
class Trainee:
    """A trainee of a support-person group and what the demo gives them."""

    name: str
    language: str
    municipality: str
    #: the code of the client they supported in practice; people supporting one client together
    #: (common among school staff) use the same code
    client: str
    #: minutes of signed-off practice
    practice: int
    #: the employment follow-up: "role title @ employer", "muu töö" (other work), "ei tööta"
    #: (not working), or "" when the coordinator has not asked yet
    follow_up: str
    group: int
    email: str


#: the client group of each client code's prefix; the letters say nothing about the client (a
#: code must not tell where a client comes from), they only give each demo client a group
CLIENT_GROUPS = {
    "A": "refugee-child",
    "B": "refugee-adult",
    "C": "refugee-family",
    "D": "vulnerable-adult",
    "E": "family",
    "F": "child",
    "G": "refugee-child",
    "H": "child",
}

# fmt: off
GROUP_1 = (  # refugees
    ("Olena Kovalenko", "en", "Võru linn", "A-01", 690, "tugiisik @ Võru linn"),
    ("Oksana Shevchenko", "uk", "Setomaa vald", "B-02", 330, ""),
    ("Iryna Tkachenko", "uk", "Võru linn", "C-03", 660, "tugiisik @ Võru linn"),
    ("Liisa Raudsepp", "et", "Võru vald", "C-03", 630, "tugiisik @ Võru vald"),
    ("Наталія Мельник", "uk", "Võru vald", "A-04", 660, "tegevusjuhendaja @ Võru vald"),
    ("Андрій Савчук", "uk", "Põlva vald", "B-05", 615, "muu töö"),
    ("Yuliia Kravchenko", "en", "Valga vald", "C-06", 645, "tugiisik @ Valga vald"),
    ("Tõnis Õunapuu", "et", "Rõuge vald", "B-07", 600, "juhtumikorraldaja @ Rõuge vald"),
    ("Kersti Mägi", "et", "Antsla vald", "A-08", 630, "tugiisik @ Antsla vald"),
    ("Žanna Vassiljeva", "et", "Valga vald", "C-09", 660, ""),
    ("Aleksei Šestakov", "et", "Põlva vald", "B-10", 630, "ei tööta"),
    ("Maarja Lepik", "et", "Räpina vald", "A-11", 690, "sotsiaaltöötaja @ Räpina vald"),
    ("Siiri Kivi", "et", "Setomaa vald", "D-12", 600, "tugiisik @ Setomaa vald"),
    ("Helen Org", "et", "Kanepi vald", "C-13", 675, "muu töö"),
    ("Viktoria Hrytsenko", "uk", "Otepää vald", "A-14", 690, "tugiisik @ Otepää vald"),
    ("Margus Sepp", "et", "Tõrva vald", "E-15", 615, ""),
)
GROUP_2 = (  # the local community
    ("Mari Mets", "et", "Räpina vald", "D-01", 660, "tugiisik @ Räpina vald"),
    ("Ülle Jõgi", "et", "Räpina vald", "D-02", 660, "sotsiaaltöötaja @ Räpina vald"),
    ("Jaanus Kuusk", "et", "Võru vald", "D-03", 630, "tugiisik @ Võru vald"),
    ("Piret Saar", "et", "Kanepi vald", "E-04", 690, "tugiisik @ Kanepi vald"),
    ("Märt Pihlak", "et", "Otepää vald", "D-05", 600, "muu töö"),
    ("Reet Vaher", "et", "Tõrva vald", "E-06", 645, "tugiisik @ Tõrva vald"),
    ("Svetlana Ivanova", "et", "Valga vald", "F-07", 660, "tegevusjuhendaja @ Valga vald"),
    ("Sergei Petrov", "en", "Valga vald", "F-07", 615, "ei tööta"),
    ("Kadi Lõhmus", "et", "Antsla vald", "E-08", 705, "tugiisik @ Antsla vald"),
    ("Triin Männik", "et", "Rõuge vald", "D-09", 630, ""),
    ("Evelin Paju", "et", "Setomaa vald", "F-10", 675, "juhtumikorraldaja @ Setomaa vald"),
    ("Urmas Rebane", "et", "Põlva vald", "D-11", 600, ""),
    ("Anu Põder", "et", "Võru linn", "E-12", 660, "tugiisik @ Võru linn"),
    ("Heli Laur", "et", "Otepää vald", "F-13", 660, "tugiisik @ Otepää vald"),
    ("Toomas Järv", "et", "Kanepi vald", "E-14", 615, "muu töö"),
    ("Natalja Smirnova", "et", "Tõrva vald", "F-15", 645, ""),
)
GROUP_3 = (  # school staff supporting refugee children
    ("Kätlin Raud", "et", "Võru linn", "G-01", 690, "sotsiaalpedagoog @ Võru linn"),
    ("Eha Kõiv", "et", "Võru linn", "G-01", 630, "muu töö"),
    ("Христина Їжакевич", "uk", "Võru linn", "G-01", 675, "tugiisik @ Võru linn"),
    ("Jelena Kuznetsova", "et", "Põlva vald", "G-02", 660, "sotsiaalpedagoog @ Põlva vald"),
    ("Olga Bondarenko", "uk", "Põlva vald", "G-02", 705, "tugiisik @ Põlva vald"),
    ("Katrin Luik", "et", "Valga vald", "G-03", 645, "sotsiaaltöötaja @ Valga vald"),
    ("Kristi Sild", "et", "Valga vald", "G-03", 600, "muu töö"),
    ("Liina Karu", "et", "Võru vald", "G-04", 690, "tegevusjuhendaja @ Võru vald"),
    ("Signe Ilves", "et", "Rõuge vald", "G-05", 660, "juhtumikorraldaja @ Rõuge vald"),
    ("Merle Tooming", "et", "Antsla vald", "H-06", 615, "muu töö"),
    ("Marika Aun", "et", "Kanepi vald", "G-07", 660, "tugiisik @ Kanepi vald"),
    ("Riina Õispuu", "et", "Otepää vald", "G-08", 630, "muu töö"),
    ("Tiiu Hallik", "et", "Tõrva vald", "H-09", 600, "ei tööta"),
    ("Andres Külv", "et", "Tõrva vald", "G-10", 645, ""),
    ("Pille Roos", "et", "Setomaa vald", "H-11", 615, ""),
    ("Ene Jürgenson", "et", "Räpina vald", "G-12", 690, ""),
)
# fmt: on

#: the people of the first demo keep their addresses
KNOWN_EMAILS = {"Olena Kovalenko": OLENA, "Mari Mets": MARI, "Oksana Shevchenko": OKSANA}
#: Latin spellings of the names written in Cyrillic, for their addresses
TRANSLITERATIONS = {
    "Наталія Мельник": "Natalia Melnyk",
    "Андрій Савчук": "Andrii Savchuk",
    "Христина Їжакевич": "Khrystyna Izhakevych",
}


def demo_email(name: str) -> str:
    """firstname.lastname@demo.tugi.ee in plain ASCII: "Tõnis Õunapuu" -> tonis.ounapuu@..."""
    latin = TRANSLITERATIONS.get(name, name)
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().split()) + "@" + DOMAIN


TRAINEES = tuple(
    Trainee(*row, group=number, email=KNOWN_EMAILS.get(row[0]) or demo_email(row[0]))
    for number, rows in enumerate((GROUP_1, GROUP_2, GROUP_3), start=1)
    for row in rows
)

#: the three who did not complete, and why
SHORT_OF_PRACTICE = OKSANA  # practice hours short; more entries wait for sign-off
SHORT_OF_ATTENDANCE = demo_email("Urmas Rebane")  # missed too much of part 2
FAILED_QUIZ = demo_email("Andres Külv")  # failed the CARe final quiz and did not retake it
NOT_COMPLETED = (SHORT_OF_PRACTICE, SHORT_OF_ATTENDANCE, FAILED_QUIZ)
#: failed a final quiz at first and passed it a week later
RETAKES = {
    demo_email("Aleksei Šestakov"): "support-role-final",
    demo_email("Sergei Petrov"): "care-methodology-final",
    demo_email("Eha Kõiv"): "support-role-final",
    demo_email("Toomas Järv"): "care-methodology-final",
}
#: corrected a signed-off practice entry, and the correction was signed off too
CORRECTS_AN_ENTRY = MARI


def client_group(code: str) -> str:
    """The client group a demo client code stands for: "A-01" -> "refugee-child"."""
    return CLIENT_GROUPS[code.rsplit("-", 1)[0]]


def all_people() -> list[Person]:
    """Staff first, then the trainees."""
    trainees = [
        Person(t.email, t.name, (Role.TRAINEE,), t.language, t.municipality) for t in TRAINEES
    ]
    return [*STAFF, *trainees]


def create_people(session: Session, password_method: str) -> dict[str, User]:
    """Create the demo people who are missing; return every demo person by email."""
    people, shared_hash = {}, None
    for person in all_people():
        user = accounts.find_user_by_email(session, person.email)
        if user is None:
            if shared_hash is None:
                shared_hash = generate_password_hash(DEMO_PASSWORD, method=password_method)
            user = accounts.create_user(
                session,
                email=person.email,
                display_name=person.name,
                roles=person.roles,
                language=person.language,
                municipality=person.municipality,
            )
            user.password_hash = shared_hash
        if user.privacy_notice_seen_at is None:  # the demo opens straight on the home page
            user.privacy_notice_seen_at = utcnow()
        people[person.email] = user
    session.flush()
    return people
