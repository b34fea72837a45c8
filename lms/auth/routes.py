"""Log in, log out, change a password, set one through a one-time link."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.access import login_required, public
from lms.auth import services
from lms.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm
from lms.db import utcnow
from lms.extensions import db, limiter
from lms.urls import safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
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
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (a POST, so that no link or image can log anybody out)."""
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions of the person end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current.data,
                form.password.data,
                current_app.config["PASSWORD_HASH_METHOD"],
            )
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # keep this session alive
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str):
    """Set a password through a one-time link made by a coordinator."""
    try:
        link = services.find_password_link(db.session, token)
    except services.AccountError as error:
        return render_template("auth/link_invalid.html", message=str(error)), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.redeem_password_link(
                db.session, token, form.password.data, current_app.config["PASSWORD_HASH_METHOD"]
            )
        except services.AccountError as error:  # used by a simultaneous request
            db.session.rollback()
            return render_template("auth/link_invalid.html", message=str(error)), 404
        db.session.commit()
        logout_user()
        flash(_("Your password has been set. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, person=link.user)
