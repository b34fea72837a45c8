"""Which translations the content still lacks: every course description and lesson in every
language the site offers, but those ``LMS_CONTENT_OPTIONAL_LANGUAGES`` exempts."""

from pathlib import Path

from lms.courses.content import LESSON_FILE, Catalog, Problem


def required_languages(languages, optional, source: str) -> list[str]:
    """The site's languages a text in ``source`` must be translated into."""
    return [code for code in languages if code != source and code not in set(optional)]


def missing_translations(content_dir: Path, catalog: Catalog, languages, optional) -> list[Problem]:
    """A problem on each course file and lesson file that lacks a translation file."""
    problems = []
    for course in catalog.courses:
        folder = Path(content_dir) / "courses" / course.slug
        shown = f"courses/{course.slug}"
        wanted = required_languages(languages, optional, course.language)
        sources = ["course.yaml"] + sorted(
            path.name
            for path in folder.glob("*.md")
            if (match := LESSON_FILE.match(path.name)) and not match["lang"]
        )
        for name in sources:
            stem, _, suffix = name.rpartition(".")
            for language in wanted:
                translated = f"{stem}.{language}.{suffix}"
                if not (folder / translated).is_file():
                    message = f"no '{language}' translation: write {shown}/{translated}"
                    problems.append(Problem(f"{shown}/{name}", 1, message))
    return problems
