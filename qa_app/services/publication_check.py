"""What is about to be published, checked for identifiers: one walk over every free-text part
of each kind of output that leaves the internal tier, naming each place.

`report_problems(report)` walks a cycle report, a board report or a scrutiny pack (title, each
section, each key finding, and the free text frozen in its figures: the cycle's name, action
descriptions and expected outcomes from the improvement plan, the pack's indicator definitions
and practice-week findings); `week_problems(week)` walks a practice week's
published findings (its name and purpose, focus areas, headline findings, key findings, quick
wins and the improvement-plan actions that came from the week). Each problem names the place
and what was found ("Key findings, concerns, item 2: looks like a case reference
(“12345678”)"), the edit page's field that holds the text where there is one, and otherwise
the page where it is changed. Internal reports are not checked: they may hold case references.

The scan itself is qa_app.findings.identifiers; the council's case-reference pattern comes from
the organisation settings, and a pattern that cannot be used is itself a problem: nothing is
published unchecked."""

from dataclasses import dataclass

from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.findings.identifiers import UncheckablePattern, scan
from qa_app.models import ImprovementAction, PracticeWeek, Report, ReportAudience, ReportKind

CHECKED_AUDIENCES = {ReportAudience.PARTNERSHIP.value, ReportAudience.PUBLIC.value}
FINDING_LABELS = {
    "strengths": "strengths",
    "concerns": "concerns",
    "development": "areas for development",
}
# Keys in a report's frozen figures that hold free text typed by someone (walked wherever they
# appear, beyond the places named below).
FREE_TEXT_KEYS = {
    "description",
    "expected_outcome",
    "recommendation",
    "recommendations",
    "summary",
    "notes",
    "note",
    "comment",
    "comments",
    "learning",
    "text",
    # the reviews the service learns from (board report): their names and references are
    # typed by the QA lead
    "name",
    "reference",
}
# Parts of the figures computed from the data, with names of templates, questions, themes,
# teams and indicators (not case data): the walk for other free text leaves them out.
NOT_TYPED = {
    "filters",
    "period",
    "totals",
    "templates",
    "by_team",
    "by_locality",
    "by_month",
    "themes",
    "moderation",
    "findings",
    "indicators",
    "icpc",
    "conversations",
    "activity",
    "suppression",
    "previous",
    "top_strengths",
    "top_development",
    "themes_by_template",
    "themes_by_team",
    "themes_by_locality",
    "concerns",
}
MAX_PROBLEMS = 50
FROZEN = "change it in the improvement plan, then draft a new version"


@dataclass(frozen=True)
class Problem:
    message: str
    field: str | None = None  # the edit page's field holding the text
    link: tuple[str, dict] | None = None  # (endpoint, arguments): where else it is changed


def needs_check(audience: str) -> bool:
    return audience in CHECKED_AUDIENCES


class _Walk:
    """Collects the problems of one output, place by place."""

    def __init__(self):
        self.pattern = get_settings().case_reference_pattern
        self.problems: list[Problem] = []

    def _add(self, where: str, hit, field, link, hint: str | None) -> None:
        message = f"{where}: {hit.words}" + (f"; {hint}" if hint else "")
        self.problems.append(Problem(message, field, link))

    def text(self, place: str, text, *, field=None, link=None, hint=None) -> None:
        """Text of one or more lines: a problem names the line when there are several."""
        text = text if isinstance(text, str) else ""
        several = len(text.strip().splitlines()) > 1
        for hit in scan(text, self.pattern):
            where = f"{place}, line {hit.line}" if several else place
            self._add(where, hit, field, link, hint)

    def items(self, place: str, items, *, field=None) -> None:
        """A list, one finding per item: a problem names the item."""
        for number, item in enumerate(items or [], start=1):
            for hit in scan(item if isinstance(item, str) else "", self.pattern):
                self._add(f"{place}, item {number}", hit, field, None, None)

    def free_text(self, value, path: list[str], skip: set[str]) -> None:
        """Free text anywhere in frozen figures, under the keys that hold typed text."""
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in skip:
                    continue
                if key in FREE_TEXT_KEYS and isinstance(inner, str):
                    self.text(_place_of([*path, str(key)]), inner)
                elif key in FREE_TEXT_KEYS and isinstance(inner, list):
                    for number, line in enumerate(inner, start=1):
                        if isinstance(line, str):
                            self.text(_place_of([*path, str(key), f"item {number}"]), line)
                        else:
                            self.free_text(line, [*path, str(key), f"item {number}"], skip)
                else:
                    self.free_text(inner, [*path, str(key)], skip)
        elif isinstance(value, list):
            for number, inner in enumerate(value, start=1):
                self.free_text(inner, [*path, f"row {number}"], skip)


