"""The improvement plan's exports: `plan_export` gathers everything the PDF, the Word file and
the XLSX show, in a fixed number of queries whatever the number of actions (the actions, their
progress notes, theme and week names, and each action's impact from qa_app.findings.impact);
the renderers in qa_app.documents (improvement_pdf, improvement_docx, improvement_xlsx) write
it. None needs a request: the pages, the command line and the tests call them alike."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from qa_app.data import improvement_queries as plan_queries
from qa_app.data.organisation import get_settings
from qa_app.documents.improvement_docx import plan_docx
from qa_app.documents.improvement_pdf import ActionRow, Group, PlanExport, UpdateRow, plan_pdf
from qa_app.documents.improvement_xlsx import plan_xlsx
from qa_app.extensions import db
from qa_app.findings.impact import impacts
from qa_app.models import (
    ActionSource,
    ActionStatus,
    ActionUpdate,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    Theme,
)


def _names(model, ids: Iterable) -> dict:
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    key = model.key if model is Theme else model.id
    return dict(db.session.execute(select(key, model.name).where(key.in_(ids))).all())


def _source(action: ImprovementAction, weeks: dict[int, str]) -> str:
    kind = ActionSource(action.source_kind)
    parts = [kind.label]
    if action.source_cycle is not None:
        parts.append(action.source_cycle.name)
    if action.source_week_id in weeks:
        parts.append(weeks[action.source_week_id])
    if action.source_note:
        parts.append(action.source_note)
    return parts[0] + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def plan_export(plan: ImprovementPlan, today: date) -> PlanExport:
    """Everything the plan's exports show, in a fixed number of queries."""
    actions = plan_queries.list_actions(today=today, plan_id=plan.id)
    priorities = list(plan.priorities)
    updates = plan_queries.plan_updates(plan.id)
    themes = _names(Theme, (k for a in actions for k in a.themes or []))
    weeks = _names(PracticeWeek, (a.source_week_id for a in actions))
    impact = impacts(actions, today=today)
    numbers = {a.id: a.number for a in actions}
    descriptions = {a.id: a.description for a in actions}
    latest: dict[int, ActionUpdate] = {}
    rows: list[UpdateRow] = []
    for update, author in updates:
        if update.note.strip():
            latest[update.action_id] = update  # oldest first: the last one wins
        rows.append(
            UpdateRow(
                action_number=numbers[update.action_id],
                action=descriptions[update.action_id],
                at=update.at,
                author=author or "",
                note=update.note,
                status_from=ActionStatus(update.status_from).label if update.status_from else "",
                status_to=ActionStatus(update.status_to).label if update.status_to else "",
            )
        )
    groups: dict[int | None, Group] = {p.id: Group(p) for p in priorities}
    loose = Group(None)
    by_status = dict.fromkeys(plan_queries.STATUSES, 0)
    for action in actions:
        status = ActionStatus(action.status)
        by_status[status.value] += 1
        found = impact[action.id]
        note = latest.get(action.id)
        priority = action.priority
        row = ActionRow(
            id=action.id,
            number=action.number,
            priority=f"{priority.number}. {priority.title}" if priority else "",
            description=action.description,
            owner=action.owner.display_name if action.owner else "",
            due_date=action.due_date,
            status=status.value,
            status_label=status.label,
            rag=status.rag,
            overdue=plan_queries.is_overdue(action, today),
            themes=[themes.get(k, k) for k in action.themes or []],
            started_on=action.started_on,
            completed_on=action.completed_on,
            source=_source(action, weeks),
            expected_outcome=action.expected_outcome,
            latest_note=note.note if note else "",
            latest_at=note.at if note else None,
            impact=[t.sentence for t in found.themes] or [found.message],
        )
        groups.get(action.priority_id, loose).actions.append(row)
    ordered = [groups[p.id] for p in priorities]
    if loose.actions:
        ordered.append(loose)
    settings = get_settings()
    return PlanExport(
        plan=plan,
        today=today,
        organisation=f"{settings.council_name}: children's services quality assurance",
        groups=ordered,
        updates=rows,
        by_status=by_status,
    )


# ---- the files ----------------------------------------------------------------------------


def plan_pdf_bytes(plan: ImprovementPlan, today: date) -> bytes:
    return plan_pdf(plan_export(plan, today))


def plan_docx_bytes(plan: ImprovementPlan, today: date) -> bytes:
    return plan_docx(plan_export(plan, today))


def plan_xlsx_bytes(plan: ImprovementPlan, today: date) -> bytes:
    return plan_xlsx(plan_export(plan, today))
