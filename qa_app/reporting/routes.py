"""Report pages: the list, drafting a new report, one version (read, edit, publish, draft
again) and its downloads. Drafts are the QA lead's; published versions are read by the
readers of findings, board viewers only those for publication.

Two kinds of report share the list, the versions, publishing and drafting again: the cycle
report (pages here under /reports/<id>) and the single-agency report to the safeguarding
board (under /reports/board/<id>, drafted by qa_app.services.board_reports)."""

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.routing import BuildError

from qa_app.data import cycles, reports
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, StaleReport
from qa_app.data.templates import list_templates
from qa_app.documents import board_content, board_form, board_text
from qa_app.documents.docx_base import MIME as DOCX
from qa_app.findings import Filters, present
from qa_app.models import ReportKind
from qa_app.reporting.forms import (
    NewBoardReportForm,
    NewReportForm,
    RedraftForm,
    VersionForm,
    board_edit_form,
    edit_form,
)
from qa_app.rules.permissions import may
from qa_app.services import board_reports, practice_week_report, publication_check, report_drafting
from qa_app.services.report_documents import docx_bytes, pdf_bytes, status_line, xlsx_bytes
from qa_app.web.forms_base import attach_problem, current_actor
from qa_app.web.publication_problems import publication_problems, text_box
from qa_app.web.security import refuse, requires

bp = Blueprint("reporting", __name__, url_prefix="/reports", template_folder="templates")


def _readable(report_id: int):
    report = reports.get_report(report_id) or abort(404)
    if not reports.can_read(current_user, report):
        refuse()
    return report


def _is_board(report) -> bool:
    return report.kind == ReportKind.LSCB


def page_of(report) -> str:
    """The page a report version is read on, by its kind."""
    if _is_board(report):
        return url_for("reporting.board", board_report_id=report.id)
    return url_for("reporting.show", report_id=report.id)


def link_to(cell) -> str | None:
    """The address of the page a figure was computed from, if that page exists and the reader
    may open it (a board viewer does not get links to case-level pages)."""
    if cell.link is None:
        return None
    endpoint, args = cell.link
    view = current_app.view_functions.get(endpoint)
    permission = getattr(view, "permission", None)
    if view is None or (permission and not may(current_user, permission)):
        return None
    try:
        return url_for(endpoint, **args)
    except BuildError:
        return None


def _draft_problems(report, method: str) -> list:
    """What keeps the draft from being published, shown when the edit page is opened."""
    if method != "GET" or report.is_published:
        return []
    return publication_check.report_problems(report)


def _unpublishable(report) -> int:
    """How many places keep a draft from being published, for the QA lead reading it."""
    if report.is_published or not may(current_user, "manage_reports"):
        return 0
    return len(publication_check.report_problems(report))


def _saved(report):
    """Where a saved draft goes: its page, or back to the edit page when its text would stop
    it being published."""
    if publication_check.report_problems(report):
        flash(
            "Draft saved. It cannot be published yet: the places listed hold what looks like "
            "a case reference or another identifier."
        )
        endpoint = "reporting.board_edit" if _is_board(report) else "reporting.edit"
        key = "board_report_id" if _is_board(report) else "report_id"
        return redirect(url_for(endpoint, **{key: report.id}))
    flash("Draft saved.", "success")
    return redirect(page_of(report))


@bp.context_processor
def _helpers():
    return {
        "present": present,
        "status_line": status_line,
        "page_of": page_of,
        "link_to": link_to,
        "text_box": text_box,
    }


