"""The single-agency report to the safeguarding board (pages under /reports/board/<id>, on
the reporting blueprint): draft one from the audits, indicators, practice weeks, reviews and
the improvement plan (qa_app.services.board_reports), read it, edit its sections and key findings,
download it as PDF or Word. Publishing and drafting again are the report pages' own
(qa_app.reporting.routes), as for every kind of report."""

from functools import partial

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from qa_app.data import reports
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError
from qa_app.documents import board_content, board_demand, board_form, board_text
from qa_app.reporting.forms import NewBoardReportForm, RedraftForm, VersionForm, board_edit_form
from qa_app.reporting.routes import (
    _draft_problems,
    _is_board,
    _readable,
    _unpublishable,
    bp,
    page_of,
    posted_sections,
    save_draft,
)
from qa_app.rules.uk_time import uk_today
from qa_app.services import board_reports
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problems, current_actor
from qa_app.web.publication_problems import publication_problems
from qa_app.web.security import requires


def _board_report(board_report_id: int):
    report = _readable(board_report_id)
    if not _is_board(report):
        abort(404)
    return report


@bp.route("/board/new", methods=["GET", "POST"])
@requires("manage_reports")
def new_board():
    form = NewBoardReportForm()
    indicators = board_reports.active_indicators()
    form.indicators.choices = [(i.id, i.name) for i in indicators]
    if request.method == "GET":
        form.agency.data = form.agency.data or get_settings().council_name
        form.indicators.data = [i.id for i in indicators]
    if form.validate_on_submit():
        try:
            report = board_reports.draft(
                agency=form.agency.data,
                date_from=form.period_start.data,
                date_to=form.period_end.data,
                indicator_ids=list(form.indicators.data or []) if indicators else None,
                title=form.title.data,
                actor=current_actor(),
                today=uk_today(),
            )
        except ReportError as error:
            attach_problems(form, error.problems, str(error))
        else:
            flash(
                f"Version {report.number} drafted from the data. Check and edit each section, "
                "then publish."
            )
            return redirect(page_of(report))
    return render_template(
        "reporting/board_new.html",
        form=form,
        has_indicators=bool(indicators),
        title="Draft a report to the safeguarding board",
    )


@bp.route("/board/<int:board_report_id>")
@requires("view_findings")
def board(board_report_id: int):
    report = _board_report(board_report_id)
    publish_form = VersionForm()
    publish_form.lock_version.data = str(report.lock_version)
    return render_template(
        "reporting/board_show.html",
        report=report,
        figures=report.figures,
        tables=board_content.board_tables(report.figures),
        tiles=board_content.activity_tiles(report.figures),
        demand=board_demand.demand_part(report.figures),
        demand_section=board_demand.DEMAND_SECTION,
        sections={s["key"]: s for s in report.sections},
        form_order=board_form.FORM_ORDER,
        section_titles=board_form.SECTION_TITLES,
        finding_kinds=board_form.FINDING_KINDS,
        details=board_reports.report_details(report),
        prompts=board_text.development_prompts(report.figures),
        figures_as_at=board_form.as_at(report.figures),
        small_numbers=board_form.small_numbers(report.figures["suppression"]["threshold"]),
        versions=reports.versions(report, current_user),
        publish_form=publish_form,
        redraft_form=RedraftForm(),
        unpublishable=_unpublishable(report),
        title=report.title,
    )


@bp.route("/board/<int:board_report_id>/edit", methods=["GET", "POST"])
@requires("manage_reports")
def board_edit(board_report_id: int):
    report = _board_report(board_report_id)
    if report.is_published:
        flash("This version is published and cannot be changed. Draft a new version instead.")
        return redirect(page_of(report))
    form = board_edit_form(report, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        findings = {
            field.name: field.data for field in form.finding_fields if field.name in request.form
        }
        save = partial(
            board_reports.save_text,
            report,
            sections=posted_sections(report, form),
            findings=findings,
        )
        saved, status = save_draft(form, report, save)
        if saved:
            return saved
    return render_template(
        "reporting/board_edit.html",
        form=form,
        report=report,
        prompts=board_text.development_prompts(report.figures),
        title=f"Edit: {report.title}",
        **publication_problems(form, _draft_problems(report, request.method), report),
    ), status


def _board_file_name(report, suffix: str) -> str:
    return f"board-report-{report.id}-v{report.number}.{suffix}"


@bp.route("/board/<int:board_report_id>/report.pdf")
@requires("view_findings")
def board_pdf(board_report_id: int):
    report = _board_report(board_report_id)
    return download(board_reports.pdf_bytes(report), _board_file_name(report, "pdf"))


@bp.route("/board/<int:board_report_id>/report.docx")
@requires("view_findings")
def board_docx(board_report_id: int):
    report = _board_report(board_report_id)
    return download(board_reports.docx_bytes(report), _board_file_name(report, "docx"))
