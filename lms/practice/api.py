"""What other features may use of practice: everything else stays inside it."""

from lms.practice.queries import Progress, Totals, progress, totals, trainee_totals  # noqa: F401
