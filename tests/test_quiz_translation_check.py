"""A quiz translation must have the source's structure: every way it can differ is reported
with the translation's file and line, and such a translation is not served."""

import shutil
from pathlib import Path

import pytest

from lms.quizzes import translations

FIXTURES = Path(__file__).parent / "fixtures" / "translated"
LANGUAGES = ("en", "et", "uk")


@pytest.fixture
def content(tmp_path) -> Path:
    """A copy of the fixture quiz and its translations, for a test to break."""
    shutil.copytree(FIXTURES / "quizzes", tmp_path / "quizzes")
    return tmp_path


def problems_after(content: Path, old: str, new: str) -> list[str]:
    path = content / "quizzes" / "helping.uk.gift"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    loaded = translations.load_all(content, None, LANGUAGES)
    assert "uk" not in loaded.quizzes["helping"].titles  # not served
    return [str(problem) for problem in loaded.problems]


def test_the_fixture_translations_fit_their_source(content):
    loaded = translations.load_all(content, None, LANGUAGES)
    assert loaded.problems == []
    quiz = loaded.quizzes["helping"]
    assert quiz.title_for("uk") == "Допомагати добре" and quiz.title_for("ru") == "Helping well"
    local = translations.localize(loaded, quiz, "uk")
    assert local.keys == quiz.keys and local.pass_mark == 60 and local.shuffle_answers
    assert local.questions[0].text == "Хто вирішує про життя клієнта?"
    assert local.questions[0].category == "fixtures/helping"  # the source's
    assert translations.languages_of(loaded, quiz) == ["en", "et", "uk"]


BROKEN = {
    "an answer too few": (
        "    ~Муніципалітет#Ні.\n",
        "",
        "quizzes/helping.uk.gift:3: question 1 has 2 answers; the source has 3",
    ),
    "a right answer made wrong": (
        "=Клієнт#Так: вирішує клієнт.\n    ~Особа",
        "~Клієнт#Так: вирішує клієнт.\n    =Особа",
        "quizzes/helping.uk.gift:3: question 1, answer 1 is worth 0%; in the source 100%",
    ),
    "another weight": (
        "~%-100%Вирішувати",
        "~%-50%Вирішувати",
        "quizzes/helping.uk.gift:25: question 6, answer 3 is worth -50%; in the source -100%",
    ),
    "true turned false": (
        "{FALSE#Ніколи.#Правильно.}",
        "{TRUE}",
        "quizzes/helping.uk.gift:9: question 2 must be FALSE, as in the source",
    ),
    "another number": (
        "{#25:1}",
        "{#25:2}",
        "quizzes/helping.uk.gift:17: question 4, answer 1 is 25 ± 2; in the source 25 ± 1",
    ),
    "a matching pair too few": (
        "    =-> відволікач\n",
        "",
        "quizzes/helping.uk.gift:19: question 5 has 2 pairs; the source has 3",
    ),
    "a repeated right-hand side": (
        "=GDPR -> захист даних",
        "=GDPR -> методологія",
        "quizzes/helping.uk.gift:19: question 5: a right-hand side repeats where the source's "
        "does not (or the other way round)",
    ),
    "another type": (
        "{#25:1}",
        "{=двадцять п'ять}",
        "quizzes/helping.uk.gift:17: question 4 is a short-answer question; the source's is a "
        "numerical question",
    ),
    "a question too many": (
        "::Основні дії::",
        "::Зайве::Це нове питання? {TRUE}\n\n::Основні дії::",
        "quizzes/helping.uk.gift:27: the translation has 7 questions; the source has 6",
    ),
    "a question missing": (
        "::Години::Скільки годин триває перша частина? {#25:1}\n",
        "",
        "quizzes/helping.uk.gift:24: the translation has 5 questions; the source has 6",
    ),
    "a setting in the header": (
        "// @title: Допомагати добре\n",
        "// @title: Допомагати добре\n// @pass-mark: 50\n",
        "quizzes/helping.uk.gift:2: '@pass-mark' comes from the source (60); leave it out",
    ),
    "an unknown setting": (
        "// @title: Допомагати добре\n",
        "// @title: Допомагати добре\n// @мова: uk\n",
        "quizzes/helping.uk.gift:2: a setting is written '// @name: value'",
    ),
    "no title": (
        "// @title: Допомагати добре\n",
        "",
        "quizzes/helping.uk.gift:1: no '// @title: ...' line with the translated title",
    ),
    "a GIFT error": (
        "{#25:1}",
        "{#двадцять}",
        "quizzes/helping.uk.gift:17: 'двадцять' is not a number",
    ),
}


@pytest.mark.parametrize("old, new, expected", BROKEN.values(), ids=BROKEN.keys())
def test_each_difference_is_reported_with_file_and_line(content, old, new, expected):
    assert expected in problems_after(content, old, new)


def test_a_setting_equal_to_the_sources_is_allowed(content):
    path = content / "quizzes" / "helping.uk.gift"
    path.write_text("// @pass-mark: 60\n// @shuffle: answers\n" + path.read_text())
    assert translations.load_all(content, None, LANGUAGES).problems == []


def test_short_answers_may_differ_in_number_and_weight(content):
    loaded = translations.load_all(content, None, LANGUAGES)
    source, local = (
        loaded.quizzes["helping"],
        translations.localize(loaded, loaded.quizzes["helping"], "uk"),
    )
    assert len(source.questions[2].answers) == 2 and len(local.questions[2].answers) == 2
    assert [a.fraction for a in local.questions[2].answers] == [1.0, 1.0]  # the source: 1, 0.5


def test_misnamed_and_orphan_translations_are_reported(content):
    folder = content / "quizzes"
    shutil.copy(folder / "helping.uk.gift", folder / "helping.xx.gift")
    shutil.copy(folder / "helping.uk.gift", folder / "gone.uk.gift")
    shutil.copy(folder / "helping.uk.gift", folder / "helping.en.gift")
    found = [str(p) for p in translations.load_all(content, None, LANGUAGES).problems]
    assert "quizzes/helping.xx.gift:1: 'xx' is not a language to translate into (et, uk)" in found
    assert "quizzes/helping.en.gift:1: 'en' is not a language to translate into (et, uk)" in found
    assert "quizzes/gone.uk.gift:1: translation without a source quiz 'gone.gift'" in found


def test_missing_translations_are_listed_for_the_content_check(content):
    (content / "quizzes" / "helping.et.gift").unlink()
    loaded = translations.load_all(content, None, LANGUAGES)
    assert [str(p) for p in translations.missing(content, loaded, ["et", "uk"])] == [
        "quizzes/helping.gift:1: no 'et' translation: write quizzes/helping.et.gift"
    ]


def test_quizzes_check_reports_a_translation_against_its_source(runner, content):
    path = content / "quizzes" / "helping.uk.gift"
    path.write_text(path.read_text().replace("    ~Муніципалітет#Ні.\n", ""))
    result = runner.invoke(args=["quizzes", "check", str(path)])
    assert result.exit_code == 1
    assert "helping.uk.gift:3: question 1 has 2 answers; the source has 3" in result.output
    good = runner.invoke(args=["quizzes", "check", str(content / "quizzes" / "helping.et.gift")])
    assert good.exit_code == 0, good.output
