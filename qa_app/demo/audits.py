"""Demo audit work for a fresh install: one monthly cycle with cases from several teams,
audits assigned to the demo accounts, some in progress, some submitted, one moderated and one
urgent concern, so a new user sees every page with something on it. Case references are
made up; answers are generated from the templates through the normal data layer."""

import random
from datetime import timedelta

from sqlalchemy import select

from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import concerns, moderation
from qa_app.data.cycle_assignment import assign
from qa_app.data.cycles import active_templates, add_case, save_cycle
from qa_app.data.organisation import list_teams
from qa_app.data.users import find_by_username
from qa_app.demo.consistent import consistent_raw
from qa_app.extensions import db
from qa_app.models import Audit
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.answers import field_name, scale_levels

SEED = 20261122
# (case reference, team, template key, auditor username, how far to take it)
PLAN = [
    ("30010001", "Safeguarding South", "single_assessment", "auditor", "submitted"),
    ("30010002", "Initial Response South", "single_assessment", "auditor", "in_progress"),
    ("30010003", "MASH", "cin_plan", "auditor", "not_started"),
    ("30010004", "Children in Care", "cp_plan_visits", "auditor", "asks_for_moderation"),
    ("30010005", "Safeguarding North", "icpc_reports", "moderator", "submitted"),
    ("30010006", "Initial Response North", "cin_plan", "moderator", "moderated"),
    ("30010007", "Safeguarding South", "cp_plan_visits", "moderator", "in_progress"),
    ("30010008", "Disabled Children's Service", "cin_plan", "senior.manager", "submitted"),
    ("30010009", "Safeguarding North", "single_assessment", "senior.manager", "not_started"),
    ("30010010", "Care Leavers", "cin_plan", None, "not_started"),
]


def _raw(content: dict, question: dict, rng: random.Random):
    kind = question["type"]
    if kind == "grade":
        levels = scale_levels(content, question["scale"])
        return rng.choice(levels[: min(3, len(levels))])
    if kind == "yes_partly_no":
        return rng.choices(["yes", "partly", "no"], weights=[6, 2, 2])[0]
    if kind == "single_choice":
        return rng.choice(question["options"])["key"]
    if kind == "multiple_choice":
        return [
            o["key"] for o in rng.sample(question["options"], k=min(2, len(question["options"])))
        ]
    if kind == "number":
        low = question["min"] if question["min"] is not None else 1
        high = question["max"] if question["max"] is not None else low + 20
        return str(rng.randint(int(low), int(min(high, low + 20))))
    if kind == "date":
        day = uk_today() - timedelta(days=rng.randint(10, 120))
        return [str(day.day), str(day.month), str(day.year)]
    return rng.choice(
        [
            "Clear and up to date in the record.",
            "Partly recorded; the latest visit note is brief.",
            "Recorded, with the child's own words quoted.",
        ]
    )


def fill_audit(audit, actor, rng: random.Random, sections: int | None = None) -> None:
    content = audit.template_version.content
    levels = scale_levels(content, content["template"]["scale"])
    for section in content["template"]["sections"][:sections]:
        for q in section["questions"]:
            if q["type"] == "repeat":
                for label in [o["key"] for o in q["options"]][:3]:
                    audit_data.add_block(
                        audit, q["key"], label, based_on=audit.lock_version, actor=actor
                    )
        answers = audit_data.stored_answers(audit)
        raw = {}
        for q in section["questions"]:
            if q["type"] != "repeat":
                raw[field_name(q["key"])] = _raw(content, q, rng)
                continue
            for index, _label in audit_data.blocks(answers, q["key"]):
                for inner in q["questions"]:
                    raw[field_name(inner["key"], q["key"], index)] = _raw(content, inner, rng)
        consistent_raw([section], raw)
        grade = rng.choice(levels[1:3]) if section["graded"] else None
        audit_data.save_section(
            audit,
            section["key"],
            raw,
            based_on=audit.lock_version,
            actor=actor,
            grade=grade,
            rationale="The record shows this clearly." if grade else None,
        )
    if sections is not None:
        return
    audit_data.save_themes(audit, {}, based_on=audit.lock_version, actor=actor)
    grades = [g.grade for g in audit_data.section_grades(audit).values() if g.grade is not None]
    worst = max(grades, key=levels.index) if grades else levels[1]
    audit_data.save_overall(
        audit,
        {
            "overall_grade": worst,
            "overall_rationale": "In line with the section grades.",
            "evidence": "Demo audit: the record was read in full with the worker.",
            "practitioner_comments": "The worker agreed and will update the plan.",
        },
        based_on=audit.lock_version,
        actor=actor,
    )


def seed_audits() -> bool:
    """Create the demo cycle; False (and nothing done) when no templates are loaded yet."""
    if not active_templates():
        return False
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not security)
    lead = find_by_username("qa.lead")
    assert lead is not None  # the demo's people are seeded first
    today = uk_today()
    start = today.replace(day=1)
    cycle = save_cycle(
        name=f"Monthly audit programme – {today.strftime('%B %Y')}",
        kind="monthly",
        description="Demo cycle: the monthly case-file audit programme.",
        period_start=start,
        period_end=start + timedelta(days=27),
        due_date=today + timedelta(days=14),
        templates=active_templates(),
        theme_focus=None,
        moderation_share=20,
        actor=lead,
    )
    teams = {t.name: t for t in list_teams()}
    templates = {t.key: t for t in active_templates()}
    for reference, team, key, username, stage in PLAN:
        audit = add_case(
            cycle,
            case_reference=reference,
            team=teams[team],
            worker=None,
            template=templates[key],
            actor=lead,
        )
        if username is None:
            continue
        auditor = find_by_username(username)
        assert auditor is not None  # the demo accounts are seeded first
        assign(audit, auditor, override=False, actor=lead)
        if stage == "not_started":
            continue
        fill_audit(audit, auditor, rng, sections=1 if stage == "in_progress" else None)
        if stage == "in_progress":
            continue
        if stage == "asks_for_moderation":
            audit_data.save_overall(
                audit, {"moderation_requested": True}, based_on=audit.lock_version, actor=auditor
            )
        problems = submission.submit(audit, based_on=audit.lock_version, actor=auditor)
        assert not problems, problems
        if stage == "moderated":
            item = moderation.request_moderation(audit, lead)
            moderation.start(item, lead, blind=False)
            grades = moderation.auditor_grades(audit)
            keys = [k for k, _ in moderation.judgements(audit)]
            changed = {k: grade for k in keys if (grade := grades[k]) is not None}  # all graded
            changed[keys[0]] = "requires_improvement"
            moderation.record(
                item,
                changed,
                {keys[0]: "Demo: the plan is not outcome-focused."},
                actor=lead,
                complete=True,
            )
    flagged = audit_data.get_audit(
        next(a.id for a in cycle_audits(cycle) if a.case.case_reference == "30010005")
    )
    assert flagged is not None and flagged.auditor is not None  # seeded above, and assigned
    concerns.raise_concern(
        flagged,
        "Demo concern: no record of the child being seen since the "
        "conference; new adult in the household.",
        actor=flagged.auditor,
    )
    return True


def cycle_audits(cycle):
    return db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id)).all()
