"""Recording practice week activities: observations and shadowing filled in against their
template (answers, theme marks, a summary), conversations on their consent record, and audits
of a child's record started in the week's audit cycle.

A record names the activity's lock_version it was based on; a record against a newer version is
refused with Stale. Every write is in the change log ("practice_week_activity")."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from qa_app.data import changelog, cycles
from qa_app.data.cycle_assignment import AssignmentError, assign, is_own_team
from qa_app.data.cycles import CycleError
from qa_app.data.practice_weeks import Stale, WeekError, claim_version
from qa_app.extensions import db
from qa_app.models import Audit, AuditTemplate, Team, TemplateVersion, User, utcnow
from qa_app.models.practice_weeks import Activity, ActivityKind, ActivityStatus, PracticeWeek
from qa_app.rules.uk_time import uk_day, uk_today
from qa_app.templates_engine.answers import (
    NOT_ASSESSED,
    THEME_MARK_LABELS,
    Value,
    clean_text,
    parse,
    placed_questions,
    problem,
    suggest_theme_marks,
)

# The template each recorded kind of activity is filled in against.
TEMPLATE_FOR_KIND: dict[str, str] = {
    ActivityKind.OBSERVE_MEETING: "observe_meeting",
    ActivityKind.SHADOW: "shadow_practitioner",
}
PARTICIPANTS = {"child": "A child", "parent_carer": "A parent or carer", "staff": "Staff"}
THEME_MARKS = THEME_MARK_LABELS


@dataclass
class Problem:
    field: str  # the form field name, e.g. "q__went_well"
    message: str


class RecordProblems(ValueError):
    """Finishing needs these answers first; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# ---- recording --------------------------------------------------------------------------


def too_early(activity: Activity, today: date | None = None) -> str | None:
    """Why the activity cannot be recorded yet (it has not happened: an observation on 14
    December cannot have findings on 7 December), or None. Today is the UK's."""
    if activity.scheduled_on <= (today or uk_today()):
        return None
    return (
        f"This activity is on {uk_day(activity.scheduled_on)}. You can record it from that"
        " day, once it has happened."
    )


def _refuse_before_it_happens(activity: Activity, field: str | None) -> None:
    if message := too_early(activity):
        raise WeekError(message, field)


def template_version_for(activity: Activity) -> TemplateVersion | None:
    """The version the activity is (or will be) recorded against: the one it was started with,
    else the newest version of its kind's template."""
    if activity.template_version is not None:
        return activity.template_version
    key = TEMPLATE_FOR_KIND.get(activity.kind)
    if key is None:
        return None
    return db.session.scalar(
        select(TemplateVersion)
        .join(AuditTemplate)
        .where(AuditTemplate.key == key, AuditTemplate.active.is_(True))
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )


def _stored(question: dict[str, Any], value: Value) -> object:
    if question["type"] == "multiple_choice":
        return list(value.choices)
    return value.text


def parsed_answers(content: dict[str, Any], raw: dict[str, Any]) -> dict[str, object]:
    """Raw form values by field name (q__<key>) -> stored answers by question key."""
    out: dict[str, object] = {}
    for key, placed in placed_questions(content).items():
        if placed.group_key or placed.question["type"] == "repeat":
            continue  # observation templates have no repeat groups; none are stored
        name = f"q__{key}"
        if name not in raw:
            continue
        value = parse(placed.question, raw[name])
        stored = _stored(placed.question, value)
        if stored not in (None, "", []):
            out[key] = stored
    return out


def _value(question: dict[str, Any], stored: object) -> Value:
    return parse(question, stored if stored is not None else None)


def suggested_marks(content: dict[str, Any], answers: dict[str, Any]) -> dict[str, str]:
    placed = placed_questions(content)
    pairs = [(placed[k].question, _value(placed[k].question, v)) for k, v in answers.items()]
    return suggest_theme_marks(content, [(q, v) for q, v in pairs if q])


def record_observation(
    activity: Activity,
    raw: dict[str, Any],
    marks: dict[str, str | None],
    summary: str,
    *,
    finish: bool,
    based_on: int | None,
    actor: User | None,
) -> Activity:
    """Record an observation or shadowing against its template version: answers, theme marks
    (a mark not given takes the suggestion from the answers) and a summary. Finishing needs
    every required answer (RecordProblems) and marks it done; a draft keeps it planned."""
    if activity.kind not in TEMPLATE_FOR_KIND:
        raise WeekError("This activity is not recorded on a template", "kind")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "kind")
    _refuse_before_it_happens(activity, None)
    version = template_version_for(activity)
    if version is None:
        raise WeekError(f"The {TEMPLATE_FOR_KIND[activity.kind]} template is not loaded", "kind")
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    content = version.content
    answers = parsed_answers(content, raw)
    suggested = suggested_marks(content, answers)
    chosen = {}
    for key in content["themes"]:
        mark = marks.get(key) or suggested.get(key, NOT_ASSESSED)
        if mark not in THEME_MARKS:
            raise WeekError(f"Unknown theme mark {mark!r}", f"theme__{key}")
        chosen[key] = mark
    summary = clean_text(summary or "").strip()
    if finish:
        placed = placed_questions(content)
        problems = [
            Problem(f"q__{key}", message)
            for key, p in placed.items()
            if not p.group_key and p.question["type"] != "repeat"
            if (message := problem(content, p.question, _value(p.question, answers.get(key))))
        ]
        if problems:
            raise RecordProblems(problems)
    before: dict[str, Any] = {
        "answers": activity.answers or {},
        "theme_marks": activity.theme_marks or {},
    }
    before.update(summary=activity.summary, status=activity.status)
    claim_version(activity, based_on)
    activity.template_version_id = version.id
    activity.answers, activity.theme_marks, activity.summary = answers, chosen, summary
    activity.status = ActivityStatus.DONE if finish else ActivityStatus.PLANNED
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    after = {"answers": answers, "theme_marks": chosen, "summary": summary}
    after["status"] = activity.status
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "recorded" if finish else "draft_saved",
        {
            "version": activity.lock_version,
            "template_version": version.number,
            "fields": changelog.diff(before, after),
        },
    )
    db.session.commit()
    return activity


