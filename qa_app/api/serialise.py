"""Shaping stored things as JSON: templates, cycles, audits, moderation. No writes here. Every
shape is described in qa_app/api/schemas/, and tests check real responses against it."""

from datetime import date, datetime
from pathlib import PurePath

from qa_app.data import audit_access
from qa_app.data import audits as audit_data
from qa_app.data.moderation import auditor_grades, judgements
from qa_app.models import Audit, AuditCycle, AuditTemplate, TemplateVersion
from qa_app.templates_engine.answers import BLOCK_MARKER, Value, placed_questions

STATUSES = ("not_started", "in_progress", "submitted", "moderated")


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---- templates ----------------------------------------------------------------------------


def template_summary(summary) -> dict:
    t = summary.template
    return {
        "key": t.key,
        "name": t.name,
        "kind": t.kind,
        "active": t.active,
        "latest_version": summary.latest_version,
        "version_count": summary.version_count,
    }


def version_summary(version: TemplateVersion) -> dict:
    return {
        "number": version.number,
        "created_at": iso(version.created_at),
        "content_hash": version.content_hash,
        "source_file": PurePath(version.source_file).name,  # not the server's directories
    }


def template_detail(template: AuditTemplate) -> dict:
    versions = sorted(template.versions, key=lambda v: v.number)
    return {
        "key": template.key,
        "name": template.name,
        "kind": template.kind,
        "active": template.active,
        "latest_version": versions[-1].number if versions else None,
        "versions": [version_summary(v) for v in versions],
    }


def version_detail(version: TemplateVersion) -> dict:
    return {"key": version.template.key, **version_summary(version), "content": version.content}


# ---- cycles -------------------------------------------------------------------------------


def progress(p) -> dict:
    return {
        "total": p.total,
        **{status: p.counts.get(status, 0) for status in STATUSES},
        "overdue": p.overdue,
    }


def cycle(c: AuditCycle, prog, listed: int) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "kind": str(c.kind),
        "description": c.description,
        "period_start": iso(c.period_start),
        "period_end": iso(c.period_end),
        "due_date": iso(c.due_date),
        "templates": sorted(t.key for t in c.templates),
        "theme_focus": c.theme_focus,
        "moderation_share": c.moderation_share,
        "status": c.status,
        "progress": progress(prog),
        "case_list_size": listed,
        "follows": c.follows_cycle_id,
        "months_after": c.months_after,
    }


# ---- audits -------------------------------------------------------------------------------


def audit_summary(audit: Audit) -> dict:
    version = audit.template_version
    return {
        "id": audit.id,
        "case_reference": audit.case.case_reference,
        "team": audit.case.team.name if audit.case.team else None,
        "worker": audit.case.worker,
        "cycle_id": audit.cycle_id,
        "template": {
            "key": version.template.key,
            "name": version.template.name,
            "version": version.number,
        },
        "auditor": audit.auditor.username if audit.auditor else None,
        "status": str(audit.status),
        "due_date": iso(audit.due_date),
        "started_at": iso(audit.started_at),
        "submitted_at": iso(audit.submitted_at),
        "own_team_override": audit.own_team_override,
        "lock_version": audit.lock_version,
    }


def answer_value(question: dict, value: Value | None):
    """An answer as JSON: a list for multiple choice, a number where a number parsed, an ISO
    date where a date parsed, otherwise the text as typed (drafts keep what does not parse)."""
    if value is None or value.empty:
        return None
    kind = question["type"]
    if kind == "multiple_choice":
        return list(value.choices)
    if kind == "number" and value.number is not None:
        return int(value.number) if value.number == int(value.number) else value.number
    if kind == "date" and value.date is not None:
        return value.date.isoformat()
    return value.text


def audit_detail(audit: Audit, viewer) -> dict:
    content = audit.template_version.content
    placed = placed_questions(content)
    stored = audit_data.stored_answers(audit)
    answers: dict = {}
    block_rows: dict[str, dict[int, dict]] = {}
    for section in content["template"]["sections"]:
        for q in section["questions"]:
            if q["type"] == "repeat":
                block_rows[q["key"]] = {
                    index: {"index": index, "label": label, "answers": {}}
                    for index, label in audit_data.blocks(stored, q["key"])
                }
    for (group, index, key), row in sorted(stored.items()):
        if key == BLOCK_MARKER or key not in placed:
            continue
        value = answer_value(placed[key].question, audit_data.to_value(row))
        if value is None:
            continue
        if group:
            block = block_rows.get(group, {}).get(index)
            if block is not None:
                block["answers"][key] = value
        else:
            answers[key] = value
    grades = audit_data.section_grades(audit)
    marks = audit_data.theme_marks(audit)
    return {
        **audit_summary(audit),
        "answers": answers,
        "blocks": {g: list(rows.values()) for g, rows in block_rows.items()},
        "section_grades": {
            k: {"grade": g.grade, "rationale": g.rationale} for k, g in sorted(grades.items())
        },
        "theme_marks": {
            k: {"mark": m.mark, "suggested": m.suggested} for k, m in sorted(marks.items())
        },
        "suggested_theme_marks": audit_data.suggested_marks(audit),
        "overall": {
            "overall_grade": audit.overall_grade,
            "overall_rationale": audit.overall_rationale,
            "evidence": audit.evidence,
            "practitioner_comments": audit.practitioner_comments,
            "moderation_requested": audit.moderation_requested,
        },
        "can_edit": audit_access.can_edit(viewer, audit),
    }


def change(entry) -> dict:
    """A change-log entry as JSON (for a 409: what changed since the caller's version)."""
    changes = entry.changes or {}
    return {
        "at": iso(entry.at),
        "user_id": entry.user_id,
        "action": entry.action,
        "version": changes.get("version"),
        "fields": sorted((changes.get("fields") or {}).keys()),
    }


def moderation(m, audit) -> dict:
    theirs = auditor_grades(audit)
    rows = {g.section_key: g for g in m.grades}
    show_auditor = not m.blind or bool(rows)  # blind: the auditor's grades once graded
    return {
        "audit_id": audit.id,
        "status": m.status,
        "reason": m.reason,
        "blind": m.blind,
        "moderator_id": m.moderator_id,
        "completed_at": iso(m.completed_at),
        "audit_status": str(audit.status),
        "judgements": [
            {
                "key": key,
                "title": title,
                "auditor_grade": theirs.get(key) if show_auditor else None,
                "moderator_grade": rows[key].moderator_grade if key in rows else None,
                "reason": rows[key].reason if key in rows else "",
            }
            for key, title in judgements(audit)
        ],
    }
