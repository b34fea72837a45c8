"""What other features may use of practice: everything else stays inside it."""

from lms.practice.queries import Progress, Totals, progress, totals, trainee_totals  # noqa: F401
from lms.practice.retention import reflections_due, reflections_removed_on  # noqa: F401
from lms.practice.services import SUBJECT  # noqa: F401