def record_conversation(
    activity: Activity,
    *,
    participant: str | None,
    consent_given: bool | None,
    consent_how: str,
    summary: str,
    finish: bool,
    based_on: int | None,
    actor: User | None,
) -> Activity:
    """Record a conversation with a child, parent or carer, or staff, on its consent record.
    Nothing of what was said is kept unless consent was given: a summary typed without it is
    refused (WeekError on "summary"). Finishing needs who, the consent answer, how consent was
    recorded (when given) and a summary (when given); it marks the activity done."""
    if activity.kind != ActivityKind.CONVERSATION:
        raise WeekError("This activity is not a conversation", "participant")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "participant")
    _refuse_before_it_happens(activity, None)
    if participant is not None and participant not in PARTICIPANTS:
        raise WeekError("Choose who the conversation was with", "participant")
    summary = clean_text(summary or "").strip()
    consent_how = clean_text(consent_how or "").strip()
    if summary and consent_given is not True:
        raise WeekError(
            "Consent was not given, so nothing of what was said can be recorded. Clear the "
            "summary, or record how consent was given",
            "summary",
        )
    if finish:
        problems = []
        if participant is None:
            problems.append(Problem("participant", "Choose who the conversation was with"))
        if consent_given is None:
            problems.append(Problem("consent_given", "Say whether consent was given"))
        if consent_given and not consent_how:
            problems.append(Problem("consent_how", "Say how consent was recorded"))
        if consent_given and not summary:
            problems.append(Problem("summary", "Summarise what you heard"))
        if problems:
            raise RecordProblems(problems)
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    before = {
        "participant": activity.participant,
        "consent_given": activity.consent_given,
        "consent_how": activity.consent_how,
        "summary": activity.summary,
        "status": activity.status,
    }
    claim_version(activity, based_on)
    activity.participant, activity.consent_given = participant, consent_given
    activity.consent_how = consent_how
    activity.summary = summary if consent_given else ""
    activity.status = ActivityStatus.DONE if finish else ActivityStatus.PLANNED
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    after = {
        "participant": participant,
        "consent_given": consent_given,
        "consent_how": consent_how,
        "summary": activity.summary,
        "status": activity.status,
    }
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "recorded" if finish else "draft_saved",
        {"version": activity.lock_version, "fields": changelog.diff(before, after)},
    )
    db.session.commit()
    return activity


def record_audit(
    activity: Activity,
    *,
    case_reference: str,
    team: Team | None,
    template: AuditTemplate | None,
    based_on: int | None,
    actor: User | None,
) -> Audit:
    """Audit a child's record with the worker: a case audit of the case in the week's cycle,
    assigned to the activity's manager, who then fills it in on the normal audit pages. The
    activity is then done. Raises WeekError (naming the field) or Stale. Returns the audit."""
    if activity.kind != ActivityKind.AUDIT_RECORD:
        raise WeekError("This activity is not an audit of a record", "case_reference")
    if activity.audit_id is not None:
        raise WeekError("The audit for this activity has already been started", "case_reference")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "case_reference")
    _refuse_before_it_happens(activity, None)
    cycle = activity.week.cycle
    if cycle is None:
        raise WeekError("The week has no audit cycle", "case_reference")
    if team is None:
        raise WeekError("Choose the case's team", "team_id")
    if template is None or template not in cycle.templates or template.kind != "case_audit":
        raise WeekError("Choose one of the week's audit templates", "template_id")
    manager = activity.manager
    if manager is None:
        raise WeekError("The activity has no manager to do the audit", "case_reference")
    if team.id in {t.id for t in manager.teams}:
        raise WeekError(
            f"{manager.display_name} is in the case's team ({team.name}): choose a record "
            "from another team",
            "team_id",
        )
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    try:
        audit = cycles.add_case(
            cycle,
            case_reference=case_reference,
            team=team,
            worker=None,
            template=template,
            actor=actor,
        )  # commits
    except CycleError as error:
        raise WeekError(str(error), error.field or "case_reference") from None
    try:
        if is_own_team(manager, audit.case):  # the team was checked above; belt and braces
            raise AssignmentError(f"{manager.display_name} is in the case's team", "team_id")
        assign(audit, manager, override=False, actor=actor)  # commits
    except AssignmentError as error:
        raise WeekError(str(error), "team_id") from None
    claim_version(activity, based_on)
    activity.audit_id, activity.team = audit.id, team
    activity.status = ActivityStatus.DONE
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "audit_started",
        {
            "version": activity.lock_version,
            "audit": audit.id,
            "case": audit.case.case_reference,
            "template": template.key,
            "auditor": manager.username,
        },
    )
    db.session.commit()
    return audit


def week_templates(week: PracticeWeek) -> list[AuditTemplate]:
    """The case-audit templates of the week's cycle, by name."""
    if week.cycle is None:
        return []
    return sorted(
        (t for t in week.cycle.templates if t.active and t.kind == "case_audit"),
        key=lambda t: t.name,
    )
