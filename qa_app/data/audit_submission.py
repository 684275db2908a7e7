"""Checking an audit against its template and submitting it. The same problems are shown by
the web form (as links to each field), returned by the API and used by imports."""

from dataclasses import dataclass

from qa_app.data import changelog, notification_events
from qa_app.data.audits import (
    blocks,
    claim_version,
    section_grades,
    stored_answers,
    theme_marks,
    to_value,
)
from qa_app.data.moderation import select_on_submit
from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, User, utcnow
from qa_app.rules.uk_time import BankHolidays, add_working_days
from qa_app.templates_engine.answers import overall_problem, problem, scale_levels

# the practitioner's response is wanted this many working days after submission
RESPONSE_WORKING_DAYS = 10


@dataclass
class SubmitProblem:
    section_key: str  # or "themes" / "overall"
    field: str
    message: str


def submit_problems(audit: Audit) -> list[SubmitProblem]:
    """Everything that stops the audit being submitted, in the order of the form."""
    content = audit.template_version.content
    template = content["template"]
    answers = stored_answers(audit)
    grades = section_grades(audit)
    levels = scale_levels(content, template["scale"])
    out: list[SubmitProblem] = []
    for section in template["sections"]:
        for q in section["questions"]:
            if q["type"] != "repeat":
                message = problem(content, q, to_value(answers.get(("", 0, q["key"]))))
                if message:
                    out.append(SubmitProblem(section["key"], f"q__{q['key']}", message))
                continue
            present = blocks(answers, q["key"])
            if len(present) < q["min"]:
                out.append(
                    SubmitProblem(
                        section["key"],
                        f"group__{q['key']}",
                        f"Add at least {q['min']} {q['repeat_label'].lower()} "
                        f"block{'s' if q['min'] != 1 else ''}",
                    )
                )
            for index, _label in present:
                for inner in q["questions"]:
                    value = to_value(answers.get((q["key"], index, inner["key"])))
                    message = problem(content, inner, value)
                    if message:
                        out.append(
                            SubmitProblem(
                                section["key"], f"r__{q['key']}__{index}__{inner['key']}", message
                            )
                        )
        if section["graded"]:
            row = grades.get(section["key"])
            if row is None or row.grade not in levels:
                out.append(
                    SubmitProblem(
                        section["key"], "section_grade", "Choose a grade for this section"
                    )
                )
            if row is None or not row.rationale:
                out.append(
                    SubmitProblem(
                        section["key"], "section_rationale", "Give a short reason for the grade"
                    )
                )
    if not theme_marks(audit) and content["themes"]:
        out.append(SubmitProblem("themes", "themes", "Confirm the theme marks"))
    if template["overall_grade"]["graded"]:
        message = overall_problem(
            content, audit.overall_grade, {k: g.grade for k, g in grades.items()}
        )
        if message:
            out.append(SubmitProblem("overall", "overall_grade", message))
        if not audit.overall_rationale:
            out.append(
                SubmitProblem(
                    "overall", "overall_rationale", "Give a short reason for the overall grade"
                )
            )
    return out


def submit(
    audit: Audit,
    *,
    based_on: int,
    actor: User | None,
    calendar: BankHolidays | None = None,
    response_days: int = RESPONSE_WORKING_DAYS,
) -> list[SubmitProblem]:
    """Submit the audit if nothing stops it; returns the problems otherwise (nothing saved).
    The auditor is asked (a notification) to record the practitioner's response within
    `response_days` working days of `calendar`."""
    problems = submit_problems(audit)
    if problems:
        return problems
    version = claim_version(audit, based_on, actor)
    audit.status = AuditStatus.SUBMITTED
    audit.submitted_at = utcnow()
    changelog.record(
        actor,
        "audit",
        audit.id,
        "submitted",
        {"version": version, "fields": {"status": ["in_progress", "submitted"]}},
    )
    select_on_submit(audit, actor)
    notification_events.response_requested(
        audit,
        respond_by=add_working_days(audit.submitted_at, response_days, calendar),
        working_days=response_days,
    )
    db.session.commit()
    return []
