"""Loading and checking course files: every kind of broken input gives file:line."""

import shutil
from pathlib import Path

import pytest

from lms.courses.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]

COURSE_YAML = "title: Test course\nsummary: For tests.\npart: 1\norder: 1\nlanguage: en\n"


def lesson(title="A lesson", order=1, body="Some text.", extra=""):
    """A lesson file whose body starts on line 9 (later by the lines of ``extra``)."""
    return (
        f"---\ntitle: {title}\nsummary: What it is about.\norder: {order}\nminutes: 20\n"
        f"objectives:\n  - Learn a thing.\n{extra}---\n{body}\n"
    )


def guide(title="Trainer's guide", minutes=(30, 15), headings=None, extra=""):
    """A trainer's guide whose session plan lists ``minutes``; its table's header is on line 7."""
    headings = headings or [
        "Session plan", "Exercises and role plays", "Discussion questions",
        "Materials to prepare", "The quiz and the practice log",
    ]  # fmt: skip
    rows = "".join(f"| {number} | Activity {n} | How. |\n" for n, number in enumerate(minutes))
    plan = f"## {headings[0]}\n\n| Minutes | Activity | How |\n| --- | --- | --- |\n{rows}"
    rest = "".join(f"\n## {heading}\n\nText.\n" for heading in headings[1:])
    total = sum(int(number) for number in minutes if str(number).isdigit())
    return f'---\ntitle: "{title}"\nsession_minutes: {total}\n{extra}---\n{plan}{rest}'


@pytest.fixture
def content(tmp_path):
    """A content folder with one good course of two lessons and their guides; tests break it."""
    course = tmp_path / "courses" / "test-course"
    course.mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE_YAML)
    (course / "01-first.md").write_text(lesson("First", 1, "Go on to [the second](02-second.md)."))
    (course / "02-second.md").write_text(lesson("Second", 2))
    (course / "01-first.guide.md").write_text(guide())
    (course / "02-second.guide.md").write_text(guide(minutes=(60,)))
    return tmp_path


def problems(content_dir) -> list[str]:
    return [str(problem) for problem in load_catalog(content_dir).problems]


def test_the_shipped_courses_have_no_problems():
    catalog = load_catalog(ROOT)
    assert catalog.problems == []
    assert [c.slug for c in catalog.courses] == [
        "support-role",
        "care-methodology",
        "trainer-of-trainers",
        "first-adaptation-support",
        "adaptation-mentoring",
        "peer-counselling",
        "language-partnering",
        "work-mentoring",
        "community-inclusion",
        "life-skills-workshops",
    ]
    for course in catalog.courses:
        # the three long courses, then the short ones of the field's other roles
        assert len(course.lessons) >= (8 if course.order <= 3 else 2), course.slug
        assert "et" in course.translations
        assert all("et" in lesson.translations for lesson in course.lessons[:2])


def test_the_shipped_lessons_have_what_a_lesson_needs():
    for course in load_catalog(ROOT).courses:
        for lesson_ in course.lessons:
            words = len(lesson_.source.body.text.split())
            html = str(lesson_.source.body.html)
            where = f"{course.slug}/{lesson_.slug}"
            assert 700 <= words <= 1500, f"{where}: {words} words"
            for kind in ("case", "reflection", "key-point"):
                assert f'class="admonition {kind}"' in html, f"{where}: no {kind}"
            assert lesson_.source.objectives, where
            assert any(h.title == "Summary" for h in lesson_.source.body.toc), where


def test_good_content_loads(content):
    catalog = load_catalog(content)
    assert catalog.problems == []
    course = catalog.course("test-course")
    assert [lesson.slug for lesson in course.lessons] == ["first", "second"]
    assert 'href="/courses/test-course/second"' in str(course.lessons[0].source.body.html)


def test_malformed_front_matter(content):
    path = content / "courses/test-course/02-second.md"
    path.write_text("---\ntitle: Second\nsummary: [unclosed\norder: 2\n---\nText\n")
    found = problems(content)
    assert len(found) == 1 and found[0].startswith("courses/test-course/02-second.md:")
    assert "malformed YAML" in found[0]
    assert load_catalog(content).course("test-course").lessons[0].slug == "first"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (lesson(title="''"), "02-second.md:1: missing required field 'title'"),
        (lesson(order="two"), "02-second.md:4: 'order' must be int"),
        (lesson(extra="colour: blue\n"), "02-second.md:8: unknown field 'colour'"),
        ("No front matter here\n", "02-second.md:1: the file must start with front matter"),
        ("---\ntitle: X\n", "02-second.md:1: front matter is not closed"),
        (lesson(order=1), "02-second.md:4: order 1 is already used by 01-first.md"),
        (lesson(order=2, body="See [x](03-missing.md)."), "02-second.md:9: broken link"),
        (lesson(order=2, body="![a](pic.png)"), "02-second.md:9: missing image 'pic.png'"),
        (lesson(order=2, body="[x](javascript:alert(1))"), "02-second.md:9: unsafe link"),
        (
            lesson(order=2, body="[x](../../secret.md)"),
            "02-second.md:9: link '../../secret.md' points outside",
        ),
        (
            lesson(order=2, body='Text\n\n!!! warning "Careful"\n    x'),
            "02-second.md:11: unknown callout 'warning'",
        ),
        (lesson(order=2, body="!!! case\n    x"), "02-second.md:9: callout 'case' needs a title"),
    ],
)
def test_each_kind_of_problem_is_reported_with_file_and_line(content, text, expected):
    (content / "courses/test-course/02-second.md").write_text(text)
    found = problems(content)
    assert any(expected in problem for problem in found), found


