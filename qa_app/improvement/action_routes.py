"""Improvement plan pages for writing an action: add one to a plan, change one, and the
conflict page when someone saved it first (what was typed beside what the action says now).
Routes on the improvement blueprint (qa_app.improvement.routes)."""

from flask import flash, redirect, render_template, request, url_for

from qa_app.data import improvement, improvement_queries
from qa_app.data.improvement import PlanError, StaleAction
from qa_app.improvement.forms import ActionForm
from qa_app.improvement.routes import _action, _plan, _status, bp
from qa_app.models import ActionSource
from qa_app.rules.uk_time import uk_today
from qa_app.web.forms_base import attach_problem, chosen, current_actor, posted_version
from qa_app.web.listing import query_int
from qa_app.web.security import requires


class _Choices:
    """What an action form offers, kept so the posted ids can be turned back into records."""

    def __init__(self, form: ActionForm, plan, action=None):
        self.priorities = list(plan.priorities)
        self.owners = improvement_queries.owner_choices()
        if action is not None and action.owner is not None and action.owner not in self.owners:
            self.owners.append(action.owner)  # a former owner stays on offer
        self.cycles = improvement_queries.source_cycles()
        self.weeks = improvement_queries.source_weeks()
        themes = improvement_queries.theme_names()
        for key in (action.themes or []) if action is not None else []:
            themes.setdefault(key, key)  # a retired theme the action targets stays on offer
        form.priority.choices = [("", "No priority")] + [
            (p.id, f"{p.number}. {p.title}") for p in self.priorities
        ]
        form.owner.choices = [("", "Choose an owner")] + [
            (u.id, u.display_name) for u in self.owners
        ]
        form.source_cycle.choices = [("", "None")] + [(c.id, c.name) for c in self.cycles]
        form.source_week.choices = [("", "None")] + [(w.id, w.name) for w in self.weeks]
        form.themes.choices = list(themes.items())

    def fields(self, form: ActionForm) -> dict:
        """The form's values as qa_app.data.improvement takes them."""
        kind = form.source_kind.data
        return {
            "description": form.description.data,
            "priority": chosen(self.priorities, form.priority.data),
            "owner": chosen(self.owners, form.owner.data),
            "due_date": form.due_date.data,
            "status": form.status.data,
            "started_on": form.started_on.data,
            "source_kind": kind,
            "source_cycle": chosen(self.cycles, form.source_cycle.data)
            if kind == ActionSource.AUDIT_CYCLE
            else None,
            "source_week": chosen(self.weeks, form.source_week.data)
            if kind == ActionSource.PRACTICE_WEEK
            else None,
            "source_note": form.source_note.data or "",
            "themes": list(form.themes.data or []),
            "expected_outcome": form.expected_outcome.data or "",
        }


def _fill(form: ActionForm, action) -> None:
    form.lock_version.data = str(action.lock_version)
    form.description.data = action.description
    form.priority.data = action.priority_id
    form.owner.data = action.owner_id
    form.due_date.data = action.due_date
    form.status.data = action.status
    form.started_on.data = action.started_on
    form.source_kind.data = action.source_kind
    form.source_cycle.data = action.source_cycle_id
    form.source_week.data = action.source_week_id
    form.source_note.data = action.source_note
    form.themes.data = list(action.themes or [])
    form.expected_outcome.data = action.expected_outcome


@bp.route("/plans/<int:plan_id>/actions/new", methods=["GET", "POST"])
@requires("manage_improvement_plan")
def new_action(plan_id: int):
    found = _plan(plan_id)
    form = ActionForm()
    choices = _Choices(form, found)
    if request.method == "GET" and query_int("priority"):
        form.priority.data = query_int("priority")
    if form.validate_on_submit():
        try:
            action = improvement.create_action(
                found, actor=current_actor(), today=uk_today(), **choices.fields(form)
            )
        except PlanError as error:
            attach_problem(form, error.field, error.message)
        else:
            flash(f"Action {action.number} added to the plan.", "success")
            return redirect(url_for("improvement.action", action_id=action.id))
    return render_template(
        "improvement/action_form.html",
        form=form,
        plan=found,
        action=None,
        title=f"Add an action to {found.title}",
    ), 400 if form.errors else 200


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires("manage_improvement_plan")
def edit_action(action_id: int):
    action = _action(action_id)
    form = ActionForm()
    choices = _Choices(form, action.plan, action)
    if request.method == "GET":
        _fill(form, action)
    status = 200
    if form.validate_on_submit():
        try:
            improvement.update_action(
                action,
                based_on=posted_version(),
                actor=current_actor(),
                today=uk_today(),
                **choices.fields(form),
            )
        except StaleAction:
            return _conflict(form, choices, action)
        except PlanError as error:
            attach_problem(form, error.field, error.message)
        else:
            flash(f"Action {action.number} saved.", "success")
            return redirect(url_for("improvement.action", action_id=action.id))
    if form.errors:
        status = 400
    return render_template(
        "improvement/action_form.html",
        form=form,
        plan=action.plan,
        action=action,
        title=f"Edit action {action.number}",
    ), status


def _words(form: ActionForm, choices: _Choices, values: dict) -> list[tuple[str, str]]:
    """(label, text) for each field of an action's values, as `_Choices.fields` gives them."""
    themes = dict(form.themes.choices)
    kind = values["source_kind"]
    source = ActionSource(kind).label if kind in ActionSource._value2member_map_ else kind
    if values["source_cycle"] is not None:
        source += f": {values['source_cycle'].name}"
    if values["source_week"] is not None:
        source += f": {values['source_week'].name}"
    status = _status(values["status"] or "")
    return [
        ("Description", values["description"] or ""),
        (
            "Priority",
            f"{values['priority'].number}. {values['priority'].title}"
            if values["priority"]
            else "No priority",
        ),
        ("Owner", values["owner"].display_name if values["owner"] else "No owner"),
        ("Due date", f"{values['due_date']:%-d %B %Y}" if values["due_date"] else "None"),
        ("Status", status.label if status else str(values["status"])),
        ("Started on", f"{values['started_on']:%-d %B %Y}" if values["started_on"] else "None"),
        ("Answers", source),
        ("Source note", values["source_note"] or ""),
        ("Themes targeted", ", ".join(themes.get(k, k) for k in values["themes"]) or "None"),
        ("Expected outcome", values["expected_outcome"] or ""),
    ]


def _current_values(action) -> dict:
    return {
        "description": action.description,
        "priority": action.priority,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "started_on": action.started_on,
        "source_kind": action.source_kind,
        "source_cycle": action.source_cycle,
        "source_week": chosen(improvement_queries.source_weeks(), action.source_week_id),
        "source_note": action.source_note,
        "themes": list(action.themes or []),
        "expected_outcome": action.expected_outcome,
    }


def _conflict(form: ActionForm, choices: _Choices, action):
    """Someone saved the action since the page was opened: nothing is saved; the page shows
    what was typed beside what the action says now, and the form (with what was typed) may be
    saved again over the latest version. `action` was read in this request, so it is current."""
    typed = _words(form, choices, choices.fields(form))
    now = _words(form, choices, _current_values(action))
    rows = [(label, mine, theirs) for (label, mine), (_, theirs) in zip(typed, now, strict=True)]
    form.lock_version.data = str(action.lock_version)
    return render_template(
        "improvement/conflict.html",
        form=form,
        plan=action.plan,
        action=action,
        rows=rows,
        title="Someone else has changed this action",
    ), 409
