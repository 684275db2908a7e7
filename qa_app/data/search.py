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

from sqlalchemy import ColumnElement, and_, case, func, or_, select, union, union_all

from qa_app.data.concerns import visible_filter as concerns_visible
from qa_app.data.listing import Page, paged
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    Concern,
    ImprovementAction,
    ImprovementPlan,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.control_characters import has_bidi_controls, has_control_characters
from qa_app.rules.listing import ListSpec, ListState
from qa_app.rules.permissions import may

MAX_QUERY = 100
MAX_CASES = 2000  # more matching cases than this are found by a subquery instead
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
    """What to search for: spaces trimmed and collapsed (letter case kept). Refused when too
    long."""
    text = re.sub(r"\s+", " ", raw or "").strip()
    if len(text) > MAX_QUERY:
        raise SearchError(f"Search for at most {MAX_QUERY} characters")
    if has_control_characters(text) or has_bidi_controls(text):
        raise SearchError("Search for letters, digits, spaces and punctuation only")
    return text


def _like(text: str, *, contains: bool) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return ("%" if contains else "") + escaped + "%"


@dataclass(frozen=True)
class Matcher:
    """What a query matches. Case references: the reference itself, or those beginning with
    it, in any letter case (see `reference`). Names (a worker's, an auditor's or owner's, a
    team's): any part of the name, when the query has a letter."""

    typed: str
    team_ids: tuple[int, ...]
    user_ids: tuple[int, ...]
    # the cases whose reference or worker matches, when a letter in the query means reading
    # every reference and worker: read once per search, here (None: too many to list)
    case_ids: tuple[int, ...] | None = None

    @property
    def lower(self) -> str:
        return self.typed.lower()

    @property
    def names(self) -> bool:
        return len(self.typed) >= MIN_NAME and any(c.isalpha() for c in self.typed)

    def reference(self) -> ColumnElement[bool]:
        """References equal to the query or beginning with it, in any letter case. Without a
        letter in the query, letter case cannot matter: a range on the references' index.
        With one, the lower-case form of every reference is compared, read from that index
        (it holds the references; the cases themselves are not read)."""
        prefix = func.lower(Case.case_reference).like(_like(self.lower, contains=False), "\\")
        if any(c.isalpha() for c in self.typed):
            return prefix
        in_range = and_(
            Case.case_reference >= self.typed, Case.case_reference < self.typed + "\U0010ffff"
        )
        return and_(in_range, prefix)

    def is_exact(self) -> ColumnElement[bool]:
        """The reference is the whole query, in any letter case: the row the reader most
        likely meant, shown first and tagged "Exact match"."""
        return func.lower(Case.case_reference) == self.lower

    def exact_first(self) -> Any:
        return case((self.is_exact(), 0), else_=1)

    def case_match(self) -> ColumnElement[bool]:
        """Over Case: the reference matches, or (with a letter) the worker's name does."""
        if not self.names:
            return self.reference()
        worker = func.lower(Case.worker).like(_like(self.lower, contains=True), "\\")
        return or_(self.reference(), worker)

    def case_or_auditor(self) -> ColumnElement[bool]:
        """The same matches as audit_ids, as one condition over Audit joined to Case: for
        tables much smaller than the audits (concerns), where reading them all is cheap."""
        match: list[ColumnElement[bool]]
        if self.case_ids is not None:
            match = [Audit.case_id.in_(self.case_ids)]
        else:
            match = [self.case_match()]
        if self.team_ids:
            match.append(Case.team_id.in_(self.team_ids))
        if self.user_ids:
            match.append(Audit.auditor_id.in_(self.user_ids))
        return or_(*match)

    def audit_ids(self, *where: ColumnElement[bool]) -> Any:
        """The ids of the audits (within `where`) whose case, auditor or team matches: a
        union of indexed lookups."""

        def on_cases(match: ColumnElement[bool]) -> Any:
            return select(Audit.id).where(Audit.case_id.in_(select(Case.id).where(match)), *where)

        if self.case_ids is not None:
            parts = [select(Audit.id).where(Audit.case_id.in_(self.case_ids), *where)]
        else:
            parts = [on_cases(self.case_match())]
        if self.team_ids:
            parts.append(on_cases(Case.team_id.in_(self.team_ids)))
        if self.user_ids:
            parts.append(select(Audit.id).where(Audit.auditor_id.in_(self.user_ids), *where))
        return union_all(*parts) if len(parts) > 1 else parts[0]


