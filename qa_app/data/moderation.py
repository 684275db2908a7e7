"""Moderation: which submitted audits are moderated, and a moderator's agreement or change of
each graded judgement (section grades and the overall grade), with both grades kept.

Selection is random but reproducible: an audit is in its cycle's sample when a hash of the
cycle and audit falls below the cycle's moderation share; any audit whose auditor asked for
moderation is always in it."""

import hashlib

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from qa_app.data import changelog, notification_events
from qa_app.data.audits import section_grades
from qa_app.data.locking import rows_changed
from qa_app.extensions import db
from qa_app.models import OVERALL, Audit, AuditStatus, Moderation, ModerationGrade, User, utcnow
from qa_app.templates_engine.answers import clean_text, scale_levels

DEFAULT_SHARE = 10  # percent, for audits outside a cycle


class ModerationError(ValueError):
    """Why a moderation cannot be saved. `problems` lists (form field, message) pairs, with
    fields named grade__<judgement> or reason__<judgement>."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


def in_sample(audit: Audit) -> bool:
    share = audit.cycle.moderation_share if audit.cycle else DEFAULT_SHARE
    digest = hashlib.sha256(f"moderation:{audit.cycle_id}:{audit.id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share / 100


def select_on_submit(audit: Audit, actor: User | None) -> Moderation | None:
    """Called when an audit is submitted (in its transaction)."""
    reason = "requested" if audit.moderation_requested else ("sample" if in_sample(audit) else None)
    if reason is None:
        return None
    moderation = Moderation(audit_id=audit.id, reason=reason, status="pending")
    db.session.add(moderation)
    changelog.record(actor, "audit", audit.id, "selected_for_moderation", {"reason": reason})
    return moderation


def judgements(audit: Audit) -> list[tuple[str, str]]:
    """The graded judgements of an audit as (key, title): graded sections, then overall."""
    template = audit.template_version.content["template"]
    out = [(s["key"], s["title"]) for s in template["sections"] if s["graded"]]
    if template["overall_grade"]["graded"]:
        out.append((OVERALL, "Overall grade"))
    return out


def judgement_name(key: str, title: str) -> str:
    """A judgement as an error names it: "Choose a grade for Assessment and analysis"."""
    return "the overall grade" if key == OVERALL else title


def auditor_grades(audit: Audit) -> dict[str, str | None]:
    grades = {k: g.grade for k, g in section_grades(audit).items()}
    grades[OVERALL] = audit.overall_grade
    return grades


def queue(moderator: User) -> list[Moderation]:
    """Moderations not yet completed, oldest first, excluding the moderator's own audits."""
    return list(
        db.session.scalars(
            select(Moderation)
            .join(Audit, Audit.id == Moderation.audit_id)
            .where(
                Moderation.status != "completed",
                (Audit.auditor_id != moderator.id) | Audit.auditor_id.is_(None),
            )
            .options(
                selectinload(Moderation.audit).selectinload(Audit.case),
                selectinload(Moderation.audit).selectinload(Audit.template_version),
                selectinload(Moderation.audit).selectinload(Audit.auditor),
            )
            .order_by(Moderation.id)
        )
    )


def for_audit(audit: Audit) -> Moderation | None:
    return db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))


def request_moderation(audit: Audit, actor: User | None) -> Moderation:
    """Put a submitted audit up for moderation by hand (a moderator or the QA lead; an auditor
    asks for it with the box on the audit's overall judgement page)."""
    existing = for_audit(audit)
    if existing:
        return existing
    if audit.status != AuditStatus.SUBMITTED:
        raise ModerationError("Only a submitted audit can be moderated")
    moderation = Moderation(audit_id=audit.id, reason="requested", status="pending")
    db.session.add(moderation)
    changelog.record(actor, "audit", audit.id, "selected_for_moderation", {"reason": "requested"})
    try:
        db.session.commit()
    except IntegrityError:  # someone put it in the queue at the same moment
        db.session.rollback()
        queued = for_audit(audit)
        assert queued is not None  # the other request's row is what refused this one
        return queued
    return moderation


