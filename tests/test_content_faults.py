"""A content file that breaks while the app runs: the last good version of each programme and
lesson keeps being served while the problem is reported; a programme broken from start-up leaves
its cohorts' pages saying so, and a running enrolment is never shown as completed."""

import re
import shutil
from pathlib import Path

import pytest

from lms.auth.models import Role
from lms.config import REPOSITORY_ROOT
from tests.conftest import ErrorRecorder, make_app
from tests.factories import login, make_cohort, make_session, make_user

BROKEN = "hours: [this is not\n"


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the shipped content that a test may break."""
    for folder in ("courses", "programmes", "quizzes"):
        shutil.copytree(REPOSITORY_ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture(autouse=True)
def look_at_every_request(monkeypatch):
    """Files are looked at on every request, so that no test waits for the two seconds."""
    monkeypatch.setattr("lms.filecache.RELOAD_CHECK_SECONDS", 0)


def _break(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + BROKEN, encoding="utf-8")


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session, display_name="Olena Kovalenko")
    coordinator = make_user(session, Role.COORDINATOR)
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,), name="Group One")
    tot = make_cohort(
        session, "trainer-of-trainers", trainers=(trainer,), trainees=(trainee,), name="ToT Group"
    )
    meeting = make_session(session, cohort)
    return {"trainer": trainer, "trainee": trainee, "coordinator": coordinator,
            "cohort": cohort, "tot": tot, "meeting": meeting}  # fmt: skip


def test_a_programme_broken_while_running_keeps_its_last_good_version(
    database_url, connection, content, people
):
    app = make_app(database_url, CONTENT_DIR=content)
    client = app.test_client()
    login(client, people["trainer"])
    assert client.get(f"/attendance/sessions/{people['meeting'].id}").status_code == 200

    _break(content / "programmes" / "support-person.yaml")
    logged = ErrorRecorder()
    app.logger.addHandler(logged)
    try:
        register = client.get(f"/attendance/sessions/{people['meeting'].id}")
    finally:
        app.logger.removeHandler(logged)
    assert register.status_code == 200
    assert any("programmes/support-person.yaml" in message for message in logged.messages)
    assert client.get(f"/cohorts/{people['tot'].id}/").status_code == 200  # the dependent one

    login(client, people["trainee"])
    home = client.get("/").get_data(as_text=True)
    assert "Group One" in home and "ToT Group" in home
    assert ">Completed<" not in home and "support-person" not in home
    assert "Still to read: " in home and not re.search(r"Still to read: [a-z-]+/", home)

    login(client, people["coordinator"])
    page = client.get("/programmes/").get_data(as_text=True)
    assert "programmes/support-person.yaml" in page
    assert "Support-person training" in page and "Trainer-of-trainers programme" in page
    assert "last version that loaded" in page

    check = app.test_cli_runner().invoke(args=["content", "check", "--dir", str(content)])
    assert check.exit_code == 1 and "programmes/support-person.yaml" in check.output


def test_a_programme_broken_from_start_up_is_said_so_on_its_cohorts_pages(
    database_url, connection, content, people
):
    _break(content / "programmes" / "support-person.yaml")
    app = make_app(database_url, CONTENT_DIR=content)
    client = app.test_client()
    login(client, people["trainer"])
    for url in [
        f"/cohorts/{people['cohort'].id}/",
        f"/attendance/sessions/{people['meeting'].id}",
        f"/attendance/cohorts/{people['cohort'].id}/matrix",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert "Group One" in page and "cannot be loaded" in page, url

    login(client, people["trainee"])
    home = client.get("/").get_data(as_text=True)
    assert "Group One" in home and "cannot be loaded" in home
    assert ">Completed<" not in home and "support-person" not in home
    assert client.get("/practice/").status_code in (200, 302)


def test_a_lesson_broken_while_running_keeps_its_last_good_version(
    database_url, connection, content, people
):
    app = make_app(database_url, CONTENT_DIR=content)
    client = app.test_client()
    login(client, people["trainee"])
    url = "/courses/support-role/boundaries-and-ethics"
    before = client.get(url)
    assert before.status_code == 200
    lesson = next((content / "courses" / "support-role").glob("*-boundaries-and-ethics.md"))
    lesson.write_text("---\ntitle: [unclosed\n---\nBroken\n", encoding="utf-8")
    after = client.get(url)
    assert after.status_code == 200
    assert "Boundaries and ethics" in after.get_data(as_text=True)

    login(client, people["coordinator"])
    problems = client.get("/courses/problems").get_data(as_text=True)
    assert "boundaries-and-ethics.md" in problems
