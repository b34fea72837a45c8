"""The funder report: each figure, the filters, the charts and tables, exports and query counts."""

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode

import openpyxl
import pytest
import sqlalchemy as sa

from lms.alumni import services as alumni
from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.programmes.services import get_programmes
from lms.reports.funder import NOT_ASKED, ReportFilter, funder_report
from tests.factories import (
    count_queries,
    login,
    make_certificate,
    make_cohort,
    make_practice,
    make_user,
)

TODAY = date(2026, 10, 20)


def _status(session, cohort, user, status):
    enrolment = session.scalar(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)
    )
    enrolment.status = status
    session.commit()


@pytest.fixture
def world(app, session):
    """Two cohorts: A has ended (two completed, one still short, one withdrew); B is running."""
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri Koordinaator")
    t1 = make_user(session, display_name="Olena", municipality="Võru linn")
    t2 = make_user(session, display_name="Mari", municipality="Võru linn")
    t3 = make_user(session, display_name="Jaan", municipality="Põlva vald")
    t4 = make_user(session, display_name="Anna")  # no municipality recorded
    t5 = make_user(session, display_name="Peeter", municipality="Räpina vald")
    a = make_cohort(
        session,
        trainers=(trainer,),
        trainees=(t1, t2, t3, t5),
        name="Group A",
        region="Kagu-Eesti",
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 10, 10),
    )
    b = make_cohort(
        session,
        trainers=(trainer,),
        trainees=(t1, t4),
        name="Group B",
        region="Harjumaa",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 31),
    )
    with app.app_context():
        for user in (t1, t2):
            _status(session, a, user, EnrolmentStatus.COMPLETED)
            make_certificate(session, a, user, issued_on=date(2026, 10, 12))
        _status(session, a, t5, EnrolmentStatus.WITHDRAWN)
        # t1 and t2 support the same child together: one client, one code, typed differently.
        make_practice(session, a, t1, approve_by=trainer, client_code="UA-CH-01", minutes=90)
        make_practice(session, a, t2, approve_by=trainer, client_code="ua-ch-01", minutes=120)
        make_practice(
            session, a, t2, approve_by=trainer, client_code="FAM-2", client_group="family",
            minutes=60,
        )  # fmt: skip
        make_practice(
            session, a, t1, approve_by=trainer, client_code="UA-A-3",
            client_group="refugee-adult", minutes=30, practised_on=date(2026, 9, 15),
        )  # fmt: skip
        make_practice(session, a, t3, client_code="UA-CH-09", minutes=600)  # waiting: not counted
        # The same code in another cohort is another client.
        make_practice(session, b, t4, approve_by=trainer, client_code="UA-CH-01", minutes=45)
        alumni.record_follow_up(
            session, t1, alumni.Answer("support_person", date(2026, 10, 15), "tugiisik", "Võru"),
            coordinator, TODAY,
        )  # fmt: skip
        alumni.record_follow_up(
            session, t2, alumni.Answer("other_work", date(2026, 10, 15)), coordinator, TODAY
        )
        session.commit()
    return {"a": a, "b": b, "trainer": trainer, "coordinator": coordinator, "t1": t1}


def report(app, session, **chosen):
    with app.app_context():
        return funder_report(session, ReportFilter(**chosen), list(get_programmes()), TODAY)


def test_every_figure_of_the_whole_programme(app, session, world):
    figures = report(app, session)
    assert figures.people_trained == 4  # the withdrawn trainee is not counted, t1 counts once
    assert figures.municipality_count == 2
    assert figures.municipalities[""] == (1, 0)
    assert figures.municipalities["Võru linn"] == (2, 2)
    assert (figures.enrolled_in_ended, figures.completed_in_ended) == (4, 2)
    assert figures.completion_rate == 0.5
    assert figures.withdrawn == 1
    assert figures.certificates == 2
    assert figures.practice_minutes == 345
    assert figures.clients == 4
    assert (figures.refugee_clients, figures.child_clients, figures.refugee_child_clients) == (
        3,
        2,
        2,
    )
    assert figures.alumni == 2
    assert figures.alumni_in_field == 1
    assert figures.employment["other_work"] == 1 and figures.employment[NOT_ASKED] == 0
    assert figures.roles == {("support_person", "tugiisik"): 1}
    groups = {line.slug: (line.clients, line.minutes) for line in figures.groups}
    assert groups == {"refugee-child": (2, 255), "refugee-adult": (1, 30), "family": (1, 60)}
    assert figures.months == {date(2026, 9, 1): 30, date(2026, 10, 1): 315}


