"""Alumni and their employment follow-up, for coordinators."""

from flask import Blueprint

from lms.alumni import models  # noqa: F401  (the table belongs to this feature)

bp = Blueprint("alumni", __name__)