def start(moderation: Moderation, moderator: User, *, blind: bool) -> None:
    """Claim the moderation. One conditional UPDATE, so of two moderators who start at once,
    exactly one gets it."""
    audit = moderation.audit
    if audit.auditor_id == moderator.id:
        raise ModerationError("You cannot moderate your own audit")
    if moderation.status == "completed":
        raise ModerationError("This audit has already been moderated")
    if moderation.moderator_id == moderator.id:
        return
    claimed = rows_changed(
        db.session.execute(
            update(Moderation)
            .where(Moderation.id == moderation.id, Moderation.moderator_id.is_(None))
            .values(
                moderator_id=moderator.id, blind=blind, status="in_progress", updated_at=utcnow()
            )
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed != 1:
        db.session.rollback()
        raise ModerationError("Another moderator has started this moderation")
    changelog.record(moderator, "audit", audit.id, "moderation_started", {"blind": blind})
    db.session.commit()
    db.session.refresh(moderation)


def blind_and_ungraded(audit: Audit, user: User) -> bool:
    """Whether `user` is moderating this audit blind and has not yet given their grades: the
    auditor's grades must then stay hidden from them everywhere."""
    moderation = for_audit(audit)
    return bool(
        moderation
        and moderation.blind
        and moderation.moderator_id == user.id
        and moderation.status != "completed"
        and not moderation.grades
    )


def record(
    moderation: Moderation,
    grades: dict[str, str],
    reasons: dict[str, str],
    *,
    actor: User,
    complete: bool,
) -> None:
    """Store the moderator's grade for every judgement, with reasons.

    A changed grade needs a reason. In a blind moderation the first save records the
    moderator's own grades before the auditor's are shown; they cannot then be changed,
    only explained."""
    audit = moderation.audit
    if moderation.moderator_id != actor.id:
        raise ModerationError("Start the moderation first")
    if moderation.status == "completed":
        raise ModerationError("This audit has already been moderated")
    levels = scale_levels(
        audit.template_version.content, audit.template_version.content["template"]["scale"]
    )
    theirs = auditor_grades(audit)
    existing = {g.section_key: g for g in moderation.grades}
    # Blind: the first save records the moderator's own grades, unseen; after that they are
    # fixed, the auditor's are shown, and only reasons can be added.
    locked = moderation.blind and bool(existing)
    if moderation.blind and not locked:
        complete = False
    problems = []
    changes = {}
    for key, title in judgements(audit):
        name = judgement_name(key, title)  # every error names its section
        grade = existing[key].moderator_grade if locked and key in existing else grades.get(key)
        if grade not in levels:
            problems.append((f"grade__{key}", f"Choose a grade for {name}"))
            continue
        reason = clean_text(reasons.get(key) or "").strip()
        if complete and grade != theirs.get(key) and not reason:
            problems.append(
                (f"reason__{key}", f"Give a reason for changing the auditor's grade for {name}")
            )
        row = existing.get(key)
        if row is None:
            row = ModerationGrade(section_key=key, auditor_grade=theirs.get(key))
            moderation.grades.append(row)
        if (row.moderator_grade, row.reason) != (grade, reason):
            changes[key] = {
                "auditor": theirs.get(key),
                "moderator": [row.moderator_grade, grade],
                "reason": reason,
            }
        row.moderator_grade, row.reason = grade, reason
    if problems:
        db.session.rollback()
        raise ModerationError("; ".join(m for _, m in problems), problems)
    changelog.record(actor, "audit", audit.id, "moderation_saved", {"judgements": changes})
    if complete:
        moderation.status = "completed"
        moderation.completed_at = utcnow()
        audit.status = AuditStatus.MODERATED
        changed = {
            k: [g.auditor_grade, g.moderator_grade]
            for k, g in ((g.section_key, g) for g in moderation.grades)
            if g.auditor_grade != g.moderator_grade
        }
        changelog.record(
            actor,
            "audit",
            audit.id,
            "moderated",
            {"fields": {"status": ["submitted", "moderated"]}, "changed_grades": changed},
        )
        notification_events.audit_moderated(audit, moderation.id, changed=len(changed), actor=actor)
    db.session.commit()
