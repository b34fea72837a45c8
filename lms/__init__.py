"""Tugi: a learning-management system for the training of support persons."""

import gc
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.config import FIXED, SHIPPED_ROOT, from_environment, instance_secret_key
from lms.templating import use_template_cache

# gunicorn ``--preload`` builds the app once, then forks its workers, which share its memory
# until they write to it; the cycle collector writes to every object it looks at, so that each
# worker soon held its own copy of much of the app. Frozen before the fork, what was loaded is
# left out of collections (each of two workers then held some 15 MB less of its own after the
# requests of ``bench.memory --preload``). Objects frozen are still freed when no longer used,
# unless they are in a reference cycle.
_shared_loaded = False


def load_shared_before_fork() -> None:
    """Load, once, what every worker would otherwise load for itself on its first pages: the
    CLDR data of every interface language (babel reads a whole locale at its first number or
    date; kept without the parts no page shows, ``lms.cldr``) and ICU's collators. Loaded in
    the master, they are shared; ICU's data pages, mapped in the master, enter a worker's
    resident memory only as it reads them. With ``bench.memory --preload`` each worker held
    4 MB less of its own and 4 MB less resident."""
    global _shared_loaded
    if _shared_loaded:
        return
    _shared_loaded = True
    from lms import cldr, collation
    from lms.config import LANGUAGES

    for language in LANGUAGES:
        cldr.make_lean(language)
        collation.collator(language)


def _before_fork() -> None:
    try:
        load_shared_before_fork()
    finally:
        gc.freeze()


os.register_at_fork(before=_before_fork)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages and commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
        static_folder=str(SHIPPED_ROOT / "static"),
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(from_environment(app.instance_path))
    app.config.update(FIXED)
    if config:
        app.config.update(config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)

    from lms import inputs

    inputs.install_converters(app)  # before any route is added
    register_extensions(app)
    if app.config["PROXY_COUNT"]:  # outermost, so that every layer sees the client's scheme
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    use_template_cache(app)  # once every extension has set its Jinja options
    if not app.testing:  # a test run builds many apps: frozen, each would be kept to the end
        _out_of_collections()
    return app


def _out_of_collections() -> None:
    """Collect what building the app left, then freeze the rest: it lives as long as the
    process, and a full collection then looks only at what requests left (a worker without
    ``--preload`` builds its own app, some 130,000 tracked objects)."""
    gc.collect()
    gc.freeze()


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app and install the request-wide guards."""
    from lms import access, chrome, form_messages, i18n, inputs, ratelimit, security, urls
    from lms.courses import services as courses
    from lms.db import forget_connections_after_fork, ping_when_idle, use_partial_indexes
    from lms.extensions import babel, csrf, db, limiter, login_manager
    from lms.programmes import services as programmes
    from lms.quizzes import api as quizzes

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine, app.config["DATABASE_PING_IDLE_SECONDS"])
            forget_connections_after_fork(engine)
            use_partial_indexes(db.metadata, engine.dialect.name)
    csrf.init_app(app)
    ratelimit.configure(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    inputs.init_app(app)
    access.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    chrome.init_app(app)
    app.jinja_env.globals["row_url"] = urls.row_url
    form_messages.init_app(app)
    courses.init_app(app)
    programmes.init_app(app)
    quizzes.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per feature."""
    from lms.alumni.routes import bp as alumni_bp
    from lms.attendance.routes import bp as attendance_bp
    from lms.auth.routes import bp as auth_bp
    from lms.certificates import register_routes  # noqa: F401  (the register joins the blueprint)
    from lms.certificates.public import bp as verify_bp
    from lms.certificates.routes import bp as certificates_bp
    from lms.cohorts.routes import bp as cohorts_bp
    from lms.courses.routes import bp as courses_bp
    from lms.dashboard import cohort_page  # noqa: F401  (the cohort page joins the cohorts blueprint)
    from lms.interop.routes import bp as interop_bp
    from lms.main.routes import bp as main_bp
    from lms.organisation.routes import bp as organisation_bp
    from lms.practice.routes import bp as practice_bp
    from lms.privacy import (
        export_routes,  # noqa: F401  (My data joins the privacy blueprint)
        notice_routes,  # noqa: F401  (the notice's pages join the blueprint)
    )
    from lms.privacy.routes import bp as privacy_bp
    from lms.programmes.routes import bp as programmes_bp
    from lms.quizzes import staff_routes  # noqa: F401  (the staff pages join the quizzes blueprint)
    from lms.quizzes.routes import bp as quizzes_bp
    from lms.reports.routes import bp as reports_bp
    from lms.users.routes import bp as users_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(users_bp, url_prefix="/users")
    app.register_blueprint(courses_bp, url_prefix="/courses")
    app.register_blueprint(programmes_bp, url_prefix="/programmes")
    app.register_blueprint(cohorts_bp, url_prefix="/cohorts")
    app.register_blueprint(attendance_bp, url_prefix="/attendance")
    app.register_blueprint(quizzes_bp, url_prefix="/quizzes")
    app.register_blueprint(practice_bp, url_prefix="/practice")
    app.register_blueprint(certificates_bp, url_prefix="/certificates")
    app.register_blueprint(verify_bp)
    app.register_blueprint(alumni_bp, url_prefix="/alumni")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(organisation_bp, url_prefix="/organisation")
    app.register_blueprint(interop_bp, url_prefix="/interop")
    app.register_blueprint(privacy_bp, url_prefix="/privacy")


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages; no stack trace ever reaches a user."""
    from lms.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    """Maintenance commands, reachable as ``lms ...`` and ``flask --app lms ...``."""
    from lms.cli import register

    register(app)
