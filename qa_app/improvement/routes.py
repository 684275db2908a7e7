"""Improvement plan pages: the plans, a plan with its priorities and numbered actions, an action
with its progress updates, impact figures and history, and the cross-plan lists (mine, overdue,
at risk, open, all). Adding and changing an action is in action_routes.py, on this blueprint.
Thin: forms in, qa_app.data.improvement (writes) and qa_app.data.improvement_queries (reads)
out, impact from qa_app.findings.impact."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.data import action_lists, improvement, improvement_queries
from qa_app.data.improvement import PlanError, StaleAction
from qa_app.data.users import display_names
from qa_app.findings.impact import impacts
from qa_app.findings.present import counted
from qa_app.improvement.forms import PlanForm, PriorityForm, ProgressForm
from qa_app.models import ActionStatus
from qa_app.rules.change_words import action_words, change_lines
from qa_app.rules.uk_time import uk_today
from qa_app.web.forms_base import attach_problem, current_actor, posted_version
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import refuse, requires

bp = Blueprint("improvement", __name__, url_prefix="/improvement", template_folder="templates")

VIEW_TITLES = {
    "mine": "My actions",
    "overdue": "Overdue actions",
    "at_risk": "Actions at risk or off track",
    "open": "Open actions",
    "all": "All actions",
}


def _plan(plan_id: int):
    return improvement_queries.get_plan(plan_id) or abort(404)


def _action(action_id: int):
    return improvement_queries.get_action(action_id) or abort(404)


def _status(value: str) -> ActionStatus | None:
    try:
        return ActionStatus(value)
    except ValueError:
        return None


def impact_line(found) -> str:
    """An action's impact in one line, for the plan page and the lists."""
    if found is None:
        return ""
    if found.message:
        return found.message
    parts = []
    for theme in found.themes:
        if not theme.enough:
            parts.append(f"{theme.name}: too few audits to tell")
            continue
        change = theme.change
        points = counted(abs(change), "point")
        moved = f"up {points}" if change > 0 else f"down {points}" if change < 0 else "no change"
        parts.append(
            f"{theme.name}: {theme.before.percent}% before, {theme.since.percent}% since ({moved})"
        )
    return "; ".join(parts)


@bp.context_processor
def _helpers():
    return {
        "status_of": _status,
        "is_overdue": improvement_queries.is_overdue,
        "today": uk_today(),
        "view_titles": VIEW_TITLES,
    }


# ---- plans ------------------------------------------------------------------------------


@bp.route("/")
@requires("view_improvement_plan")
def index():
    return render_template(
        "improvement/index.html",
        summaries=improvement_queries.list_plans(uk_today()),
        owns_actions=improvement_queries.owns_actions(current_user),
        statuses=list(ActionStatus),
        title="Improvement plans",
    )


@bp.route("/plans/new", methods=["GET", "POST"], defaults={"plan_id": None})
@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@requires("manage_improvement_plan")
def edit_plan(plan_id: int | None):
    plan = _plan(plan_id) if plan_id else None
    form = PlanForm(obj=None if request.method == "POST" else plan)
    if form.validate_on_submit():
        try:
            saved = improvement.save_plan(
                plan,
                title=form.title.data,
                description=form.description.data or "",
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                status=form.status.data,
                actor=current_actor(),
            )
        except PlanError as error:
            attach_problem(form, error.field, error.message)
        else:
            flash(f"Plan {saved.title!r} saved.", "success")
            return redirect(url_for("improvement.plan", plan_id=saved.id))
    return render_template(
        "improvement/plan_form.html",
        form=form,
        plan=plan,
        title=f"Edit {plan.title}" if plan else "Create an improvement plan",
    ), 400 if form.errors else 200


@bp.route("/plans/<int:plan_id>")
@requires("view_improvement_plan")
def plan(plan_id: int):
    found = _plan(plan_id)
    today = uk_today()
    groups = improvement_queries.plan_actions(found, today)
    actions = [a for _, group in groups for a in group]
    impact = impacts(actions, today=today)
    return render_template(
        "improvement/plan.html",
        plan=found,
        groups=groups,
        total=len(actions),
        impact_lines={a.id: impact_line(impact.get(a.id)) for a in actions},
        title=found.title,
    )


# ---- priorities -------------------------------------------------------------------------


