"""Who may open which page: the one place where access is decided.

Every view declares its audience with ``@public``, ``@login_required`` or ``@roles_required``.
One ``before_request`` hook enforces the declaration, and a view without one is refused to
everybody (deny by default), so a forgotten decorator can never open a page.
Object-level checks (this entry belongs to that trainee) use ``ensure_visible``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, abort, current_app, request
from flask_login import current_user

from lms.auth.models import Role
from lms.extensions import login_manager

View = TypeVar("View", bound=Callable)


@dataclass(frozen=True)
class Audience:
    """Who may open a view: everybody, any signed-in person, or holders of some roles."""

    public: bool = False
    roles: frozenset[Role] = frozenset()


def _declare(audience: Audience) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.audience = audience
        return view

    return decorate


public = _declare(Audience(public=True))
login_required = _declare(Audience())


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Open a view to people holding at least one of ``roles``."""
    return _declare(Audience(roles=frozenset(roles)))


#: the two audiences most staff pages have
staff_only = roles_required(Role.TRAINER, Role.COORDINATOR)
coordinators_only = roles_required(Role.COORDINATOR)


def audience_of(endpoint: str) -> Audience | None:
    """The declared audience of an endpoint, or None when it declares none."""
    if endpoint == "static":
        return Audience(public=True)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "audience", None)


def enforce_access():
    """Refuse the request unless the current person is in the view's audience."""
    if request.endpoint is None:  # no route matched: the 404 handler answers
        return None
    audience = audience_of(request.endpoint)
    if audience is None:
        current_app.logger.error("view %s declares no audience; refused", request.endpoint)
        abort(403)
    if audience.public:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if audience.roles and not current_user.has_role(*audience.roles):
        abort(403)
    return None


def ensure_visible(allowed: bool) -> None:
    """Object-level check: answer 404 when the person may not see an object.

    404 rather than 403, so that nobody learns that another person's object exists.
    """
    if not allowed:
        abort(404)


def init_app(app: Flask) -> None:
    """Install the guard and tell flask-login where to send anonymous visitors."""
    from flask_babel import gettext

    from lms.i18n import N_

    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to see this page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_access)
