"""What other features may use of attendance: everything else stays inside it."""

from lms.attendance.attendees import OpenSession, open_among, open_for  # noqa: F401
from lms.attendance.ledger import CategoryLine, Ledger, build_matrix, risks, unscheduled_minutes  # noqa: F401
