"""The funder report, on screen and as CSV or XLSX, for coordinators."""

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request
from flask_babel import format_percent, get_locale
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from lms.access import coordinators_only
from lms.cohorts.models import Cohort
from lms.exports import table_response, workbook_response
from lms.extensions import db
from lms.i18n import local_today
from lms.inputs import int_arg
from lms.programmes.api import get_programmes
from lms.reports import tables
from lms.reports.charts import bar_chart
from lms.reports.forms import ALL, ReportFilterForm
from lms.reports.funder import ReportFilter, funder_report

bp = Blueprint("reports", __name__)
TABLE_KEYS = (
    "summary",
    "municipalities",
    "client-groups",
    "months",
    "employment",
    "roles",
    "cohorts",
)
FILTER_KEYS = ("programme", "cohort", "region", "date_from", "date_to")
#: The cohort filter offers at most this many cohorts at once.
COHORT_CHOICES = 300
#: Above this many cohorts the page lists none and points to the download.
COHORTS_ON_PAGE = 60


def _filters():
    """The filter form filled from the address, and what it selects."""
    form = ReportFilterForm(request.args)
    language = str(get_locale())
    programmes = get_programmes()
    form.programme.choices = [SelectChoice(ALL, _l("All programmes"))] + [
        SelectChoice(p.slug, p.title_for(language)) for p in programmes
    ]
    cohort_query = (
        sa.select(Cohort.id, Cohort.name)
        .order_by(Cohort.starts_on.desc(), Cohort.name)
        .limit(COHORT_CHOICES + 1)
    )
    if request.args.get("programme"):
        cohort_query = cohort_query.where(Cohort.programme_slug == request.args["programme"])
    if request.args.get("region"):
        cohort_query = cohort_query.where(Cohort.region == request.args["region"])
    cohorts = db.session.execute(cohort_query).all()
    chosen_id = int_arg("cohort")
    if len(cohorts) > COHORT_CHOICES:
        # A list of thousands helps nobody: narrow by programme or region first.
        form.cohort.description = _l("Choose a programme or a region to pick one of their cohorts.")
        cohorts = [row for row in cohorts if row.id == chosen_id]
    if chosen_id and chosen_id not in {row.id for row in cohorts}:
        # A cohort picked together with another programme or region is a real question whose
        # answer is "no cohort matches"; only a cohort that does not exist is refused.
        cohorts += db.session.execute(
            sa.select(Cohort.id, Cohort.name).where(Cohort.id == chosen_id)
        ).all()
    form.cohort.choices = [SelectChoice(ALL, _l("All cohorts"))] + [
        SelectChoice(cohort_id, name) for cohort_id, name in cohorts
    ]
    regions = db.session.scalars(
        sa.select(Cohort.region)
        .where(Cohort.region.is_not(None))
        .distinct()
        .order_by(Cohort.region)
    )
    form.region.choices = [SelectChoice(ALL, _l("All regions"))] + [
        SelectChoice(region, region) for region in regions if region
    ]
    if not form.validate():
        # A report without one of the asked filters would answer another question.
        return form, None
    chosen = ReportFilter(
        programme_slug=form.programme.data,
        cohort_id=form.cohort.data,
        region=form.region.data,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )
    return form, chosen


def _report(chosen: ReportFilter, cohort_rows: int | None = None):
    programmes = get_programmes()
    report = funder_report(db.session, chosen, list(programmes), local_today())
    language = str(get_locale())
    return report, tables.all_tables(report, programmes.programmes, language, cohort_rows)


def _args() -> dict:
    """The filters given, for the download links; fields left at "All" or empty are not filters."""
    return {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}


@bp.route("/funder")
@coordinators_only
def funder():
    """The figures a funder asks for, with charts, tables and downloads."""
    form, chosen = _filters()
    if chosen is None:
        return render_template("reports/funder.html", form=form, report=None, args=_args()), 400
    report, listed = _report(chosen, COHORTS_ON_PAGE)
    charts = {table.key: bar_chart(table.chart, table.series) for table in listed if table.chart}
    # one programme chosen: leave out the figures it can never have (no practice, no certificate)
    programme = get_programmes().get(chosen.programme_slug) if chosen.programme_slug else None
    return render_template(
        "reports/funder.html",
        form=form,
        report=report,
        practice_figures=programme is None or programme.practice_logged,
        certificate_figures=programme is None or programme.certifies,
        tables={table.key: table for table in listed},
        charts=charts,
        args=_args(),
        cohorts_on_page=COHORTS_ON_PAGE,
        completion=format_percent(report.completion_rate)
        if report.completion_rate is not None
        else "—",
        today=local_today(),
    )


@bp.route(
    "/funder/<any(" + ", ".join(f'"{k}"' for k in TABLE_KEYS) + "):key>.<any(csv, xlsx):kind>"
)
@coordinators_only
def funder_table(key: str, kind: str):
    """One table of the report, filtered as on screen."""
    _form, chosen = _filters()
    if chosen is None:
        abort(400)
    _report_, listed = _report(chosen)
    table = next((table for table in listed if table.key == key), None)
    if table is None:
        abort(404)
    return table_response(
        kind, f"funder-report-{key}", tables.sheet_of(table), table.header, table.rows
    )


@bp.route("/funder.xlsx")
@coordinators_only
def funder_workbook():
    """Every table of the report, one sheet each."""
    _form, chosen = _filters()
    if chosen is None:
        abort(400)
    _report_, listed = _report(chosen)
    return workbook_response(
        "funder-report.xlsx",
        [(tables.sheet_of(table), table.header, table.rows) for table in listed],
    )
