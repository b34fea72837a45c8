"""Forms for the final sign-off, revocation and the public verification page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

SIGN_OFF_STATEMENT = _l(
    "I was a trainer of this trainee. I have checked the attendance, the quizzes and the "
    "supervised practice, and I confirm that the trainee has completed the programme."
)


class SignOffForm(FlaskForm):
    attest = BooleanField(
        SIGN_OFF_STATEMENT,
        validators=[InputRequired(_l("Tick the statement to sign off."))],
    )
    submit = SubmitField(_l("Sign off completion"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Shown on the public verification page. Do not include client data."),
        validators=[InputRequired(_l("Give the reason for revoking.")), Length(max=500)],
    )
    submit = SubmitField(_l("Revoke the certificate"))


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search anyone may make; it changes nothing

    code = StringField(
        _l("Certificate code"),
        description=_l(
            "It is printed on the certificate, like TUGI-7K3M-Q9XD. To check several of a "
            "person's certificates together, type their codes apart by spaces."
        ),
        validators=[InputRequired(_l("Type the certificate code.")), Length(max=1000)],
    )
