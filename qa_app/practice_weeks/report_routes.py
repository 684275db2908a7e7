"""A practice week's report: the page, the PDF and the Word file, in the tier of the reader
(qa_app.services.practice_week_report.reader_audience). The people running the week read the
internal tier and may look at each audience's version (?audience=partnership or public); once
the findings are published to the partnership, board viewers read the partnership tier, which
they find in their Reports list. Routes on the practice_week_findings blueprint."""

from flask import abort, render_template, request
from flask_login import current_user

from qa_app.data import practice_weeks as weeks
from qa_app.data.organisation import get_settings
from qa_app.documents.practice_week_docx import practice_week_docx
from qa_app.documents.practice_week_pdf import (
    figures_as_at,
    practice_week_pdf,
    quick_win_text,
    small_numbers_text,
    status_text,
)
from qa_app.practice_weeks.findings_routes import bp
from qa_app.services import practice_week_figures as week_figures
from qa_app.services import practice_week_report as week_report
from qa_app.web.downloads import download
from qa_app.web.security import refuse, requires


def _report_view(week_id: int):
    """The report in the tier the signed-in reader gets (data.practice_week_report.
    reader_audience); the people running the week may ask for another audience's tier with
    ?audience= to see what that audience reads."""
    week = weeks.get_week(week_id) or abort(404)
    own = week_report.reader_audience(current_user, week)
    if own is None:
        refuse()
    audience = own
    asked = request.args.get("audience")
    if asked:
        allowed = week_report.tiers_for(current_user, week)
        if asked not in {a.value for a in allowed}:
            abort(404)
        audience = asked
    return week_report.report_view(week, audience=audience)


def _organisation() -> str:
    return f"{get_settings().council_name}: children's services quality assurance"


def _file_name(view, suffix: str) -> str:
    return f"practice-week-{view.week.id}-{view.audience.value}.{suffix}"


@bp.route("/<int:week_id>/report")
@requires("view_findings")
def report(week_id: int):
    view = _report_view(week_id)
    return render_template(
        "practice_weeks/report.html",
        view=view,
        figures=view.figures,
        week=view.week,
        tiers=week_report.tiers_for(current_user, view.week),
        status_text=status_text(view, beside_tag=True),
        small_numbers=small_numbers_text(view),
        figures_as_at=figures_as_at(view.figures),
        quick_win_text=quick_win_text,
        sentence=week_figures.comparison_sentence,
        title=f"Report: {view.title}",
    )


@bp.route("/<int:week_id>/report.pdf")
@requires("view_findings")
def report_pdf(week_id: int):
    view = _report_view(week_id)
    data = practice_week_pdf(view, organisation=_organisation())
    return download(data, _file_name(view, "pdf"))


@bp.route("/<int:week_id>/report.docx")
@requires("view_findings")
def report_docx(week_id: int):
    view = _report_view(week_id)
    data = practice_week_docx(view, organisation=_organisation())
    return download(data, _file_name(view, "docx"))
