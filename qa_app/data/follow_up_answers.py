"""Reading a follow-up cycle's impact answers beside the same children's in the cycle it
follows, for qa_app.findings.follow_up: a handful of set-based queries, however many audits
(the template versions used, then the answers of the completed audits of both cycles)."""

from typing import Any

from sqlalchemy import select

from qa_app.data.follow_up import COMPLETED
from qa_app.data.sampling import NO_TEAM
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    Team,
    TemplateVersion,
)
from qa_app.templates_engine.impact import AnswerPair, ImpactQuestion, impact_questions


def _questions(cycle_ids: list[int]) -> list[ImpactQuestion]:
    """The impact questions of the templates used in the cycles, as their newest version used
    there defines them (its order and labels), template by template."""
    used = select(Audit.template_version_id).where(Audit.cycle_id.in_(cycle_ids)).distinct()
    versions = db.session.execute(
        select(
            TemplateVersion.number, TemplateVersion.content, AuditTemplate.key, AuditTemplate.name
        )
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .where(TemplateVersion.id.in_(used))
        .order_by(AuditTemplate.name, TemplateVersion.number)
    ).all()
    newest: dict[str, tuple[dict[str, Any], str]] = {}
    for _number, content, key, name in versions:
        newest[key] = (content, name)  # ordered by number: the last is the newest
    found: dict[tuple[str, str], ImpactQuestion] = {}
    for key in sorted(newest, key=lambda k: newest[k][1]):
        content, name = newest[key]
        for question in impact_questions(content, name):
            found.setdefault(question.ident, question)
    # A question marked in an older version only still counts (its order from that version).
    for _number, content, _key, name in versions:
        for question in impact_questions(content, name):
            found.setdefault(question.ident, question)
    return list(found.values())


def _answers(
    cycle_id: int, question_keys: set[str]
) -> dict[tuple[str, str], dict[str, str | None]]:
    """(case reference, template key) -> {question key: answer} for the completed audits of
    a cycle (the latest completed where a child has two with one template), with each case's
    team by name under the key "" ."""
    rows = db.session.execute(
        select(
            Audit.id,
            Case.case_reference,
            Team.name,
            AuditTemplate.key,
            Answer.question_key,
            Answer.value_text,
        )
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .outerjoin(
            Answer,
            (Answer.audit_id == Audit.id)
            & (Answer.group_key == "")
            & (Answer.question_key.in_(question_keys)),
        )
        .where(Audit.cycle_id == cycle_id, Audit.status.in_(COMPLETED))
        .order_by(Audit.submitted_at, Audit.id)
    ).all()
    latest: dict[tuple[str, str], int] = {}
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for audit_id, reference, team, template_key, question_key, value in rows:
        ident = (reference, template_key)
        if latest.get(ident) != audit_id:  # a later completed audit replaces an earlier one
            latest[ident] = audit_id
            out[ident] = {"": team or NO_TEAM}
        if question_key:
            out[ident][question_key] = value
    return out


def impact_pairs(follow_up: AuditCycle) -> tuple[list[ImpactQuestion], list[AnswerPair]]:
    """The impact questions, and for every child completed in both the follow-up and the cycle
    it follows with the same template, each impact question's answer then and now."""
    if follow_up.follows_cycle_id is None:
        return [], []
    original_id = follow_up.follows_cycle_id
    questions = _questions([original_id, follow_up.id])
    if not questions:
        return [], []
    keys = {q.key for q in questions}
    then = _answers(original_id, keys)
    now = _answers(follow_up.id, keys)
    pairs = []
    for (reference, template_key), answers_now in sorted(now.items()):
        answers_then = then.get((reference, template_key))
        if answers_then is None:
            continue
        for question in questions:
            if question.template_key != template_key:
                continue
            pairs.append(
                AnswerPair(
                    reference,
                    answers_now[""] or NO_TEAM,
                    template_key,
                    question.key,
                    answers_then.get(question.key),
                    answers_now.get(question.key),
                )
            )
    return questions, pairs
