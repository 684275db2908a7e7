"""A practice week's findings: headline findings per area, quick wins, audit themes, report.

The QA lead drafts (pre-filled from the data), edits and publishes; quick wins are added,
edited and deleted before publishing and each can become an improvement-plan action in one
step. The report is read on screen, as PDF and as Word: before publishing by the people running
the week (QA leads, senior managers), who can also see each audience's version; after
publishing to the partnership (or the public) also by board viewers, who read the partnership
tier (exact counts, owners by role, no case free text) and find it in their Reports list."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from qa_app.data import practice_week_findings as findings
from qa_app.data import practice_weeks as weeks
from qa_app.data import quick_wins
from qa_app.data.improvement import PlanError
from qa_app.data.improvement_queries import get_plan, theme_names
from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_findings import FindingsError, StaleFindings
from qa_app.data.quick_wins import StaleQuickWin
from qa_app.documents.practice_week_pdf import week_dates
from qa_app.extensions import db
from qa_app.findings import present
from qa_app.models import FocusArea, User
from qa_app.practice_weeks.findings_forms import (
    DeleteQuickWinForm,
    DraftForm,
    PublishForm,
    QuickWinActionForm,
    QuickWinForm,
    RedraftForm,
    findings_form,
)
from qa_app.rules.uk_time import uk_today
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import practice_week_figures as week_figures
from qa_app.services.publication_check import week_problems
from qa_app.web.forms_base import attach_problem, current_actor, posted_version
from qa_app.web.publication_problems import publication_problems, text_box
from qa_app.web.security import requires

bp = Blueprint(
    "practice_week_findings", __name__, url_prefix="/practice-weeks", template_folder="templates"
)


def _week(week_id: int):
    return weeks.get_week(week_id) or abort(404)


def _quick_win(week, quick_win_id: int):
    return quick_wins.get_quick_win(week, quick_win_id) or abort(404)


@bp.context_processor
def _helpers():
    return {"present": present, "week_dates": week_dates, "text_box": text_box}


# ---- the draft ------------------------------------------------------------------------------


def _findings_page(week, form, status: int = 200, refused: list | None = None):
    """The findings page; `refused`: what stopped publishing. Otherwise, opened as a draft, it
    lists what would stop it (text that looks like it holds an identifier)."""
    found = refused
    if found is None:
        opened = request.method == "GET" and not findings.is_published(week)
        found = week_problems(week) if opened else []
    figures = week_figures.live_figures(week)
    draft_form, publish_form, redraft_form = DraftForm(), PublishForm(), RedraftForm()
    for f in (draft_form, publish_form, redraft_form):
        f.lock_version.data = str(week.lock_version)
    return render_template(
        "practice_weeks/findings.html",
        week=week,
        form=form,
        figures=figures,
        published=findings.is_published(week),
        published_to=findings.published_audience(week),
        draft_form=draft_form,
        publish_form=publish_form,
        redraft_form=redraft_form,
        threshold=get_settings().small_number_threshold,
        sentence=week_figures.comparison_sentence,
        title=("Error: " if refused is not None else "") + f"Findings: {week.name}",
        **publication_problems(form, found) | {"refused": refused is not None},
    ), status


@bp.route("/<int:week_id>/findings", methods=["GET", "POST"], endpoint="findings")
@requires("manage_practice_weeks")
def findings_page(week_id: int):
    week = _week(week_id)
    form = findings_form(week, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and findings.is_published(week):
        flash("The findings are published and cannot be changed. Redraft them first.")
        return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    if form.validate_on_submit():
        based_on = posted_version()
        headlines = {
            area.id: field.data or ""
            for area, field in form.area_fields
            if field.name in request.form
        }
        try:
            findings.save_findings(
                week,
                headlines=headlines,
                themes_summary=form.themes_summary.data or "",
                based_on=based_on,
                actor=current_actor(),
            )
        except StaleFindings as error:
            form.form_errors.append(str(error))
            status = 409
        except FindingsError as error:
            attach_problem(form, error.field, error.message)
            status = 400
        else:
            if week_problems(week):
                flash(
                    "Draft findings saved. They cannot be published yet: the places listed "
                    "hold what looks like a case reference or another identifier."
                )
            else:
                flash("Draft findings saved.", "success")
            return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    elif request.method == "POST":
        status = 400
    return _findings_page(week, form, status)


@bp.post("/<int:week_id>/findings/draft")
@requires("manage_practice_weeks")
def draft(week_id: int):
    week = _week(week_id)
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        filled = week_drafting.fill_drafts(
            week, based_on=posted_version(), actor=current_actor(), overwrite=form.replace.data
        )
    except (StaleFindings, FindingsError) as error:
        flash(str(error))
    else:
        if filled:
            flash(f"Filled from the data: {', '.join(filled)}. Check and edit them.", "success")
        else:
            flash("Nothing to fill: every box already has text, or there is no data yet.")
    return redirect(url_for("practice_week_findings.findings", week_id=week.id))


@bp.post("/<int:week_id>/findings/publish")
@requires("manage_practice_weeks")
def publish(week_id: int):
    week = _week(week_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        week_drafting.publish(
            week, based_on=posted_version(), actor=current_actor(), audience=form.audience.data
        )
    except week_drafting.FindingsRefused as error:
        return _findings_page(week, findings_form(week), 400, refused=error.problems)
    except (StaleFindings, FindingsError) as error:
        flash(str(error))
        return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    flash(
        f"Findings published to the {form.audience.data} audience. Their figures are frozen as "
        "they are now.",
        "success",
    )
    return redirect(url_for("practice_week_findings.report", week_id=week.id))


@bp.post("/<int:week_id>/findings/redraft")
@requires("manage_practice_weeks")
def redraft(week_id: int):
    week = _week(week_id)
    form = RedraftForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        findings.redraft(week, based_on=posted_version(), actor=current_actor())
    except (StaleFindings, FindingsError) as error:
        flash(str(error))
    else:
        flash("The findings are a draft again: edit them, then publish again.", "success")
    return redirect(url_for("practice_week_findings.findings", week_id=week.id))


# ---- quick wins -----------------------------------------------------------------------------


def _quick_win_choices(week, form: QuickWinForm) -> None:
    form.owner.choices = [("", "Choose an owner")] + [
        (u.id, u.display_name) for u in quick_wins.owner_choices()
    ]
    form.focus_area.choices = [("", "No particular area")] + [
        (a.id, f"{a.number}. {a.title}") for a in week.focus_areas
    ]


def _quick_win_fields(week, form: QuickWinForm) -> dict:
    owner = db.session.get(User, form.owner.data) if form.owner.data else None
    area = db.session.get(FocusArea, form.focus_area.data) if form.focus_area.data else None
    return {
        "description": form.description.data or "",
        "owner": owner,
        "due_date": form.due_date.data,
        "focus_area": area,
    }


def _quick_win_page(week, form, quick_win=None, status: int = 200):
    delete_form = None
    if quick_win is not None:
        delete_form = DeleteQuickWinForm()
        delete_form.version.data = quick_wins.quick_win_version(quick_win)
    return render_template(
        "practice_weeks/findings_quick_win.html",
        week=week,
        form=form,
        quick_win=quick_win,
        delete_form=delete_form,
        title=f"Quick win {quick_win.number}" if quick_win else "Add a quick win",
    ), status


def _refuse_published(week):
    if findings.is_published(week):
        flash("The findings are published: redraft them to change the quick wins.")
        return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    return None


@bp.route("/<int:week_id>/quick-wins/new", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def new_quick_win(week_id: int):
    week = _week(week_id)
    if (refused := _refuse_published(week)) is not None:
        return refused
    form = QuickWinForm()
    _quick_win_choices(week, form)
    status = 200
    if form.validate_on_submit():
        try:
            quick_win = quick_wins.add_quick_win(
                week, actor=current_actor(), **_quick_win_fields(week, form)
            )
        except FindingsError as error:
            attach_problem(form, error.field, error.message)
            status = 400
        else:
            flash(f"Quick win {quick_win.number} added.", "success")
            return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    elif request.method == "POST":
        status = 400
    return _quick_win_page(week, form, status=status)


@bp.route("/<int:week_id>/quick-wins/<int:quick_win_id>", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def edit_quick_win(week_id: int, quick_win_id: int):
    week = _week(week_id)
    quick_win = _quick_win(week, quick_win_id)
    if request.method == "POST" and (refused := _refuse_published(week)) is not None:
        return refused
    form = QuickWinForm(obj=None if request.method == "POST" else quick_win)
    _quick_win_choices(week, form)
    if request.method == "GET":
        form.version.data = quick_wins.quick_win_version(quick_win)
        form.owner.data = quick_win.owner_id
        form.focus_area.data = quick_win.focus_area_id
    status = 200
    if form.validate_on_submit():
        try:
            quick_wins.update_quick_win(
                quick_win,
                based_on=form.version.data or "",
                actor=current_actor(),
                **_quick_win_fields(week, form),
            )
        except StaleQuickWin as error:
            form.form_errors.append(str(error))
            form.version.data = quick_wins.quick_win_version(quick_win)
            status = 409
        except FindingsError as error:
            attach_problem(form, error.field, error.message)
            status = 400
        else:
            flash(f"Quick win {quick_win.number} saved.", "success")
            return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    elif request.method == "POST":
        status = 400
    return _quick_win_page(week, form, quick_win, status)


@bp.post("/<int:week_id>/quick-wins/<int:quick_win_id>/delete")
@requires("manage_practice_weeks")
def delete_quick_win(week_id: int, quick_win_id: int):
    week = _week(week_id)
    quick_win = _quick_win(week, quick_win_id)
    form = DeleteQuickWinForm()
    if not form.validate_on_submit() or not form.version.data:
        abort(400)
    number = quick_win.number
    try:
        quick_wins.delete_quick_win(quick_win, based_on=form.version.data, actor=current_actor())
    except (StaleQuickWin, FindingsError) as error:
        flash(str(error))
    else:
        flash(f"Quick win {number} deleted; the ones after it moved up.", "success")
    return redirect(url_for("practice_week_findings.findings", week_id=week.id))


@bp.route("/<int:week_id>/quick-wins/<int:quick_win_id>/action", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def quick_win_action(week_id: int, quick_win_id: int):
    """Turn a quick win into an improvement-plan action, in one step."""
    week = _week(week_id)
    quick_win = _quick_win(week, quick_win_id)
    form = QuickWinActionForm()
    form.plan.choices = [("", "Choose a plan")] + [
        (p.id, p.title) for p in quick_wins.active_plans()
    ]
    form.themes.choices = list(theme_names().items())
    status = 200
    if quick_win.action_id is not None and request.method == "POST":
        flash(f"Quick win {quick_win.number} is already an action in the improvement plan.")
        return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    if form.validate_on_submit():
        plan = get_plan(form.plan.data) if form.plan.data else None
        try:
            action = quick_wins.quick_win_to_action(
                quick_win,
                plan,
                actor=current_actor(),
                today=uk_today(),
                themes=form.themes.data or [],
            )
        except (FindingsError, PlanError) as error:
            db.session.rollback()
            attach_problem(form, error.field, error.message)
            status = 400
        else:
            flash(
                f"Quick win {quick_win.number} is now action {action.number} of "
                f"{action.plan.title}.",
                "success",
            )
            return redirect(url_for("practice_week_findings.findings", week_id=week.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "practice_weeks/findings_action.html",
        week=week,
        quick_win=quick_win,
        form=form,
        title=f"Quick win {quick_win.number} into the improvement plan",
    ), status
