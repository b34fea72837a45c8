"""The funder report as tables: the page shows them, the charts draw them, the exports write them.

Cells hold raw values (numbers stay numbers in a spreadsheet); pages format them.
"""

from dataclasses import dataclass

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from lms.alumni.models import NOT_ASKED, employment_label
from lms.programmes.api import Programme
from lms.reports.charts import Row
from lms.reports.funder import NO_MUNICIPALITY, OTHER_GROUPS, FunderReport


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list]
    #: rows for the chart drawn from this table, if any
    chart: list[Row] | None = None
    series: tuple[str, ...] = ()


#: Each table's sheet in the workbook: Excel cuts a sheet's name at 31 characters, so a
#: title like "Hours of supervised client support by month" needs a short name of its own.
SHEET_NAMES = {
    "summary": _l("Summary"),
    "municipalities": _l("By municipality"),
    "client-groups": _l("By client group"),
    "months": _l("By month"),
    "employment": _l("What alumni do now"),
    "roles": _l("Alumni by job"),
    "cohorts": _l("Cohorts"),
}


def sheet_of(table: "Table") -> str:
    """The short name of a table's sheet, in the reader's language."""
    return str(SHEET_NAMES.get(table.key, table.title))


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _text(value) -> str:
    """A chart's printed value, in the reader's number format."""
    return format_decimal(value, format="#,##0.##")


def _group_title(slug: str, programmes: list[Programme], language: str) -> str:
    if slug == OTHER_GROUPS:
        return str(_l("Groups no programme names any more"))
    for programme in programmes:
        if (group := programme.client_group(slug)) is not None:
            return group.title_for(language)
    return slug


def summary(report: FunderReport) -> Table:
    rate = report.completion_rate
    rows = [
        [_l("People trained"), report.people_trained],
        [_l("Municipalities"), report.municipality_count],
        [_l("Enrolments in finished cohorts"), report.enrolled_in_ended],
        [_l("Completed"), report.completed_in_ended],
        [_l("Completion rate (%)"), round(100 * rate, 1) if rate is not None else "—"],
        [_l("Withdrew"), report.withdrawn],
        [_l("Certificates issued"), report.certificates],
        [_l("Hours of supervised client support"), _hours(report.practice_minutes)],
        [_l("Clients helped"), report.clients],
        [_l("of whom refugees"), report.refugee_clients],
        [_l("of whom children"), report.child_clients],
        [_l("of whom refugee children"), report.refugee_child_clients],
        [_l("Alumni"), report.alumni],
        [_l("Alumni working as support persons or in related roles"), report.alumni_in_field],
    ]
    return Table(
        "summary",
        str(_l("Summary")),
        [str(_l("Figure")), str(_l("Value"))],
        [[str(label), value] for label, value in rows],
    )


def municipalities(report: FunderReport) -> Table:
    items = sorted(report.municipalities.items(), key=lambda item: (-item[1][0], item[0]))
    rows = [
        [name if name != NO_MUNICIPALITY else str(_l("Not recorded")), trained, completed]
        for name, (trained, completed) in items
    ]
    trained, completed = str(_l("People trained")), str(_l("Completed"))
    return Table(
        "municipalities",
        str(_l("People trained by municipality")),
        [str(_l("Municipality")), trained, completed],
        rows,
        chart=[Row(r[0], (r[1], r[2]), (_text(r[1]), _text(r[2]))) for r in rows],
        series=(trained, completed),
    )


def client_groups(report: FunderReport, programmes: list[Programme], language: str) -> Table:
    yes, no = str(_l("yes")), str(_l("no"))
    rows = [
        [
            _group_title(line.slug, programmes, language),
            yes if line.refugee else no,
            yes if line.child else no,
            line.clients,
            _hours(line.minutes),
        ]
        for line in report.groups
    ]
    return Table(
        "client-groups",
        str(_l("Clients and hours by client group")),
        [
            str(_l("Client group")),
            str(_l("Refugees")),
            str(_l("Children")),
            str(_l("Clients")),
            str(_l("Hours")),
        ],
        rows,
        chart=[Row(r[0], (r[3],), (_text(r[3]),)) for r in rows],
    )


def months(report: FunderReport) -> Table:
    rows = [
        [format_date(month, "LLLL y"), _hours(minutes)] for month, minutes in report.months.items()
    ]
    return Table(
        "months",
        str(_l("Hours of supervised client support by month")),
        [str(_l("Month")), str(_l("Hours"))],
        rows,
        chart=[Row(r[0], (r[1],), (_text(r[1]),)) for r in rows],
    )


def employment(report: FunderReport) -> Table:
    rows = [
        [employment_label(value), count]
        for value, count in report.employment.items()
        if count or value != NOT_ASKED
    ]
    return Table(
        "employment",
        str(_l("Alumni by what they do now")),
        [str(_l("Employment follow-up")), str(_l("Alumni"))],
        rows,
        chart=[Row(r[0], (r[1],), (_text(r[1]),)) for r in rows],
    )


def roles(report: FunderReport) -> Table:
    items = sorted(report.roles.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    rows = [
        [employment_label(value), title or str(_l("Not recorded")), count]
        for (value, title), count in items
    ]
    return Table(
        "roles",
        str(_l("Alumni working in the field, by job")),
        [str(_l("Employment follow-up")), str(_l("Job title")), str(_l("Alumni"))],
        rows,
    )


def cohorts(report: FunderReport, programmes: dict[str, Programme], language: str) -> Table:
    def title(slug):
        return programmes[slug].title_for(language) if slug in programmes else slug

    rows = [
        [
            line.cohort.name,
            title(line.cohort.programme_slug),
            line.cohort.region or "",
            line.cohort.starts_on,
            line.cohort.ends_on,
            line.enrolled,
            line.trained,
            line.completed,
            line.withdrawn,
            line.certificates,
            _hours(line.practice_minutes),
            line.clients,
        ]
        for line in report.cohorts
    ]
    header = [
        _l("Cohort"),
        _l("Programme"),
        _l("Region"),
        _l("Starts"),
        _l("Ends"),
        _l("Enrolled"),
        _l("Trained"),
        _l("Completed"),
        _l("Withdrew"),
        _l("Certificates"),
        _l("Practice hours"),
        _l("Clients"),
    ]
    return Table("cohorts", str(_l("Cohorts")), [str(name) for name in header], rows)


def all_tables(
    report: FunderReport,
    programmes: dict[str, Programme],
    language: str,
    cohort_rows: int | None = None,
) -> list[Table]:
    """Every table; the cohorts table is left empty when it has more than ``cohort_rows`` rows
    (a page does not list thousands of cohorts; the download does)."""
    listed = list(programmes.values())
    if cohort_rows is not None and len(report.cohorts) > cohort_rows:
        cohort_table = cohorts(FunderReport(report.chosen, [], {}), programmes, language)
    else:
        cohort_table = cohorts(report, programmes, language)
    return [
        summary(report),
        municipalities(report),
        client_groups(report, listed, language),
        months(report),
        employment(report),
        roles(report),
        cohort_table,
    ]
