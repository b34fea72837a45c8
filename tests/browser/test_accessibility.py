"""Every page type, as the person who may see it on the demo data: axe-core finds no violation,
and no page scrolls sideways on a 360 px phone.

axe-core is the npm package (`npm install --no-save axe-core@4` at the repository root, which
`make test` does when it is missing). The pages forbid inline script (CSP), so the script is run
in the page through the DevTools protocol, which the page's CSP does not govern.
"""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser

from lms.extensions import db
from tests.browser.conftest import log_in
from tests.test_access import AUDIENCE

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

#: who looks at the pages: the demo people (their interface languages differ)
PEOPLE = {
    "anonymous": None,
    "trainee": "trainee@demo.tugi.ee",  # Olena, English
    "oksana": "oksana@demo.tugi.ee",  # Ukrainian
    "trainer": "trainer@demo.tugi.ee",  # Tiina, Estonian
    "coordinator": "coordinator@demo.tugi.ee",
    "mari": "mari@demo.tugi.ee",  # Estonian, certificates of two programmes
}

#: GET routes that answer with something other than an HTML page
NOT_PAGES = {
    "static", "main.healthz", "courses.media", "users.sample_csv", "cohorts.sample_csv",
    "cohorts.cohort_feed", "cohorts.personal_feed", "attendance.matrix:kind",
    "attendance.trainee_report:kind", "quizzes.download", "quizzes.gradebook:kind",
    "practice.export:kind", "certificates.export:kind", "certificates.pdf", "certificates.badge",
    "verify.issuer", "verify.achievement", "verify.jwks", "verify.key", "verify.revocations",
    "reports.funder_table:kind", "reports.funder_workbook", "alumni.export:kind",
    "attendance.sign_in_sheet", "organisation.logo", "interop.course_cartridge",
    "privacy.my_data_json",
}  # fmt: skip

#: Violations on pages that other work is reshaping now: (page, rule) -> why it waits.
#: Remove an entry once its page is fixed; the test fails on entries that no longer occur.
ALLOWED: dict[tuple[str, str], str] = {}