@bp.route(
    "/plans/<int:plan_id>/priorities/new", methods=["GET", "POST"], defaults={"priority_id": None}
)
@bp.route("/plans/<int:plan_id>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@requires("manage_improvement_plan")
def edit_priority(plan_id: int, priority_id: int | None):
    found = _plan(plan_id)
    priority = None
    if priority_id is not None:
        priority = improvement_queries.get_priority(priority_id)
        if priority is None or priority.plan_id != found.id:
            abort(404)
    form = PriorityForm(obj=None if request.method == "POST" else priority)
    if form.validate_on_submit():
        try:
            saved = improvement.save_priority(
                found,
                priority,
                title=form.title.data,
                description=form.description.data or "",
                actor=current_actor(),
            )
        except PlanError as error:
            attach_problem(form, error.field, error.message)
        else:
            flash(f"Priority {saved.number}, {saved.title!r}, saved.", "success")
            return redirect(url_for("improvement.plan", plan_id=found.id))
    title = f"Edit priority {priority.number}" if priority else "Add a priority"
    return render_template(
        "improvement/priority_form.html", form=form, plan=found, priority=priority, title=title
    ), 400 if form.errors else 200


# ---- one action -------------------------------------------------------------------------


def _progress_form(action, formdata=None) -> ProgressForm:
    form = ProgressForm(formdata=formdata)
    form.status.choices = [
        (value, f"{label} (no change)" if value == action.status else label)
        for value, label in form.status.choices
    ]
    if formdata is None:
        form.status.data = action.status
        form.lock_version.data = str(action.lock_version)
    return form


def _history_lookups(action, entries, themes: dict[str, str]) -> dict[str, dict]:
    """The names the action's history shows for the ids and keys its changes store."""
    owners: set[int] = set()
    for e in entries:
        stored = (e.changes or {}).get("owner_id")
        owners.update(v for v in (stored if isinstance(stored, list) else [stored]) if v)
    return {
        "owner_id": display_names(owners),
        "themes": themes,
        "priority_id": {p.id: f"{p.number}. {p.title}" for p in action.plan.priorities},
    }


def _action_page(action, form=None, status: int = 200):
    today = uk_today()
    entries = improvement_queries.history(action)
    names = display_names({e.user_id for e in entries if e.user_id is not None})
    themes = improvement_queries.theme_names()
    lookups = _history_lookups(action, entries, themes)
    context = {
        "action": action,
        "plan": action.plan,
        "impact": impacts([action], today=today).get(action.id),
        "source": improvement_queries.source_text(action),
        "themes_text": ", ".join(themes.get(k, k) for k in action.themes or []) or "None",
        "updates": sorted(action.updates, key=lambda u: (u.at, u.id), reverse=True),
        "history": [
            (
                e,
                names.get(e.user_id, "The system"),
                action_words(e.action),
                change_lines(e.changes, lookups),
            )
            for e in entries
        ],
        "title": f"Action {action.number}: {action.plan.title}",
    }
    if improvement_queries.may_update(current_user, action):
        context["form"] = form or _progress_form(action)
    return render_template("improvement/action.html", **context), status


@bp.route("/actions/<int:action_id>")
@requires("view_improvement_plan")
def action(action_id: int):
    return _action_page(_action(action_id))


@bp.post("/actions/<int:action_id>/progress")
@requires("view_improvement_plan")
def progress(action_id: int):
    found = _action(action_id)
    if not improvement_queries.may_update(current_user, found):
        refuse()
    form = _progress_form(found, request.form)
    if not form.validate():
        return _action_page(found, form, 400)
    try:
        improvement.add_update(
            found,
            note=form.note.data,
            actor=current_actor(),
            today=uk_today(),
            status=form.status.data,
            based_on=posted_version(),
        )
    except StaleAction:  # `found` is the action as it is now: nothing was changed
        form.lock_version.data = str(found.lock_version)
        form.form_errors.append(
            "Someone else updated this action while you were writing. Your note has not been "
            "saved: it is kept below. Check the action as it is now, then add it again."
        )
        return _action_page(found, form, 409)
    except PlanError as error:
        attach_problem(form, error.field, error.message)
        return _action_page(found, form, 400)
    flash("Progress update added.", "success")
    return redirect(url_for("improvement.action", action_id=found.id))


# ---- lists across plans -----------------------------------------------------------------


@bp.route("/actions")
@requires("view_improvement_plan")
def actions():
    view = request.args.get("view", "")
    if view not in VIEW_TITLES:
        view = "mine" if improvement_queries.owns_actions(current_user) else "open"
    today = uk_today()
    state = list_state(action_lists.ACTIONS)
    page = action_lists.action_page(view, current_actor(), state, today)
    return render_template(
        "improvement/actions.html",
        listing=Listing(page, "action", extra=(("view", view),)),
        filters=action_lists.filter_choices(),
        view=view,
        title=VIEW_TITLES[view],
    )
