"""What a practice week's report shows (on the page, as PDF and as Word), for each audience
(qa_app.findings.audiences): the figures (frozen once the findings are published) in that
audience's tier, the sentences stated from those same figures, the QA lead's headline and key
findings, the quick wins and the improvement-plan actions from the week, and a one-page
summary in the shape of a practice week's findings slide.

- internal: every count, owners by name, and the case free text (what observers said could be
  better, what families and staff said);
- partnership: exact counts (unless the council sets a partnership threshold), owners by role,
  no case free text;
- public: small counts hidden with secondary suppression, owners by role, no case free text.

Every number the report states in a sentence comes from the tier's figures, through the same
functions the tables use, so a count hidden in a table is never stated in the text.

Who reads which tier (`reader_audience`): the people running the week (QA leads, senior
managers) the internal tier, draft or published, and may look at the others; once published,
moderators read the partnership tier, and board viewers too if the findings were published to
the partnership or the public."""

from dataclasses import dataclass, field

from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_findings import is_published, published_audience
from qa_app.data.practice_week_records import PARTICIPANTS
from qa_app.data.practice_weeks import cycle_name
from qa_app.data.users import owner_role_label
from qa_app.extensions import db
from qa_app.findings import identifiers
from qa_app.findings.audiences import Audience, AudienceRules, rules_for
from qa_app.findings.present import join_and
from qa_app.models import ActivityKind, FindingsStatus, PracticeWeek, User
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS
from qa_app.rules.permissions import may
from qa_app.services.practice_week_figures import KINDS, live_figures, share
from qa_app.services.practice_week_tiers import tier_figures
from qa_app.services.publication_check import week_actions

KIND_PLURALS = {
    ActivityKind.OBSERVE_MEETING.value: ("meeting observed", "meetings observed"),
    ActivityKind.SHADOW.value: ("practitioner shadowed", "practitioners shadowed"),
    ActivityKind.AUDIT_RECORD.value: ("record audited", "records audited"),
    ActivityKind.CONVERSATION.value: (
        "conversation with a family or staff",
        "conversations with families or staff",
    ),
}
MARK_WORDS = {"strength": "a strength", "development": "an area for development"}
SUMMARY_LINES = 3  # headline findings per area on the one-page summary


def figures_for(week: PracticeWeek) -> dict:
    """The frozen figures once published, otherwise the live ones (every tier's source)."""
    if is_published(week) and week.figures:
        return week.figures
    return live_figures(week)


# ---- sentences from the figures -------------------------------------------------------------


def _n(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def area_sentence(area: dict) -> str:
    """What was done in one focus area, from its figures in the tier: a hidden count is never
    stated, and neither is a kind's count the tier hides."""
    done = area["activities_done"]
    if done is None:
        return "The activities done in this area are too few to publish."
    if done == 0:
        return "No activities were recorded as done in this area."
    verb = "was" if done == 1 else "were"
    kinds = area.get("done_by_kind") or {}
    parts = [
        _n(kinds[k], *KIND_PLURALS[k]) for k in KINDS if isinstance(kinds.get(k), int) and kinds[k]
    ]
    if parts and None not in kinds.values():
        return f"{_n(done, 'activity', 'activities')} {verb} done: {join_and(parts)}."
    return f"{_n(done, 'activity', 'activities')} {verb} done in this area."


def week_sentence(figures: dict) -> str:
    """Who took part and how much was done, from the tier's figures."""
    managers = figures["managers"]
    who = (
        "Senior managers" if managers is None else _n(managers, "senior manager", "senior managers")
    )
    text = (
        f"{who} took part, observing key meetings, shadowing practitioners, auditing children's "
        "records with the worker and hearing from families and staff."
    )
    done, audits = figures["activities_done"], figures["audits_completed"]
    parts = []
    if done is not None:
        parts.append(f"{_n(done, 'activity was', 'activities were')} done")
    if audits is not None:
        parts.append(f"{_n(audits, 'audit was', 'audits were')} completed in the week's cycle")
    if parts:
        text += f" In all, {join_and(parts)}."
    return text


def theme_sentences(themes: list[dict], min_n: int, top: int = 3) -> list[str]:
    """The themes most often a strength and most often an area for development, stated with
    their counts from the tier's theme table; a row whose counts the tier hides, or marked
    fewer than `min_n` times, is not stated."""
    lines = []
    for mark in ("strength", "development"):
        rows = [
            r
            for r in themes
            if r[mark] is not None and r["n"] is not None and r["n"] >= min_n and r[mark] > 0
        ]
        rows.sort(key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]))
        for r in rows[:top]:
            lines.append(
                f"{r['name']} was {MARK_WORDS[mark]} in {r[mark]:,} of {r['n']:,} audits and "
                f"observations ({share(r, mark)}%)."
            )
    return lines


# ---- the view -------------------------------------------------------------------------------


@dataclass
class ReportView:
    week: PracticeWeek
    audience: Audience
    rules: AudienceRules
    figures: dict
    areas: list[dict]
    key_findings: list[str]
    theme_lines: list[str]
    heard: list[dict]
    quick_wins: list[dict]
    actions: list[dict]
    published: bool
    published_to: Audience | None
    summary: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        """ "Practice week: Children in need" - or the week's name alone where it already says
        so ("Practice week, November 2026"): the name its audit cycle has too."""
        return cycle_name(self.week.name)

    @property
    def threshold(self) -> int:
        return self.rules.threshold

    @property
    def suppresses(self) -> bool:
        return self.rules.suppresses

    @property
    def case_level(self) -> bool:
        return self.rules.case_level

    @property
    def marking(self) -> str:
        return self.rules.marking

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

    @property
    def week_sentence(self) -> str:
        return week_sentence(self.figures)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _owner(user: User | None, rules: AudienceRules) -> str:
    if not rules.case_level:
        return owner_role_label(user)
    return user.display_name if user is not None else "No owner yet"


