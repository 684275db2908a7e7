"""The annual self-evaluation for Ofsted (pages under /reports/self-evaluation/<id>, on the
reporting blueprint): draft one for a period from the audits, indicators, practice weeks and
improvement plan (qa_app.services.self_evaluation), read it with each statement's evidence,
edit each area's text, download it as PDF or Word. Publishing and drafting again are the
report pages' own (qa_app.reporting.routes). Internal only: QA leads draft and edit; readers
of internal reports read published versions; a board viewer reads none."""

from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from qa_app.data import reports
from qa_app.data.reports import ReportError
from qa_app.documents.self_evaluation_pdf import period_of
from qa_app.models import ReportKind
from qa_app.reporting.forms import RedraftForm, VersionForm
from qa_app.reporting.routes import _readable, bp, page_of, posted_sections, save_draft
from qa_app.reporting.self_evaluation_forms import NewSelfEvaluationForm, self_evaluation_edit_form
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today
from qa_app.services import self_evaluation
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problems, current_actor
from qa_app.web.security import requires


def _self_evaluation(self_evaluation_id: int):
    report = _readable(self_evaluation_id)
    if report.kind != ReportKind.SELF_EVALUATION:
        abort(404)
    return report


def evidence_url(link) -> str | None:
    """The address of a statement's evidence, if that page exists and the reader may open it."""
    if not link:
        return None
    endpoint, args = link
    view = current_app.view_functions.get(endpoint)
    permission = getattr(view, "permission", None)
    if view is None or (permission and not may(current_user, permission)):
        return None
    try:
        return url_for(endpoint, **args)
    except BuildError:
        return None


@bp.route("/self-evaluation/new", methods=["GET", "POST"])
@requires("manage_reports")
def new_self_evaluation():
    today = uk_today()
    form = NewSelfEvaluationForm()
    if request.method == "GET":
        form.period_start.data, form.period_end.data = self_evaluation.default_period(today)
    if form.validate_on_submit():
        try:
            report = self_evaluation.draft(
                form.period_start.data,
                form.period_end.data,
                current_actor(),
                today,
                title=form.title.data,
            )
        except ReportError as error:
            attach_problems(form, error.problems, str(error))
        else:
            flash(
                f"Version {report.number} drafted from the data. Check each statement against "
                "its evidence, write it in the service's words, then publish."
            )
            return redirect(page_of(report))
    return render_template(
        "reporting/self_evaluation_new.html", form=form, title="Draft a self-evaluation"
    )


@bp.route("/self-evaluation/<int:self_evaluation_id>")
@requires("view_findings")
def self_evaluation_page(self_evaluation_id: int):
    report = _self_evaluation(self_evaluation_id)
    publish_form = VersionForm()
    publish_form.lock_version.data = str(report.lock_version)
    return render_template(
        "reporting/self_evaluation_show.html",
        report=report,
        figures=report.figures,
        period=period_of(report.figures),
        evidence_url=evidence_url,
        versions=reports.versions(report, current_user),
        publish_form=publish_form,
        redraft_form=RedraftForm(),
        unpublishable=0,
        title=report.title,
    )


@bp.route("/self-evaluation/<int:self_evaluation_id>/edit", methods=["GET", "POST"])
@requires("manage_reports")
def self_evaluation_edit(self_evaluation_id: int):
    report = _self_evaluation(self_evaluation_id)
    if report.is_published:
        flash("This version is published and cannot be changed. Draft a new version instead.")
        return redirect(page_of(report))
    form = self_evaluation_edit_form(report, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        save = partial(self_evaluation.save_text, report, sections=posted_sections(report, form))
        saved, status = save_draft(form, report, save)
        if saved:
            return saved
    return render_template(
        "reporting/self_evaluation_edit.html",
        form=form,
        report=report,
        evidence_url=evidence_url,
        title=f"Edit: {report.title}",
    ), status


def _file_name(report, suffix: str) -> str:
    return f"self-evaluation-{report.scope['from']}-{report.scope['to']}-v{report.number}.{suffix}"


@bp.route("/self-evaluation/<int:self_evaluation_id>/self-evaluation.pdf")
@requires("view_findings")
def self_evaluation_pdf(self_evaluation_id: int):
    report = _self_evaluation(self_evaluation_id)
    return download(self_evaluation.pdf_bytes(report), _file_name(report, "pdf"))


@bp.route("/self-evaluation/<int:self_evaluation_id>/self-evaluation.docx")
@requires("view_findings")
def self_evaluation_docx(self_evaluation_id: int):
    report = _self_evaluation(self_evaluation_id)
    return download(self_evaluation.docx_bytes(report), _file_name(report, "docx"))
