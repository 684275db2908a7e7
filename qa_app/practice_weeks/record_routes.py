"""Practice week pages for recording an activity: a senior manager records an observation or
a shadowing (a versioned template's questions and theme marks), a conversation (on a consent
record: nothing said is kept without consent) or starts the audit of a child's record with the
worker. A draft keeps what was typed; "finish" marks the activity done. Routes on the
practice_weeks blueprint (qa_app.practice_weeks.routes)."""

from flask import abort, flash, redirect, render_template, request, url_for

from qa_app.data import organisation
from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_week_records as week_records
from qa_app.data.audits import get_audit
from qa_app.data.cycles import STATUS_LABELS as AUDIT_STATUS_LABELS
from qa_app.data.practice_week_records import RecordProblems
from qa_app.data.practice_weeks import Stale, WeekError
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS, ActivityKind, ActivityStatus
from qa_app.practice_weeks.forms import (
    AuditRecordForm,
    ConversationForm,
    Versioned,
    observation_form,
)
from qa_app.practice_weeks.routes import _activity_or_404, _conflict, bp
from qa_app.rules.uk_time import uk_date
from qa_app.templates_engine.answers import placed_questions
from qa_app.web.forms_base import (
    attach_problem,
    chosen,
    current_actor,
    labels_with_bad_characters,
    posted_version,
    stripped_notice,
)
from qa_app.web.security import refuse, requires


@bp.route("/activities/<int:activity_id>/record", methods=["GET", "POST"])
@requires("take_part_in_practice_weeks")
def record(activity_id: int):
    activity = _activity_or_404(activity_id)
    if not week_activities.may_record(current_actor(), activity):
        refuse()
    if not_yet := week_records.too_early(activity):  # it has not happened yet: say when
        status = 400 if request.method == "POST" else 200
        return render_template(
            "practice_weeks/record_not_yet.html",
            activity=activity,
            week=activity.week,
            message=not_yet,
            title=f"Not yet: {ACTIVITY_KIND_LABELS[ActivityKind(activity.kind)]}",
        ), status
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

    def page(form, status: int = 200):
        return _page(
            activity,
            form,
            "practice_weeks/record_observation.html",
            status,
            content=content,
            suggested=suggested,
        )

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
                based_on=posted_version(),
                actor=current_actor(),
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
                attach_problem(form, p.field, p.message)
            return page(form, 400)
        except WeekError as error:
            attach_problem(form, error.field, str(error))
            return page(form, 400)
        flash("Recorded" if _finishing() else "Draft saved", "success")
        if stripped:
            flash(stripped_notice(stripped), "info")
        return redirect(
            url_for(".my_schedule")
            if current_actor().id == activity.manager_id
            else url_for(".week", week_id=activity.week_id)
        )
    data = {f"q__{k}": v for k, v in (activity.answers or {}).items() if k in placed}
    for key in content["themes"]:
        data[f"theme__{key}"] = (activity.theme_marks or {}).get(key) or suggested.get(key)
    form = form_class(formdata=None, data=data, lock_version=activity.lock_version)
    form.summary.data = activity.summary
    return page(form)


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
                based_on=posted_version(),
                actor=current_actor(),
            )
        except Stale:
            typed = [
                ("How consent was recorded", form.consent_how.data),
                ("What you heard", form.summary.data),
            ]
            return _conflict(activity, typed, url_for(".record", activity_id=activity.id))
        except RecordProblems as error:
            for p in error.problems:
                attach_problem(form, p.field, p.message)
            return _page(activity, form, "practice_weeks/record_conversation.html", 400)
        except WeekError as error:
            attach_problem(form, error.field, str(error))
            return _page(activity, form, "practice_weeks/record_conversation.html", 400)
        flash("Recorded" if _finishing() else "Draft saved", "success")
        return redirect(
            url_for(".my_schedule")
            if current_actor().id == activity.manager_id
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
                team=chosen(teams, form.team_id.data),
                template=chosen(templates, form.template_id.data),
                based_on=posted_version(),
                actor=current_actor(),
            )
        except Stale:
            typed = [("Case reference", form.case_reference.data)]
            return _conflict(activity, typed, url_for(".record", activity_id=activity.id))
        except WeekError as error:
            attach_problem(form, error.field, str(error))
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