def test_links_must_point_at_source_lessons(content):
    folder = content / "courses/test-course"
    (folder / "01-first.et.md").write_text(lesson("Esimene", 1))
    (folder / "02-second.md").write_text(lesson("Second", 2, "See [x](01-first.et.md)."))
    assert "must point at a lesson's source file" in " ".join(problems(content))


def test_duplicate_slug_and_bad_file_name(content):
    folder = content / "courses/test-course"
    (folder / "03-first.md").write_text(lesson("Again", 3))
    (folder / "Notes.md").write_text("x")
    found = problems(content)
    assert "courses/test-course/03-first.md:1: duplicate lesson slug 'first'" in found
    assert any(p.startswith("courses/test-course/Notes.md:1: lesson file names") for p in found)


def test_course_yaml_problems(content, tmp_path):
    (content / "courses/test-course/course.yaml").write_text(
        "title: T\nsummary: S\npart: one\norder: 1\n"
    )
    found = problems(content)
    assert "courses/test-course/course.yaml:3: 'part' must be int" in found
    assert "courses/test-course/course.yaml:1: missing required field 'language'" in found
    assert load_catalog(content).courses == []


def test_translation_problems(content):
    folder = content / "courses/test-course"
    (folder / "05-orphan.et.md").write_text(lesson())
    (folder / "01-first.et.md").write_text(
        lesson("Esimene", 1, extra="minutes: 99\n").replace("minutes: 20\n", "")
    )
    found = problems(content)
    assert (
        "courses/test-course/05-orphan.et.md:1: translation without a source lesson '05-orphan.md'"
        in found
    )
    assert any("01-first.et.md:1: 'minutes' differs" in p for p in found)


def test_a_broken_translation_falls_back_to_the_source(content):
    (content / "courses/test-course/01-first.et.md").write_text("---\ntitle: [broken\n---\n")
    catalog = load_catalog(content)
    assert catalog.problems and catalog.course("test-course").lessons[0].translations == {}


@pytest.fixture
def english_only(app, monkeypatch):
    """The content check without asking for translations: the fixtures here are English."""
    monkeypatch.setitem(app.config, "CONTENT_OPTIONAL_LANGUAGES", tuple(app.config["LANGUAGES"]))


def test_content_check_command(runner, content, english_only):
    good = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert good.exit_code == 0, good.output
    shutil.copy(
        content / "courses/test-course/01-first.md", content / "courses/test-course/03-copy.md"
    )
    bad = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert bad.exit_code == 1
    assert "courses/test-course/03-copy.md:4: order 1 is already used by 01-first.md" in bad.output


def test_content_check_wants_every_text_in_every_language_but_the_optional_ones(
    runner, content, app, monkeypatch
):
    monkeypatch.setitem(app.config, "LANGUAGES", {"en": "English", "et": "Eesti", "ru": "Русский"})
    monkeypatch.setitem(app.config, "CONTENT_OPTIONAL_LANGUAGES", ("ru",))
    folder = content / "courses/test-course"
    (folder / "course.et.yaml").write_text("title: Testkursus\nsummary: Testideks.\n")
    (folder / "01-first.et.md").write_text(lesson("Esimene", 1))
    (folder / "01-first.guide.et.md").write_text(guide("Koolitaja juhend"))
    (folder / "02-second.guide.et.md").write_text(guide("Koolitaja juhend", minutes=(60,)))
    result = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == [
        "courses/test-course/02-second.md:1: no 'et' translation: write "
        "courses/test-course/02-second.et.md"
    ]
    (folder / "02-second.et.md").write_text(lesson("Teine", 2))
    assert runner.invoke(args=["content", "check", "--dir", str(content)]).exit_code == 0


def test_the_shipped_content_is_checked_and_translated_into_every_language(runner):
    """Fails until every lesson, course and quiz is translated (but LMS_CONTENT_OPTIONAL_LANGUAGES)
    and every lesson has its trainer's guide, translated too: the check a release must pass."""
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output


def test_a_byte_order_mark_is_accepted(content):
    path = content / "courses/test-course/02-second.md"
    path.write_bytes(b"\xef\xbb\xbf" + lesson("Second", 2).encode())
    assert problems(content) == []


def test_a_course_without_lessons_is_left_out_and_reported(content):
    empty = content / "courses/empty"
    empty.mkdir()
    (empty / "course.yaml").write_text(COURSE_YAML.replace("order: 1", "order: 5"))
    catalog = load_catalog(content)
    assert [c.slug for c in catalog.courses] == ["test-course"]
    assert "courses/empty/course.yaml:1: the course has no lessons" in problems(content)
