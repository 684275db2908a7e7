"""Practice week pages: plan the week, its schedule, and record each activity. Thin: forms in,
qa_app.data.practice_weeks, practice_week_activities and practice_week_records out."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_app.data import organisation
from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_week_records as week_records
from qa_app.data import practice_weeks as weeks
from qa_app.data.audits import get_audit
from qa_app.data.cycles import STATUS_LABELS as AUDIT_STATUS_LABELS
from qa_app.data.practice_week_records import RecordProblems
from qa_app.data.practice_weeks import Stale, WeekError
from qa_app.models import Role
from qa_app.models.practice_weeks import (
    ACTIVITY_KIND_LABELS,
    MEETING_TYPE_LABELS,
    ActivityKind,
    ActivityStatus,
)
from qa_app.practice_weeks.forms import (
    ActivityForm,
    AuditRecordForm,
    CancelForm,
    ConversationForm,
    Versioned,
    observation_form,
    week_form,
)
from qa_app.rules.uk_time import uk_date, uk_day
from qa_app.templates_engine.answers import placed_questions
from qa_app.web.forms_base import labels_with_bad_characters, stripped_notice
from qa_app.web.security import refuse, requires

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


def _me():
    return current_user._get_current_object()


def _attach(form, error) -> None:
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is None:
        form.form_errors.append(str(error))
    else:
        _add_error(field, str(error))


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]  # a tuple until the form has been validated


def _posted_version() -> int:
    try:
        return int(request.form.get("lock_version", ""))
    except ValueError:
        abort(400)


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
    me = _me()
    mine = (
        week_activities.next_activities(me, date.today()) if Role.SENIOR_MANAGER in me.roles else []
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
                actor=_me(),
                week=week,
                based_on=_posted_version() if week else None,
            )
        except Stale:
            typed = [
                ("Name", form.name.data),
                ("Purpose", form.purpose.data),
                ("New focus areas", form.new_focus_areas.data),
            ]
            return _conflict(week, typed, url_for(".edit_week", week_id=week.id))
        except WeekError as error:
            _attach(form, error)
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
        may_manage=Role.QA_LEAD in _me().roles,
        me=_me(),
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
                manager=next((m for m in found.managers if m.id == form.manager_id.data), None),
                team=next((t for t in form._teams if t.id == form.team_id.data), None),
                focus_area_id=form.focus_area_id.data,
                details=form.details.data or "",
                actor=_me(),
                activity=activity,
                based_on=_posted_version() if activity else None,
            )
        except Stale:
            typed = [("Where and what", form.details.data), ("Time", form.time.data)]
            back = url_for(".edit_activity", activity_id=activity.id)
            return _conflict(activity, typed, back)
        except WeekError as error:
            _attach(form, error)
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
                activity, form.reason.data, based_on=_posted_version(), actor=_me()
            )
        except Stale:
            back = url_for(".cancel_activity", activity_id=activity.id)
            return _conflict(activity, [("Why it is cancelled", form.reason.data)], back)
        except WeekError as error:
            _attach(form, error)
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
        schedule=week_activities.manager_schedule(_me(), date.today()),
        title="My practice week schedule",
    )


# ---- recording --------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>/record", methods=["GET", "POST"])
@requires("take_part_in_practice_weeks")
def record(activity_id: int):
    activity = _activity_or_404(activity_id)
    if not week_activities.may_record(_me(), activity):
        refuse()
    if activity.kind in week_records.TEMPLATE_FOR_KIND:
        return _record_observation(activity)
    if activity.kind == ActivityKind.CONVERSATION:
        return _record_conversation(activity)
    return _record_audit(activity)


def _page(activity, form, template: str, status: int = 200, **extra):
    kind = ACTIVITY_KIND_LABELS[ActivityKind(activity.kind)]
    prefix = "Error: " if form.errors else ""
    return render_template(
        template,
        activity=activity,
        week=activity.week,
        form=form,
        title=f"{prefix}Record: {kind}, {uk_date(activity.scheduled_on)}",
        **extra,
    ), status


def _finishing() -> bool:
    return request.form.get("action") == "finish"


def _record_observation(activity):
    version = week_records.template_version_for(activity)
    if version is None:
        flash("The template for this activity has not been loaded yet.", "error")
        return redirect(url_for(".week", week_id=activity.week_id))
    content = version.content
    form_class = observation_form(content)
    placed = placed_questions(content)
    suggested = week_records.suggested_marks(content, activity.answers or {})
    cancelled = activity.status == ActivityStatus.CANCELLED
    if request.method == "POST" and not cancelled:
        form = form_class()
        if not Versioned().validate_on_submit():  # the CSRF token; answers are checked below
            abort(400)
        raw = {}
        for name in form._fields:
            if name.startswith("q__"):
                question = placed[name[3:]].question
                many = question["type"] in ("multiple_choice", "date")
                raw[name] = request.form.getlist(name) if many else request.form.get(name, "")
        marks = {k: request.form.get(f"theme__{k}") or None for k in content["themes"]}
        # A draft keeps what was typed, but not a control character: saving removes it
        # (clean_text) and the next page says from which answers.
        texts = [n for n in form._fields if n.startswith("q__") or n == "summary"]
        stripped = labels_with_bad_characters(form, texts)
        try:
            week_records.record_observation(
                activity,
                raw,
                marks,
                form.summary.data or "",
                finish=_finishing(),
                based_on=_posted_version(),
                actor=_me(),
            )
        except Stale:
            typed = [
                (form[n].label.text, _typed_text(form[n].data))
                for n in form._fields
                if n.startswith(("q__", "theme__")) or n == "summary"
            ]
            back = url_for(".record", activity_id=activity.id)
            return _conflict(activity, typed, back)
        except RecordProblems as error:
            for p in error.problems:
                _add_error(form[p.field], p.message)
            return _page(
                activity,
                form,
                "practice_weeks/record_observation.html",
                400,
                content=content,
                suggested=suggested,
            )
        except WeekError as error:
            _attach(form, error)
            return _page(
                activity,
                form,
                "practice_weeks/record_observation.html",
                400,
                content=content,
                suggested=suggested,
            )
        flash("Recorded" if _finishing() else "Draft saved", "success")
        if stripped:
            flash(stripped_notice(stripped), "info")
        return redirect(
            url_for(".my_schedule")
            if _me().id == activity.manager_id
            else url_for(".week", week_id=activity.week_id)
        )
    data = {f"q__{k}": v for k, v in (activity.answers or {}).items() if k in placed}
    for key in content["themes"]:
        data[f"theme__{key}"] = (activity.theme_marks or {}).get(key) or suggested.get(key)
    form = form_class(formdata=None, data=data, lock_version=activity.lock_version)
    form.summary.data = activity.summary
    return _page(
        activity,
        form,
        "practice_weeks/record_observation.html",
        content=content,
        suggested=suggested,
    )


def _typed_text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _record_conversation(activity):
    cancelled = activity.status == ActivityStatus.CANCELLED
    if request.method == "POST" and not cancelled:
        form = ConversationForm()
        if not form.validate_on_submit():
            return _page(activity, form, "practice_weeks/record_conversation.html", 400)
        consent = {"yes": True, "no": False}.get(form.consent_given.data or "")
        try:
            week_records.record_conversation(
                activity,
                participant=form.participant.data or None,
                consent_given=consent,
                consent_how=form.consent_how.data or "",
                summary=form.summary.data or "",
                finish=_finishing(),
                based_on=_posted_version(),
                actor=_me(),
            )
        except Stale:
            typed = [
                ("How consent was recorded", form.consent_how.data),
                ("What you heard", form.summary.data),
            ]
            return _conflict(activity, typed, url_for(".record", activity_id=activity.id))
        except RecordProblems as error:
            for p in error.problems:
                _add_error(form[p.field], p.message)
            return _page(activity, form, "practice_weeks/record_conversation.html", 400)
        except WeekError as error:
            _attach(form, error)
            return _page(activity, form, "practice_weeks/record_conversation.html", 400)
        flash("Recorded" if _finishing() else "Draft saved", "success")
        return redirect(
            url_for(".my_schedule")
            if _me().id == activity.manager_id
            else url_for(".week", week_id=activity.week_id)
        )
    consent = {True: "yes", False: "no"}.get(activity.consent_given)
    form = ConversationForm(
        formdata=None,
        data={
            "participant": activity.participant,
            "consent_given": consent,
            "consent_how": activity.consent_how,
            "summary": activity.summary,
        },
        lock_version=activity.lock_version,
    )
    return _page(activity, form, "practice_weeks/record_conversation.html")


def _record_audit(activity):
    audit = get_audit(activity.audit_id) if activity.audit_id else None
    form = (
        AuditRecordForm()
        if request.method == "POST"
        else AuditRecordForm(lock_version=activity.lock_version)
    )
    teams = [t for t in organisation.list_teams() if t.active]
    templates = week_records.week_templates(activity.week)
    form.team_id.choices = [("", "Choose a team")] + [(t.id, t.name) for t in teams]
    form.template_id.choices = [("", "Choose a template")] + [(t.id, t.name) for t in templates]
    if request.method == "GET" and activity.team_id:
        form.team_id.data = activity.team_id
    cancelled = activity.status == ActivityStatus.CANCELLED
    if request.method == "POST" and audit is None and not cancelled and form.validate_on_submit():
        try:
            audit = week_records.record_audit(
                activity,
                case_reference=form.case_reference.data,
                team=next((t for t in teams if t.id == form.team_id.data), None),
                template=next((t for t in templates if t.id == form.template_id.data), None),
                based_on=_posted_version(),
                actor=_me(),
            )
        except Stale:
            typed = [("Case reference", form.case_reference.data)]
            return _conflict(activity, typed, url_for(".record", activity_id=activity.id))
        except WeekError as error:
            _attach(form, error)
        else:
            flash(f"Audit of case {audit.case.case_reference} started", "success")
            return redirect(url_for("audits.show", audit_id=audit.id))
    status = 400 if request.method == "POST" and form.errors else 200
    return _page(
        activity,
        form,
        "practice_weeks/record_audit.html",
        status,
        audit=audit,
        audit_status_labels=AUDIT_STATUS_LABELS,
    )
