"""Records in the reader's language: a certificate read in another language than it was printed
in, its PDF's numbers, spreadsheets laid out for the downloader's language (separators, decimal
commas, status words, sheet names) and people in their language's alphabetical order."""

import csv
import io
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from lms.attendance.models import AttendanceRecord
from lms.auth.models import Role, User
from lms.certificates import services
from lms.cohorts.models import Enrolment
from lms.collation import by_name
from lms.exports import SHEET_LENGTH, csv_dialect, sheet_name
from lms.programmes.services import get_programme, get_programmes
from tests.factories import (
    complete_programme,
    login,
    make_certificate,
    make_cohort,
    make_session,
    make_user,
)

PART_1 = {
    "en": "Part 1: the support person's role",
    "et": "1. osa: tugiisiku roll ja vastutus",
    "uk": "Частина 1: роль особи підтримки",
}


def _rows(text: str, separator: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator))


def _issue_to(session, app, holder, trainer):
    cohort = make_cohort(session, trainers=(trainer,), trainees=(holder,))
    enrolment = session.scalar(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == holder.id)
    )
    with app.test_request_context():
        complete_programme(session, cohort, holder, trainer)
        certificate = services.sign_off(  # the certificate follows the final sign-off
            session, enrolment, get_programme(cohort.programme_slug), get_programmes(), trainer,
            "I confirm.", now=datetime(2026, 10, 20, 12, tzinfo=UTC), today=date(2026, 10, 20),
        )  # fmt: skip
    session.commit()
    return certificate


def test_verify_read_in_estonian_shows_estonian_parts_of_a_ukrainian_certificate(
    app, client, session, monkeypatch
):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    holder = make_user(session, display_name="Олена Коваленко", language="uk")
    certificate = _issue_to(session, app, holder, trainer)
    assert certificate.hours[0]["title"] == PART_1["uk"]
    # The titles were recorded at issue: a programme file renamed or gone changes nothing.
    monkeypatch.setattr("lms.certificates.public.get_programme", lambda slug: None)
    page = client.get(f"/verify/{certificate.code}", headers={"Accept-Language": "et"}).get_data(
        as_text=True
    )
    assert PART_1["et"] in page and "Tugiisikute koolitus" in page
    assert PART_1["uk"] not in page

    login(client, holder)
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Частина 1" in text and "1. osa" not in text  # printed as issued, in Ukrainian


def test_a_certificate_issued_before_the_titles_were_recorded_falls_back(client, session):
    holder = make_user(session, display_name="Olena Kovalenko", language="uk")
    cohort = make_cohort(session, trainees=(holder,))
    certificate = make_certificate(
        session, cohort, holder,
        hours=[{"slug": "gone", "title": "Стара частина", "minutes": 600}],
    )  # fmt: skip
    page = client.get(f"/verify/{certificate.code}", headers={"Accept-Language": "et"}).get_data(
        as_text=True
    )
    assert "Tugiisikute koolitus" in page  # from the programme file
    assert "Стара частина" in page  # a part no programme names: its printed title


def test_the_estonian_pdf_writes_decimal_commas(client, session):
    holder = make_user(session, display_name="Õie Täht", language="et")
    cohort = make_cohort(session, trainees=(holder,))
    certificate = make_certificate(
        session, cohort, holder,
        hours=[  # 27.5 and 25.3 hours attended
            {"slug": "support-role", "title": PART_1["et"], "minutes": 1650},
            {"slug": "care-practice", "title": "2. osa", "minutes": 1518},
        ],
    )  # fmt: skip
    login(client, holder)
    text = PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.id}/certificate.pdf").data))
    text = text.pages[0].extract_text()
    assert "27,5" in text and "25,3" in text and "10,5" in text
    assert not re.search(r"\b2[57]\.[35]\b", text)
    assert "20. oktoober 2026" in text


