from flask import Blueprint

from lms.certificates import models  # noqa: F401

bp = Blueprint("certificates", __name__)
