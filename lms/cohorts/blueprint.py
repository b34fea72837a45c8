"""The cohorts blueprint: the cohort, enrolment and schedule pages all join it."""

from flask import Blueprint

from lms.cohorts.models import STATUS_LABELS
from lms.i18n import register_labels

bp = Blueprint("cohorts", __name__)
register_labels(bp, "status_label", STATUS_LABELS)
