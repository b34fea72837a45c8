"""The one CSV format for people: importing them under People and enrolling them in a cohort."""

import io
import re

import sqlalchemy as sa

from lms.auth.models import PasswordLink, Role, User
from lms.cohorts.models import Enrolment
from lms.users import services
from tests.factories import login, make_cohort, make_user

METHOD = "pbkdf2:sha256:1000"
PEOPLE = (
    "email,display_name,roles,language,municipality\n"
    "maria.tamm@example.org,Maria Tamm,trainee,et,Võru\n"
    "olena.k@example.org,Olena Kovalenko,trainee,uk,Põlva\n"
)


def _upload(client, url: str, text: str) -> str:
    data = {"file": (io.BytesIO(text.encode("utf-8")), "people.csv")}
    return client.post(url, data=data, content_type="multipart/form-data").get_data(as_text=True)


def _tokens(page: str) -> list[str]:
    return re.findall(r"/password/([A-Za-z0-9_-]{20,})", page)


def test_enrolling_people_who_have_accounts_keeps_their_links(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    imported = _upload(client, "/users/import", PEOPLE)
    handed_out = sorted(set(_tokens(imported)))
    assert len(handed_out) == 2
    cohort = make_cohort(session)

    page = _upload(client, f"/cohorts/{cohort.id}/import", PEOPLE)

    assert "2 trainees enrolled" in page
    assert not _tokens(page) and "are new" not in page
    assert "already had an account" in page
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(PasswordLink)) == 2
    for token in handed_out:  # the links already handed out still work
        assert client.get(f"/password/{token}").status_code == 200


