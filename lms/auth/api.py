"""What other features may use of auth: everything else stays inside it."""

from lms.auth.emails import look_alike_key  # noqa: F401
from lms.auth.links import HandedLink, email_link, make_link, sheet_csv_address  # noqa: F401
from lms.auth.services import (  # noqa: F401
    AccountError,
    check_email_free,
    check_person_fields,
    create_user,
    find_look_alike,
    find_user_by_email,
    look_alike_error,
    normalise_email,
    set_roles,
)
