"""Certificates: eligibility, issue, the register, verification and credentials."""

# cohorts asks whether a person holds a certificate; the answer registers with the models
from lms.certificates import queries  # noqa: F401
