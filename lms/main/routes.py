"""The home page, the health check and the language picker."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import get_locale
from flask_login import current_user

from lms.access import login_required, public
from lms.auth.models import Role
from lms.certificates.api import expiring, expiring_among
from lms.courses.api import completed_lessons, courses_with_progress, get_catalog
from lms.dashboard.api import coordinator_home, trainee_home, trainer_home
from lms.extensions import db
from lms.i18n import local_today
from lms.programmes.api import get_programmes
from lms.urls import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Where a person lands after logging in: where they stand in each role they hold."""
    moment, day = datetime.now(UTC), local_today()
    catalog, programmes = get_catalog(), get_programmes()
    trainee = trainer = coordinator = None
    completed: set[tuple[str, str]] = set()
    if current_user.has_role(Role.TRAINEE):
        completed = completed_lessons(db.session, current_user.id)
        trainee = trainee_home(
            db.session, current_user.id, programmes, catalog, completed, now=moment, today=day,
            early_minutes=current_app.config["CHECK_IN_EARLY_MINUTES"],
        )  # fmt: skip
    if current_user.has_role(Role.TRAINER):
        trainer = trainer_home(
            db.session, current_user, programmes, today=day, zone=current_app.config["TIMEZONE"]
        )
    if current_user.has_role(Role.COORDINATOR):
        coordinator = coordinator_home(db.session, programmes, today=day)
    warning_days = current_app.config["CERTIFICATE_WARNING_DAYS"]
    if trainee is not None:  # the trainee's home has read their certificates already
        soon = expiring_among(trainee.certificates, day, warning_days)
    else:
        soon = expiring(db.session, day, warning_days, current_user.id)
    return render_template(
        "main/home.html",
        trainee=trainee,
        trainer=trainer,
        coordinator=coordinator,
        courses=_own_courses(courses_with_progress(catalog, completed), trainee) if trainee else [],
        language=str(get_locale()),
        expiring=soon,
        today=day,
    )


def _own_courses(courses: list, trainee) -> list:
    """The courses of the programmes the trainee is or was enrolled in (every course for one in
    none yet), so that a person in one short programme is not shown all ten."""
    taught = {
        course
        for item in (*trainee.active, *trainee.finished)
        if item.programme
        for category in item.programme.categories
        for course in category.courses
    }
    return [row for row in courses if not taught or row[0].slug in taught]


@bp.route("/healthz")
@public
def healthz():
    """Answer JSON with the database's state, for load balancers and monitoring."""
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name != "sqlite":  # one statement, no BEGIN and ROLLBACK
                # (not on SQLite: resetting it would give the connection back to pysqlite's
                # own transaction handling, which lms.db switches off)
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Remember the chosen interface language, for this browser and for the person's account."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
