"""Shaping an audit for its pages: the task list, filled-in section forms, the read-only
record, problems as links, the history in words. No routes here and no writes."""

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from sqlalchemy.orm import selectinload

from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import moderation as moderation_data
from qa_app.models import Audit, AuditStatus
from qa_app.rules.control_characters import has_control_characters
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.answers import (
    THEME_MARK_LABELS,
    display,
    parse,
    parse_field_name,
    placed_questions,
    scale_label,
)
from qa_app.web.forms_base import attach_problem

LIST_LOAD = (
    selectinload(Audit.case),
    selectinload(Audit.cycle),
    selectinload(Audit.template_version),
)
STATUS_LABELS = {
    AuditStatus.NOT_STARTED: "Not started",
    AuditStatus.IN_PROGRESS: "In progress",
    AuditStatus.SUBMITTED: "Submitted",
    AuditStatus.MODERATED: "Moderated",
}
OVERALL_LABELS = {
    "overall_grade": "Overall grade",
    "overall_rationale": "Why this overall grade",
    "evidence": "Evidence and summary",
    "practitioner_comments": "What the practitioner said",
    "moderation_requested": "Moderation requested",
}


def today() -> date:
    return uk_today()


@dataclass
class Task:
    title: str
    href: str
    status: str  # "Completed" | "In progress" | "Not started" | "Cannot start yet"
    hint: str = ""


def task_list(audit: Audit) -> list[Task]:
    content = audit.template_version.content
    problems = submission.submit_problems(audit)
    answers = audit_data.stored_answers(audit)
    grades = audit_data.section_grades(audit)
    placed = placed_questions(content)
    touched = {placed[g or q].section_key for (g, _, q) in answers if (g or q) in placed}
    touched |= set(grades)
    open_sections = {p.section_key for p in problems}
    tasks = []
    for section in content["template"]["sections"]:
        key = section["key"]
        if key not in open_sections:
            status = "Completed"
        elif key in touched:
            status = "In progress"
        else:
            status = "Not started"
        tasks.append(
            Task(
                section["title"],
                url_for("audits.section", audit_id=audit.id, section_key=key),
                status,
                "Graded" if section["graded"] else "",
            )
        )
    marks = audit_data.theme_marks(audit)
    tasks.append(
        Task(
            "Themes",
            url_for("audits.themes", audit_id=audit.id),
            "Completed" if marks else "Not started",
            "Strengths and areas for development",
        )
    )
    overall_started = bool(audit.overall_grade or audit.evidence or audit.overall_rationale)
    tasks.append(
        Task(
            "Overall judgement and evidence",
            url_for("audits.overall", audit_id=audit.id),
            "In progress"
            if "overall" in open_sections and overall_started
            else ("Not started" if "overall" in open_sections else "Completed"),
        )
    )
    return tasks


def block_map(content: dict, section_key: str, answers: dict) -> dict[str, list[tuple[int, str]]]:
    section = next(s for s in content["template"]["sections"] if s["key"] == section_key)
    return {
        q["key"]: audit_data.blocks(answers, q["key"])
        for q in section["questions"]
        if q["type"] == "repeat"
    }


def raw_from_request(content: dict, form_class, formdata) -> dict:
    """What was typed, by field name: lists for checkboxes and date parts."""
    placed = placed_questions(content)
    raw = {}
    for name in form_class()._fields:
        parsed = parse_field_name(name)
        if parsed is None:
            continue
        question = placed[parsed[0]].question
        if question["type"] in ("multiple_choice", "date"):
            raw[name] = formdata.getlist(name)
        else:
            raw[name] = formdata.get(name, "")
    return raw


def with_control_characters(content: dict, form_class, formdata) -> list[str]:
    """The labels of the section's fields whose posted text holds a control character, which
    saving the draft removes (qa_app.templates_engine.answers.clean_text)."""
    names = [n for n in form_class()._fields if n not in ("csrf_token", "lock_version")]
    return [
        label_for(content, name)
        for name in names
        if any(has_control_characters(v) for v in formdata.getlist(name))
    ]


def filled_section_form(form_class, layout, audit: Audit, answers: dict):
    content = audit.template_version.content
    placed = placed_questions(content)
    form = form_class(formdata=None, lock_version=audit.lock_version)
    for name, bound in form._fields.items():
        parsed = parse_field_name(name)
        if parsed is None:
            continue
        question_key, group, index = parsed
        value = audit_data.to_value(answers.get((group, index, question_key)))
        if value is None or value.empty:
            continue
        kind = placed[question_key].question["type"]
        if kind == "multiple_choice":
            bound.data = value.choices
        elif kind == "date":
            if value.date:
                bound.data = value.date
            else:
                parts = (value.text or "").split("-")
                bound.raw_data = parts if len(parts) == 3 else None
        else:
            bound.data = value.text
    if layout.graded:
        grade = audit_data.section_grades(audit).get(layout.section["key"])
        if grade:
            form.section_grade.data = grade.grade
            form.section_rationale.data = grade.rationale
    return form


def attach_submit_problems(form, audit: Audit, section_key: str) -> None:
    """What stops the audit being submitted, on the section's fields (?check=1 after a
    refused submit)."""
    content = audit.template_version.content
    for p in submission.submit_problems(audit):
        if p.section_key == section_key:
            attach_problem(form, p.field, p.message if p.titled else named(content, p))


def named(content: dict, p) -> str:
    """A problem with the question it is about (and its block), so that two "Enter a real
    date" on one page say which date; a check between answers already names them."""
    if p.titled or not p.field.startswith(("q__", "r__")):
        return p.message
    return f"{label_for(content, p.field)}: {p.message}"


