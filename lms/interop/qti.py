"""One quiz as a QTI 1.2 assessment of the IMS Common Cartridge profile.

Common Cartridge carries five kinds of question (its ``cc_profile`` names): multiple choice,
multiple response, true/false, fill in the blank and essay. Each item scores 100 or nothing and
may show a general feedback and a feedback per answer, the way Moodle's own cartridge export
writes them (``backup/cc/cc_lib``), so Moodle's cartridge import reads them back. What the
profile cannot hold is left out or simplified, and every such loss is reported.
"""

import xml.etree.ElementTree as ET

from flask_babel import gettext as _
from flask_babel import ngettext

from lms.quizzes.api import Quiz
from lms.rendering import render_text

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: Tugi's question kinds -> the Common Cartridge profile that carries them
PROFILES = {
    "multichoice": "cc.multiple_choice.v0p1",
    "multiresponse": "cc.multiple_response.v0p1",
    "truefalse": "cc.true_false.v0p1",
    "shortanswer": "cc.fib.v0p1",
    "essay": "cc.essay.v0p1",
}
#: the most attempts the profile names (``cc_maxattempts``: 1 to 5, or unlimited)
MAX_ATTEMPTS = 5


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: str(v) for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _fields(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    metadata = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _html(parent: ET.Element, text: str, text_format: str, inline: bool = False) -> None:
    """``text`` rendered and sanitised by Tugi's one renderer, as an HTML ``material``."""
    material = _sub(parent, "material")
    _sub(
        material,
        "mattext",
        str(render_text(text, text_format, inline=inline)),
        texttype="text/html",
    )


def _feedback(item: ET.Element, ident: str, text: str, text_format: str) -> None:
    feedback = _sub(item, "itemfeedback", ident=ident)
    _html(_sub(feedback, "flow_mat"), text, text_format)


def _condition(processing: ET.Element, *, cont: bool, title: str = "") -> ET.Element:
    condition = _sub(processing, "respcondition", **({"title": title} if title else {}))
    condition.set("continue", "Yes" if cont else "No")
    return condition


def _show(condition: ET.Element, ident: str) -> None:
    _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def _losses(question, name: str) -> list[str]:
    """What of ``question`` the profile cannot hold (each item scores 100 or nothing)."""
    kind, losses = question.kind, []
    partial = [a for a in question.answers if 0 < a.fraction < 1]
    if kind in ("multichoice", "shortanswer") and partial:
        losses.append(
            _("%(question)s: answers worth part of the mark count as wrong.", question=name)
        )
    if kind == "shortanswer" and any(a.feedback for a in question.answers if a.fraction == 1):
        losses.append(_("%(question)s: the feedback on a right answer is left out.", question=name))
    if kind == "multiresponse":
        right = [a.fraction for a in question.answers if a.fraction > 0]
        if max(right) - min(right) > 0.001 or any(a.fraction < 0 for a in question.answers):
            losses.append(
                _(
                    "%(question)s: the right answers share the mark equally and wrong ones "
                    "take nothing away.",
                    question=name,
                )
            )
    return losses


def _choices(item, presentation, processing, question, fmt) -> None:
    single = question.kind != "multiresponse"
    response = _sub(
        presentation,
        "response_lid",
        ident="response1",
        rcardinality="Single" if single else "Multiple",
    )
    render = _sub(response, "render_choice")
    idents = (
        ["true", "false"]
        if question.kind == "truefalse"
        else [f"answer{n}" for n in range(1, len(question.answers) + 1)]
    )
    for ident, answer in zip(idents, question.answers, strict=True):
        label = _sub(render, "response_label", ident=ident)
        text = _("True") if ident == "true" else _("False") if ident == "false" else answer.text
        _html(label, text, fmt, inline=True)
    if not single:
        condition = _condition(processing, cont=False, title="Correct")
        both = _sub(_sub(condition, "conditionvar"), "and")
        for ident, answer in zip(idents, question.answers, strict=True):
            parent = both if answer.fraction > 0 else _sub(both, "not")
            _sub(parent, "varequal", ident, respident="response1", case="Yes")
        _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    for ident, answer in zip(idents, question.answers, strict=True):
        if single or answer.feedback:
            condition = _condition(processing, cont=False)
            _sub(_sub(condition, "conditionvar"), "varequal", ident, respident="response1")
            if single and answer.fraction == 1.0:
                _sub(condition, "setvar", "100", varname="SCORE", action="Set")
            if answer.feedback:
                _show(condition, f"{ident}_fb")
                _feedback(item, f"{ident}_fb", answer.feedback, fmt)


def _blank(item, presentation, processing, question, fmt) -> None:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(response, "render_fib", rows=1 if question.kind == "shortanswer" else 15)
    if question.kind == "essay":
        return
    for number, answer in enumerate(question.answers, start=1):
        if answer.feedback and answer.fraction < 1:
            condition = _condition(processing, cont=False)
            _sub(
                _sub(condition, "conditionvar"),
                "varequal",
                answer.text,
                respident="response1",
                case="No",
            )
            _show(condition, f"answer{number}_fb")
            _feedback(item, f"answer{number}_fb", answer.feedback, fmt)
    condition = _condition(processing, cont=False, title="Correct")
    accepted = _sub(condition, "conditionvar")
    for answer in question.answers:
        if answer.fraction == 1.0:
            _sub(accepted, "varequal", answer.text, respident="response1", case="No")
    _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    wrong = _condition(processing, cont=False)
    _sub(_sub(wrong, "conditionvar"), "other")
    _sub(wrong, "setvar", "0", varname="SCORE", action="Set")


def _item(section: ET.Element, number: int, question) -> None:
    fmt = question.format
    item = _sub(section, "item", ident=f"q{number}", title=question.title or f"#{number}")
    _fields(
        _sub(item, "itemmetadata"), [("cc_profile", PROFILES[question.kind]), ("cc_weighting", "1")]
    )
    presentation = _sub(item, "presentation")
    text = question.text + (f" _____ {question.tail}" if question.tail else "")
    _html(presentation, text, fmt)
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", varname="SCORE", vartype="Decimal", minvalue=0, maxvalue=100)
    if question.general_feedback:
        condition = _condition(processing, cont=True, title="General feedback")
        _sub(_sub(condition, "conditionvar"), "other")
        _show(condition, "general_fb")
    if question.kind in ("shortanswer", "essay"):
        _blank(item, presentation, processing, question, fmt)
    else:
        _choices(item, presentation, processing, question, fmt)
    if question.general_feedback:
        _feedback(item, "general_fb", question.general_feedback, fmt)


def quiz_assessment(quiz: Quiz, ident: str, schema: str) -> tuple[bytes, list[str]]:
    """The quiz as ``assessment.xml`` of a cartridge (``schema``: the profile's QTI schema), and
    what of it could not be carried."""
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(_q("questestinterop"), {f"{{{XSI_NS}}}schemaLocation": f"{QTI_NS} {schema}"})
    assessment = _sub(root, "assessment", ident=ident, title=quiz.title)
    attempts = quiz.attempts if 0 < quiz.attempts <= MAX_ATTEMPTS else "unlimited"
    settings = [("cc_profile", "cc.exam.v0p1"), ("qmd_assessmenttype", "Examination")]
    _fields(
        assessment, [*settings, ("qmd_scoretype", "Percentage"), ("cc_maxattempts", str(attempts))]
    )
    section = _sub(assessment, "section", ident="root_section")
    losses = []
    if quiz.attempts > MAX_ATTEMPTS:
        losses.append(
            ngettext(
                "%(num)d attempt becomes unlimited.",
                "%(num)d attempts become unlimited.",
                quiz.attempts,
            )
        )
    for number, (key, question) in enumerate(zip(quiz.keys, quiz.questions, strict=True), 1):
        name = _("question %(key)s", key=question.title or key)
        if question.kind not in PROFILES:
            kind = {"matching": _("matching"), "numerical": _("numerical")}.get(question.kind)
            losses.append(
                _(
                    "%(question)s (%(kind)s) is left out: Common Cartridge has no such question.",
                    question=name,
                    kind=kind or _("text without an answer"),
                )
            )
            continue
        losses += _losses(question, name)
        _item(section, number, question)
    ET.indent(root)
    ET.register_namespace("", QTI_NS)  # the prefix each file's own elements are written with
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), losses
