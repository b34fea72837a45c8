"""Sending email when an SMTP server is configured; without one, nothing is sent."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def mail_configured() -> bool:
    """Whether ``LMS_MAIL_SERVER`` is set."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; return False (and log) when it could not be sent."""
    config = current_app.config
    if not mail_configured():
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send mail to %s", to)
        return False
    return True
