"""What other features may use of courses: everything else stays inside it."""

from lms.courses.content import Catalog, Course, Lesson, Problem, Reporter  # noqa: F401
from lms.courses.services import completed_lessons, courses_with_progress, get_catalog, lesson_title  # noqa: F401
