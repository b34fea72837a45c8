"""Forms for uploading and editing quizzes, quiz dates, and grading essays."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from lms.forms import CheckboxesField

REVIEW_LABELS = {
    "score": _l("the score"),
    "feedback": _l("feedback on each answer"),
    "answers": _l("the right answers"),
}
MAX_GIFT_BYTES = 512 * 1024


class QuizForm(FlaskForm):
    """A GIFT file (upload) or its text (edit), and the quiz's settings."""

    file = FileField(
        _l("GIFT file"),
        validators=[FileAllowed(["gift", "txt"], _l("The file must be a .gift or .txt file."))],
        description=_l("Export a question bank from Moodle in GIFT format, or write one."),
    )
    source = TextAreaField(_l("Questions in GIFT"), render_kw={"rows": 18, "spellcheck": "false"})
    slug = StringField(
        _l("Short name"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Use lower-case letters, digits and hyphens, e.g. 'week-3-check'."),
            ),
        ],
        description=_l("Used in the quiz's address; it cannot be changed later."),
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=160)],
        description=_l("Left empty, a file from Moodle gives its category's or file's name."),
    )
    link = SelectField(
        _l("Course or lesson"),
        choices=[],
        description=_l("The quiz is offered on this course or lesson's page."),
    )
    pass_mark = DecimalField(
        _l("Pass mark (%)"), default=70, places=None, validators=[NumberRange(0, 100)]
    )
    attempts = IntegerField(
        _l("Attempts allowed"),
        default=0,
        validators=[NumberRange(0, 1000)],
        description=_l("0 means no limit."),
    )
    time_limit = IntegerField(
        _l("Time limit (minutes)"),
        default=0,
        validators=[NumberRange(0, 1000)],
        description=_l("0 means no limit."),
    )
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_answers = BooleanField(_l("Shuffle the answers"), default=True)
    review = CheckboxesField(
        _l("After submitting, trainees see"),
        choices=[SelectChoice(value, label) for value, label in REVIEW_LABELS.items()],
        default=list(REVIEW_LABELS),
    )
    preview = SubmitField(_l("Check and preview"))
    save = SubmitField(_l("Save quiz"))


class WindowForm(FlaskForm):
    """When one cohort may take one quiz."""

    quiz = StringField(validators=[DataRequired()])
    opens_at = DateTimeLocalField(_l("Opens"), validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes"), validators=[Optional()])
    submit = SubmitField(_l("Save dates"))


class GradeForm(FlaskForm):
    """A trainer's grade and comment for an essay answer."""

    score = DecimalField(
        _l("Score (%)"), places=None, validators=[InputRequired(), NumberRange(0, 100)]
    )
    comment = TextAreaField(
        _l("Comment to the trainee"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Markdown: *italic*, **bold**, lists."),
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Save grade"))


KIND_LABELS = {
    "multichoice": _l("multiple choice"),
    "multiresponse": _l("multiple answers"),
    "truefalse": _l("true/false"),
    "shortanswer": _l("short answer"),
    "numerical": _l("numerical"),
    "matching": _l("matching"),
    "essay": _l("essay"),
    "description": _l("description"),
}
