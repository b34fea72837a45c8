"""The head of a lesson page (breadcrumbs, title, summary, objectives, the other languages, the
table of contents), the same for everybody who reads the lesson in one text, one interface
language and with one mark of completion: rendered once for its key and kept, as the chrome
(``lms.chrome``) is.

Rendering it took about a tenth of a lesson page's CPU (0.2 of 1.6 ms). A kept head is
rendered from its own template with nothing but its key (a test holds the template to
``KEY_NAMES``), so it cannot carry one reader's data to another: whether the reader completed
the lesson and may open the trainer's guide are two booleans of the key. The content it was
made of is part of the key and kept with it, so a lesson edited and loaded again gets a new
head.
"""

from flask import current_app, request, url_for
from flask_babel import get_translations
from markupsafe import Markup

from lms.i18n import template_gettext

#: the names the head's template may use: its key, and what makes links and words
KEY_NAMES = frozenset(
    {
        "url_for",
        "_",
        "LANGUAGES",
        "course",
        "lesson",
        "text",
        "toc",
        "number",
        "total",
        "language",
        "languages",
        "fell_back",
        "is_completed",
        "has_guide",
        "here",
    }
)
#: a bound on the kept heads (lessons x texts x interface languages x marks)
MOST_KEPT = 1024


def lesson_head(course, lesson, text, toc, *, language: str, languages: list[str],
                fell_back: bool, is_completed: bool, has_guide: bool) -> Markup:  # fmt: skip
    """The head of the lesson page for this key (``language``: the interface's), rendered
    from ``courses/_lesson_head.html`` when it is not kept yet."""
    key = (
        request.script_root, id(course), id(lesson), id(text), id(toc), language,
        tuple(languages), fell_back, is_completed, has_guide,
    )  # fmt: skip
    kept = current_app.extensions["lesson_heads"]
    found = kept.get(key)
    # the objects the ids stand for are kept with the head, so that no id is reused meanwhile
    made_of = (course, lesson, text, toc)
    if found is not None and all(a is b for a, b in zip(found[0], made_of, strict=True)):
        return found[1]
    values = {
        "_": template_gettext(get_translations()),
        "LANGUAGES": current_app.config["LANGUAGES"],
        "course": course,
        "lesson": lesson,
        "text": text,
        "toc": toc,
        "number": course.lessons.index(lesson) + 1,
        "total": len(course.lessons),
        "language": language,
        "languages": languages,
        "fell_back": fell_back,
        "is_completed": is_completed,
        "has_guide": has_guide,
        "here": url_for("courses.lesson", course_slug=course.slug, lesson_slug=lesson.slug),
    }
    template = current_app.jinja_env.get_template("courses/_lesson_head.html")
    head = Markup(template.render(values))
    if len(kept) >= MOST_KEPT:
        kept.clear()
    kept[key] = (made_of, head)
    return head
