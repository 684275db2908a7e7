"""Case audits: starting, saving drafts section by section, submitting, and reading back.

Every save names the version of the audit it was based on; a save against a newer version is
refused with StaleAudit (nothing is overwritten), and every change is written to the change log
with what it changed from and to."""

from datetime import date
from typing import Any, overload

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from qa_app.data import changelog, locking
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    AuditCycle,
    AuditStatus,
    Case,
    ChangeLogEntry,
    SectionGrade,
    TemplateVersion,
    ThemeMark,
    User,
    utcnow,
)
from qa_app.templates_engine.answers import (
    BLOCK_MARKER,
    NOT_ASSESSED,
    THEME_MARKS,
    Value,
    clean_text,
    parse,
    parse_field_name,
    placed_questions,
    scale_levels,
    suggest_theme_marks,
)

EDITABLE = {AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS}


class StaleAudit(Exception):
    """The audit changed since the person loaded it."""

    def __init__(self, audit: Audit, based_on: int):
        super().__init__(f"audit {audit.id} is at version {audit.lock_version}, not {based_on}")
        self.audit = audit
        self.based_on = based_on

    def changes_since(self) -> list[ChangeLogEntry]:
        entries = db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == "audit",
                ChangeLogEntry.entity_id == str(self.audit.id),
            )
            .order_by(ChangeLogEntry.id)
        )
        return [e for e in entries if (e.changes or {}).get("version", 0) > self.based_on]


class AuditInputError(ValueError):
    """A value no form offers (a grade off the scale, an unknown repeat block...)."""


class AuditLocked(Exception):
    """The audit has been submitted; it can no longer be edited by its auditor."""


# Read on every audit page: built once, so SQLAlchemy neither rebuilds the statement nor its
# cache key each time.
_AUDIT = (
    select(Audit)
    .where(Audit.id == bindparam("audit_id"))
    .options(  # one statement for the audit and what it belongs to
        joinedload(Audit.case),
        joinedload(Audit.template_version),
        joinedload(Audit.cycle),
        # Not the auditor: loaded only if something asks, and then from the session's
        # identity map, without a query, when the auditor is the one signed in.
    )
)
_ANSWERS = select(Answer).where(Answer.audit_id == bindparam("audit_id"))
_SECTION_GRADES = select(SectionGrade).where(SectionGrade.audit_id == bindparam("audit_id"))


def get_audit(audit_id: int) -> Audit | None:
    return db.session.scalar(_AUDIT, {"audit_id": audit_id})


def create_audit(
    *,
    case: Case,
    template_version: TemplateVersion,
    cycle: AuditCycle | None = None,
    auditor: User | None = None,
    due_date: date | None = None,
    actor: User | None = None,
    own_team_override: bool = False,
) -> Audit:
    """A new, not yet started audit (in the caller's transaction)."""
    audit = Audit(
        case=case,
        template_version=template_version,
        cycle=cycle,
        auditor=auditor,
        due_date=due_date or (cycle.due_date if cycle else None),
        own_team_override=own_team_override,
    )
    db.session.add(audit)
    db.session.flush()
    changelog.record(
        actor,
        "audit",
        audit.id,
        "created",
        {
            "version": audit.lock_version,
            "case": case.case_reference,
            "template": template_version.template.key,
            "template_version": template_version.number,
            "auditor": auditor.username if auditor else None,
        },
    )
    return audit


# ---- reading what is stored -------------------------------------------------------------


def stored_answers(audit: Audit) -> dict[tuple[str, int, str], Answer]:
    rows = db.session.scalars(_ANSWERS, {"audit_id": audit.id})
    return {(a.group_key, a.block_index, a.question_key): a for a in rows}


@overload
def to_value(answer: Answer) -> Value: ...
@overload
def to_value(answer: None) -> None: ...
@overload
def to_value(answer: Answer | None) -> Value | None: ...
def to_value(answer: Answer | None) -> Value | None:
    if answer is None:
        return None
    return Value(
        text=answer.value_text,
        number=answer.value_number,
        date=answer.value_date,
        choices=list(answer.value_choices or []),
    )


