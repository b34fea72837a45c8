"""What other features may use of programmes: everything else stays inside it."""

from lms.programmes.definitions import Category, Programme, ProgrammeSet  # noqa: F401
from lms.programmes.services import (  # noqa: F401
    get_programme,
    get_programmes,
    programme_or_unavailable,
    programme_title,
)
