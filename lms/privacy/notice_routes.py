"""The privacy notice's pages: ``/privacy`` for everybody (linked from every page's footer),
``/privacy/first-login``, where a person lands after their first login (and after the notice
changed) and goes on with *Continue*, and ``/privacy/changed``, where a coordinator marks a
change that everyone is to read."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import coordinators_only, login_required, public
from lms.auth.models import Role
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import now
from lms.organisation import api as organisation
from lms.organisation.api import current_issuer
from lms.privacy import notice as privacy_notice
from lms.privacy.routes import bp
from lms.security import cacheable
from lms.urls import safe_next

bp.record_once(lambda state: privacy_notice.init_app(state.app))

#: The notice changes rarely and names nobody; a browser may keep it for a few minutes. Not a
#: shared cache: the page's header shows who is logged in. ``Vary`` keeps one copy per language.
NOTICE_POLICY = "private, max-age=300"


def _page(template: str, **context):
    """The notice in the reader's language with the organisation's name put in; coordinators
    also see the ``check`` callouts, what is wrong with the files, and a warning when the
    organisation has no contact for readers to write to."""
    coordinator = current_user.is_authenticated and current_user.has_role(Role.COORDINATOR)
    language = str(get_locale())
    notices = privacy_notice.current_notices()
    shown = privacy_notice.choose(notices, language)
    issuer = current_issuer()
    body = None
    if shown.rendered is not None:
        body = privacy_notice.with_organisation(shown.rendered.for_reader(coordinator), issuer.name)
    return render_template(
        template,
        body=body,
        shown=shown,
        issuer=issuer,
        reader_language=current_app.config["LANGUAGES"].get(language, language),
        problems=notices.problems if coordinator else [],
        no_contact=coordinator and not (issuer.address.strip() or issuer.website.strip()),
        **context,
    )


@bp.route("")
@public
@cacheable(NOTICE_POLICY)
def notice():
    """The privacy notice, in the reader's language (English, with a note, when it has none).
    Coordinators also see when it was last marked as changed and who has read it since; their
    copy is never kept, so that the figures, and a change just marked, are current."""
    coordinator = current_user.is_authenticated and current_user.has_role(Role.COORDINATOR)
    readers = privacy_notice.readers(db.session) if coordinator else None
    response = current_app.make_response(_page("privacy/notice.html", readers=readers))
    response.vary.update(("Cookie", "Accept-Language"))
    if coordinator:
        response.cache_control.no_store = True
    return response


@bp.route("/first-login", methods=["GET", "POST"])
@login_required
def first_login():
    """The notice once more with a *Continue* button, which records that the person has seen
    it and goes on to where they were going (``next``, a path on this site). Someone who read
    it before it was marked as changed is told so, with the date of the change."""
    target = safe_next(request.args.get("next"))
    form = ConfirmForm()
    if form.validate_on_submit():
        privacy_notice.mark_notice_seen(db.session, current_user, now())
        db.session.commit()
        return redirect(target)
    return _page(
        "privacy/first_login.html",
        form=form,
        action=url_for(".first_login", next=target),
        changed_at=privacy_notice.read_before_change(db.session, current_user),
    )


@bp.route("/changed", methods=["GET", "POST"])
@coordinators_only
def mark_changed():
    """Say what marking the notice as changed does; once confirmed, everyone who read an
    earlier version is shown it again at their next login."""
    form = ConfirmForm()
    if form.validate_on_submit():
        organisation.mark_notice_changed(
            db.session, current_user, default_name=current_issuer().name, now=now()
        )
        db.session.commit()
        flash(
            _(
                "The privacy notice has been marked as changed. Everyone who has read an earlier "
                "version will be shown it again at their next login."
            ),
            "success",
        )
        return redirect(url_for(".notice"))
    return render_template(
        "privacy/mark_changed.html",
        form=form,
        readers=privacy_notice.readers(db.session),
    )