def blocks(answers: dict[tuple[str, int, str], Answer], group_key: str) -> list[tuple[int, str]]:
    """The repeat blocks of a group as (block_index, label), in order."""
    return sorted(
        (i, a.value_text or "")
        for (g, i, q), a in answers.items()
        if g == group_key and q == BLOCK_MARKER
    )


def section_grades(audit: Audit) -> dict[str, SectionGrade]:
    rows = db.session.scalars(_SECTION_GRADES, {"audit_id": audit.id})
    return {g.section_key: g for g in rows}


def theme_marks(audit: Audit) -> dict[str, ThemeMark]:
    rows = db.session.scalars(select(ThemeMark).where(ThemeMark.audit_id == audit.id))
    return {m.theme_key: m for m in rows}


# ---- writing ----------------------------------------------------------------------------


def claim_version(audit: Audit, based_on: int, actor: User | None) -> int:
    """Move the audit to the next version if, and only if, it is still at `based_on`.
    One conditional UPDATE (qa_app.data.locking), so of two concurrent saves from the same
    version one wins; a submitted audit is refused first (AuditLocked)."""
    if audit.status not in EDITABLE:
        raise AuditLocked(f"audit {audit.id} has been submitted")
    if not locking.claim_version(audit, based_on):
        raise StaleAudit(audit, based_on)
    if audit.status == AuditStatus.NOT_STARTED:
        audit.status = AuditStatus.IN_PROGRESS
        audit.started_at = utcnow()
    return audit.lock_version


def _answer_changes(
    content: dict[str, Any],
    audit: Audit,
    raw: dict[str, Any],
    answers: dict[tuple[str, int, str], Answer],
) -> dict[str, list[Any]]:
    """Write the raw values into answer rows; return {field: [old, new]} for what changed."""
    placed = placed_questions(content)
    changes: dict[str, list[Any]] = {}
    for name, raw_value in raw.items():
        parsed_name = parse_field_name(name)
        if parsed_name is None or parsed_name[0] not in placed:
            continue
        question_key, group_key, index = parsed_name
        question = placed[question_key].question
        value = parse(question, raw_value)
        key = (group_key, index, question_key)
        row = answers.get(key)
        old = to_value(row)
        if old == value or (old is None and value.empty):
            continue
        if row is None:
            label = ""
            if group_key:
                label = next((lbl for i, lbl in blocks(answers, group_key) if i == index), "")
            row = Answer(
                audit_id=audit.id,
                group_key=group_key,
                block_index=index,
                block_label=label,
                question_key=question_key,
            )
            db.session.add(row)
            answers[key] = row
        row.value_text, row.value_number = value.text, value.number
        row.value_date, row.value_choices = value.date, (value.choices or None)
        changes[name] = [old.text if old else None, value.text]
    return changes


def save_section(
    audit: Audit,
    section_key: str,
    raw: dict[str, Any],
    *,
    based_on: int,
    actor: User | None,
    grade: str | None = None,
    rationale: str | None = None,
) -> int:
    """Save what was typed on one section's page (a draft: nothing is required yet).
    A section grade must be a level of the template's scale. Returns the audit's new version."""
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["key"] == section_key)
    if grade and grade not in scale_levels(content, content["template"]["scale"]):
        raise AuditInputError(f"{grade!r} is not a grade on this template's scale")
    version = claim_version(audit, based_on, actor)
    changes = _answer_changes(content, audit, raw, stored_answers(audit))
    if section["graded"]:
        grades = section_grades(audit)
        row = grades.get(section_key)
        old = (row.grade, row.rationale) if row else (None, "")
        new = (grade or None, clean_text(rationale or "").strip())
        if old != new:
            if row is None:
                row = SectionGrade(audit_id=audit.id, section_key=section_key)
                db.session.add(row)
            row.grade, row.rationale = new
            if old[0] != new[0]:
                changes[f"grade:{section_key}"] = [old[0], new[0]]
            if old[1] != new[1]:
                changes[f"rationale:{section_key}"] = [old[1], new[1]]
    changelog.record(
        actor,
        "audit",
        audit.id,
        "section_saved",
        {"version": version, "section": section_key, "fields": changes},
    )
    db.session.commit()
    return version


