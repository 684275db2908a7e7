"""What a practice week's report shows (on the page and as PDF), for each tier of reader: the
figures (frozen once the findings are published), the headline and key findings, the quick
wins and the improvement-plan actions that came from the week."""

from dataclasses import dataclass

from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_figures import KINDS, live_figures, publication_figures
from qa_app.data.practice_week_findings import is_published
from qa_app.extensions import db
from qa_app.models import ActivityKind, ImprovementAction, PracticeWeek, User
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS


def figures_for(week: PracticeWeek) -> dict:
    """The frozen figures once published, otherwise the live ones."""
    if is_published(week) and week.figures:
        return week.figures
    return live_figures(week)


@dataclass
class ReportView:
    week: PracticeWeek
    figures: dict
    publication: bool
    threshold: int
    areas: list[dict]
    key_findings: list[str]
    quick_wins: list[dict]
    actions: list[dict]
    published: bool

    @property
    def kinds(self) -> list[tuple[str, str, dict]]:
        return [
            (k, ACTIVITY_KIND_LABELS[ActivityKind(k)], self.figures["activities"][k]) for k in KINDS
        ]

    @property
    def moved(self) -> list[dict]:
        comp = self.figures.get("comparison")
        if not comp:
            return []
        return [t for t in comp["themes"] if t["direction"] in ("up", "down")]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _owner_label(user: User | None, publication: bool) -> str:
    if user is None:
        return "No owner yet"
    if publication:
        roles = sorted(user.roles, key=lambda r: r.value)
        return roles[0].label if roles else "Member of staff"
    return user.display_name


def report_view(week: PracticeWeek, *, publication: bool) -> ReportView:
    """Everything the report shows (page and PDF), for the tier of reader: publication means
    aggregates only, small counts hidden, owners by role, no free text from activity
    records (the report holds none: only the QA lead's edited findings)."""
    threshold = get_settings().small_number_threshold
    figures = figures_for(week)
    if publication:
        figures = publication_figures(figures, threshold)
    areas = [
        {"number": a.number, "title": a.title, "lines": _lines(a.headlines)}
        for a in week.focus_areas
    ]
    action_ids = {q.action_id for q in week.quick_wins if q.action_id}
    actions = list(
        db.session.scalars(
            select(ImprovementAction)
            .where(
                (ImprovementAction.source_week_id == week.id)
                | ImprovementAction.id.in_(action_ids or {-1})
            )
            .order_by(ImprovementAction.plan_id, ImprovementAction.number)
        )
    )
    by_id = {a.id: a for a in actions}
    quick_wins = []
    for q in week.quick_wins:
        action = by_id.get(q.action_id) if q.action_id else None
        quick_wins.append(
            {
                "id": q.id,
                "number": q.number,
                "description": q.description,
                "owner": _owner_label(q.owner, publication),
                "due_date": q.due_date,
                "action": (
                    {"number": action.number, "plan": action.plan.title, "id": action.id}
                    if action
                    else None
                ),
            }
        )
    return ReportView(
        week=week,
        figures=figures,
        publication=publication,
        threshold=threshold,
        areas=areas,
        key_findings=_lines(week.themes_summary),
        quick_wins=quick_wins,
        actions=[
            {
                "number": a.number,
                "plan": a.plan.title,
                "description": a.description,
                "owner": _owner_label(a.owner, publication),
                "due_date": a.due_date,
                "status": a.status,
            }
            for a in actions
        ],
        published=is_published(week),
    )
