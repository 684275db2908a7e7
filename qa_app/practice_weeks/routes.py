"""Practice week pages: plan the week and its schedule (recording each activity is in
record_routes.py, on this blueprint). Thin: forms in, qa_app.data.practice_weeks and
practice_week_activities out."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from qa_app.data import organisation
from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_week_records as week_records
from qa_app.data import practice_weeks as weeks
from qa_app.data.practice_weeks import Stale, WeekError
from qa_app.models import Role
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS, MEETING_TYPE_LABELS, ActivityKind
from qa_app.practice_weeks.forms import ActivityForm, CancelForm, week_form
from qa_app.rules.uk_time import uk_day, uk_today
from qa_app.web.forms_base import attach_problem, chosen, current_actor, posted_version
from qa_app.web.security import requires

bp = Blueprint(
    "practice_weeks", __name__, url_prefix="/practice-weeks", template_folder="templates"
)


@bp.context_processor
def _labels():
    return {
        "kind_labels": {k.value: v for k, v in ACTIVITY_KIND_LABELS.items()},
        "meeting_labels": {k.value: v for k, v in MEETING_TYPE_LABELS.items()},
        "activity_status_labels": {k.value: v for k, v in week_activities.STATUS_LABELS.items()},
        "participant_labels": week_records.PARTICIPANTS,
        "mark_labels": week_records.THEME_MARKS,
    }


def _week_or_404(week_id: int):
    return weeks.get_week(week_id) or abort(404)


def _activity_or_404(activity_id: int):
    return week_activities.get_activity(activity_id) or abort(404)


def _conflict(entity, typed: list[tuple[str, str]], back: str):
    return render_template(
        "practice_weeks/conflict.html",
        typed=[(label, text) for label, text in typed if text],
        back=back,
        title="Someone else has changed this",
    ), 409


# ---- weeks ------------------------------------------------------------------------------


@bp.route("/")
@requires("take_part_in_practice_weeks")
def index():
    me = current_actor()
    mine = (
        week_activities.next_activities(me, uk_today()) if Role.SENIOR_MANAGER in me.roles else []
    )
    return render_template(
        "practice_weeks/index.html",
        weeks=weeks.list_weeks(),
        mine=mine,
        may_manage=Role.QA_LEAD in me.roles,
        title="Practice weeks",
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"week_id": None})
@bp.route("/<int:week_id>/edit", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def edit_week(week_id: int | None):
    week = _week_or_404(week_id) if week_id else None
    form_class = week_form(week.focus_areas if week else [])
    managers = weeks.senior_managers()
    if week:  # a manager already in the week stays on offer (e.g. a role since removed)
        managers += [m for m in week.managers if m not in managers]
    if request.method == "POST":
        form = form_class()
    else:
        form = form_class(obj=week, lock_version=week.lock_version if week else "")
        form.new_focus_areas.data = ""
        if week:
            form.managers.data = [m.id for m in week.managers]
            for area in week.focus_areas:
                form[f"area__{area.id}"].data = area.title
    form.managers.choices = [(m.id, m.display_name) for m in managers]
    if form.validate_on_submit():
        areas = {}
        if week:
            areas = {a.id: form[f"area__{a.id}"].data or "" for a in week.focus_areas}
        try:
            saved = weeks.save_week(
                name=form.name.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                purpose=form.purpose.data or "",
                managers=[m for m in managers if m.id in (form.managers.data or [])],
                new_areas=(form.new_focus_areas.data or "").splitlines(),
                areas=areas,
                actor=current_actor(),
                week=week,
                based_on=posted_version() if week else None,
            )
        except Stale:
            typed = [
                ("Name", form.name.data),
                ("Purpose", form.purpose.data),
                ("New focus areas", form.new_focus_areas.data),
            ]
            return _conflict(week, typed, url_for(".edit_week", week_id=week.id))
        except WeekError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(f"Practice week {saved.name} saved", "success")
            return redirect(url_for(".week", week_id=saved.id))
    return render_template(
        "practice_weeks/week_form.html",
        form=form,
        week=week,
        title=f"Edit {week.name}" if week else "Plan a practice week",
    )


@bp.route("/<int:week_id>")
@requires("take_part_in_practice_weeks")
def week(week_id: int):
    found = _week_or_404(week_id)
    return render_template(
        "practice_weeks/week.html",
        week=found,
        schedule=week_activities.schedule(found),
        counts=week_activities.activity_counts(found.id),
        may_manage=Role.QA_LEAD in current_actor().roles,
        me=current_actor(),
        title=found.name,
    )


# ---- scheduling -------------------------------------------------------------------------


def _activity_choices(form, week) -> None:
    form.day.choices = [(d.isoformat(), uk_day(d)) for d in weeks.week_days(week)]
    form.manager_id.choices = [("", "Choose a senior manager")] + [
        (m.id, m.display_name) for m in week.managers
    ]
    teams = [t for t in organisation.list_teams() if t.active]
    form.team_id.choices = [("", "No particular team")] + [(t.id, t.name) for t in teams]
    form.focus_area_id.choices = [("", "No particular area")] + [
        (a.id, f"{a.number}. {a.title}") for a in week.focus_areas
    ]
    form._teams = teams


@bp.route("/<int:week_id>/activities/new", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def new_activity(week_id: int):
    return _activity_page(_week_or_404(week_id), None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def edit_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    return _activity_page(_week_or_404(activity.week_id), activity)


def _activity_page(found, activity):
    if request.method == "POST":
        form = ActivityForm()
    else:
        form = ActivityForm(obj=activity, lock_version=activity.lock_version if activity else "")
        if activity:
            form.day.data = activity.scheduled_on.isoformat()
            form.time.data = activity.scheduled_time
            form.meeting_type.data = activity.meeting_type or ""
        elif request.args.get("day"):
            form.day.data = request.args["day"]
    _activity_choices(form, found)
    if form.validate_on_submit():
        try:
            saved = week_activities.save_activity(
                found,
                kind=form.kind.data,
                meeting_type=form.meeting_type.data or None,
                day=date.fromisoformat(form.day.data),
                time=form.time.data or "",
                manager=chosen(found.managers, form.manager_id.data),
                team=chosen(form._teams, form.team_id.data),
                focus_area_id=form.focus_area_id.data,
                details=form.details.data or "",
                actor=current_actor(),
                activity=activity,
                based_on=posted_version() if activity else None,
            )
        except Stale:
            typed = [("Where and what", form.details.data), ("Time", form.time.data)]
            back = url_for(".edit_activity", activity_id=activity.id)
            return _conflict(activity, typed, back)
        except WeekError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash(f"{ACTIVITY_KIND_LABELS[ActivityKind(saved.kind)]} scheduled", "success")
            return redirect(url_for(".week", week_id=found.id, _anchor=f"day-{saved.scheduled_on}"))
    return render_template(
        "practice_weeks/activity_form.html",
        form=form,
        week=found,
        activity=activity,
        title="Change an activity" if activity else "Schedule an activity",
    )


@bp.route("/activities/<int:activity_id>/cancel", methods=["GET", "POST"])
@requires("manage_practice_weeks")
def cancel_activity(activity_id: int):
    activity = _activity_or_404(activity_id)
    form = (
        CancelForm() if request.method == "POST" else CancelForm(lock_version=activity.lock_version)
    )
    if form.validate_on_submit():
        try:
            week_activities.cancel_activity(
                activity, form.reason.data, based_on=posted_version(), actor=current_actor()
            )
        except Stale:
            back = url_for(".cancel_activity", activity_id=activity.id)
            return _conflict(activity, [("Why it is cancelled", form.reason.data)], back)
        except WeekError as error:
            attach_problem(form, error.field, str(error))
        else:
            flash("Activity cancelled", "success")
            return redirect(url_for(".week", week_id=activity.week_id))
    return render_template(
        "practice_weeks/cancel.html",
        form=form,
        activity=activity,
        week=activity.week,
        title="Cancel an activity",
    )


@bp.route("/mine")
@requires("take_part_in_practice_weeks")
def my_schedule():
    return render_template(
        "practice_weeks/my_schedule.html",
        schedule=week_activities.manager_schedule(current_actor(), uk_today()),
        title="My practice week schedule",
    )
