"""Report pages: the list, drafting a new report, one version (read, edit, publish, draft
again) and its downloads. Drafts are the QA lead's; published versions are read by the
readers of findings, board viewers only those for publication.

Three kinds of report share the list, the versions, publishing and drafting again: the cycle
report (pages here under /reports/<id>), the single-agency report to the safeguarding board
(its own pages under /reports/board/<id> are in board_routes.py, on this blueprint) and the
performance pack for the scrutiny committee (/reports/scrutiny/<id>: scrutiny_routes.py) and
the annual self-evaluation (/reports/self-evaluation/<id>: self_evaluation_routes.py)."""

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug import Response
from werkzeug.routing import BuildError

from qa_app.data import cycles, report_lists, reports
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, StaleReport
from qa_app.data.templates import list_templates
from qa_app.documents import board_text
from qa_app.findings import Filters, present
from qa_app.models import ReportKind
from qa_app.reporting.forms import (
    NewReportForm,
    RedraftForm,
    VersionForm,
    board_edit_form,
    edit_form,
    scrutiny_edit_form,
)
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_today
from qa_app.services import (
    board_reports,
    practice_week_report,
    publication_check,
    report_drafting,
    scrutiny_reports,
    self_evaluation,
)
from qa_app.services.report_documents import (
    docx_bytes,
    pdf_bytes,
    status_beside_tag,
    xlsx_bytes,
)
from qa_app.web.downloads import download
from qa_app.web.forms_base import attach_problems, chosen, current_actor, posted_version
from qa_app.web.listing import Listing, list_state, query_int
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


def _is_scrutiny(report) -> bool:
    return report.kind == ReportKind.SCRUTINY


def _is_self_evaluation(report) -> bool:
    return report.kind == ReportKind.SELF_EVALUATION


def _own_pages(report) -> bool:
    """A board report, a scrutiny pack or a self-evaluation: read on pages of its own."""
    return report.kind != ReportKind.CYCLE


def page_of(report) -> str:
    """The page a report version is read on, by its kind."""
    if _is_board(report):
        return url_for("reporting.board", board_report_id=report.id)
    if _is_scrutiny(report):
        return url_for("reporting.scrutiny", scrutiny_report_id=report.id)
    if _is_self_evaluation(report):
        return url_for("reporting.self_evaluation_page", self_evaluation_id=report.id)
    return url_for("reporting.show", report_id=report.id)


def edit_page_of(report) -> str:
    """The page a draft's text is edited on, by its kind."""
    if _is_board(report):
        return url_for("reporting.board_edit", board_report_id=report.id)
    if _is_scrutiny(report):
        return url_for("reporting.scrutiny_edit", scrutiny_report_id=report.id)
    if _is_self_evaluation(report):
        return url_for("reporting.self_evaluation_edit", self_evaluation_id=report.id)
    return url_for("reporting.edit", report_id=report.id)


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


def posted_sections(report, form) -> dict[str, str]:
    """The posted text of each section box, by section key; a section left out of the post
    keeps its text."""
    return {
        section["key"]: field.data
        for section, field in zip(report.sections, form.section_fields, strict=True)
        if field.name in request.form
    }


def attach_text_problems(form, report, error: ReportError) -> None:
    """A draft's text refused: each problem on its box. The data layer names a section by its
    key (section__<key>); its box on the form is numbered (section__<index>)."""
    boxes = {f"section__{s['key']}": f"section__{i}" for i, s in enumerate(report.sections)}
    attach_problems(form, error.problems, str(error), rename=lambda name: boxes.get(name, name))


def save_draft(form, report, save) -> tuple[Response | None, int]:
    """Save a draft's text: `save(based_on=, actor=)` is its kind's save in the data layer.
    Returns where to go once saved, or None and the status the edit page is shown again with
    (what was typed kept): 409 when someone saved or published it first, 400 when the text is
    refused, each problem on its box."""
    try:
        save(based_on=posted_version(), actor=current_actor())
    except StaleReport as error:
        form.form_errors.append(str(error))
        return None, 409
    except ReportError as error:
        attach_text_problems(form, report, error)
        return None, 400
    return _saved(report), 200


def _saved(report):
    """Where a saved draft goes: its page, or back to the edit page when its text would stop
    it being published."""
    if publication_check.report_problems(report):
        flash(
            "Draft saved. It cannot be published yet: the places listed hold what looks like "
            "a case reference or another identifier."
        )
        return redirect(edit_page_of(report))
    flash("Draft saved.", "success")
    return redirect(page_of(report))


