"""Log in and out (here or everywhere), the account page, passwords and one-time links."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from lms import hooks
from lms.access import login_required, public
from lms.auth import links, logins, services
from lms.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from lms.auth.loader import load_user
from lms.auth.models import ROLE_LABELS, LoginSession
from lms.extensions import db, limiter, login_manager
from lms.forms import ConfirmForm
from lms.i18n import register_labels
from lms.mail import mail_configured
from lms.urls import safe_next

bp = Blueprint("auth", __name__)
register_labels(bp, "role_label", ROLE_LABELS)
# flask-login finds the person behind a session through this feature
bp.record_once(lambda state: login_manager.user_loader(load_user))


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _address_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ADDRESS"]


def _address_and_account() -> str:
    """Count attempts per client address *and* account (the email typed, or the link's token):
    sixteen trainees in one room behind one address each have their own count, while guessing
    one person's password is held back. ``_address_limit`` bounds the address as a whole."""
    typed = (request.form.get("email") or "").strip().lower()
    return f"{get_remote_address()}|{typed or request.path}"


login_limits = [
    limiter.limit(_login_limit, methods=["POST"], key_func=_address_and_account),
    limiter.limit(_address_limit, methods=["POST"]),
]


def limited(view):
    """Both login limits on a view that checks a password, a link or an email."""
    for limit in login_limits:
        view = limit(view)
    return view


def _log_in(user, remember: bool = False) -> None:
    """Start a login kept on the server, then give this browser its cookie."""
    logins.start_login(db.session, user, remember)
    db.session.commit()
    login_user(user, remember=remember)


def _landing(user, target: str):
    """Go on to ``target``, by way of the privacy notice if the person has not yet seen it, or
    not since it was marked as changed (at login only: skipping it shows it again at the next
    login, never on every page)."""
    if hooks.ask("privacy_notice_due", db.session, user):
        return redirect(url_for("privacy.first_login", next=target))
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
@public
@limited
def login():
    """Show the login form; log the person in when email and password match."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            # One message for a wrong email and a wrong password: nobody learns who has an account.
            flash(_("The email or password is not right."), "error")
        elif not user.active:
            flash(_("This account has been deactivated. Ask your coordinator."), "error")
        else:
            _log_in(user, remember=form.remember.data)
            return _landing(user, safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST, so that no link or image can log anybody out).

    The login is revoked on the server, so a copy of this browser's cookies stops working too.
    """
    logins.end_login(db.session, current_user.login_session_id)
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    """The person's account: details, where they are logged in, password, log out everywhere."""
    return render_template(
        "auth/account.html",
        logins=logins.open_logins(db.session, current_user),
        form=ConfirmForm(),
    )


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    """End every login of the person, on every device, this one included."""
    if ConfirmForm().validate_on_submit():
        logins.end_all_logins(db.session, current_user)
        db.session.commit()
        logout_user()
        flash(_("You have logged out on every device."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions of the person end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                db.session,
                current_user,
                form.current.data,
                form.password.data,
                current_app.config["PASSWORD_HASH_METHOD"],
                keep_login=current_user.login_session_id,
            )
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            # This login goes on with the new version, remembered if it was.
            login = db.session.get(LoginSession, current_user.login_session_id)
            login_user(current_user._get_current_object(), remember=bool(login and login.remember))
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/<token>", methods=["GET", "POST"])
@public
@limited
def set_password(token: str):
    """Set a password through a one-time link; the person is then logged in."""
    try:
        link = services.find_password_link(db.session, token)
    except services.AccountError as error:
        return render_template("auth/link_invalid.html", message=str(error)), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.redeem_password_link(
                db.session, token, form.password.data, current_app.config["PASSWORD_HASH_METHOD"]
            )
        except services.AccountError as error:  # used by a simultaneous request
            db.session.rollback()
            return render_template("auth/link_invalid.html", message=str(error)), 404
        if current_user.is_authenticated:  # somebody else was logged in on this browser
            logins.end_login(db.session, current_user.login_session_id)
            logout_user()
        _log_in(user)
        flash(_("Your password has been set. Welcome to Tugi."), "success")
        return _landing(user, url_for("main.home"))
    return render_template("auth/set_password.html", form=form, person=link.user)


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limited
def forgot_password():
    """Email a new password link when mail is configured; otherwise say whom to ask.

    The answer is the same whether or not the address has an account.
    """
    form = ForgotPasswordForm()
    if mail_configured() and form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data)
        link = None
        if user is not None and user.active:
            link = links.make_link(user, None, retire_others=False)
            db.session.commit()
        if link is not None:
            links.email_link(link)
        flash(
            _(
                "If an account has this address, a link to set a new password has been sent to "
                "it. It works once, for %(hours)d hours.",
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form, mail=mail_configured())
