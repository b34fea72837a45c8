"""Who reads a trainer's guide, where it is linked from, and the ``check`` callouts that only
trainers and coordinators see in lessons."""

import pytest

from lms.auth.models import Role
from tests.conftest import make_app
from tests.factories import login, make_cohort, make_session, make_user
from tests.test_guide_files import content_with_guides

GUIDE = "/courses/support-role/boundaries-and-ethics/guide"
LESSON = "/courses/support-role/boundaries-and-ethics"
CHECK = '<div class="admonition check">'


@pytest.fixture(scope="module")
def guides_app(tmp_path_factory, database_url):
    """The app on the shipped content with the two example guides beside their lessons."""
    return make_app(database_url, CONTENT_DIR=content_with_guides(tmp_path_factory.mktemp("c")))


@pytest.fixture
def client(guides_app, connection):
    return guides_app.test_client()


@pytest.fixture
def people(session):
    """A trainer of a support-person cohort, a trainer of a cohort whose programme has none of
    the course, a trainee of the first cohort, a coordinator, and a trainer of no cohort."""
    trainer, foreign, idle = (make_user(session, Role.TRAINER, language="en") for _ in range(3))
    trainee = make_user(session, language="en")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    make_cohort(session, "regional-thematic", trainers=(foreign,))
    return {
        "trainer": trainer,
        "foreign": foreign,
        "idle": idle,
        "trainee": trainee,
        "coordinator": make_user(session, Role.COORDINATOR, language="en"),
        "cohort": cohort,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("trainer", 200), ("coordinator", 200), ("trainee", 404), ("foreign", 404), ("idle", 404)],
)
def test_only_the_courses_trainers_and_coordinators_read_its_guides(client, people, who, status):
    login(client, people[who])
    response = client.get(GUIDE)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert ("guide: Boundaries and ethics" in page) == (status == 200)
    lesson = client.get(LESSON).get_data(as_text=True)
    assert (f'href="{GUIDE}"' in lesson) == (status == 200)


def test_a_lesson_without_a_guide_has_no_guide_page(client, people):
    login(client, people["coordinator"])
    assert client.get("/courses/support-role/what-a-support-person-does/guide").status_code == 404
    assert client.get("/courses/support-role/no-such-lesson/guide").status_code == 404
    assert client.get("/courses/no-such-course/boundaries-and-ethics/guide").status_code == 404


def test_the_guide_page_is_the_plan_and_its_sections_printable(client, people):
    login(client, people["trainer"])
    page = client.get(GUIDE).get_data(as_text=True)
    assert '<div class="lesson-body guide-body panel">' in page
    assert "<th>Minutes</th>" in page and "<td>40</td>" in page
    for anchor in ("session-plan", "exercises-and-role-plays", "discussion-questions",
                   "materials-to-prepare", "the-quiz-and-the-practice-log"):  # fmt: skip
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "css/print.css" in page and "js/print.js" in page and "data-print hidden" in page
    assert CHECK in page  # guides are for trainers: their check callouts are shown


def test_the_guide_in_the_readers_language_or_its_source_with_a_note(client, session, people):
    login(client, make_user(session, Role.COORDINATOR, language="et"))
    page = client.get(GUIDE).get_data(as_text=True)
    assert (
        "Koolitaja juhend: piirid ja eetika" in page
        and '<article class="lesson guide" lang="et">' in page
    )
    assert "Sessiooni kava" in page and "not yet translated" not in page
    login(client, make_user(session, Role.COORDINATOR, language="uk"))
    page = client.get(GUIDE).get_data(as_text=True)
    assert '<article class="lesson guide" lang="en">' in page
    assert "Session plan" in page and "ще не перекладено" in page
    page = client.get(GUIDE + "?lang=et").get_data(as_text=True)
    assert "Sessiooni kava" in page


def test_check_callouts_are_shown_to_trainers_and_coordinators_only(client, people):
    for who, shown in [("trainee", False), ("trainer", True), ("coordinator", True)]:
        login(client, people[who])
        page = client.get(LESSON).get_data(as_text=True)
        assert (CHECK in page) == shown, who
        assert ("Lastekaitseseadus" in page) == shown, who  # said only in the check callout
        assert '<div class="admonition case">' in page  # the other callouts stay
        search = client.get("/courses/search?q=Lastekaitseseadus").get_data(as_text=True)
        assert (f'href="{LESSON}"' in search) == shown, who


def test_a_trainer_finds_the_guides_of_a_sessions_lessons_in_the_schedule_and_register(
    client, session, people
):
    cohort = people["cohort"]
    item = make_session(session, cohort)
    item.lessons = ["support-role/what-a-support-person-does", "support-role/boundaries-and-ethics"]
    session.commit()
    link = f'<a class="guide-link" href="{GUIDE}">'
    login(client, people["trainer"])
    schedule = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert schedule.count(link) == 1  # the first lesson has no guide
    assert "/courses/support-role/what-a-support-person-does/guide" not in schedule
    register = client.get(f"/attendance/sessions/{item.id}").get_data(as_text=True)
    assert register.count(link) == 1
    login(client, people["trainee"])
    schedule = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert f'href="{LESSON}"' in schedule and GUIDE not in schedule
