"""How practice entries read on a page: status and history labels, what an edit changed, and
user Markdown through the one sanitiser."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.i18n import template_globals
from lms.practice.models import STATUS_LABELS
from lms.rendering import render_text

# Verb-less, because the page sets them after the actor's name ("Olena: entry logged"): a past
# tense after a name would make Ukrainian and Russian guess the person's gender.
HISTORY_LABELS = {
    "practice.created": _l("entry logged"),
    "practice.edited": _l("edited"),
    "practice.submitted": _l("submitted for sign-off"),
    "practice.resubmitted": _l("resubmitted"),
    "practice.returned": _l("returned with a comment"),
    "practice.approved": _l("signed off"),
    "practice.correction_started": _l("correction started"),
    "practice.discarded": _l("draft deleted"),
}
CHANGE_LABELS = {
    "practised_on": _l("date"),
    "minutes": _l("minutes"),
    "client_code": _l("client code"),
    "client_group": _l("client group"),
    "activity": _l("activity"),
    "core_acts": _l("core acts"),
    "debrief_session_id": _l("session"),
}


def _changes(event) -> str:
    """What an edit changed, for the history: "minutes 90 → 120; client code"."""
    before, after = event.before or {}, event.after or {}
    parts = []
    for key, label in CHANGE_LABELS.items():
        if before.get(key) != after.get(key):
            if key in ("practised_on", "minutes", "client_code"):
                parts.append(f"{label} {before.get(key)} → {after.get(key)}")
            else:
                parts.append(str(label))
    return "; ".join(parts) or _("the reflection")


_HELPERS = {
    "practice_status": lambda status: STATUS_LABELS.get(status, status),
    "history_label": lambda action: HISTORY_LABELS.get(action, action),
    "changes": _changes,
}


def markdown_filter(text: str | None):
    """User-written Markdown (reflections, comments), rendered and sanitised."""
    return render_text(text or "", "markdown")


def register(bp) -> None:
    template_globals(bp, _HELPERS)
    bp.app_template_filter("markdown")(markdown_filter)
