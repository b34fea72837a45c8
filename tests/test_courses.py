"""Course pages: catalogue, lessons, progress, languages, search, and what they cost."""

import pytest
import sqlalchemy as sa

from lms import rendering
from lms.auth.models import Role
from lms.courses.loader import load_catalog
from lms.courses.models import LessonCompletion
from tests.conftest import make_app
from tests.factories import count_queries, login, make_quiz, make_user
from tests.test_content import COURSE_YAML, ROOT, lesson
from tests.test_rendering import HOSTILE, assert_safe

LESSON = "/courses/support-role/boundaries-and-ethics"
# The shipped course grows as lessons are written; the progress line counts what is there.
SUPPORT_ROLE = next(c for c in load_catalog(ROOT).courses if c.slug == "support-role")
OF_ALL = f"of {len(SUPPORT_ROLE.lessons)} lessons"


@pytest.fixture
def trainee(client, session):
    user = make_user(session, language="en")
    login(client, user)
    return user


def test_catalogue_lists_both_parts(client, trainee):
    page = client.get("/courses/").get_data(as_text=True)
    assert "The role and responsibilities of a support person" in page
    assert "Practical work based on the CARe methodology" in page
    assert f"0 {OF_ALL}" in page


def test_lesson_page_has_toc_previous_next_and_completion(client, trainee):
    page = client.get(LESSON).get_data(as_text=True)
    assert 'aria-label="On this page"' in page
    assert 'rel="prev" href="/courses/support-role/what-a-support-person-does"' in page
    assert 'rel="next" href="/courses/support-role/confidentiality-and-data-protection"' in page
    assert "Mark as completed" in page
    assert '<div class="admonition case">' in page


def test_marking_completed_is_stored_and_shown(client, session, trainee):
    response = client.post(LESSON + "/completion", data={"completed": "1"})
    assert response.headers["Location"].endswith("/confidentiality-and-data-protection")
    client.post(LESSON + "/completion", data={"completed": "1"})  # a double click
    rows = session.scalars(
        sa.select(LessonCompletion).where(LessonCompletion.user_id == trainee.id)
    )
    assert [(r.course_slug, r.lesson_slug) for r in rows] == [
        ("support-role", "boundaries-and-ethics")
    ]
    assert f"1 {OF_ALL}" in client.get("/courses/support-role/").get_data(as_text=True)
    assert f"1 {OF_ALL}" in client.get("/").get_data(as_text=True)
    assert "You have completed this lesson." in client.get(LESSON).get_data(as_text=True)
    client.post(LESSON + "/completion", data={"completed": "0"})
    assert f"0 {OF_ALL}" in client.get("/courses/support-role/").get_data(as_text=True)


def test_progress_is_per_person(client, session, trainee):
    client.post(LESSON + "/completion", data={"completed": "1"})
    other = make_user(session)
    login(client, other)
    assert f"0 {OF_ALL}" in client.get("/courses/support-role/").get_data(as_text=True)


def test_estonian_reader_gets_the_translation(client, session):
    login(client, make_user(session, language="et"))
    page = client.get(LESSON).get_data(as_text=True)
    assert '<article class="lesson" lang="et">' in page and "Piirid ja eetika" in page
    assert "pole veel sinu keelde tõlgitud" not in page


def test_ukrainian_reader_gets_the_translation(client, session):
    login(client, make_user(session, language="uk"))
    page = client.get("/courses/support-role/documenting-the-work").get_data(as_text=True)
    assert '<article class="lesson" lang="uk">' in page
    assert "Документування роботи" in page


def test_missing_translation_falls_back_and_says_so(tmp_path, database_url, session):
    app = _content_app(
        tmp_path,
        database_url,
        {
            "01-first.md": lesson("First", 1),
            "01-first.uk.md": lesson("Перший", 1),
            "02-second.md": lesson("Second", 2),
        },
    )
    client = app.test_client()
    login(client, make_user(session, language="uk"))
    translated = client.get("/courses/test-course/first").get_data(as_text=True)
    assert '<article class="lesson" lang="uk">' in translated and "Перший" in translated
    page = client.get("/courses/test-course/second").get_data(as_text=True)
    assert '<article class="lesson" lang="en">' in page and "Second" in page
    assert "ще не перекладено" in page