def _pages(app) -> dict[str, tuple[str, str]]:
    """page type -> (who looks, address), one real instance of each from the demo data, with
    what the demo lacks (an open attempt, a draft, an uploaded quiz, an open check-in) made."""
    from lms.auth.models import User
    from lms.auth.services import create_password_link
    from lms.certificates.models import Certificate
    from lms.cohorts.models import Cohort, Enrolment, TrainingSession
    from lms.i18n import local_today
    from lms.practice import services as practice
    from lms.practice.models import PracticeRevision
    from lms.programmes.services import get_programmes
    from lms.quizzes import catalogue
    from lms.quizzes.models import QuizAttempt, QuizResponse

    with app.app_context():
        session = db.session
        now = datetime.now(UTC)

        def person(email):
            return session.scalar(sa.select(User).where(User.email == email))

        olena, oksana = person(PEOPLE["trainee"]), person(PEOPLE["oksana"])
        trainer, coordinator = person(PEOPLE["trainer"]), person(PEOPLE["coordinator"])
        tot = session.scalar(
            sa.select(Cohort).where(Cohort.programme_slug == "trainer-of-trainers")
        )
        group = session.scalar(
            sa.select(Cohort).join(Enrolment).where(Enrolment.user_id == oksana.id)
        )
        returned = session.scalar(
            sa.select(PracticeRevision).where(PracticeRevision.status == "returned")
        ).entry
        assert returned.user_id == oksana.id
        first = returned.latest
        draft = practice.create_entry(
            session, oksana, returned.cohort, get_programmes().get(group.programme_slug),
            practice.EntryData(first.practised_on, 30, first.client_code, first.client_group,
                               first.activity),
            today=local_today(), now=now,
        )  # fmt: skip
        submitted = session.scalar(
            sa.select(PracticeRevision).where(PracticeRevision.status == "submitted")
        ).entry
        attempt = next(
            attempt
            for quiz in catalogue.all_quizzes(session)
            if (attempt := _try_start(session, quiz, olena, now))
        )
        done = session.scalar(
            sa.select(QuizAttempt)
            .where(QuizAttempt.user_id == olena.id, QuizAttempt.submitted_at.is_not(None))
            .limit(1)
        )
        essay = session.scalar(
            sa.select(QuizResponse)
            .join(QuizAttempt)
            .where(QuizAttempt.awaiting_grading, QuizResponse.graded_at.is_(None))
            .where(QuizResponse.answer.is_not(None), QuizResponse.fraction.is_(None))
            .limit(1)
        )
        # a quiz of the course the demo trainer teaches, which she may regrade
        shipped = next(q for q in catalogue.all_quizzes(session) if q.course == "support-role")
        source = (Path(app.config["CONTENT_DIR"]) / "quizzes" / f"{shipped.slug}.gift").read_text()
        catalogue.save_upload(session, "a11y-uploaded", source, trainer)
        # a session whose check-in is open now, so the code page shows its code and QR code
        room = TrainingSession(
            cohort_id=tot.id, title="Check-in", category=_category(tot),
            starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2),
        )  # fmt: skip
        session.add(room)
        # a weekly pair still to come, so that the page for the rest of a series shows
        series = [
            TrainingSession(
                cohort_id=tot.id, title="Series", category=_category(tot), series_key="a11y",
                starts_at=now + timedelta(weeks=week),
                ends_at=now + timedelta(weeks=week, hours=2),
            )
            for week in (20, 21)
        ]  # fmt: skip
        session.add_all(series)
        certificate = session.scalar(
            sa.select(Certificate).where(Certificate.user_id == olena.id).limit(1)
        )
        enrolment = session.scalar(
            sa.select(Enrolment).where(Enrolment.cohort_id == tot.id, Enrolment.user_id == olena.id)
        )
        mari = person("mari@demo.tugi.ee")
        theirs = " ".join(
            session.scalars(sa.select(Certificate.code).where(Certificate.user_id == mari.id))
        )
        token = create_password_link(session, mari, coordinator, 48)
        session.flush()
        a_session = session.scalar(
            sa.select(TrainingSession)
            .where(TrainingSession.cohort_id == tot.id, TrainingSession.id != room.id)
            .order_by(TrainingSession.starts_at)
            .limit(1)
        )
        lesson = "/courses/support-role/boundaries-and-ethics"
        pages = {
            "auth.login": ("anonymous", "/login"),
            "auth.set_password": ("anonymous", f"/password/{token}"),
            "verify.form": ("anonymous", "/verify"),
            "verify.show": ("anonymous", f"/verify/{certificate.code}"),
            "verify.form:together": ("anonymous", f"/verify?code={certificate.code}+{theirs}"),
            "main.home:mari": ("mari", "/"),
            "main.home": ("trainee", "/"),
            "main.home:trainer": ("trainer", "/"),
            "main.home:coordinator": ("coordinator", "/"),
            "main.home:oksana": ("oksana", "/"),
            "main.not_found": ("trainee", "/no-such-page"),
            "auth.change_password": ("trainee", "/account/password"),
            "auth.account": ("trainee", "/account"),
            "auth.forgot_password": ("anonymous", "/password/forgot"),
            "cohorts.pick": ("coordinator", f"/cohorts/{tot.id}/pick"),
            "organisation.edit": ("coordinator", "/organisation/"),
            "cohorts.edit_series": ("trainer", f"/cohorts/sessions/{series[0].id}/series"),
            "cohorts.delete_session": ("trainer", f"/cohorts/sessions/{series[1].id}/delete"),
            "courses.catalogue": ("trainee", "/courses/"),
            "courses.overview": ("trainee", "/courses/support-role/"),
            "courses.lesson": ("oksana", lesson),
            "courses.guide": ("trainer", lesson + "/guide"),
            "courses.search": ("trainee", "/courses/search?q=support"),
            "courses.problems": ("coordinator", "/courses/problems"),
            "programmes.index": ("trainee", "/programmes/"),
            "cohorts.index": ("coordinator", "/cohorts/"),
            "cohorts.new": ("coordinator", "/cohorts/new"),
            "cohorts.edit": ("coordinator", f"/cohorts/{tot.id}/edit"),
            "cohorts.show": ("trainer", f"/cohorts/{tot.id}/"),
            "cohorts.show:trainee": ("trainee", f"/cohorts/{tot.id}/"),
            "cohorts.import_csv": ("coordinator", f"/cohorts/{tot.id}/import"),
            "cohorts.new_session": ("trainer", f"/cohorts/{tot.id}/sessions/new"),
            "cohorts.edit_session": ("trainer", f"/cohorts/sessions/{a_session.id}/edit"),
            "cohorts.cancel_session": ("trainer", f"/cohorts/sessions/{a_session.id}/cancel"),
            "cohorts.my_calendar": ("trainee", "/cohorts/calendar"),
            "attendance.register": ("trainer", f"/attendance/sessions/{a_session.id}"),
            "attendance.check_in_code": ("trainer", f"/attendance/sessions/{room.id}/code"),
            "attendance.check_in": ("trainee", "/attendance/check-in"),
            "attendance.history": ("trainer", f"/attendance/sessions/{a_session.id}/history"),
            "attendance.matrix": ("trainer", f"/attendance/cohorts/{tot.id}/matrix"),
            "attendance.trainee_report": (
                "trainee",
                f"/attendance/cohorts/{tot.id}/trainees/{olena.id}",
            ),  # fmt: skip
            "quizzes.index": ("trainee", "/quizzes/"),
            "quizzes.show": ("trainee", f"/quizzes/{attempt.quiz_slug}"),
            "quizzes.take": ("trainee", f"/quizzes/attempts/{attempt.id}"),
            "quizzes.confirm_submit": ("trainee", f"/quizzes/attempts/{attempt.id}/submit"),
            "quizzes.result": ("trainee", f"/quizzes/attempts/{done.id}/result"),
            "quizzes.upload": ("trainer", "/quizzes/upload"),
            "quizzes.edit": ("trainer", "/quizzes/a11y-uploaded/edit"),
            "quizzes.regrade": ("trainer", f"/quizzes/{shipped.slug}/regrade"),
            "quizzes.grading_queue": ("trainer", "/quizzes/grading"),
            "quizzes.grade": ("trainer", f"/quizzes/grading/{essay.id}"),
            "quizzes.gradebook": ("trainer", f"/quizzes/cohorts/{tot.id}/gradebook"),
            "quizzes.dates": ("trainer", f"/quizzes/cohorts/{tot.id}/dates"),
            "practice.index": ("oksana", "/practice/"),
            "practice.logbook_page": ("oksana", f"/practice/cohorts/{group.id}/people/{oksana.id}"),
            "practice.new": ("oksana", f"/practice/cohorts/{group.id}/new"),
            "practice.entry": ("trainer", f"/practice/entries/{submitted.id}"),
            "practice.edit": ("oksana", f"/practice/entries/{returned.id}/edit"),
            "practice.discard": ("oksana", f"/practice/entries/{draft.id}/discard"),
            "practice.queue": ("trainer", "/practice/queue"),
            "certificates.index": ("coordinator", "/certificates/"),
            "certificates.checklist": ("trainee", f"/certificates/enrolments/{enrolment.id}"),
            "certificates.cohort": ("coordinator", f"/certificates/cohorts/{group.id}"),
            "certificates.show": ("trainee", f"/certificates/{certificate.id}"),
            "certificates.revoke": ("coordinator", f"/certificates/{certificate.id}/revoke"),
            "users.index": ("coordinator", "/users/"),
            "users.create": ("coordinator", "/users/new"),
            "users.edit": ("coordinator", f"/users/{mari.id}/edit"),
            "users.deactivate": ("coordinator", f"/users/{mari.id}/deactivate"),
            "users.import_csv": ("coordinator", "/users/import"),
            "privacy.erase": ("coordinator", f"/privacy/erase/{mari.id}"),
            "reports.funder": ("coordinator", "/reports/funder"),
            "alumni.index": ("coordinator", "/alumni/"),
            "alumni.follow_up": ("coordinator", f"/alumni/{mari.id}/follow-up"),
            "privacy.notice": ("anonymous", "/privacy"),
            "privacy.notice:coordinator": ("coordinator", "/privacy"),
            "privacy.first_login": ("trainee", "/privacy/first-login?next=/courses/"),
            "privacy.mark_changed": ("coordinator", "/privacy/changed"),
            "privacy.my_data": ("oksana", "/privacy/my-data"),
            "privacy.person_data_page": ("coordinator", f"/privacy/people/{mari.id}/data"),
        }
        session.commit()
        session.remove()
    return pages