def test_filters_narrow_the_cohorts_and_the_period(app, session, world):
    only_b = report(app, session, cohort_id=world["b"].id)
    assert (only_b.people_trained, only_b.municipality_count, only_b.clients) == (2, 1, 1)
    assert only_b.completion_rate is None  # B is still running
    assert only_b.alumni == 0
    region = report(app, session, region="Kagu-Eesti")
    assert [line.cohort.name for line in region.cohorts] == ["Group A"]
    assert region.practice_minutes == 300
    september = report(app, session, date_from=date(2026, 9, 10), date_to=date(2026, 9, 30))
    assert len(september.cohorts) == 2
    assert (september.practice_minutes, september.clients, september.certificates) == (30, 1, 0)
    before = report(app, session, date_to=date(2026, 8, 31))
    assert [line.cohort.name for line in before.cohorts] == ["Group A"]
    none = report(app, session, programme_slug="trainer-of-trainers")
    assert none.cohorts == [] and none.people_trained == 0


def test_page_shows_figures_charts_and_tables(client, world):
    login(client, world["coordinator"])
    page = client.get("/reports/funder").get_data(as_text=True)
    assert "Funder report" in page
    assert page.count('<svg class="chart"') == 4
    assert page.count('aria-hidden="true" focusable="false"') == 4
    # charts need no script; any script is a file (the CSP forbids inline ones)
    assert " style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<caption" in page and "Clients and hours by client group" in page
    assert "Refugee child" in page and "Group A" in page
    assert "5.75" in page  # hours of supervised client support
    filtered = client.get(f"/reports/funder?cohort={world['b'].id}").get_data(as_text=True)
    assert "Group A</th>" not in filtered and "Group B" in filtered
    empty = client.get("/reports/funder?programme=trainer-of-trainers").get_data(as_text=True)
    assert "No cohort matches these filters." in empty


def test_a_period_ending_before_it_starts_is_refused_and_kept(client, world):
    login(client, world["coordinator"])
    page = client.get("/reports/funder?date_from=2026-10-01&date_to=2026-09-01")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "The end of the period is before its start." in text
    assert 'value="2026-10-01"' in text and 'value="2026-09-01"' in text


def test_only_coordinators_see_the_report(client, world):
    login(client, world["trainer"])
    assert client.get("/reports/funder").status_code == 403
    assert client.get("/reports/funder.xlsx").status_code == 403


