"""The alumni list and the employment follow-up a coordinator records for each alumnus."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from lms.alumni import services
from lms.alumni.models import EmploymentFollowUp
from lms.audit import AuditEvent
from lms.auth.models import Role
from tests.factories import login, make_certificate, make_cohort, make_user

TODAY = date(2026, 11, 24)


@pytest.fixture
def people(session):
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri Koordinaator")
    alumna = make_user(session, display_name="Õie Täht", municipality="Võru linn")
    other = make_user(session, display_name="Jaan Tamm", municipality="Põlva vald")
    trainee = make_user(session, display_name="Still Learning")
    cohort = make_cohort(session, trainees=(alumna, other, trainee), name="Võru 2026")
    make_certificate(session, cohort, alumna)
    make_certificate(session, cohort, other)
    return {"coordinator": coordinator, "alumna": alumna, "other": other, "trainee": trainee}


def test_latest_answer_is_kept_and_the_earlier_one_audited(session, people):
    answer = services.Answer("related_role", date(2026, 6, 1), " sotsiaalpedagoog ", "Võru kool")
    services.record_follow_up(session, people["alumna"], answer, people["coordinator"], TODAY)
    later = services.Answer("support_person", date(2026, 11, 1), "tugiisik", "Võru vald")
    services.record_follow_up(session, people["alumna"], later, people["coordinator"], TODAY)
    session.commit()
    rows = session.scalars(sa.select(EmploymentFollowUp)).all()
    assert [(r.employment, r.role_title, r.in_field) for r in rows] == [
        ("support_person", "tugiisik", True)
    ]
    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "alumnus.follow_up")
        .order_by(AuditEvent.id)
    ).all()
    assert events[0].before is None and events[0].after["role_title"] == "sotsiaalpedagoog"
    assert events[1].before["employment"] == "related_role"


@pytest.mark.parametrize(
    "who, answer, message",
    [
        ("trainee", services.Answer("support_person", TODAY), "hold or held a certificate"),
        ("alumna", services.Answer("retired", TODAY), "Choose what"),
        ("alumna", services.Answer("support_person", date(2026, 12, 1)), "future"),
    ],
)
def test_refused_answers(session, people, who, answer, message):
    with pytest.raises(services.FollowUpError, match=message):
        services.record_follow_up(session, people[who], answer, people["coordinator"], TODAY)


def test_list_filter_form_and_export(client, session, people):
    login(client, people["coordinator"])
    page = client.get("/alumni/").get_data(as_text=True)
    assert "Õie Täht" in page and "Jaan Tamm" in page and "Still Learning" not in page
    assert page.count("Not asked yet") >= 2
    form = client.get(f"/alumni/{people['alumna'].id}/follow-up").get_data(as_text=True)
    assert 'name="asked_on"' in form
    response = client.post(
        f"/alumni/{people['alumna'].id}/follow-up",
        data={
            "employment": "related_role",
            "role_title": "juhtumikorraldaja",
            "employer": "Võru vald",
            "asked_on": "2026-10-01",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert "Saved what Õie Täht does now." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    page = client.get("/alumni/?employment=not_asked").get_data(as_text=True)
    assert "Jaan Tamm" in page and "Õie Täht" not in page
    page = client.get("/alumni/?employment=related_role").get_data(as_text=True)
    assert "Õie Täht" in page and "juhtumikorraldaja" in page and "Jaan Tamm" not in page
    exported = client.get("/alumni/export.csv?employment=related_role").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
    assert rows[1][0] == "Õie Täht" and rows[1][5] == "juhtumikorraldaja"
    assert len(rows) == 2


def test_a_refused_form_keeps_what_was_typed(client, session, people):
    login(client, people["coordinator"])
    url = f"/alumni/{people['alumna'].id}/follow-up"
    page = client.post(
        url, data={"employment": "", "role_title": "sotsiaaltöötaja", "asked_on": "2026-10-01"}
    ).get_data(as_text=True)
    assert "Choose what the alumnus does now." in page
    assert 'value="sotsiaaltöötaja"' in page
    page = client.post(
        url, data={"employment": "support_person", "role_title": "x", "asked_on": "2099-01-01"}
    ).get_data(as_text=True)
    assert "cannot be in the future" in page and 'value="2099-01-01"' in page
    assert session.scalar(sa.select(sa.func.count(EmploymentFollowUp.id))) == 0


def test_only_alumni_have_a_follow_up_page(client, session, people):
    login(client, people["coordinator"])
    assert client.get(f"/alumni/{people['trainee'].id}/follow-up").status_code == 404
    login(client, people["alumna"])
    assert client.get("/alumni/").status_code == 403


def test_search_takes_percent_and_underscore_as_typed(client, session, people):
    login(client, people["coordinator"])
    assert "Õie Täht" in client.get("/alumni/?q=täht").get_data(as_text=True)
    page = client.get("/alumni/?q=%25").get_data(as_text=True)
    assert "Õie Täht" not in page and "Jaan Tamm" not in page
    assert "Jaan Tamm" not in client.get("/alumni/?q=J_an").get_data(as_text=True)
