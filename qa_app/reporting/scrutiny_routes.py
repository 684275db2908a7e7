"""The performance pack for the scrutiny committee (pages under /reports/scrutiny/<id>, on the
reporting blueprint): draft one for a month from the indicators, the audits, the practice week
and the improvement plan (qa_app.services.scrutiny_reports), read it, edit each section's text,
download it as PDF, Word or slides. Publishing and drafting again are the report pages' own
(qa_app.reporting.routes), as for every kind of report. Permissions are the board report's."""

from datetime import date
from functools import partial

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from qa_app.charts.indicator_trend import trend_chart
from qa_app.charts.svg import line_chart
from qa_app.data import reports
from qa_app.data.indicator_scorecard import (
    RAG_LABELS,
    RAG_TAG_CLASSES,
    add_months,
    first_of_month,
    format_change,
    short_month,
)
from qa_app.data.indicator_values import months_with_values
from qa_app.data.reports import ReportError
from qa_app.documents.scrutiny_closing import NO_ACTIONS, NO_PRACTICE_WEEK
from qa_app.documents.scrutiny_parts import area_tables, charted, trend_points
from qa_app.documents.scrutiny_sentences import figure_text
from qa_app.reporting.forms import (
    NewScrutinyReportForm,
    RedraftForm,
    VersionForm,
    scrutiny_edit_form,
)
from qa_app.reporting.routes import (
    _draft_problems,
    _is_scrutiny,
    _readable,
    _unpublishable,
    bp,
    page_of,
    posted_sections,
    save_draft,
)
from qa_app.rules.uk_time import uk_today
from qa_app.services import scrutiny_reports
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problems, current_actor
from qa_app.web.publication_problems import publication_problems
from qa_app.web.security import requires

MONTHS_OFFERED = 24


def _scrutiny_report(scrutiny_report_id: int):
    report = _readable(scrutiny_report_id)
    if not _is_scrutiny(report):
        abort(404)
    return report


def month_choices(today: date) -> list[tuple[str, str]]:
    """The months that have ended and have indicator values, latest first (else the last
    twelve that have ended)."""
    this_month = first_of_month(today)
    months = [m for m in months_with_values() if m < this_month][:MONTHS_OFFERED]
    if not months:
        months = [add_months(this_month, -k) for k in range(1, 13)]
    return [(m.isoformat(), f"{m:%B %Y}") for m in months]


@bp.route("/scrutiny/new", methods=["GET", "POST"])
@requires("manage_reports")
def new_scrutiny():
    today = uk_today()
    form = NewScrutinyReportForm()
    form.month.choices = month_choices(today)
    if request.method == "GET":
        default = scrutiny_reports.default_month(today).isoformat()
        offered = [value for value, _ in form.month.choices]
        form.month.data = default if default in offered else offered[0]
    if form.validate_on_submit():
        try:
            report = scrutiny_reports.draft(
                date.fromisoformat(form.month.data),
                current_actor(),
                today,
                title=form.title.data,
            )
        except ReportError as error:
            attach_problems(form, error.problems, str(error))
        else:
            flash(
                f"Version {report.number} drafted from the data. Rewrite each section's prompts "
                "in the service's words, then publish."
            )
            return redirect(page_of(report))
    return render_template(
        "reporting/scrutiny_new.html",
        form=form,
        title="Draft a performance pack for the scrutiny committee",
    )


def _trend_svg(indicator: dict, key: str):
    """An indicator's 18-month chart on the pack's page, from its frozen trend (the PDF draws
    the same chart); None for a rate or with fewer than two values."""
    if not charted(indicator):
        return None
    chart = trend_chart(
        str(indicator.get("name") or ""),
        str(indicator.get("unit") or "count"),
        trend_points(indicator),
        indicator.get("target"),
    )
    return line_chart(chart, id_prefix=f"trend-{key}", width=560) if chart else None


@bp.route("/scrutiny/<int:scrutiny_report_id>")
@requires("view_findings")
def scrutiny(scrutiny_report_id: int):
    report = _scrutiny_report(scrutiny_report_id)
    publish_form = VersionForm()
    publish_form.lock_version.data = str(report.lock_version)
    return render_template(
        "reporting/scrutiny_show.html",
        report=report,
        figures=report.figures,
        sections={s["key"]: s for s in report.sections},
        month=date.fromisoformat(report.figures["month"]),
        period=(
            date.fromisoformat(report.figures["period"]["from"]),
            date.fromisoformat(report.figures["period"]["to"]),
        ),
        fmt=figure_text,
        area_tables=area_tables,
        trend_svg=_trend_svg,
        no_practice_week=NO_PRACTICE_WEEK,
        no_actions=NO_ACTIONS,
        fmt_change=format_change,
        rag_labels=RAG_LABELS,
        rag_classes=RAG_TAG_CLASSES,
        short_month=lambda iso: short_month(date.fromisoformat(iso)),
        versions=reports.versions(report, current_user),
        publish_form=publish_form,
        redraft_form=RedraftForm(),
        unpublishable=_unpublishable(report),
        title=report.title,
    )


@bp.route("/scrutiny/<int:scrutiny_report_id>/edit", methods=["GET", "POST"])
@requires("manage_reports")
def scrutiny_edit(scrutiny_report_id: int):
    report = _scrutiny_report(scrutiny_report_id)
    if report.is_published:
        flash("This version is published and cannot be changed. Draft a new version instead.")
        return redirect(page_of(report))
    form = scrutiny_edit_form(report, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        save = partial(scrutiny_reports.save_text, report, sections=posted_sections(report, form))
        saved, status = save_draft(form, report, save)
        if saved:
            return saved
    return render_template(
        "reporting/scrutiny_edit.html",
        form=form,
        report=report,
        title=f"Edit: {report.title}",
        **publication_problems(form, _draft_problems(report, request.method), report),
    ), status


def _file_name(report, suffix: str) -> str:
    return f"scrutiny-pack-{report.scope['month'][:7]}-v{report.number}.{suffix}"


@bp.route("/scrutiny/<int:scrutiny_report_id>/pack.pdf")
@requires("view_findings")
def scrutiny_pdf(scrutiny_report_id: int):
    report = _scrutiny_report(scrutiny_report_id)
    return download(scrutiny_reports.pdf_bytes(report), _file_name(report, "pdf"))


@bp.route("/scrutiny/<int:scrutiny_report_id>/pack.docx")
@requires("view_findings")
def scrutiny_docx(scrutiny_report_id: int):
    report = _scrutiny_report(scrutiny_report_id)
    return download(scrutiny_reports.docx_bytes(report), _file_name(report, "docx"))


@bp.route("/scrutiny/<int:scrutiny_report_id>/slides.pptx")
@requires("view_findings")
def scrutiny_pptx(scrutiny_report_id: int):
    report = _scrutiny_report(scrutiny_report_id)
    return download(scrutiny_reports.pptx_bytes(report), _file_name(report, "pptx"))