@bp.context_processor
def _helpers():
    return {
        "present": present,
        "status_line": status_beside_tag,  # after the page's Published or Draft tag
        "page_of": page_of,
        "edit_page_of": edit_page_of,
        "link_to": link_to,
        "text_box": text_box,
    }


@bp.route("/")
@requires("view_findings")
def index():
    page = report_lists.report_page(current_user, list_state(report_lists.REPORTS))
    return render_template(
        "reporting/index.html",
        listing=Listing(page, "report"),
        filters=report_lists.FILTERS,
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
    if request.method == "GET" and query_int("cycle"):
        form.cycle.data = query_int("cycle")
    if form.validate_on_submit():
        cycle = chosen(cycle_list, form.cycle.data)
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
            # the rule that refused the report at the top, what to change on each field
            attach_problems(form, [(None, str(error)), *error.problems], str(error))
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
    if _own_pages(report):
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
    if _own_pages(report):
        return redirect(edit_page_of(report))
    if report.is_published:
        flash("This version is published and cannot be changed. Draft a new version instead.")
        return redirect(url_for("reporting.show", report_id=report.id))
    form = edit_form(report, request.form if request.method == "POST" else None)
    status = 200
    if form.validate_on_submit():
        save = partial(
            reports.save_text,
            report,
            sections=posted_sections(report, form),
            strengths=form.strengths.data,
            development=form.development.data,
            concerns=form.concerns.data if "concerns" in request.form else None,
        )
        saved, status = save_draft(form, report, save)
        if saved:
            return saved
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
    if not VersionForm().validate_on_submit():
        abort(400)
    try:
        report_drafting.publish(report, based_on=posted_version(), actor=current_actor())
    except report_drafting.PublicationRefused as error:
        return _refused(report, error.found)
    except ReportError as error:
        flash(str(error))
    else:
        flash(f"Version {report.number} published. It will not change again.", "success")
    return redirect(page_of(report))


def _refused(report, found):
    """The edit page, with what stopped the version being published: nothing was published."""
    if _is_scrutiny(report):
        form = scrutiny_edit_form(report)
        problems = publication_problems(form, found, report) | {"refused": True}
        return render_template(
            "reporting/scrutiny_edit.html",
            form=form,
            report=report,
            title=f"Error: Edit: {report.title}",
            **problems,
        ), 400
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
        new = board_reports.redraft(report, current_actor(), uk_today())
    elif _is_scrutiny(report):
        new = scrutiny_reports.redraft(report, current_actor(), uk_today())
    elif _is_self_evaluation(report):
        new = self_evaluation.redraft(report, current_actor(), uk_today())
    else:
        new = report_drafting.redraft(report, current_actor())
    flash(f"Version {new.number} drafted from today's data. Earlier versions are kept.")
    return redirect(page_of(new))


def _file_name(report, suffix: str) -> str:
    return f"report-{report.id}-v{report.number}.{suffix}"


@bp.route("/<int:report_id>/report.pdf")
@requires("view_findings")
def download_pdf(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(url_for("reporting.board_pdf", board_report_id=report.id))
    if _is_scrutiny(report):
        return redirect(url_for("reporting.scrutiny_pdf", scrutiny_report_id=report.id))
    if _is_self_evaluation(report):
        return redirect(url_for("reporting.self_evaluation_pdf", self_evaluation_id=report.id))
    return download(pdf_bytes(report), _file_name(report, "pdf"))


@bp.route("/<int:report_id>/report.docx")
@requires("view_findings")
def download_docx(report_id: int):
    report = _readable(report_id)
    if _is_board(report):
        return redirect(url_for("reporting.board_docx", board_report_id=report.id))
    if _is_scrutiny(report):
        return redirect(url_for("reporting.scrutiny_docx", scrutiny_report_id=report.id))
    if _is_self_evaluation(report):
        return redirect(url_for("reporting.self_evaluation_docx", self_evaluation_id=report.id))
    return download(docx_bytes(report), _file_name(report, "docx"))


@bp.route("/<int:report_id>/report.xlsx")
@requires("view_findings")
def download_xlsx(report_id: int):
    report = _readable(report_id)
    if _own_pages(report):
        abort(404)  # a board report, a scrutiny pack or a self-evaluation: PDF or Word
    return download(xlsx_bytes(report), _file_name(report, "xlsx"))
