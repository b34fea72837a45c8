"""Several programmes side by side: the programmes page groups them by whom they prepare, a person
may be in several at once, and their certificates from any of them show together, on their home
and, for whoever they give the codes to, on /verify."""

import re
from datetime import date

import pytest

from lms.auth.models import Role
from lms.certificates.models import MOST_CODES_AT_ONCE, codes_in
from lms.programmes.choices import AUDIENCES
from lms.programmes.definitions import grouped_by_audience
from lms.programmes.loader import load_programmes
from tests.factories import login, make_certificate, make_cohort, make_user
from tests.test_programmes import GOOD, write


@pytest.fixture
def content(tmp_path):
    (tmp_path / "courses" / "alpha").mkdir(parents=True)
    (tmp_path / "courses" / "alpha" / "course.yaml").write_text("title: A\n")
    (tmp_path / "programmes").mkdir()
    return tmp_path


def test_a_programme_says_whom_it_prepares_and_a_wrong_word_is_reported_with_its_line(content):
    assert write(content, GOOD + "prepares: volunteers\n") == []
    assert load_programmes(content).get("test").prepares == "volunteers"
    problems = write(content, GOOD + "prepares: everyone\n")
    assert problems == [
        "programmes/test.yaml:20: 'prepares' must be one of: "
        + ", ".join(audience.slug for audience in AUDIENCES)
    ]


def test_groups_follow_the_audiences_order_and_unsaid_ones_come_last(content):
    write(content, GOOD + "prepares: trainers\n", "b-trainers.yaml")
    write(content, GOOD, "a-unsaid.yaml")
    write(content, GOOD + "prepares: support-persons\n", "c-support.yaml")
    write(content, GOOD + "prepares: support-persons\n", "d-support.yaml")
    groups = grouped_by_audience(load_programmes(content))
    assert [
        (audience.slug if audience else None, [p.slug for p in members])
        for audience, members in groups
    ] == [
        ("support-persons", ["c-support", "d-support"]),
        ("trainers", ["b-trainers"]),
        (None, ["a-unsaid"]),
    ]


def test_every_shipped_programme_says_whom_it_prepares():
    programmes = load_programmes(pytest.importorskip("lms.config").REPOSITORY_ROOT)
    assert programmes.problems == []
    assert all(programme.prepares for programme in programmes), [
        programme.slug for programme in programmes if not programme.prepares
    ]


def test_the_programmes_page_shows_each_group_under_its_heading_in_the_readers_language(
    client, session
):
    login(client, make_user(session, Role.TRAINEE, language="et"))
    page = client.get("/programmes/").get_data(as_text=True)
    headings = re.findall(r'<h2 id="for-([a-z-]+)">([^<]+)</h2>', page)
    shown = [slug for slug, _ in headings]
    assert shown == [audience.slug for audience in AUDIENCES if audience.slug in shown]
    assert ("support-persons", "Tugiisikud ja sotsiaaltöötajad") in headings
    assert ("trainers", "Koolitajad ja kogukonnaarendajad") in headings
    support = page.index('id="for-support-persons"')
    trainers = page.index('id="for-trainers"')
    assert support < page.index('id="support-person"') < trainers
    assert trainers < page.index('id="trainer-of-trainers"')


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("TUGI-7K3M-Q9XD", ["TUGI-7K3M-Q9XD"]),
        ("tugi 7k3m q9xd, TUGI-3456-789A", ["TUGI-7K3M-Q9XD", "TUGI-3456-789A"]),
        ("7K3MQ9XD\n7K3M-Q9XD 3456789A", ["TUGI-7K3M-Q9XD", "TUGI-3456-789A"]),  # each once
        ("TUGI-7K3M-Q9X0", []),  # 0 is not in the alphabet
        ("hello", []),
    ],
)
def test_codes_are_found_in_what_a_person_typed(typed, codes):
    assert codes_in(typed) == codes


def test_codes_beyond_the_most_checked_at_once_are_named_as_not_checked(client, session):
    many = [f"TUGI-3456-{a}{b}AA" for a in "3456" for b in "3456"][: MOST_CODES_AT_ONCE + 2]
    response = client.get("/verify", query_string={"code": ", ".join(many)})
    page = response.get_data(as_text=True)
    assert response.status_code == 404  # none of them exists
    assert page.count("No certificate has this code.") == MOST_CODES_AT_ONCE
    assert f"At most {MOST_CODES_AT_ONCE} codes are checked at once" in page
    assert ", ".join(many[MOST_CODES_AT_ONCE:]) in page