def _place_of(path: list[str]) -> str:
    """A place in the figures in words: ['reviews', 'row 1', 'expected_outcome'] is 'Reviews,
    row 1, expected outcome'."""
    words = ", ".join(part.replace("_", " ") for part in path)
    return words[:1].upper() + words[1:]


def _checked(walk_places) -> list[Problem]:
    walk = _Walk()
    try:
        walk_places(walk)
    except UncheckablePattern as exc:
        return [
            Problem(
                f"The text cannot be checked for case references: {exc}. An administrator must "
                "correct the case reference pattern in the organisation settings before "
                "anything is published to the partnership or the public",
                link=("admin.settings", {}),
            )
        ]
    problems = walk.problems
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [Problem(f"And {more} more places like these")]
    return problems


# ---- reports -----------------------------------------------------------------------------------


def _report_text(walk: _Walk, report: Report) -> None:
    walk.text("Title", report.title, hint="draft the report again with another title")
    for section in report.sections or []:
        walk.text(
            f"Section ‘{section['title']}’", section.get("text"), field=f"section__{section['key']}"
        )
    for kind, items in (report.key_findings or {}).items():
        label = FINDING_LABELS.get(kind, kind.replace("_", " "))
        walk.items(f"Key findings, {label}", items, field=kind)


def _cycle_places(walk: _Walk, report: Report) -> None:
    figures = report.figures or {}
    if cycle := figures.get("cycle"):
        link = ("cycles.edit_cycle", {"cycle_id": report.cycle_id}) if report.cycle_id else None
        hint = "change it on the cycle's page, then draft a new version"
        walk.text("Name of the audit cycle", cycle.get("name"), link=link, hint=hint)
    for number, row in enumerate(figures.get("action_list") or [], start=1):
        walk.text(f"Actions raised for children's cases, row {number}", row.get("description"))
    walk.free_text(figures, [], skip=NOT_TYPED | {"action_list", "cycle"})


def _board_places(walk: _Walk, report: Report) -> None:
    figures = report.figures or {}
    walk.text("Agency", figures.get("agency"))
    actions = (figures.get("actions") or {}).get("rows") or []
    for plan in sorted({row.get("plan") or "" for row in actions}):
        walk.text("Title of the improvement plan", plan, hint=FROZEN)
    for row in actions:
        place = f"action {row.get('number')} of ‘{row.get('plan')}’"
        link = ("improvement.edit_action", {"action_id": row["action_id"]})
        walk.text(f"Action plan, {place}", row.get("description"), link=link, hint=FROZEN)
        walk.text(
            f"Expected outcomes, {place}", row.get("expected_outcome"), link=link, hint=FROZEN
        )
    walk.free_text(figures, [], skip=NOT_TYPED | {"actions", "agency"})


