"""The programmes page: each syllabus with its hour categories and requirements."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user

from lms import hooks
from lms.access import login_required
from lms.auth.models import Role
from lms.extensions import db
from lms.programmes.definitions import grouped_by_audience
from lms.programmes.services import get_programmes

bp = Blueprint("programmes", __name__)


@bp.route("/")
@login_required
def index():
    """Every programme; coordinators also see the problems of broken programme files."""
    programmes = get_programmes()
    coordinator = current_user.has_role(Role.COORDINATOR)
    language = str(get_locale())
    return render_template(
        "programmes/index.html",
        programmes=list(programmes),
        groups=grouped_by_audience(programmes),
        problems=programmes.problems if coordinator else [],
        stale=[programmes.get(slug).title_for(language) for slug in sorted(programmes.stale)]
        if coordinator
        else [],
        left_out=bool(programmes.broken - programmes.stale),
        quiz_titles={
            quiz.slug: quiz.title_for(language) for quiz in hooks.ask("quizzes", db.session)
        },
    )
