"""What other features may use of certificates: everything else stays inside it."""

from lms.certificates.eligibility import Eligibility, cohort_eligibility  # noqa: F401
from lms.certificates.queries import expiring, expiring_among  # noqa: F401
