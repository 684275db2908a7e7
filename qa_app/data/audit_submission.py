"""Checking an audit against its template and submitting it. The same problems are shown by
the web form (as links to each field), returned by the API and used by imports."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

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
from qa_app.rules.uk_time import BankHolidays, add_working_days, uk_today
from qa_app.templates_engine.answer_checks import CheckFailure, check_failures
from qa_app.templates_engine.answers import (
    Value,
    overall_problem,
    parse,
    parse_field_name,
    placed_questions,
    problem,
    scale_levels,
)

# the practitioner's response is wanted this many working days after submission
RESPONSE_WORKING_DAYS = 10


@dataclass
class SubmitProblem:
    section_key: str  # or "themes" / "overall"
    field: str
    message: str
    titled: bool = False  # the message already names its section (a check between answers)


def stored_values(audit: Audit) -> dict[tuple[str, int, str], Value | None]:
    """The audit's answers as values, by (group key, block index, question key)."""
    return {key: to_value(answer) for key, answer in stored_answers(audit).items()}


def save_check_failures(
    audit: Audit, raw: dict[str, Any], sections: Collection[str]
) -> list[CheckFailure]:
    """The checks of `sections` that saving what was typed (`raw`, by field name) over the
    stored answers would break: a draft save refuses these (the answers stay in the form).
    Checks that need a missing answer (required_if) wait for submit."""
    content = audit.template_version.content
    placed = placed_questions(content)
    values = stored_values(audit)
    for name, typed in raw.items():
        parsed = parse_field_name(name)
        if parsed and parsed[0] in placed:
            values[(parsed[1], parsed[2], parsed[0])] = parse(placed[parsed[0]].question, typed)
    return [
        failure
        for failure in check_failures(content, values, today=uk_today(), on_save=True)
        if failure.section_key in sections
    ]


def submit_problems(audit: Audit) -> list[SubmitProblem]:
    """Everything that stops the audit being submitted, in the order of the form."""
    content = audit.template_version.content
    template = content["template"]
    answers = stored_answers(audit)
    values = {key: to_value(answer) for key, answer in answers.items()}
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
        for failure in check_failures(
            content, values, today=uk_today(), section_key=section["key"]
        ):
            out.append(SubmitProblem(section["key"], failure.field, failure.message, True))
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
