"""Programmes as data: the three shipped syllabi, and every problem a programme file can have."""

from pathlib import Path

import pytest

from lms.auth.models import Role
from lms.config import REPOSITORY_ROOT
from lms.programmes.loader import load_programmes
from tests.factories import login, make_user

GOOD = """\
title:
  en: Test programme
  et: Testprogramm
hours: 10
attendance_minimum: 0.8
categories:
  - slug: part-one
    title: Part one
    hours: 6
    courses: [alpha]
  - slug: part-two
    title: Part two
    hours: 4
    attendance_minimum: 1
practice:
  hours: 5
  clients: 2
certificate:
  valid_months: 24
"""


@pytest.fixture
def content(tmp_path) -> Path:
    (tmp_path / "courses" / "alpha").mkdir(parents=True)
    (tmp_path / "courses" / "alpha" / "course.yaml").write_text("title: A\n")
    (tmp_path / "programmes").mkdir()
    return tmp_path


def write(content: Path, text: str, name: str = "test.yaml") -> list[str]:
    (content / "programmes" / name).write_text(text, encoding="utf-8")
    return [str(problem) for problem in load_programmes(content).problems]


def test_the_shipped_programmes_load_without_problems():
    programmes = load_programmes(REPOSITORY_ROOT)
    assert programmes.problems == []
    basic = programmes.get("support-person")
    assert basic.hours == 50 and basic.hour_minutes == 60
    assert [c.courses for c in basic.categories] == [("support-role",), ("care-methodology",)]
    assert basic.practice_hours > 0 and basic.quizzes and basic.certificate_valid_months
    trainers = programmes.get("trainer-of-trainers")
    assert [(c.slug, c.hours) for c in trainers.categories] == [
        ("theory", 64),
        ("field-practice", 16),
        ("field-debriefing", 16),
    ]
    assert trainers.requires_certificate == "support-person"
    regional = programmes.get("regional-thematic")
    assert regional.hours == 128 and regional.hour_minutes == 45
    assert len(regional.categories) == 4
    # 32 academic hours of 45 minutes, of which 75 % must be attended
    assert regional.categories[0].syllabus_minutes == 32 * 45
    assert regional.categories[0].required_minutes == round(32 * 45 * 0.75)


def test_a_good_file_gives_its_requirements(content):
    assert write(content, GOOD) == []
    programme = load_programmes(content).get("test")
    assert programme.title_for("et") == "Testprogramm"
    assert programme.title_for("uk") == "Test programme"  # falls back to English
    one, two = programme.categories
    assert one.required_minutes == 6 * 60 * 0.8 and two.required_minutes == 4 * 60
    assert (programme.practice_hours, programme.practice_clients) == (5, 2)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("hours: 10", "hours: 11"), "test.yaml:4: 'hours' is 11 but the"),
        (lambda t: t + "colour: blue\n", "test.yaml:20: unknown field 'colour'"),
        (lambda t: t.replace("minimum: 0.8", "minimum: 80"), "test.yaml:5: 'attendance_minimum'"),
        (lambda t: t.replace("[alpha]", "[beta]"), "test.yaml:10: unknown course 'beta'"),
        (lambda t: t.replace("slug: part-two", "slug: part-one"), "duplicate category 'part-one'"),
        (lambda t: t.replace("hours: 4\n", "hours: four\n"), "test.yaml:13: 'hours' must be a"),
        (lambda t: t.replace("  en: Test programme\n", ""), "'title' needs an 'en' text"),
        (lambda t: t.replace("  et:", "  fi:"), "test.yaml:3: unknown language 'fi'"),
        (lambda t: t.replace("clients: 2", "clients: 1.5"), "test.yaml:17: 'clients' must be a"),
        (lambda t: t.replace("valid_months: 24", "valid_months: -1"), "test.yaml:19:"),
        (lambda t: t + "requires_certificate: nothing\n", "names no other programme"),
        (lambda t: t + "quizzes: [Not A Slug]\n", "'quizzes' must be a list of quiz slugs"),
        (lambda t: t.replace("categories:", "categories: {"), "test.yaml:"),
    ],
)
def test_each_problem_is_reported_with_file_and_line(content, change, expected):
    problems = write(content, change(GOOD))
    assert any(expected in problem for problem in problems), problems
    assert load_programmes(content).get("test") is None  # a broken programme is left out


def test_hour_minutes_must_be_a_real_hour(content):
    problems = write(content, GOOD.replace("hours: 10\n", "hours: 10\nhour_minutes: 90\n"))
    assert problems == ["programmes/test.yaml:5: 'hour_minutes' must be the minutes in one hour "
                        "of the syllabus, like 60 or 45"]  # fmt: skip


def test_a_file_that_is_not_utf8_or_badly_named_is_reported(content):
    (content / "programmes" / "latin.yaml").write_bytes(b"title: \xd5ie\n")
    (content / "programmes" / "Bad Name.yaml").write_text(GOOD)
    problems = [str(p) for p in load_programmes(content).problems]
    assert "programmes/latin.yaml:1: the file is not UTF-8" in problems
    assert any(p.startswith("programmes/Bad Name.yaml:1:") for p in problems)


def test_content_check_covers_programmes(runner, content):
    write(content, GOOD)
    good = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert "programmes/" not in good.output  # (the bare test course has problems of its own)
    assert "1 programmes" in good.output
    write(content, GOOD.replace("hours: 10", "hours: 12"))
    bad = runner.invoke(args=["content", "check", "--dir", str(content)])
    assert bad.exit_code == 1
    assert "programmes/test.yaml:4: 'hours' is 12" in bad.output


def test_programmes_page_lists_requirements_and_shows_problems_to_coordinators(
    client, session, content, app, monkeypatch
):
    login(client, make_user(session, Role.TRAINEE))
    page = client.get("/programmes/").get_data(as_text=True)
    assert "Trainer-of-trainers programme" in page and "64" in page
    assert "academic hours of 45 minutes" in page

    write(content, GOOD.replace("hours: 10", "hours: 12"))
    broken = load_programmes(content)
    monkeypatch.setattr("lms.programmes.routes.get_programmes", lambda: broken)
    assert "Programme files with problems" not in client.get("/programmes/").get_data(as_text=True)
    login(client, make_user(session, Role.COORDINATOR))
    page = client.get("/programmes/").get_data(as_text=True)
    assert "programmes/test.yaml:4:" in page