@pytest.fixture
def register(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    trainees = [make_user(session, display_name=name) for name in ("Юлія", "Ірина")]
    cohort = make_cohort(session, trainers=(trainer,), trainees=tuple(trainees))
    item = make_session(session, cohort, minutes=90)
    for trainee, mark in zip(trainees, ("late", "present"), strict=True):
        session.add(
            AttendanceRecord(session_id=item.id, user_id=trainee.id, mark=mark, credited_minutes=90)
        )
    session.commit()
    return trainer, cohort


def test_a_csv_downloaded_in_estonian_opens_in_columns_with_decimal_commas(
    client, session, register
):
    trainer, cohort = register
    trainer.language = "et"
    session.commit()
    login(client, trainer)
    rows = _rows(client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv").get_data(True), ";")
    assert rows[0][0] == "Koolitatav"
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "1,5" in rows[1] and "kohal 90" in rows[1] + rows[2]

    trainer.language = "en"
    session.commit()
    rows = _rows(client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv").get_data(True), ",")
    assert rows[0][0] == "Trainee" and "1.5" in rows[1] and "present 90" in rows[1] + rows[2]


def test_status_words_of_an_export_downloaded_in_ukrainian_are_ukrainian(client, session, register):
    trainer, cohort = register
    trainer.language = "uk"
    session.commit()
    login(client, trainer)
    rows = _rows(client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv").get_data(True), ";")
    assert rows[0][0] == "Слухач"
    assert [row[0] for row in rows[1:]] == ["Ірина", "Юлія"]  # Ukrainian alphabetical order
    assert rows[1][2] == "навчається" and rows[1][3] == "присутність 90"
    assert rows[2][3] == "спізнення 90"
    assert not {"present", "late", "active"} & {cell.split(" ")[0] for cell in rows[1] + rows[2]}

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/quizzes/cohorts/{cohort.id}/gradebook.xlsx").data)
    )
    statuses = [row[2] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert statuses == ["навчається", "навчається"]


def test_a_semicolon_file_imports(client, session):
    login(client, make_user(session, Role.COORDINATOR, language="et"))
    sample = client.get("/users/import/sample.csv").get_data(as_text=True)
    assert sample.startswith("\ufeffemail;display_name;roles")  # as Excel in Estonia saves it
    text = (
        "\ufeffemail;display_name;roles;language;municipality\r\n"
        "sirje.saar@example.org;Sirje Saar;trainee;et;Võru vald\r\n"
        'peeter.puu@example.org;Peeter Puu;"trainer;coordinator";et;Räpina vald\r\n'
    )
    client.post(
        "/users/import",
        data={"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    people = {
        user.email: user
        for user in session.scalars(sa.select(User).where(User.email.like("%@example.org")))
    }
    assert people["sirje.saar@example.org"].municipality == "Võru vald"
    assert set(people["peeter.puu@example.org"].roles) == {"trainer", "coordinator"}


@pytest.mark.parametrize("language", ["en", "et", "uk"])
def test_workbook_sheet_names_are_short_unique_and_in_the_readers_language(
    client, session, language
):
    login(client, make_user(session, Role.COORDINATOR, language=language))
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/funder.xlsx").data))
    names = book.sheetnames
    assert len(names) == 7 and len({name.casefold() for name in names}) == 7
    assert all(len(name) <= SHEET_LENGTH for name in names), names
    assert all(not set("[]:*?/\\") & set(name) for name in names)
    months = {"en": "By month", "et": "Kuude kaupa", "uk": "За місяцями"}[language]
    assert months in names


def test_sheet_names_are_cut_at_a_word_and_kept_apart():
    title = "Hours of supervised client support by month"
    assert sheet_name(title) == "Hours of supervised client"
    assert sheet_name("Summary: [all]/*?") == "Summary all"
    assert sheet_name("summary", ["Summary"]) == "summary (2)"
    long = sheet_name("x" * 40, ["x" * 31])
    assert len(long) == SHEET_LENGTH and long.endswith("(2)")


def test_the_csv_layout_follows_the_locales_decimal_sign():
    assert csv_dialect("et") == (";", ",")
    assert csv_dialect("uk") == (";", ",")
    assert csv_dialect("ru") == (";", ",")
    assert csv_dialect("en") == (",", ".")


def test_names_sort_in_the_languages_order():
    assert by_name(["Юлія", "Ірина", "Ґанна", "Яна"], str, "uk") == [
        "Ґанна",
        "Ірина",
        "Юлія",
        "Яна",
    ]
    estonian = ["Ülle", "Õie", "Zeno", "Šaško", "Tõnu", "Sander", "Ärni"]
    assert by_name(estonian, str, "et") == [
        "Sander",
        "Šaško",
        "Zeno",
        "Tõnu",
        "Õie",
        "Ärni",
        "Ülle",
    ]


def test_the_people_list_pages_in_estonian_order(client, session, monkeypatch):
    names = ["Ülle Uus", "Õie Õun", "Zeno Zoo", "Šaško Šulc", "Sander Saar"]
    for name in names:
        make_user(session, display_name=name)
    login(client, make_user(session, Role.COORDINATOR, language="et", display_name="Anu Aas"))
    monkeypatch.setattr("lms.users.routes.PAGE_SIZE", 2)
    listed = []
    for number in (1, 2, 3):
        page = client.get("/users/", query_string={"page": number}).get_data(as_text=True)
        listed.append(re.findall("|".join(map(re.escape, ["Anu Aas", *names])), page))
    assert listed == [
        ["Anu Aas", "Sander Saar"],
        ["Šaško Šulc", "Zeno Zoo"],
        ["Õie Õun", "Ülle Uus"],
    ]


def test_the_migration_fills_in_the_titles_of_earlier_certificates(app, session):
    import importlib.util
    from pathlib import Path

    path = next(Path("migrations/versions").glob("c4e8a1f07d53_*.py"))
    spec = importlib.util.spec_from_file_location("titles_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    holder = make_user(session, language="uk")
    cohort = make_cohort(session, trainees=(holder,))
    printed = [
        {"slug": "support-role", "title": "Частина перша", "minutes": 1500},
        {"slug": "gone", "title": "Стара частина", "minutes": 60},
    ]
    certificate = make_certificate(session, cohort, holder, hours=printed, programme_titles=None)
    with app.app_context():
        migration._backfill(session.connection(), get_programmes())
    session.expire_all()
    support_role, gone = certificate.hours
    assert support_role["titles"]["et"] == PART_1["et"]
    assert support_role["titles"]["uk"] == "Частина перша"  # the printed title stays
    assert support_role["title"] == "Частина перша"
    assert gone["titles"] == {"uk": "Стара частина"}
    assert certificate.programme_titles["et"] == "Tugiisikute koolitus"
    assert certificate.line_title(gone, "et") == "Стара частина"