def test_every_table_exports_as_csv_and_xlsx(client, world):
    login(client, world["coordinator"])
    keys = (
        "summary",
        "municipalities",
        "client-groups",
        "months",
        "employment",
        "roles",
        "cohorts",
    )
    for key in keys:
        response = client.get(f"/reports/funder/{key}.csv")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert len(rows) > 1, key
        response = client.get(f"/reports/funder/{key}.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        assert book.active.max_row == len(rows), key
    summary = dict(csv.reader(io.StringIO(client.get("/reports/funder/summary.csv").get_data(
        as_text=True).lstrip("\ufeff"))))  # fmt: skip
    assert summary["People trained"] == "4"
    assert summary["Hours of supervised client support"] == "5.75"
    assert summary["Alumni working as support persons or in related roles"] == "1"
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/funder.xlsx").data))
    assert len(book.sheetnames) == len(keys)
    cohorts = book.worksheets[-1]
    assert cohorts.cell(2, 1).value == "Group A"
    assert cohorts.cell(2, 4).value.date() == date(2026, 6, 1)  # a real date cell
    assert cohorts.cell(2, 11).value == 5  # practice hours as a number
    filtered = client.get(f"/reports/funder/cohorts.csv?cohort={world['b'].id}").get_data(
        as_text=True
    )
    assert "Group B" in filtered and "Group A" not in filtered


def test_report_queries_do_not_grow_with_the_data(client, session, connection, world, app):
    login(client, world["coordinator"])

    def count():
        with count_queries(connection) as statements:
            assert client.get("/reports/funder").status_code == 200
        return len(statements)

    before = count()
    trainer = world["trainer"]
    with app.app_context():
        for number in range(3):
            people = [make_user(session, municipality=f"Vald {n}") for n in range(4)]
            cohort = make_cohort(
                session, trainers=(trainer,), trainees=tuple(people), name=f"More {number}",
                starts_on=date(2026, 5, 1), ends_on=date(2026, 10, 1),
            )  # fmt: skip
            for person in people:
                _status(session, cohort, person, EnrolmentStatus.COMPLETED)
                make_certificate(session, cohort, person)
                make_practice(session, cohort, person, approve_by=trainer)
    assert count() == before


def test_many_cohorts_are_left_to_the_download(client, world, monkeypatch):
    from lms.reports import routes

    monkeypatch.setattr(routes, "COHORTS_ON_PAGE", 1)
    monkeypatch.setattr(routes, "COHORT_CHOICES", 1)
    login(client, world["coordinator"])
    page = client.get("/reports/funder").get_data(as_text=True)
    assert "2 cohorts are too many to list here: download the table." in page
    assert "Choose a programme or a region to pick one of their cohorts." in page
    assert ">Group A</option>" not in page
    rows = client.get("/reports/funder/cohorts.csv").get_data(as_text=True).strip().splitlines()
    assert len(rows) == 3
    narrowed = client.get("/reports/funder?region=Harjumaa").get_data(as_text=True)
    assert ">Group B</option>" in narrowed


def test_charts_escape_labels_scale_bars_and_fit_long_names():
    from lms.reports.charts import Row, bar_chart

    svg = str(
        bar_chart(
            [
                Row("<script>alert(1)</script>", (10,), ("10",)),
                Row("Half", (5,), ("5",)),
                Row("None", (0,), ("0",)),
                Row("A client group with a very long name that cannot fit one line", (1,), ("1",)),
            ]
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    bars = re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)%"', svg)
    widths = [float(width) for width in bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert "…" in svg and "cannot fit one line" not in svg


def test_a_period_counts_certificates_and_practice_by_their_own_dates(app, session, world):
    # Group A ended on 10 October; its certificates were issued on the 12th.
    october = report(app, session, date_from=date(2026, 10, 11), date_to=date(2026, 10, 31))
    assert october.certificates == 2
    assert sorted(line.cohort.name for line in october.cohorts) == ["Group A", "Group B"]
    assert october.people_trained == 2  # the people of B, which ran in the period
    assert october.alumni == 0  # no certificate was earned in B
    months = [
        report(app, session, date_from=date(2026, m, 1), date_to=date(2026, m + 1, 1))
        for m in range(6, 12)
    ]
    assert sum(month.certificates for month in months) == 2


def test_revoked_certificates_and_their_holders_are_left_out(app, session, world):
    from lms.certificates.models import Certificate

    certificate = session.scalar(
        sa.select(Certificate).where(Certificate.user_id == world["t1"].id)
    )
    certificate.status = "revoked"
    session.commit()
    figures = report(app, session)
    assert figures.certificates == 1
    assert figures.alumni == 1 and figures.alumni_in_field == 0


def test_filters_that_cannot_be_read_are_refused_not_dropped(client, world):
    login(client, world["coordinator"])
    query = "cohort=999999&date_from=2026-01-01&date_to=2026-01-31"
    page = client.get(f"/reports/funder?{query}")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert '<a href="#cohort">' in text and "Group A</th>" not in text
    assert client.get(f"/reports/funder/summary.csv?{query}").status_code == 400
    assert client.get(f"/reports/funder.xlsx?{query}").status_code == 400
    # a cohort of another programme than the one chosen is no cohort, not an unreadable filter
    other = f"programme=trainer-of-trainers&cohort={world['a'].id}"
    rows = client.get(f"/reports/funder/cohorts.csv?{other}").get_data(as_text=True).splitlines()
    assert len(rows) == 1  # the header only


class _FilterForm(HTMLParser):
    """The report's filter form as a browser sees it: each field and the values it offers."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[tuple[str, str]]] = {}
        self._select = None
        self._option = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("role") == "search":
            self._in_form = True
        elif self._in_form and tag == "select":
            self._select = attrs["name"]
            self.fields[self._select] = []
        elif self._in_form and tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = [(attrs.get("value") or "", "")]
        elif self._select and tag == "option":
            # A browser sends the option's text when it has no value attribute.
            self._option = [attrs.get("value"), ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, text = self._option
            self.fields[self._select].append((text.strip() if value is None else value, text))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def _submit(client, chosen: dict) -> tuple[int, str]:
    """Fill the form rendered by the page with the options labelled ``chosen``, and send it."""
    form = _FilterForm()
    form.feed(client.get("/reports/funder").get_data(as_text=True))
    query = {}
    for name, options in form.fields.items():
        if name in chosen and name.startswith("date"):
            query[name] = chosen[name]
        elif name in chosen:
            query[name] = next(value for value, text in options if text.strip() == chosen[name])
        else:
            query[name] = options[0][0]  # what the page selects first
    response = client.get("/reports/funder?" + urlencode(query))
    return response.status_code, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"programme": "Support-person training"},
        {"cohort": "Group B"},
        {"region": "Harjumaa"},
        {"date_from": "2026-09-01", "date_to": "2026-09-30"},
        {"date_from": "2026-09-01"},
        {"cohort": "Group A", "date_from": "2026-06-01", "date_to": "2026-10-31"},
        {
            "programme": "Support-person training",
            "cohort": "Group A",
            "region": "Kagu-Eesti",
            "date_from": "2026-06-01",
            "date_to": "2026-10-31",
        },
    ],
    ids=["nothing", "programme", "cohort", "region", "period", "from", "cohort+period", "all"],
)
def test_every_combination_picked_in_the_form_gives_the_report(client, world, chosen):
    """Each select offers what the page was rendered with, so any pick is answered."""
    login(client, world["coordinator"])
    status, page = _submit(client, chosen)
    assert "Not a valid choice" not in page
    assert status == 200
    assert "Summary of" in page
    if "cohort" in chosen:
        assert (
            f'<option selected value="{world["a" if chosen["cohort"] == "Group A" else "b"].id}"'
            in page
        )


@pytest.mark.parametrize(
    "chosen",
    [{"region": "Harjumaa", "cohort": "Group A"}, {"programme": "Trainer-of-trainers programme",
                                                   "cohort": "Group B"}],
    ids=["region+cohort elsewhere", "programme+cohort of another"],
)  # fmt: skip
def test_a_cohort_picked_with_another_programme_or_region_matches_nothing(client, world, chosen):
    login(client, world["coordinator"])
    status, page = _submit(client, chosen)
    assert "Not a valid choice" not in page
    assert status == 200
    assert "No cohort matches these filters." in page


def test_spellings_of_one_municipality_count_as_one(app, session):
    """ "Võru vald", "võru vald " and " Võru vald" fold into one line shown in one of their
    spellings; no municipality and a blank one are one line; a person counts once."""
    spellings = ["Võru vald", "võru vald ", " Võru vald", None, "", "  ", "Põlva vald"]
    people = [make_user(session, municipality=spelled) for spelled in spellings]
    twice = people[0]
    with app.app_context():
        first = make_cohort(session, trainees=tuple(people), name="First")
        make_cohort(session, trainees=(twice,), name="Second")
        _status(session, first, people[1], EnrolmentStatus.COMPLETED)
        report = funder_report(session, ReportFilter(), list(get_programmes()), TODAY)
    assert report.municipalities == {"Võru vald": (3, 1), "": (3, 0), "Põlva vald": (1, 0)}
    assert report.people_trained == 7