def add_block(
    audit: Audit, group_key: str, label: str, *, based_on: int, actor: User | None
) -> int:
    content = audit.template_version.content
    placed = placed_questions(content).get(group_key)
    if placed is None or placed.question["type"] != "repeat":
        raise AuditInputError(f"{group_key!r} is not a repeat group of this template")
    group = placed.question
    if label not in {o["key"] for o in group["options"]}:
        raise AuditInputError(f"Choose a {group['repeat_label'].lower()} from the list")
    answers = stored_answers(audit)
    existing = blocks(answers, group_key)
    if group["max"] is not None and len(existing) >= group["max"]:
        raise AuditInputError(
            f"There can be at most {group['max']} {group['repeat_label'].lower()} blocks"
        )
    version = claim_version(audit, based_on, actor)
    index = max((i for i, _ in existing), default=-1) + 1
    db.session.add(
        Answer(
            audit_id=audit.id,
            group_key=group_key,
            block_index=index,
            block_label=label,
            question_key=BLOCK_MARKER,
            value_text=label,
        )
    )
    changelog.record(
        actor,
        "audit",
        audit.id,
        "block_added",
        {"version": version, "group": group_key, "block": index, "label": label},
    )
    db.session.commit()
    return version


def remove_block(
    audit: Audit, group_key: str, index: int, *, based_on: int, actor: User | None
) -> int:
    answers = stored_answers(audit)
    removed = {
        q: to_value(a).text for (g, i, q), a in answers.items() if g == group_key and i == index
    }
    if not removed:
        raise AuditInputError("That block has already been removed")
    version = claim_version(audit, based_on, actor)
    db.session.execute(
        delete(Answer).where(
            Answer.audit_id == audit.id, Answer.group_key == group_key, Answer.block_index == index
        )
    )
    changelog.record(
        actor,
        "audit",
        audit.id,
        "block_removed",
        {"version": version, "group": group_key, "block": index, "answers": removed},
    )
    db.session.commit()
    return version


def suggested_marks(audit: Audit) -> dict[str, str]:
    content = audit.template_version.content
    placed = placed_questions(content)
    answers = stored_answers(audit)
    pairs = [(placed[q].question, to_value(a)) for (g, i, q), a in answers.items() if q in placed]
    return suggest_theme_marks(content, pairs)


def save_themes(audit: Audit, marks: dict[str, str], *, based_on: int, actor: User | None) -> int:
    content = audit.template_version.content
    suggested = suggested_marks(audit)
    version = claim_version(audit, based_on, actor)
    current = theme_marks(audit)
    changes = {}
    for key in content["themes"]:
        mark = marks.get(key) or suggested.get(key, NOT_ASSESSED)
        if mark not in THEME_MARKS:
            raise ValueError(f"unknown theme mark {mark!r}")
        row = current.get(key)
        if row is None:
            row = ThemeMark(audit_id=audit.id, theme_key=key, mark=mark)
            db.session.add(row)
            changes[key] = [None, mark]
        elif row.mark != mark:
            changes[key] = [row.mark, mark]
            row.mark = mark
        row.suggested = mark == suggested.get(key)
    changelog.record(
        actor, "audit", audit.id, "themes_saved", {"version": version, "fields": changes}
    )
    db.session.commit()
    return version


OVERALL_FIELDS = ("overall_grade", "overall_rationale", "evidence", "practitioner_comments")


def save_overall(audit: Audit, values: dict[str, Any], *, based_on: int, actor: User | None) -> int:
    version = claim_version(audit, based_on, actor)
    changes = {}
    for name in OVERALL_FIELDS:
        if name not in values:
            continue
        new = clean_text(values[name] or "").strip() or (None if name == "overall_grade" else "")
        old = getattr(audit, name)
        if old != new:
            changes[name] = [old, new]
            setattr(audit, name, new)
    if "moderation_requested" in values:
        requested = bool(values["moderation_requested"])
        if requested != audit.moderation_requested:
            changes["moderation_requested"] = [audit.moderation_requested, requested]
            audit.moderation_requested = requested
    changelog.record(
        actor, "audit", audit.id, "overall_saved", {"version": version, "fields": changes}
    )
    db.session.commit()
    return version