def test_only_new_people_get_a_link_when_enrolled(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    waiting = make_user(session, email="waiting@example.org", password=None)
    cohort = make_cohort(session)
    text = "email,display_name\nwaiting@example.org,Waiting\nfresh@example.org,Fresh Person\n"
    page = _upload(client, f"/cohorts/{cohort.id}/import", text)
    assert "2 trainees enrolled" in page and len(set(_tokens(page))) == 1
    assert "Fresh Person" in page
    session.expire_all()
    assert waiting.display_name != "Waiting"  # an existing account is not touched


def test_a_people_file_enrols_as_it_is_and_unknown_columns_are_a_warning(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    cohort = make_cohort(session)
    text = (
        "email,display_name,roles,language,municipality,phone\n"
        "peeter@example.org,Peeter Saar,trainer;coordinator,et,Tartu,555\n"
        "olena@example.org,Olena K,trainee,uk,Põlva,556\n"
    )
    page = _upload(client, f"/cohorts/{cohort.id}/import", text)
    assert "2 trainees enrolled" in page
    assert "phone" in page and "ignored" in page
    peeter = session.scalar(sa.select(User).where(User.email == "peeter@example.org"))
    assert peeter.roles == {Role.TRAINEE, Role.TRAINER, Role.COORDINATOR}
    assert session.scalar(sa.select(sa.func.count()).where(Enrolment.cohort_id == cohort.id)) == 2


def test_people_import_warns_about_unknown_columns_and_goes_on(session):
    result = services.import_users(
        session, "email,display_name,phone\nz@example.org,Zoja,555\n", METHOD
    )
    assert not result.problems and [u.email for u in result.created] == ["z@example.org"]
    assert any("phone" in warning for warning in result.warnings)


def test_every_problem_of_a_row_is_listed_at_once(session):
    text = f"email,display_name,roles,language,municipality\nnot-an-email,,boss,fi,{'x' * 121}\n"
    result = services.import_users(session, text, METHOD)
    messages = [problem.message for problem in result.problems if problem.line == 2]
    assert len(messages) == 5, messages
    joined = " ".join(messages)
    for part in ("not a valid email", "name is required", "Unknown role", "fi", "120"):
        assert part in joined


def test_enrolment_lists_every_problem_of_a_row_too(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    cohort = make_cohort(session)
    page = _upload(client, f"/cohorts/{cohort.id}/import", "email,display_name,language\nbad,,fi\n")
    assert "3 problems; nobody was enrolled" in page


def test_the_people_file_with_the_cohorts_trainer_enrols_the_trainees(client, session):
    """The file that imported a group and its trainer enrols the group: the cohort's own
    trainer is left out, with a warning naming the line, instead of refusing the whole file."""
    login(client, make_user(session, Role.COORDINATOR))
    text = PEOPLE + "tiina.tamm@example.org,Tiina Tamm,trainer,et,Võru\n"
    _upload(client, "/users/import", text)
    tiina = session.scalar(sa.select(User).where(User.email == "tiina.tamm@example.org"))
    cohort = make_cohort(session, trainers=(tiina,), capacity=2)

    page = _upload(client, f"/cohorts/{cohort.id}/import", text)

    assert "2 trainees enrolled" in page, page
    assert "Line 4: Tiina Tamm trains this cohort" in page
    enrolled = session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id))
    assert tiina.id not in set(enrolled)
    assert tiina.roles == {Role.TRAINER}  # her account is not touched either


def test_a_trainer_of_another_cohort_is_still_refused_by_line(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    make_user(session, Role.TRAINER, email="priit@example.org", display_name="Priit Pärn")
    cohort = make_cohort(session)
    page = _upload(client, f"/cohorts/{cohort.id}/import", "email\npriit@example.org\n")
    assert "1 problem; nobody was enrolled" in page and "Priit Pärn is not a trainee" in page


#: Moodle's *Upload users* file (Site administration > Users > Upload users): its own column names,
#: Moodle's language packs (``en_us`` is a variant of English; Tugi has no Finnish).
MOODLE_UPLOAD = (
    "username,password,firstname,lastname,email,lang,city,country,course1,role1\n"
    "mtamm,Secret-1,Maria,Tamm,Maria.Tamm@example.org,et,Võru,EE,tugi1,student\n"
    "olenak,,Olena,Kovalenko,olena.k@example.org,uk,Põlva,EE,tugi1,student\n"
    "jsmith,,John,Smith,john.smith@example.org,en_us,Tartu,EE,,\n"
    "aino,,Aino,Virtanen,aino@example.org,fi,,FI,,\n"
)
#: A list as Moodle downloads it (Bulk user actions > Download, comma separated values): a
#: byte-order mark, the user table's columns, no ``lang``, quotes around a value with a comma.
MOODLE_DOWNLOAD = (
    "\ufeffid,username,email,firstname,lastname,idnumber,institution,department,phone1,phone2,"
    "city,url,icq,skype,aim,yahoo,msn,country\n"
    '17,ivan,ivan.p@example.org,Ivan,Petrenko,,"NGO Tugi, Tartu",,5551234,,Tartu,,,,,,,EE\n'
    "18,kadri,kadri@example.org,Kadri,Kask,,,,,,Narva,,,,,,,EE\n"
)


def _person(session, email: str) -> User:
    return session.scalar(sa.select(User).where(User.email == email))


def test_a_moodle_upload_file_imports_people_by_its_header(session):
    result = services.import_users(session, MOODLE_UPLOAD, METHOD)
    assert not result.problems, result.problems
    assert len(result.created) == 4
    maria = _person(session, "maria.tamm@example.org")
    assert (maria.display_name, maria.municipality, maria.language) == ("Maria Tamm", "Võru", "et")
    assert maria.roles == {Role.TRAINEE} and maria.password_hash is None  # no password taken over
    olena = _person(session, "olena.k@example.org")
    assert (olena.display_name, olena.language) == ("Olena Kovalenko", "uk")
    assert _person(session, "john.smith@example.org").language == "en"  # en_us is English
    aino = _person(session, "aino@example.org")
    assert aino.language == "en" and aino.municipality is None
    warnings = " ".join(result.warnings)
    assert "Line 5" in warnings and "fi" in warnings  # a language Tugi lacks is named
    for column in ("password", "country", "course1", "role1"):  # unknown columns are named
        assert column in warnings
    assert "username" not in warnings  # Moodle's account name: read, not needed here


def test_a_list_downloaded_from_moodle_imports_and_enrols(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    cohort = make_cohort(session)
    page = _upload(client, f"/cohorts/{cohort.id}/import", MOODLE_DOWNLOAD)
    assert "2 trainees enrolled" in page, page
    assert "idnumber" in page and "ignored" in page
    ivan = _person(session, "ivan.p@example.org")
    assert (ivan.display_name, ivan.municipality, ivan.language) == ("Ivan Petrenko", "Tartu", "en")
    assert _person(session, "kadri@example.org").display_name == "Kadri Kask"


def test_a_moodle_file_is_checked_like_any_other(session):
    text = (
        "username;firstname;lastname;email;lang\na;Anna;;anna@example.org;ru\nb;;;not-an-email;et\n"
    )
    result = services.import_users(session, text, METHOD)
    assert [problem.line for problem in result.problems] == [3, 3]
    joined = " ".join(problem.message for problem in result.problems)
    assert "not a valid email" in joined and "name is required" in joined
    assert not result.created


def test_a_moodle_file_without_email_says_so(session):
    result = services.import_users(session, "username,firstname,lastname\nmt,Maria,Tamm\n", METHOD)
    assert [problem.message for problem in result.problems] == ["Missing column: email."]