def problem_links(audit: Audit, problems) -> list[dict]:
    content = audit.template_version.content
    titles = {s["key"]: s["title"] for s in content["template"]["sections"]}
    titles.update(themes="Themes", overall="Overall judgement")
    links = []
    for p in problems:
        if p.section_key == "themes":
            href = url_for("audits.themes", audit_id=audit.id)
        elif p.section_key == "overall":
            href = url_for("audits.overall", audit_id=audit.id, _anchor=p.field)
        else:
            href = url_for(
                "audits.section",
                audit_id=audit.id,
                section_key=p.section_key,
                check=1,
                _anchor=p.field,
            )
        text = p.message if p.titled else f"{titles[p.section_key]}: {named(content, p)}"
        links.append({"text": text, "href": href})
    return links


def label_for(content: dict, name: str) -> str:
    parsed = parse_field_name(name)
    placed = placed_questions(content)
    if parsed and parsed[0] in placed:
        question = placed[parsed[0]].question
        return question["text"] + (f" (block {parsed[2] + 1})" if parsed[1] else "")
    if name.startswith(("grade:", "rationale:")):
        kind, section = name.split(":", 1)
        title = next(
            (s["title"] for s in content["template"]["sections"] if s["key"] == section), section
        )
        return f"{'Grade' if kind == 'grade' else 'Why this grade'}: {title}"
    if name.startswith("theme__") or name in content["themes"]:
        key = name.removeprefix("theme__")
        return f"Theme: {content['themes'].get(key, {}).get('name', key)}"
    return OVERALL_LABELS.get(
        name,
        {"section_grade": "Section grade", "section_rationale": "Why this grade"}.get(name, name),
    )


def typed_values(content: dict, typed: dict) -> list[tuple[str, str]]:
    """What the person typed, for the conflict page, as (label, text)."""
    out = []
    placed = placed_questions(content)
    for name, raw in typed.items():
        parsed = parse_field_name(name)
        if parsed and parsed[0] in placed:
            value = parse(placed[parsed[0]].question, raw)
            text = display(content, placed[parsed[0]].question, value)
        else:
            text = str(raw or "")
        if text:
            out.append((label_for(content, name), text))
    return out


def summary_rows(pairs) -> list[dict]:
    """(label, text) pairs as GOV.UK summary-list rows."""
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in pairs]


@dataclass
class RecordSection:
    title: str
    rows: list[dict] = field(default_factory=list)
    blocks: list[tuple[str, list[dict]]] = field(default_factory=list)
    grade: str = ""
    rationale: str = ""
    graded: bool = False


def record(audit: Audit) -> dict:
    """The whole audit, read-only, as text."""
    content = audit.template_version.content
    scale = content["template"]["scale"]
    answers = audit_data.stored_answers(audit)
    grades = audit_data.section_grades(audit)
    sections = []
    for section in content["template"]["sections"]:
        out = RecordSection(section["title"], graded=section["graded"])
        for q in section["questions"]:
            if q["type"] != "repeat":
                value = audit_data.to_value(answers.get(("", 0, q["key"])))
                out.rows += summary_rows(
                    [(q["text"], display(content, q, value) or "Not answered")]
                )
                continue
            labels = {o["key"]: o["label"] for o in q["options"]}
            for index, label in audit_data.blocks(answers, q["key"]):
                rows = [
                    (
                        inner["text"],
                        display(
                            content,
                            inner,
                            audit_data.to_value(answers.get((q["key"], index, inner["key"]))),
                        )
                        or "Not answered",
                    )
                    for inner in q["questions"]
                ]
                out.blocks.append(
                    (f"{q['repeat_label']}: {labels.get(label, label)}", summary_rows(rows))
                )
        if section["key"] in grades:
            out.grade = scale_label(content, scale, grades[section["key"]].grade)
            out.rationale = grades[section["key"]].rationale
        sections.append(out)
    marks = audit_data.theme_marks(audit)
    mark_labels = THEME_MARK_LABELS
    return {
        "sections": sections,
        "themes": summary_rows(
            [
                (content["themes"][k]["name"], mark_labels[m.mark])
                for k, m in marks.items()
                if k in content["themes"]
            ]
        ),
        "overall": scale_label(content, scale, audit.overall_grade) if audit.overall_grade else "",
        "status": STATUS_LABELS.get(audit.status, audit.status),
    }


def moderation_summary(audit: Audit) -> dict | None:
    """The moderation of an audit, if any: status and, per judgement, both grades."""
    moderation = moderation_data.for_audit(audit)
    if moderation is None:
        return None
    content = audit.template_version.content
    scale = content["template"]["scale"]
    titles = dict(moderation_data.judgements(audit))
    done = moderation.status == "completed"
    rows = (
        [
            {
                "title": titles.get(g.section_key, g.section_key),
                "auditor": scale_label(content, scale, g.auditor_grade) or "-",
                "moderator": scale_label(content, scale, g.moderator_grade) or "-",
                "changed": g.auditor_grade != g.moderator_grade,
                "reason": g.reason,
            }
            for g in moderation.grades
        ]
        if done
        else []
    )
    return {
        "status": {
            "pending": "Waiting for a moderator",
            "in_progress": "Being moderated",
            "completed": "Moderated",
        }[moderation.status],
        "reason": "The auditor asked" if moderation.reason == "requested" else "Random sample",
        "moderator": moderation.moderator.display_name if moderation.moderator else "",
        "rows": rows,
    }


def cap_label(content: dict, cap) -> str:
    return scale_label(content, content["template"]["scale"], cap[0]) if cap else ""