WITHHELD = identifiers.WITHHELD


def _shown_text(text: str, rules: AudienceRules, settings) -> str:
    """An improvement action's description as this tier may read it. The actions are read as
    they are now (their progress is the point), so one edited since the findings were published
    is checked again here: below the internal tier, text that looks like an identifier is
    withheld rather than shown (qa_app.findings.identifiers.withheld_if_identifying)."""
    if rules.case_level:
        return text
    return identifiers.withheld_if_identifying(text, settings.case_reference_pattern)


def report_view(week: PracticeWeek, *, audience: str) -> ReportView:
    """Everything the report shows (page, PDF, Word) for `audience`."""
    settings = get_settings()
    rules = rules_for(audience, settings)
    figures = tier_figures(figures_for(week), rules)
    notes = figures.get("notes") or {"better": [], "heard": []}
    tier_areas = {a["focus_area_id"]: a for a in figures["focus_areas"]}
    areas = []
    for a in week.focus_areas:
        tier = tier_areas.get(a.id) or {"activities_done": 0, "done_by_kind": {}}
        areas.append(
            {
                "id": a.id,
                "number": a.number,
                "title": a.title,
                "figures_line": area_sentence(tier),
                "lines": _lines(a.headlines),
                "better": [n["text"] for n in notes["better"] if n["focus_area_id"] == a.id],
            }
        )
    actions = week_actions(week)
    by_id = {a.id: a for a in actions}
    quick_wins = []
    for q in week.quick_wins:
        action = by_id.get(q.action_id) if q.action_id else None
        quick_wins.append(
            {
                "id": q.id,
                "number": q.number,
                "description": q.description,
                "owner": _owner(q.owner, rules),
                "due_date": q.due_date,
                "action": (
                    {"number": action.number, "plan": action.plan.title, "id": action.id}
                    if action
                    else None
                ),
            }
        )
    view = ReportView(
        week=week,
        audience=rules.audience,
        rules=rules,
        figures=figures,
        areas=areas,
        key_findings=_lines(week.themes_summary),
        theme_lines=theme_sentences(figures["themes"], settings.small_number_threshold),
        heard=[
            {"who": PARTICIPANTS.get(n["participant"], "Someone"), "text": n["text"]}
            for n in notes["heard"]
        ],
        quick_wins=quick_wins,
        actions=[
            {
                "number": a.number,
                "plan": a.plan.title,
                "description": _shown_text(a.description, rules, settings),
                "owner": _owner(a.owner, rules),
                "due_date": a.due_date,
                "status": a.status,
            }
            for a in actions
        ],
        published=is_published(week),
        published_to=published_audience(week),
    )
    view.summary = summary(view)
    return view


def summary(view: ReportView) -> dict:
    """The one-page summary, in the shape of a practice week's findings slide: headline findings
    per area, the numbered quick wins, the audit themes and the improvement-plan actions that
    answer them. Every part is taken from the view (the same tier)."""
    return {
        "opening": view.week_sentence,
        "areas": [
            {"title": a["title"], "lines": a["lines"][:SUMMARY_LINES] or [a["figures_line"]]}
            for a in view.areas
        ],
        "quick_wins": [q["description"] for q in view.quick_wins],
        "themes": view.key_findings or view.theme_lines,
        "actions": [
            f"{a['description']} ({a['owner']}"
            + (f", by {a['due_date'].day} {a['due_date']:%B %Y})" if a["due_date"] else ")")
            for a in view.actions
        ],
    }


# ---- who reads which tier -------------------------------------------------------------------


def reader_audience(user, week: PracticeWeek) -> Audience | None:
    """The tier `user` reads the week's report in, or None if they may not read it."""
    if may(user, "take_part_in_practice_weeks"):
        return Audience.INTERNAL
    published_to = published_audience(week)
    if published_to is None or not may(user, "view_findings"):
        return None
    if published_to == Audience.INTERNAL and not may(user, "view_all_audits"):
        return None  # published to the service only: not to board viewers
    return Audience.PARTNERSHIP


def tiers_for(user, week: PracticeWeek) -> list[Audience]:
    """The tiers `user` may open: the people running the week see each audience's version."""
    own = reader_audience(user, week)
    if own == Audience.INTERNAL:
        return list(Audience)
    return [own] if own is not None else []


def readable_reports(user) -> list[dict]:
    """The practice-week reports `user` may read, newest week first, for the Reports list: the
    published ones (and, for the people running the weeks, drafts too), each with who it is
    published to and the tier the reader gets."""
    stmt = select(PracticeWeek).order_by(PracticeWeek.starts_on.desc(), PracticeWeek.id.desc())
    if not may(user, "take_part_in_practice_weeks"):
        stmt = stmt.where(PracticeWeek.findings_status == FindingsStatus.PUBLISHED)
    out = []
    for week in db.session.scalars(stmt.limit(200)):
        tier = reader_audience(user, week)
        if tier is None:
            continue
        out.append(
            {
                "week": week,
                "published": is_published(week),
                "published_to": published_audience(week),
                "audience": tier,
            }
        )
    return out
