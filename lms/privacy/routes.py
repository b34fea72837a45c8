"""The privacy pages: the notice, *My data*, and erasure."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
