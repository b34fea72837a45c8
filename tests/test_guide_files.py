"""Loading and checking trainer's guides: every problem with its file and line, and the content
check's list of lessons without a guide and guides without a translation."""

import shutil
from pathlib import Path

import pytest

from lms.courses.lastgood import keep_last_good
from lms.courses.loader import load_catalog
from tests.test_content import content, guide, problems  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "guides"
ET_HEADINGS = [
    "Sessiooni kava", "Harjutused ja rollimängud", "Arutelu küsimused",
    "Ettevalmistatavad materjalid", "Test ja praktikapäevik",
]  # fmt: skip


def content_with_guides(folder: Path) -> Path:
    """The shipped courses, programmes and quizzes with only the two example guides of
    ``tests/fixtures/guides`` beside their lessons (the shipped guides left out), in ``folder``."""
    for name in ("courses", "programmes", "quizzes"):
        shutil.copytree(ROOT / name, folder / name, dirs_exist_ok=True)
    for shipped in (folder / "courses").glob("*/*.guide*.md"):  # only the examples: a known world
        shipped.unlink()
    for path in FIXTURES.glob("*/*.md"):
        shutil.copy(path, folder / "courses" / path.parent.name / path.name)
    return folder


def first_guide(content_dir):
    return load_catalog(content_dir).course("test-course").lessons[0].guide


def write(content_dir, name: str, text: str) -> list[str]:
    (content_dir / "courses" / "test-course" / name).write_text(text)
    return problems(content_dir)


def test_the_example_guides_load_with_their_translation(tmp_path):
    catalog = load_catalog(content_with_guides(tmp_path))
    assert catalog.problems == []
    boundaries = catalog.course("support-role").lesson("boundaries-and-ethics").guide
    assert boundaries.session_minutes == 180 and list(boundaries.translations) == ["et"]
    assert boundaries.text_for("et").title == "Koolitaja juhend: piirid ja eetika"
    assert boundaries.text_for("uk").language == "en"
    assert [h.anchor for h in boundaries.source.body.toc][0] == "session-plan"
    assert catalog.course("care-methodology").lessons[0].guide.session_minutes == 165
    assert catalog.course("support-role").lesson("what-a-support-person-does").guide is None


def test_a_plan_that_does_not_add_up_is_reported_with_the_sum_and_the_target(content):  # noqa: F811
    text = guide(minutes=(30, 15)).replace("session_minutes: 45", "session_minutes: 50")
    assert write(content, "01-first.guide.md", text) == [
        "courses/test-course/01-first.guide.md:7: "
        "the session plan adds up to 45 minutes, not the 50 of session_minutes"
    ]
    assert first_guide(content) is None  # left out; the lesson is still served
    assert load_catalog(content).course("test-course").lessons[0].slug == "first"


def test_minutes_must_be_whole_numbers(content):  # noqa: F811
    found = write(content, "01-first.guide.md", guide(minutes=(30, "15 min", "ten")))
    assert found == [
        "courses/test-course/01-first.guide.md:10: "
        "the first column is minutes, a whole number, not '15 min'",
        "courses/test-course/01-first.guide.md:11: "
        "the first column is minutes, a whole number, not 'ten'",
    ]


def test_the_plan_is_one_table(content):  # noqa: F811
    text = guide().replace("## Exercises", "| 5 | More | x |\n\n## Exercises")
    found = write(content, "01-first.guide.md", text)
    assert found == [
        "courses/test-course/01-first.guide.md:12: "
        "the session plan is one table; this is a second one"
    ]
    no_table = guide().replace("| Minutes", "Minutes").replace("| ---", "---")
    no_table = "\n".join(line.lstrip("| ") for line in no_table.split("\n"))
    found = write(content, "01-first.guide.md", no_table)
    assert "courses/test-course/01-first.guide.md:5: the session plan needs a table" in found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            guide().replace('title: "Trainer\'s guide"\n', ""),
            ":1: missing required field 'title'",
        ),
        (
            guide().replace("session_minutes: 45", "session_minutes: long"),
            ":3: 'session_minutes' must be int",
        ),
        (guide().replace("session_minutes: 45", "session_minutes: [1"), ":3: malformed YAML"),
        (guide(extra="minutes: 20\n"), ":4: unknown field 'minutes'"),
        (guide(minutes=(0,)), ":3: 'session_minutes' must be above 0"),
        ("## Session plan\n", ":1: the file must start with front matter"),
    ],
)
def test_bad_front_matter(content, text, expected):  # noqa: F811
    found = write(content, "02-second.guide.md", text)
    assert found and found[0].startswith("courses/test-course/02-second.guide.md" + expected)


def test_sections_are_all_there_in_their_order(content):  # noqa: F811
    headings = ["Session plan", "Discussion questions", "Exercises and role plays",
                "Materials", "The quiz and the practice log"]  # fmt: skip
    found = write(content, "01-first.guide.md", guide(headings=headings))
    prefix = "courses/test-course/01-first.guide.md:"
    assert found == [
        prefix + "16: section '## Exercises and role plays' is out of order (Session plan -> "
        "Exercises and role plays -> Discussion questions -> Materials to prepare -> "
        "The quiz and the practice log)",
        prefix + "20: unknown section '## Materials' (a guide has '## Session plan', "
        "'## Exercises and role plays', '## Discussion questions', '## Materials to prepare', "
        "'## The quiz and the practice log')",
        prefix + "24: missing section '## Materials to prepare'",
    ]


