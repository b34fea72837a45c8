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


#: the client group of each client code's prefix
CLIENT_GROUPS = {
    "UA-CH": "refugee-child",
    "UA-AD": "refugee-adult",
    "UA-PERE": "refugee-family",
    "EE-AD": "vulnerable-adult",
    "EE-PERE": "family",
    "EE-NOOR": "child",
    "KOOL-UA": "refugee-child",
    "KOOL-EE": "child",
}

# fmt: off
GROUP_1 = (  # refugees
    ("Olena Kovalenko", "en", "Võru linn", "UA-CH-01", 690, "tugiisik @ Võru linn"),
    ("Oksana Shevchenko", "uk", "Setomaa vald", "UA-AD-02", 330, ""),
    ("Iryna Tkachenko", "uk", "Võru linn", "UA-PERE-03", 660, "tugiisik @ Võru linn"),
    ("Liisa Raudsepp", "et", "Võru vald", "UA-PERE-03", 630, "tugiisik @ Võru vald"),
    ("Наталія Мельник", "uk", "Võru vald", "UA-CH-04", 660, "tegevusjuhendaja @ Võru vald"),
    ("Андрій Савчук", "uk", "Põlva vald", "UA-AD-05", 615, "muu töö"),
    ("Yuliia Kravchenko", "en", "Valga vald", "UA-PERE-06", 645, "tugiisik @ Valga vald"),
    ("Tõnis Õunapuu", "et", "Rõuge vald", "UA-AD-07", 600, "juhtumikorraldaja @ Rõuge vald"),
    ("Kersti Mägi", "et", "Antsla vald", "UA-CH-08", 630, "tugiisik @ Antsla vald"),
    ("Žanna Vassiljeva", "et", "Valga vald", "UA-PERE-09", 660, ""),
    ("Aleksei Šestakov", "et", "Põlva vald", "UA-AD-10", 630, "ei tööta"),
    ("Maarja Lepik", "et", "Räpina vald", "UA-CH-11", 690, "sotsiaaltöötaja @ Räpina vald"),
    ("Siiri Kivi", "et", "Setomaa vald", "EE-AD-12", 600, "tugiisik @ Setomaa vald"),
    ("Helen Org", "et", "Kanepi vald", "UA-PERE-13", 675, "muu töö"),
    ("Viktoria Hrytsenko", "uk", "Otepää vald", "UA-CH-14", 690, "tugiisik @ Otepää vald"),
    ("Margus Sepp", "et", "Tõrva vald", "EE-PERE-15", 615, ""),
)
GROUP_2 = (  # the local community
    ("Mari Mets", "et", "Räpina vald", "EE-AD-01", 660, "tugiisik @ Räpina vald"),
    ("Ülle Jõgi", "et", "Räpina vald", "EE-AD-02", 660, "sotsiaaltöötaja @ Räpina vald"),
    ("Jaanus Kuusk", "et", "Võru vald", "EE-AD-03", 630, "tugiisik @ Võru vald"),
    ("Piret Saar", "et", "Kanepi vald", "EE-PERE-04", 690, "tugiisik @ Kanepi vald"),
    ("Märt Pihlak", "et", "Otepää vald", "EE-AD-05", 600, "muu töö"),
    ("Reet Vaher", "et", "Tõrva vald", "EE-PERE-06", 645, "tugiisik @ Tõrva vald"),
    ("Svetlana Ivanova", "et", "Valga vald", "EE-NOOR-07", 660, "tegevusjuhendaja @ Valga vald"),
    ("Sergei Petrov", "en", "Valga vald", "EE-NOOR-07", 615, "ei tööta"),
    ("Kadi Lõhmus", "et", "Antsla vald", "EE-PERE-08", 705, "tugiisik @ Antsla vald"),
    ("Triin Männik", "et", "Rõuge vald", "EE-AD-09", 630, ""),
    ("Evelin Paju", "et", "Setomaa vald", "EE-NOOR-10", 675, "juhtumikorraldaja @ Setomaa vald"),
    ("Urmas Rebane", "et", "Põlva vald", "EE-AD-11", 600, ""),
    ("Anu Põder", "et", "Võru linn", "EE-PERE-12", 660, "tugiisik @ Võru linn"),
    ("Heli Laur", "et", "Otepää vald", "EE-NOOR-13", 660, "tugiisik @ Otepää vald"),
    ("Toomas Järv", "et", "Kanepi vald", "EE-PERE-14", 615, "muu töö"),
    ("Natalja Smirnova", "et", "Tõrva vald", "EE-NOOR-15", 645, ""),
)
GROUP_3 = (  # school staff supporting refugee children
    ("Kätlin Raud", "et", "Võru linn", "KOOL-UA-01", 690, "sotsiaalpedagoog @ Võru linn"),
    ("Eha Kõiv", "et", "Võru linn", "KOOL-UA-01", 630, "muu töö"),
    ("Христина Їжакевич", "uk", "Võru linn", "KOOL-UA-01", 675, "tugiisik @ Võru linn"),
    ("Jelena Kuznetsova", "et", "Põlva vald", "KOOL-UA-02", 660, "sotsiaalpedagoog @ Põlva vald"),
    ("Olga Bondarenko", "uk", "Põlva vald", "KOOL-UA-02", 705, "tugiisik @ Põlva vald"),
    ("Katrin Luik", "et", "Valga vald", "KOOL-UA-03", 645, "sotsiaaltöötaja @ Valga vald"),
    ("Kristi Sild", "et", "Valga vald", "KOOL-UA-03", 600, "muu töö"),
    ("Liina Karu", "et", "Võru vald", "KOOL-UA-04", 690, "tegevusjuhendaja @ Võru vald"),
    ("Signe Ilves", "et", "Rõuge vald", "KOOL-UA-05", 660, "juhtumikorraldaja @ Rõuge vald"),
    ("Merle Tooming", "et", "Antsla vald", "KOOL-EE-06", 615, "muu töö"),
    ("Marika Aun", "et", "Kanepi vald", "KOOL-UA-07", 660, "tugiisik @ Kanepi vald"),
    ("Riina Õispuu", "et", "Otepää vald", "KOOL-UA-08", 630, "muu töö"),
    ("Tiiu Hallik", "et", "Tõrva vald", "KOOL-EE-09", 600, "ei tööta"),
    ("Andres Külv", "et", "Tõrva vald", "KOOL-UA-10", 645, ""),
    ("Pille Roos", "et", "Setomaa vald", "KOOL-EE-11", 615, ""),
    ("Ene Jürgenson", "et", "Räpina vald", "KOOL-UA-12", 690, ""),
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
    """The client group a demo client code stands for: "UA-CH-01" -> "refugee-child"."""
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
        people[person.email] = user
    session.flush()
    return people
