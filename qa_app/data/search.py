"""Search: one box finding audits, urgent concerns and improvement actions by case reference
(an exact match first, then references beginning with what was typed), by practitioner (the
case's worker), by auditor or action owner, or by team. Case-insensitive; spaces at either end
and doubled inside are ignored.

Only what the reader may see is ever counted or listed:
- audits: QA leads, moderators and senior managers all; an auditor only those assigned to them
  (a search is for finding one's own work, so it does not widen to colleagues' audits in the
  same cycle); board viewers and administrators none;
- concerns: as qa_app.data.concerns.visible_filter (QA leads all, staff their teams' cases and
  those they raised);
- improvement actions: those who may read the plan (never a case-level record)."""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, false, func, or_, select

from qa_app.data.concerns import visible_filter as concerns_visible
from qa_app.data.listing import Page, paged
from qa_app.models import (
    Audit,
    AuditTemplate,
    Case,
    Concern,
    ImprovementAction,
    ImprovementPlan,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.listing import ListSpec, ListState
from qa_app.rules.permissions import may

MAX_QUERY = 100
MIN_NAME = 2  # a name search needs at least this many characters (a reference needs one)
KINDS = ("audits", "concerns", "actions")
SEARCH = ListSpec(
    sorts={"relevance": "Relevance"},
    default_sort="relevance",
    filters={"kind": frozenset(KINDS)},
    page_size=20,
)


class SearchError(ValueError):
    pass


def clean_query(raw: str | None) -> str:
    """What to search for: spaces trimmed and collapsed, lower case. Refused when too long."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    if len(text) > MAX_QUERY:
        raise SearchError(f"Search for at most {MAX_QUERY} characters")
    return text.lower()


def _like(text: str, *, contains: bool) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("%" if contains else "") + escaped + "%"


def _matching(q: str) -> tuple[ColumnElement[bool], ColumnElement[bool], ColumnElement[bool]]:
    """(case matches, user matches, team matches) for the query `q` (already clean)."""
    reference = func.lower(Case.case_reference)
    prefix = _like(q, contains=False)
    case_match = or_(reference == q, reference.like(prefix, escape="\\"))
    if len(q) < MIN_NAME:
        return case_match, false(), false()
    contains = _like(q, contains=True)
    case_match = or_(case_match, func.lower(Case.worker).like(contains, escape="\\"))
    user_match = or_(
        func.lower(User.display_name).like(contains, escape="\\"),
        func.lower(User.username).like(prefix, escape="\\"),
    )
    team_match = func.lower(Team.name).like(contains, escape="\\")
    return case_match, user_match, team_match


def _case_ids(q: str) -> Select:
    case_match, _, team_match = _matching(q)
    teams = select(Team.id).where(team_match)
    return select(Case.id).where(or_(case_match, Case.team_id.in_(teams)))


def _user_ids(q: str) -> Select:
    return select(User.id).where(_matching(q)[1])


def _exact_first(q: str) -> Any:
    return case((func.lower(Case.case_reference) == q, 0), else_=1)


@dataclass(frozen=True)
class Results:
    query: str
    audits: Page | None
    concerns: Page | None
    actions: Page | None

    @property
    def total(self) -> int:
        return sum(p.total for p in (self.audits, self.concerns, self.actions) if p is not None)


def _audits(user: Any, q: str, state: ListState) -> Page:
    if may(user, "view_all_audits"):
        scope: ColumnElement[bool] = Audit.id.is_not(None)
    else:
        scope = Audit.auditor_id == user.id
    stmt = (
        select(
            Audit.id,
            Case.case_reference,
            Case.worker,
            Team.name.label("team"),
            AuditTemplate.name.label("template"),
            User.display_name.label("auditor"),
            Audit.status,
            Audit.due_date,
        )
        .select_from(Audit)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .outerjoin(User, User.id == Audit.auditor_id)
        .where(
            scope,
            or_(Audit.case_id.in_(_case_ids(q)), Audit.auditor_id.in_(_user_ids(q))),
        )
        .order_by(_exact_first(q), func.lower(Case.case_reference), Audit.id)
    )
    return paged(stmt, state)


def _concerns(user: Any, q: str, state: ListState) -> Page:
    stmt = (
        select(
            Concern.id,
            Case.case_reference,
            Team.name.label("team"),
            Concern.respond_by,
            Concern.signed_off_at,
        )
        .select_from(Concern)
        .join(Audit, Audit.id == Concern.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .where(
            concerns_visible(user),
            or_(Audit.case_id.in_(_case_ids(q)), Audit.auditor_id.in_(_user_ids(q))),
        )
        .order_by(_exact_first(q), Concern.signed_off_at.is_not(None), Concern.respond_by)
        .order_by(Concern.id)
    )
    return paged(stmt, state)


def _actions(user: Any, q: str, state: ListState) -> Page:
    """Actions owned by a person matching the query (only asked for readers of the plan)."""
    stmt = (
        select(
            ImprovementAction.id,
            ImprovementAction.number,
            ImprovementPlan.title.label("plan"),
            User.display_name.label("owner"),
            ImprovementAction.status,
            ImprovementAction.due_date,
        )
        .select_from(ImprovementAction)
        .join(ImprovementPlan, ImprovementPlan.id == ImprovementAction.plan_id)
        .outerjoin(User, User.id == ImprovementAction.owner_id)
        .where(ImprovementAction.owner_id.in_(_user_ids(q)))
        .order_by(ImprovementPlan.title, ImprovementAction.number)
    )
    return paged(stmt, state)


def search(user: Any, raw: str | None, state: ListState) -> Results:
    """What `user` may see that matches `raw`: every kind's first page, or with the state's
    `kind` filter that kind's page alone. Raises SearchError for a query too long."""
    q = clean_query(raw)
    if not q or not may(user, "do_audits"):
        return Results(q, None, None, None)
    kind = state.filters.get("kind")
    first = state.with_page(1)

    def run(name: str, find: Any) -> Page | None:
        if kind and kind != name:
            return None
        return find(user, q, state if kind == name else first)

    return Results(
        q,
        run("audits", _audits),
        run("concerns", _concerns),
        run("actions", _actions) if may(user, "view_improvement_plan") else None,
    )