def test_a_guide_without_its_lesson(content):  # noqa: F811
    assert write(content, "03-third.guide.md", guide()) == [
        "courses/test-course/03-third.guide.md:1: "
        "a guide without a lesson: there is no '03-third.md' beside it"
    ]


def test_a_translation_keeps_the_sources_length_and_sections(content):  # noqa: F811
    good = guide("Koolitaja juhend", headings=ET_HEADINGS)
    assert write(content, "01-first.guide.et.md", good) == []
    assert first_guide(content).text_for("et").title == "Koolitaja juhend"
    longer = guide("Koolitaja juhend", minutes=(30, 20), headings=ET_HEADINGS)
    assert write(content, "01-first.guide.et.md", longer) == [
        "courses/test-course/01-first.guide.et.md:3: "
        "'session_minutes' differs from the source guide (45)"
    ]
    assert first_guide(content).translations == {}
    short = guide("Koolitaja juhend", headings=ET_HEADINGS[:4])
    assert write(content, "01-first.guide.et.md", short) == [
        "courses/test-course/01-first.guide.et.md:5: "
        "a guide has 5 sections ('## …' headings, translated); this translation has 4"
    ]


def test_a_translation_without_its_source_guide(content):  # noqa: F811
    (content / "courses/test-course/02-second.guide.md").unlink()
    assert write(content, "02-second.guide.uk.md", guide(minutes=(60,))) == [
        "courses/test-course/02-second.guide.uk.md:1: "
        "a translation without its source guide '02-second.guide.md'"
    ]


def test_a_guide_broken_while_running_keeps_its_last_good_version(content):  # noqa: F811
    write(content, "01-first.guide.et.md", guide("Koolitaja juhend", headings=ET_HEADINGS))
    previous = load_catalog(content)
    write(content, "01-first.guide.md", guide(minutes=(30,)).replace(": 30", ": 31"))
    write(content, "01-first.guide.et.md", "---\ntitle: [half saved\n")
    fresh = keep_last_good(load_catalog(content), previous)
    assert len(fresh.problems) == 2
    kept = fresh.course("test-course").lessons[0].guide
    assert kept is previous.course("test-course").lessons[0].guide
    assert kept.session_minutes == 45 and "et" in kept.translations


def test_content_check_wants_a_guide_for_every_lesson_in_every_language(
    runner,
    content,  # noqa: F811
    app,
    monkeypatch,
):
    monkeypatch.setitem(app.config, "LANGUAGES", {"en": "English", "et": "Eesti", "ru": "Русский"})
    monkeypatch.setitem(app.config, "CONTENT_OPTIONAL_LANGUAGES", ("ru",))
    folder = content / "courses/test-course"
    (folder / "course.et.yaml").write_text("title: Testkursus\nsummary: Testideks.\n")
    for name in ("01-first", "02-second"):
        shutil.copy(folder / f"{name}.md", folder / f"{name}.et.md")
    (folder / "02-second.guide.md").unlink()
    (folder / "01-first.guide.et.md").write_text(guide("Koolitaja juhend", headings=ET_HEADINGS))
    result = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert result.exit_code == 1
    assert result.output.splitlines()[:-1] == [
        "courses/test-course/02-second.md:1: no trainer's guide: "
        "write courses/test-course/02-second.guide.md"
    ]
    (folder / "02-second.guide.md").write_text(guide(minutes=(60,)))
    result = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert result.output.splitlines()[:-1] == [
        "courses/test-course/02-second.guide.md:1: no 'et' translation: "
        "write courses/test-course/02-second.guide.et.md"
    ]
    assert "2 lessons, 2 guides" in result.output


@pytest.mark.parametrize(
    ("programme_slug", "category_slugs"),
    [
        ("support-person", ["support-role", "care-practice"]),
        ("trainer-of-trainers", ["theory"]),
        *[
            (slug, None)
            for slug in (
                "first-adaptation-support", "adaptation-mentor", "peer-counsellor",
                "language-partner", "work-mentor", "life-skills-workshops",
                "community-developer-trainer",
            )
        ],
    ],
)  # fmt: skip
def test_the_shipped_guides_plan_the_hours_their_programme_teaches(programme_slug, category_slugs):
    """A new trainer can run the whole programme from the guides: the guides of a category's courses
    plan its hours, 25 + 25 for the support-person training and 64 of theory for its trainers."""
    from lms.programmes.loader import load_programmes

    catalog = load_catalog(ROOT)
    programme = load_programmes(ROOT).get(programme_slug)
    taught = [category for category in programme.categories if category.courses]
    assert [category.slug for category in taught] == (category_slugs or [taught[0].slug])
    for category in taught:
        lessons = [lesson for slug in category.courses for lesson in catalog.course(slug).lessons]
        missing = [lesson.slug for lesson in lessons if lesson.guide is None]
        assert not missing, f"{category.slug}: no guide for {missing}"
        planned = sum(lesson.guide.session_minutes for lesson in lessons)
        assert planned == category.syllabus_minutes, category.slug


def test_the_basic_courses_give_a_trainee_twenty_hours_of_reading():
    """The 50 hours are sessions; the reading between them is at least 20 of its own."""
    catalog = load_catalog(ROOT)
    reading = sum(catalog.course(slug).minutes for slug in ("support-role", "care-methodology"))
    assert reading >= 20 * 60