def matcher(typed: str) -> Matcher:
    """The query's matches among teams, people and (reading every reference and worker once)
    cases: three queries when it has a letter, none when it has not."""
    probe = Matcher(typed, (), ())
    if not probe.names:
        return probe
    contains = _like(probe.lower, contains=True)
    teams = select(Team.id).where(func.lower(Team.name).like(contains, "\\"))
    users = select(User.id).where(
        or_(
            func.lower(User.display_name).like(contains, "\\"),
            func.lower(User.username).like(_like(probe.lower, contains=False), "\\"),
        )
    )
    found = Matcher(typed, tuple(db.session.scalars(teams)), tuple(db.session.scalars(users)))
    # two scans of narrow indexes (references; workers), not one of the cases table
    by_reference = select(Case.id).where(found.reference())
    by_worker = select(Case.id).where(func.lower(Case.worker).like(contains, "\\"))
    either = union(by_reference, by_worker).limit(MAX_CASES + 1)
    cases = list(db.session.scalars(either))
    if len(cases) > MAX_CASES:
        return found
    return Matcher(found.typed, found.team_ids, found.user_ids, tuple(cases))


@dataclass(frozen=True)
class Results:
    query: str
    audits: Page | None
    concerns: Page | None
    actions: Page | None

    @property
    def total(self) -> int:
        return sum(p.total for p in (self.audits, self.concerns, self.actions) if p is not None)


def _audits(user: Any, m: Matcher, state: ListState) -> Page:
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
            AuditCycle.name.label("cycle"),
            User.display_name.label("auditor"),
            Audit.status,
            Audit.due_date,
            m.is_exact().label("exact"),
        )
        .select_from(Audit)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .outerjoin(AuditCycle, AuditCycle.id == Audit.cycle_id)
        .outerjoin(User, User.id == Audit.auditor_id)
        .where(Audit.id.in_(m.audit_ids(scope)))
        .order_by(m.exact_first(), func.lower(Case.case_reference), Audit.id)
    )
    return paged(stmt, state, counting=select(Audit.id).where(Audit.id.in_(m.audit_ids(scope))))


def _concerns(user: Any, m: Matcher, state: ListState) -> Page:
    stmt = (
        select(
            Concern.id,
            Case.case_reference,
            Team.name.label("team"),
            Concern.respond_by,
            Concern.signed_off_at,
            m.is_exact().label("exact"),
        )
        .select_from(Concern)
        .join(Audit, Audit.id == Concern.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .where(concerns_visible(user), m.case_or_auditor())
        .order_by(m.exact_first(), Concern.signed_off_at.is_not(None), Concern.respond_by)
        .order_by(Concern.id)
    )
    return paged(stmt, state)


def _actions(user: Any, m: Matcher, state: ListState) -> Page:
    """Actions owned by a person matching the query (only asked for readers of the plan)."""
    stmt = (
        select(
            ImprovementAction.id,
            ImprovementAction.number,
            ImprovementAction.description,
            ImprovementPlan.title.label("plan"),
            User.display_name.label("owner"),
            ImprovementAction.status,
            ImprovementAction.due_date,
        )
        .select_from(ImprovementAction)
        .join(ImprovementPlan, ImprovementPlan.id == ImprovementAction.plan_id)
        .outerjoin(User, User.id == ImprovementAction.owner_id)
        .where(ImprovementAction.owner_id.in_(m.user_ids))
        .order_by(ImprovementPlan.title, ImprovementAction.number)
    )
    return paged(stmt, state)


def search(user: Any, raw: str | None, state: ListState) -> Results:
    """What `user` may see that matches `raw`: every kind's first page, or with the state's
    `kind` filter that kind's page alone. Raises SearchError for a query too long."""
    q = clean_query(raw)
    if not q or not may(user, "do_audits"):
        return Results(q, None, None, None)
    m = matcher(q)
    kind = state.filters.get("kind")
    first = state.with_page(1)

    def run(name: str, find: Any) -> Page | None:
        if kind and kind != name:
            return None
        found: Page = find(user, m, state if kind == name else first)
        return found

    return Results(
        q,
        run("audits", _audits),
        run("concerns", _concerns),
        run("actions", _actions) if may(user, "view_improvement_plan") else None,
    )