def _scrutiny_places(walk: _Walk, report: Report) -> None:
    """Every typed text the performance pack prints from its figures: the indicators' codes,
    names, definitions and benchmarks, the breakdowns' dimensions and categories, the area
    tables, the demand indicators (which may have no area of their own), the practice week's
    findings, the audit themes and the improvement-plan actions with their plans."""
    figures = report.figures or {}
    for area in figures.get("areas") or []:
        for ind in area.get("indicators") or []:
            place = f"Indicator ‘{ind.get('name')}’"
            walk.text(f"{place}, code", ind.get("code"))
            walk.text(place, ind.get("name"))
            walk.text(f"{place}, definition", ind.get("definition"))
            walk.text(f"{place}, good looks like", ind.get("good_looks_like"))
            for breakdown in ind.get("breakdowns") or []:
                walk.text(f"{place}, a breakdown's name", breakdown.get("dimension"))
                categories = [r.get("category") for r in breakdown.get("rows") or []]
                walk.items(f"{place}, by {breakdown.get('dimension')}", categories)
        for table in area.get("tables") or []:
            categories = [r.get("category") for r in table.get("rows") or []]
            walk.items(f"{area.get('title')}, table by {table.get('dimension')}", categories)
        walk.items(f"Prompts, {area.get('title')}", area.get("prompts"))
    demand = figures.get("demand") or {}
    for row in demand.get("rows") or []:
        walk.text(f"Demand, ‘{row.get('code')}’", row.get("name"))
        walk.text(f"Demand, ‘{row.get('code')}’, its sentence", row.get("sentence"))
    if week := figures.get("practice_week"):
        walk.text("Practice week", week.get("title"))
        walk.items("Practice week, headline findings", week.get("headlines"))
        walk.items("Practice week, quick wins", week.get("quick_wins"))
    themes = figures.get("audit_themes") or {}
    walk.items("Audit themes, strengths", themes.get("strengths"))
    walk.items("Audit themes, areas for development", themes.get("development"))
    for row in figures.get("actions") or []:
        place = f"Actions, action {row.get('number')} of ‘{row.get('plan')}’"
        walk.text(f"{place}, its plan's title", row.get("plan"))
        walk.text(place, row.get("description"), hint=FROZEN)


def report_problems(report: Report) -> list[Problem]:
    """Every identifier in what a cycle or board report would publish; none for an internal
    report."""
    if not needs_check(report.audience):
        return []

    def places(walk: _Walk) -> None:
        _report_text(walk, report)
        if report.kind == ReportKind.LSCB:
            _board_places(walk, report)
        elif report.kind == ReportKind.SCRUTINY:
            _scrutiny_places(walk, report)
        else:
            _cycle_places(walk, report)

    return _checked(places)


# ---- a practice week's findings ----------------------------------------------------------------


def week_actions(week: PracticeWeek) -> list[ImprovementAction]:
    """The improvement-plan actions the week's report shows: those from the week, and those
    its quick wins became."""
    ids = {q.action_id for q in week.quick_wins if q.action_id}
    return list(
        db.session.scalars(
            select(ImprovementAction)
            .where(
                (ImprovementAction.source_week_id == week.id)
                | ImprovementAction.id.in_(ids or {-1})
            )
            .order_by(ImprovementAction.plan_id, ImprovementAction.number)
        )
    )


def week_problems(week: PracticeWeek) -> list[Problem]:
    """Every identifier in what publishing a practice week's findings shows to readers of
    findings (board viewers among them)."""

    def places(walk: _Walk) -> None:
        week_page = ("practice_weeks.edit_week", {"week_id": week.id})
        walk.text("Name of the week", week.name, link=week_page)
        walk.text("Purpose of the week", week.purpose, link=week_page)
        for area in week.focus_areas:
            walk.text(f"Focus area {area.number}", area.title, link=week_page)
            walk.text(
                f"Headline findings, {area.number}. {area.title}",
                area.headlines,
                field=f"area_{area.id}",
            )
        walk.text("Key findings from the audit themes", week.themes_summary, field="themes_summary")
        for quick_win in week.quick_wins:
            walk.text(
                f"Quick win {quick_win.number}",
                quick_win.description,
                link=(
                    "practice_week_findings.edit_quick_win",
                    {"week_id": week.id, "quick_win_id": quick_win.id},
                ),
            )
        for action in week_actions(week):
            walk.text(
                f"Improvement-plan action {action.number} of ‘{action.plan.title}’",
                action.description,
                link=("improvement.edit_action", {"action_id": action.id}),
            )

    return _checked(places)
