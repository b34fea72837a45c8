"""What each action of the audit trail means, in the reader's language, for *My data*. The
codes stay in the JSON file; a page shows these labels, or the code of an action not listed.

Noun first and no past tense after a name, as in the practice history: Ukrainian and Russian
would otherwise have to guess the person's gender."""

from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "attendance.marked": _l("attendance: marked"),
    "alumnus.follow_up": _l("after the training: answer recorded"),
    "certificate.issued": _l("certificate: issued"),
    "certificate.renewed": _l("certificate: issued as a renewal"),
    "certificate.superseded": _l("certificate: superseded by a renewal"),
    "certificate.revoked": _l("certificate: revoked"),
    "certificate.restored": _l("certificate: valid again, its renewal revoked"),
    "cohort.saved": _l("group: saved"),
    "enrolment.created": _l("enrolment: added to a group"),
    "enrolment.status": _l("enrolment: status changed"),
    "enrolment.signed_off": _l("enrolment: final sign-off"),
    "organisation.updated": _l("organisation: details changed"),
    "organisation.notice_changed": _l("privacy notice: marked as changed"),
    "person.data_exported": _l("personal data: exported"),
    "person.erased": _l("personal data: erased"),
    "practice.created": _l("practice entry: logged"),
    "practice.edited": _l("practice entry: edited"),
    "practice.submitted": _l("practice entry: submitted for sign-off"),
    "practice.resubmitted": _l("practice entry: resubmitted"),
    "practice.returned": _l("practice entry: returned with a comment"),
    "practice.approved": _l("practice entry: signed off"),
    "practice.correction_started": _l("practice entry: correction started"),
    "practice.discarded": _l("practice entry: draft deleted"),
    "quiz.dates": _l("quiz: dates changed"),
    "quiz.essay_graded": _l("quiz: essay graded"),
    "quiz.regraded": _l("quiz: regraded"),
    "quiz.uploaded": _l("quiz: uploaded"),
    "quiz.replaced": _l("quiz: replaced"),
    "session.scheduled": _l("session: scheduled"),
    "session.changed": _l("session: changed"),
    "session.cancelled": _l("session: cancelled"),
    "session.deleted": _l("session: deleted"),
}


def audit_label(action: str) -> str:
    """The action in the reader's language, or its code when it has no label."""
    label = AUDIT_LABELS.get(action)
    return str(label) if label is not None else action