def _try_start(session, quiz, user, now):
    from lms.quizzes import attempts, catalogue

    try:
        return attempts.start_attempt(session, quiz, user, now)
    except catalogue.QuizError:
        return None


def _category(cohort) -> str:
    from lms.programmes.services import get_programmes

    return get_programmes().get(cohort.programme_slug).categories[0].slug


def _endpoint_methods(app) -> set[str]:
    """Every endpoint that answers GET, with ``:kind`` for its download variant."""
    names = set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            names.add(rule.endpoint + (":kind" if "kind" in rule.arguments else ""))
    return names


@pytest.fixture(scope="module")
def pages(live_server) -> dict[str, tuple[str, str]]:
    """The page types to walk, on this module's demo data."""
    return _pages(live_server.app)


def test_every_page_type_is_walked(live_server, pages):
    walked = {name.split(":")[0] for name in pages}
    get_routes = _endpoint_methods(live_server.app)
    missing = get_routes - NOT_PAGES - walked
    assert not missing, f"add these page types to the accessibility walk: {sorted(missing)}"
    assert not NOT_PAGES - get_routes, "NOT_PAGES names routes that do not exist"
    assert not walked - set(AUDIENCE) - {"main.not_found"}, "the walk names unknown routes"


#: pages whose layout this walk also keeps screenshots of, at both widths, for people to look at
SHOTS = {
    "reports.funder", "verify.show", "attendance.check_in_code", "quizzes.grading_queue",
    "quizzes.show", "programmes.index", "attendance.history",
}  # fmt: skip