def test_search_in_the_readers_language(client, session, trainee):
    page = client.get("/courses/search?q=personal+profile").get_data(as_text=True)
    assert "The personal profile" in page
    assert "No lesson contains" in client.get("/courses/search?q=xyzzyq").get_data(as_text=True)
    login(client, make_user(session, language="et"))
    estonian = client.get("/courses/search?q=hooldajast").get_data(as_text=True)
    assert "Mida tugiisik teeb ja mida ta ei tee" in estonian  # found in the Estonian text only


def test_unknown_course_and_lesson_are_404(client, trainee):
    assert client.get("/courses/nothing/").status_code == 404
    assert client.get("/courses/support-role/nothing").status_code == 404
    assert client.post("/courses/support-role/nothing/completion").status_code == 404


def test_lesson_page_makes_a_constant_small_number_of_queries(client, session, connection, trainee):
    client.get(LESSON)  # load the catalog once
    with count_queries(connection) as few:
        client.get(LESSON)
    for other in ["what-a-support-person-does", "confidentiality-and-data-protection"]:
        client.post(f"/courses/support-role/{other}/completion", data={"completed": "1"})
    with count_queries(connection) as more:
        assert client.get("/courses/support-role/self-care-and-supervision").status_code == 200
    assert len(few) == len(more) <= 3, few


def _lesson_quiz(title: str, lesson_slug: str) -> str:
    return (f"// @title: {title}\n// @course: support-role\n// @lesson: {lesson_slug}\n\n"
            "::Q::Is a support person a friend? {F}\n")  # fmt: skip


def test_a_lesson_page_reads_only_the_uploaded_quizzes_that_name_it(
    app, client, session, trainee, monkeypatch
):
    from lms.quizzes import catalogue

    with app.app_context():
        make_quiz(session, "ours", _lesson_quiz("Boundaries, checked", "boundaries-and-ethics"))
        make_quiz(
            session, "theirs", _lesson_quiz("Data, checked", "confidentiality-and-data-protection")
        )
        make_quiz(session, "no-lesson", "// @title: Free-standing\n\n::Q::Right? {T}\n")
    session.commit()
    real_read, read = catalogue._read_uploaded, []
    monkeypatch.setattr(
        catalogue, "_read_uploaded", lambda slug, *a: read.append(slug) or real_read(slug, *a)
    )
    page = client.get(LESSON).get_data(as_text=True)
    assert "Boundaries, checked" in page and "Data, checked" not in page
    assert read == ["ours"]
    course = client.get("/courses/support-role/").get_data(as_text=True)
    assert "Boundaries, checked" in course and "Data, checked" in course
    assert "Free-standing" not in course
    with app.app_context():
        everything, none = catalogue.all_quizzes(session), catalogue.all_quizzes(session, "zzz")
    assert len(everything) - len(none) == 3


def test_no_markdown_is_rendered_on_a_page_request_after_the_first(client, trainee):
    paths = [LESSON, "/courses/care-methodology/the-four-core-acts", "/courses/"]
    for path in paths:  # a lesson is rendered the first time it is read, then kept
        assert client.get(path).status_code == 200
    before = rendering.render_count
    for path in paths:
        assert client.get(path).status_code == 200
    assert rendering.render_count == before


def _content_app(tmp_path, database_url, lessons: dict[str, str]):
    course = tmp_path / "courses" / "test-course"
    course.mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE_YAML)
    for name, text in lessons.items():
        (course / name).write_text(text)
    return make_app(database_url, CONTENT_DIR=tmp_path)


def test_hostile_lessons_never_reach_a_page_unsanitised(tmp_path, database_url, session):
    lessons = {
        f"{number:02d}-payload-{number}.md": lesson(f"Payload {number}", number, payload)
        for number, payload in enumerate(HOSTILE, start=1)
    }
    app = _content_app(tmp_path, database_url, lessons)
    client = app.test_client()
    login(client, make_user(session))
    shown = 0
    for number in range(1, len(HOSTILE) + 1):
        response = client.get(f"/courses/test-course/payload-{number}")
        if response.status_code == 404:  # refused by the content check: never served
            continue
        page = response.get_data(as_text=True)
        assert_safe(page[page.index('<div class="lesson-body panel">') : page.index("</article>")])
        shown += 1
    assert shown >= 20  # most payloads are raw HTML that the loader lets through to the sanitiser


