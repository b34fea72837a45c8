"""Certificates: rendering the PDF (the budget is 100 ms), signing the Open Badges credential,
the public verification page, and the cohort's eligibility page for 5 and for 100 trainees.

Times are medians on SQLite; the PDF is timed both on its own and through its page. Run:
``python -m bench.certificates``.
"""

import tempfile
from datetime import date

import sqlalchemy as sa

from bench.quizzes import bench_person, enrolled_cohort, sqlite_app, timed

SIZES = (5, 100)
PDF_BUDGET = 0.100


def main() -> None:
    from lms.auth.models import Role
    from lms.certificates import credential, document
    from lms.certificates.models import Certificate
    from lms.certificates.routes import credential_document
    from lms.cohorts.models import Enrolment
    from lms.extensions import db
    from lms.organisation.services import Issuer
    from lms.programmes.services import get_programme

    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(folder)
        app.config["BASE_URL"] = "https://tugi.example.org"
        with app.app_context():
            coordinator = bench_person(db, Role.COORDINATOR)
            cohorts = {size: enrolled_cohort(db, size, f"c-{size}")[0].id for size in SIZES}
            cohort_id = cohorts[SIZES[0]]
            user_id, enrolment_id = db.session.execute(
                sa.select(Enrolment.user_id, Enrolment.id).where(Enrolment.cohort_id == cohort_id)
            ).first()
            certificate = Certificate(
                user_id=user_id, enrolment_id=enrolment_id, cohort_id=cohort_id,
                programme_slug="support-person", earned_in="support-person",
                holder_name="Õie Täht-Kovalenko", language="et",
                hours=[{"slug": "support-role", "title": "1. osa: tugiisiku roll", "minutes": 1500},
                       {"slug": "care-practice", "title": "2. osa: CARe", "minutes": 1440}],
                practice_minutes=630, practice_clients=3, trainers=["Tiina Tamm", "Олена Шевченко"],
                issued_on=date(2026, 10, 20), expires_on=date(2029, 10, 20),
            )  # fmt: skip
            db.session.add(certificate)
            db.session.commit()
            certificate_id, code, login_id = certificate.id, certificate.code, coordinator.get_id()
        with app.test_request_context():
            certificate = db.session.get(Certificate, certificate_id)
            programme = get_programme("support-person")
            url = f"https://tugi.example.org/verify/{code}"
            issuer = Issuer("Tugi")
            document.render(certificate, programme, url, issuer)  # makes the bold face once
            render = timed(lambda: document.render(certificate, programme, url, issuer), repeat=20)
            _kid, key = credential.signing_key()
            body = credential_document(certificate, programme, programme)
            sign = timed(
                lambda: credential.sign(body, key, "https://tugi.example.org/k"), repeat=20
            )
            db.session.remove()
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = login_id
        health = timed(lambda: client.get("/healthz"), repeat=50)
        pdf_page = timed(lambda: client.get(f"/certificates/{certificate_id}/certificate.pdf"))
        verify = timed(lambda: client.get(f"/verify/{code}"), repeat=30)
        pages = {
            size: timed(lambda c=cohort: client.get(f"/certificates/cohorts/{c}"))
            for size, cohort in cohorts.items()
        }
        with app.app_context():
            db.engine.dispose()
    small, big = SIZES
    print("Certificates (median times, SQLite):")
    print(f"  PDF, rendered:        {render * 1000:7.1f} ms ({render / PDF_BUDGET:.2f}x the "
          f"100 ms budget)")  # fmt: skip
    print(f"  PDF, through its page: {pdf_page * 1000:6.1f} ms ({pdf_page / health:.1f}x /healthz)")
    print(f"  credential signed:    {sign * 1000:7.1f} ms")
    print(f"  verification page:    {verify * 1000:7.1f} ms ({verify / health:.1f}x /healthz)")
    print(f"  cohort eligibility, {big} trainees: {pages[big] * 1000:6.1f} ms "
          f"({pages[big] / pages[small]:.1f}x the {small}-trainee cohort)")  # fmt: skip


if __name__ == "__main__":
    main()