@pytest.fixture
def holder(session):
    """A person with certificates of two programmes, one of them expired."""
    person = make_user(session, display_name="Olena Tamm")
    basic = make_cohort(session, "support-person", trainees=(person,))
    trainers = make_cohort(session, "trainer-of-trainers", trainees=(person,))
    dates = {"starts_on": date(2019, 1, 1), "ends_on": date(2019, 6, 1)}
    older = make_cohort(session, "regional-thematic", trainees=(person,), **dates)
    return {
        "person": person,
        "basic": make_certificate(session, basic, person),
        "trainers": make_certificate(session, trainers, person, issued_on=date(2026, 11, 2)),
        "expired": make_certificate(session, older, person, issued_on=date(2019, 6, 1)),
    }


def test_a_persons_certificates_of_every_programme_show_together_on_their_home(
    client, session, holder
):
    login(client, holder["person"])
    page = client.get("/").get_data(as_text=True)
    panel = page[page.index('id="my-certificates-title"') :]
    for key in ("trainers", "basic", "expired"):
        assert holder[key].code in panel
    assert panel.index(holder["trainers"].code) < panel.index(holder["basic"].code)
    assert "Trainer-of-trainers programme" in panel and "Support-person training" in panel
    link = re.search(r'href="(/verify\?[^"]+)"', panel).group(1).replace("&amp;", "&")
    # the link shows the valid ones only
    assert holder["basic"].code in link and holder["trainers"].code in link
    assert holder["expired"].code not in link

    together = client.get(link)
    assert together.status_code == 200
    text = together.get_data(as_text=True)
    assert text.count("Olena Tamm") == 2
    assert "Certificates checked together" in text


def test_verify_checks_several_codes_at_once_and_says_which_it_does_not_know(client, holder):
    typed = f"{holder['basic'].code.lower()}, {holder['expired'].code} TUGI-3333-3333"
    response = client.get("/verify", query_string={"code": typed})
    text = response.get_data(as_text=True)
    page = text[text.index("<main") :]  # (the language form up top carries the address typed)
    assert response.status_code == 200
    assert page.index(holder["basic"].code) < page.index(holder["expired"].code)
    assert ">valid<" in page and ">expired<" in page
    assert "TUGI-3333-3333" in page and "No certificate has this code." in page
    assert holder["trainers"].code not in page  # only the codes given are shown

    unknown = client.get("/verify", query_string={"code": "TUGI-3333-3333 TUGI-4444-4444"})
    assert unknown.status_code == 404
    code = holder["basic"].code
    for typed in (code, f"{code}, {code.lower()}", f"{code} please", f"<b>x</b> {code}"):
        one = client.get("/verify", query_string={"code": typed})
        assert one.headers["Location"].endswith(f"/verify/{code}"), typed


def test_your_courses_are_those_of_your_programmes_or_every_course_before_any(client, session):
    newcomer = make_user(session, language="en")
    login(client, newcomer)

    def listed() -> list[str]:
        page = client.get("/").get_data(as_text=True)
        panel = page[page.index('id="courses-title"') :]
        return re.findall(r'href="/courses/([a-z-]+)/"', panel)

    assert len(listed()) >= 10  # not enrolled yet: every course to look at
    make_cohort(session, "life-skills-workshops", trainees=(newcomer,))
    assert listed() == ["life-skills-workshops"]
    make_cohort(session, "support-person", trainees=(newcomer,))
    assert set(listed()) == {"life-skills-workshops", "support-role", "care-methodology"}


def test_the_funder_report_of_an_attendance_only_programme_leaves_out_what_it_cannot_have(
    client, session
):
    login(client, make_user(session, Role.COORDINATOR))
    make_cohort(session, "life-skills-workshops", trainees=(make_user(session),))
    workshops = client.get("/reports/funder?programme=life-skills-workshops")
    text = workshops.get_data(as_text=True)
    page = text[text.index('<dl class="figures">') : text.index("</dl>", text.index('"figures"'))]
    assert workshops.status_code == 200 and "People trained" in page
    for left_out in ("Certificates issued", "Hours of supervised client support", "Clients helped"):
        assert left_out not in page
    assert "Certificates issued" in client.get("/reports/funder").get_data(as_text=True)