#: not an axe rule: the page is wider than a 360 px phone and scrolls sideways
SIDEWAYS = "scrolls-sideways-at-360px"
TOO_WIDE = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def _axe(page, source: str) -> list[dict]:
    """axe-core's violations on the page as it is now."""
    page.evaluate(source)
    return page.evaluate(RUN_AXE)


@pytest.fixture(scope="module")
def axe_source() -> str:
    """The axe-core script; without it the test is skipped, or fails in CI."""
    if not AXE.exists():
        reason = "axe-core is missing: `npm install --no-save axe-core@4` (make test does)"
        if os.environ.get("LMS_REQUIRE_BROWSER"):
            pytest.fail(reason)  # in CI a missing tool fails instead of skipping
        pytest.skip(reason)
    return AXE.read_text()


def _shoot(page, artifacts, name, size):
    if name in SHOTS:
        page.screenshot(
            path=artifacts / f"a11y-{name.replace('.', '-')}-{size}.png", full_page=True
        )


def test_no_page_type_has_an_accessibility_violation_or_scrolls_sideways(
    browser: Browser, live_server, pages, axe_source, artifacts
):
    found: dict[tuple[str, str], list[str]] = {}
    for who in PEOPLE:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if PEOPLE[who]:
            log_in(page, live_server, PEOPLE[who])
        for name, (viewer, path) in pages.items():
            if viewer != who:
                continue
            page.set_viewport_size(PHONE)
            response = page.goto(live_server.url + path)
            assert response.status == (404 if name == "main.not_found" else 200), name
            if page.evaluate(TOO_WIDE):
                found[(name, SIDEWAYS)] = ["html"]
            for violation in _axe(page, axe_source):
                found.setdefault((name, violation["rule"]), []).extend(violation["targets"])
            _shoot(page, artifacts, name, "phone")
            page.set_viewport_size(DESKTOP)
            _shoot(page, artifacts, name, "desktop")
            for violation in _axe(page, axe_source):
                found.setdefault((name, violation["rule"]), []).extend(violation["targets"])
        context.close()
    unexpected = {key: targets for key, targets in found.items() if key not in ALLOWED}
    report = "\n".join(
        f"{page} | {rule} | {', '.join(sorted(set(targets))[:4])}"
        for (page, rule), targets in sorted(unexpected.items())
    )
    (artifacts / "accessibility.txt").write_text(report + "\n")
    assert not unexpected, f"axe-core violations (page | rule | where):\n{report}"
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"these allowed violations are gone: remove them from ALLOWED: {stale}"