@pytest.fixture
def broken_content(tmp_path, database_url, connection):
    app = _content_app(
        tmp_path,
        database_url,
        {"01-fine.md": lesson("Fine", 1), "02-broken.md": "---\ntitle: [broken\n---\n"},
    )
    course = tmp_path / "courses" / "test-course"
    (course / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (course / "notes.txt").write_text("not an image")
    return app


def test_broken_lesson_is_left_out_and_reported_to_coordinators(broken_content, session):
    client = broken_content.test_client()
    login(client, make_user(session))
    assert "problem" not in client.get("/courses/").get_data(as_text=True).lower()
    assert client.get("/courses/test-course/fine").status_code == 200
    assert client.get("/courses/test-course/broken").status_code == 404
    login(client, make_user(session, Role.COORDINATOR))
    assert "1 problem in the course files" in client.get("/courses/").get_data(as_text=True)
    problems = client.get("/courses/problems").get_data(as_text=True)
    assert "courses/test-course/02-broken.md:2" in problems


def test_media_serves_only_images_of_the_course(broken_content, session):
    client = broken_content.test_client()
    login(client, make_user(session))
    assert client.get("/courses/test-course/media/pic.png").status_code == 200
    assert client.get("/courses/test-course/media/notes.txt").status_code == 404
    (broken_content.config["CONTENT_DIR"] / "secret.png").write_bytes(b"\x89PNG secret")
    assert client.get("/courses/test-course/media/../../secret.png").status_code == 404
    assert client.get("/courses/test-course/media/..%2F..%2Fsecret.png").status_code == 404


def test_a_simultaneous_completion_is_not_an_error(session, trainee, monkeypatch):
    from lms.courses import services
    from lms.courses.services import get_catalog  # noqa: F401

    lesson_ = type("L", (), {"course_slug": "support-role", "slug": "boundaries-and-ethics"})()
    session.add(LessonCompletion(user_id=trainee.id, course_slug="support-role",
                                 lesson_slug="boundaries-and-ethics"))  # fmt: skip
    session.flush()
    real_scalar = session.scalar
    monkeypatch.setattr(session, "scalar", lambda *a, **k: None)  # the other request was faster
    services.set_completed(session, trainee.id, lesson_, True)
    monkeypatch.setattr(session, "scalar", real_scalar)
    rows = session.scalars(
        sa.select(LessonCompletion).where(LessonCompletion.user_id == trainee.id)
    )
    assert len(list(rows)) == 1


def test_a_course_that_is_no_part_of_a_training_says_no_part(tmp_path, database_url, session):
    """The trainer-of-trainers course stands alone: 'Part 3' sends readers looking for 1 and 2."""
    app = _content_app(tmp_path, database_url, {"01-first.md": lesson("First", 1)})
    second = tmp_path / "courses" / "alone"
    second.mkdir()
    (second / "course.yaml").write_text(COURSE_YAML.replace("part: 1\norder: 1", "order: 2"))
    (second / "01-only.md").write_text(lesson("Only", 1))
    assert load_catalog(tmp_path).problems == []
    client = app.test_client()
    login(client, make_user(session, language="en"))
    catalogue = client.get("/courses/").get_data(as_text=True)
    assert catalogue.count("Part 1 ·") == 1 and "Part 2" not in catalogue
    assert "Part " not in client.get("/courses/alone/").get_data(as_text=True)


def test_completed_lessons_count_what_the_session_has_not_yet_written(session):
    """``completed_lessons`` reads on the session's connection without the ORM (lms.db.plain_rows),
    flushing first as a query through the session would."""
    from lms.courses.services import completed_lessons

    person = make_user(session)
    done = {"user_id": person.id, "course_slug": "support-role"}
    session.add(LessonCompletion(**done, lesson_slug="x"))
    assert completed_lessons(session, person.id) == {("support-role", "x")}
    with session.no_autoflush:
        session.add(LessonCompletion(**done, lesson_slug="y"))
        assert ("support-role", "y") not in completed_lessons(session, person.id)