@bp.route("/")
@requires("view_findings")
def index():
    return render_template(
        "reporting/index.html",
        reports=reports.list_reports(current_user),
        practice_weeks=practice_week_report.readable_reports(current_user),
        title="Reports",
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_reports")
def new():
    form = NewReportForm()
    cycle_list = cycles.list_cycles_for_reports()
    form.cycle.choices = [("", "No cycle: report on a period")] + [
        (c.id, c.name) for c in cycle_list
    ]
    form.template.choices = [("", "All templates")] + [
        (s.template.key, s.template.name) for s in list_templates()
    ]
    if request.method == "GET" and request.args.get("cycle", "").isdigit():
        form.cycle.data = int(request.args["cycle"])
    if form.validate_on_submit():
        cycle = next((c for c in cycle_list if c.id == form.cycle.data), None)
        filters = Filters(
            date_from=None if cycle else form.period_start.data,
            date_to=None if cycle else form.period_end.data,
            template=form.template.data or None,
        )
        try:
            report = report_drafting.draft(
                cycle=cycle,
                filters=filters,
                audience=form.audience.data,
                actor=current_actor(),
                title=form.title.data,
            )
        except ReportError as error:
            form.form_errors.append(str(error))
            for name, message in error.problems:
                if getattr(form, name, None) is not None:
                    attach_problem(form, name, message)
        else:
            flash(
                f"Version {report.number} drafted from the data. Check and edit it, then publish."
            )
            return redirect(url_for("reporting.show", report_id=report.id))
    return render_template("reporting/new.html", form=form, title="Draft a report")


@bp.route("/<int:report_id>")
@requires("view_findings")
def show(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(page_of(report))
    publish_form = VersionForm()
    publish_form.lock_version.data = str(report.lock_version)
    return render_template(
        "reporting/show.html",
        report=report,
        figures=report.figures,
        versions=reports.versions(report, current_user),
        publish_form=publish_form,
        redraft_form=RedraftForm(),
        threshold=get_settings().small_number_threshold,
        unpublishable=_unpublishable(report),
        title=report.title,
    )


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
@requires("manage_reports")
def edit(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(url_for("reporting.board_edit", board_report_id=report.id))
    if report.is_published:
        flash("This version is published and cannot be changed. Draft a new version instead.")
        return redirect(url_for("reporting.show", report_id=report.id))
    form = edit_form(report, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        if not (form.lock_version.data or "").isdigit():
            abort(400)  # not sent by our form
        sections = {  # a section left out of the post keeps its text
            section["key"]: field.data
            for section, field in zip(report.sections, form.section_fields, strict=True)
            if field.name in request.form
        }
        try:
            reports.save_text(
                report,
                sections=sections,
                strengths=form.strengths.data,
                development=form.development.data,
                concerns=form.concerns.data if "concerns" in request.form else None,
                based_on=int(form.lock_version.data or 0),
                actor=current_actor(),
            )
        except StaleReport as error:
            form.form_errors.append(str(error))
            status = 409
        except ReportError as error:
            for name, message in error.problems:
                target = getattr(form, name, None)
                if name.startswith("section__"):
                    key = name.removeprefix("section__")
                    index = next(i for i, s in enumerate(report.sections) if s["key"] == key)
                    target = form.section_fields[index]
                (target.errors if target is not None else form.form_errors).append(message)
            status = 400
        else:
            return _saved(report)
    return render_template(
        "reporting/edit.html",
        form=form,
        report=report,
        title=f"Edit: {report.title}",
        **publication_problems(form, _draft_problems(report, request.method), report),
    ), status


@bp.post("/<int:report_id>/publish")
@requires("manage_reports")
def publish(report_id: int):
    report = _readable(report_id)
    form = VersionForm()
    if not form.validate_on_submit() or not (form.lock_version.data or "").isdigit():
        abort(400)
    try:
        report_drafting.publish(report, based_on=int(form.lock_version.data), actor=current_actor())
    except report_drafting.PublicationRefused as error:
        return _refused(report, error.found)
    except ReportError as error:
        flash(str(error))
    else:
        flash(f"Version {report.number} published. It will not change again.", "success")
    return redirect(page_of(report))


def _refused(report, found):
    """The edit page, with what stopped the version being published: nothing was published."""
    board = _is_board(report)
    form = board_edit_form(report) if board else edit_form(report)
    problems = publication_problems(form, found, report) | {"refused": True}
    template = "reporting/board_edit.html" if board else "reporting/edit.html"
    if board:
        problems["prompts"] = board_text.development_prompts(report.figures)
    return render_template(
        template, form=form, report=report, title=f"Error: Edit: {report.title}", **problems
    ), 400


@bp.post("/<int:report_id>/redraft")
@requires("manage_reports")
def redraft(report_id: int):
    report = _readable(report_id)
    if not RedraftForm().validate_on_submit():
        abort(400)
    if _is_board(report):
        new = board_reports.redraft(report, current_actor(), date.today())
    else:
        new = report_drafting.redraft(report, current_actor())
    flash(f"Version {new.number} drafted from today's data. Earlier versions are kept.")
    return redirect(page_of(new))


def _download(report, data: bytes, suffix: str, mimetype: str) -> Response:
    name = f"report-{report.id}-v{report.number}.{suffix}"
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/<int:report_id>/report.pdf")
@requires("view_findings")
def download_pdf(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(url_for("reporting.board_pdf", board_report_id=report.id))
    return _download(report, pdf_bytes(report), "pdf", "application/pdf")


@bp.route("/<int:report_id>/report.docx")
@requires("view_findings")
def download_docx(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(url_for("reporting.board_docx", board_report_id=report.id))
    return _download(report, docx_bytes(report), "docx", DOCX)


@bp.route("/<int:report_id>/report.xlsx")
@requires("view_findings")
def download_xlsx(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        abort(404)  # a board report is downloaded as PDF or Word
    return _download(
        report,
        xlsx_bytes(report),
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ---- the single-agency report to the safeguarding board -------------------------------------


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
                today=date.today(),
            )
        except ReportError as error:
            for name, message in error.problems or [(None, str(error))]:
                target = getattr(form, name, None) if name else None
                (target.errors if target is not None else form.form_errors).append(message)
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
        if not (form.lock_version.data or "").isdigit():
            abort(400)  # not sent by our form
        sections = {  # a section left out of the post keeps its text
            section["key"]: field.data
            for section, field in zip(report.sections, form.section_fields, strict=True)
            if field.name in request.form
        }
        findings = {
            field.name: field.data for field in form.finding_fields if field.name in request.form
        }
        try:
            board_reports.save_text(
                report,
                sections=sections,
                findings=findings,
                based_on=int(form.lock_version.data),
                actor=current_actor(),
            )
        except StaleReport as error:
            form.form_errors.append(str(error))
            status = 409
        except ReportError as error:
            for name, message in error.problems or [(None, str(error))]:
                target = getattr(form, name, None) if name else None
                if name and name.startswith("section__"):
                    key = name.removeprefix("section__")
                    index = next(i for i, s in enumerate(report.sections) if s["key"] == key)
                    target = form.section_fields[index]
                (target.errors if target is not None else form.form_errors).append(message)
            status = 400
        else:
            return _saved(report)
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
    return Response(
        board_reports.pdf_bytes(report),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{_board_file_name(report, "pdf")}"'
        },
    )


@bp.route("/board/<int:board_report_id>/report.docx")
@requires("view_findings")
def board_docx(board_report_id: int):
    report = _board_report(board_report_id)
    return Response(
        board_reports.docx_bytes(report),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={
            "Content-Disposition": f'attachment; filename="{_board_file_name(report, "docx")}"'
        },
    )
