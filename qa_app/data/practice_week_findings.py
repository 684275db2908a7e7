"""A practice week's findings: the figures (audit themes, activities done), drafting the
headline findings and key findings from the data, quick wins (and turning one into an
improvement-plan action), publishing, comparing with the previous week, and what the report
shows to each tier of reader.

The week's themes add up two sources, theme by theme: the theme marks of the completed audits
in the week's cycle (read through the findings engine's grouped query) and the theme marks of
the observation and shadowing activities recorded as done. Each row says how many marks came
from each.

Publishing freezes the figures (`PracticeWeek.figures`) so the published report never changes
when later audits arrive. After publishing, the text and the quick wins are read-only until the
QA lead redrafts the findings (which clears the frozen figures); turning a quick win into an
action stays open, because the improvement plan lives on after the week.

The previous week (to compare with) is the latest week that started before this one and has
published findings, read from its frozen figures; when no earlier week is published, the latest
earlier week's live figures are used, and the comparison says so."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.improvement import create_action
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.findings import present, queries
from qa_app.findings.filters import EARLIEST, LATEST, Filters
from qa_app.findings.suppression import hide_count
from qa_app.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Audit,
    FindingsStatus,
    FocusArea,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    QuickWin,
    Theme,
    User,
    utcnow,
)
from qa_app.models.practice_weeks import ACTIVITY_KIND_LABELS
from qa_app.templates_engine.answers import clean_text, placed_questions

SCHEMA = 1
MARKS = ("strength", "development", "not_seen")
MARK_WORDS = {"strength": "a strength", "development": "an area for development"}
MOVED_BY = 10  # percentage points: a strength share that changed this much "moved"
TEXT_MAX = 4000
LINE_MAX = 300
KINDS = [k.value for k in ActivityKind]
STATES = [s.value for s in ActivityStatus]
OBSERVED_KINDS = (ActivityKind.OBSERVE_MEETING.value, ActivityKind.SHADOW.value)
KIND_PLURALS = {
    ActivityKind.OBSERVE_MEETING.value: ("meeting observed", "meetings observed"),
    ActivityKind.SHADOW.value: ("practitioner shadowed", "practitioners shadowed"),
    ActivityKind.AUDIT_RECORD.value: ("record audited", "records audited"),
    ActivityKind.CONVERSATION.value: (
        "conversation with a family or staff",
        "conversations with families or staff",
    ),
}
# Questions of an observation template whose answers say what could be better.
BETTER = re.compile(r"better|improv", re.IGNORECASE)
TEXT_TYPES = {"text", "long_text", "textarea", "short_text"}


class FindingsError(ValueError):
    """Input the findings cannot take; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleFindings(Exception):
    """The week's findings changed since the page was read."""

    def __init__(self, week: PracticeWeek):
        super().__init__(
            "Someone else changed these findings since you opened the page. Your text is "
            "kept below: compare it with the saved version (reload the page in another tab), "
            "then save again."
        )
        self.week = week


class StaleQuickWin(Exception):
    def __init__(self, quick_win: QuickWin):
        super().__init__(
            f"Quick win {quick_win.number} was changed by someone else since you opened the "
            "page. Your text is kept below: check it and save again."
        )
        self.quick_win = quick_win


# ---- reading ------------------------------------------------------------------------------


def get_week(week_id: int) -> PracticeWeek | None:
    return db.session.get(PracticeWeek, week_id)


def get_week_by_name(name: str) -> PracticeWeek | None:
    return db.session.scalar(select(PracticeWeek).where(PracticeWeek.name == name.strip()))


def get_quick_win(week: PracticeWeek, quick_win_id: int) -> QuickWin | None:
    quick_win = db.session.get(QuickWin, quick_win_id)
    return quick_win if quick_win is not None and quick_win.week_id == week.id else None


def is_published(week: PracticeWeek) -> bool:
    return week.findings_status == FindingsStatus.PUBLISHED


def quick_win_version(quick_win: QuickWin) -> str:
    """The token a quick-win form carries, compared on save (quick wins have no lock column:
    their last change time serves)."""
    return quick_win.updated_at.isoformat() if quick_win.updated_at else ""


def theme_names() -> dict[str, str]:
    return dict(db.session.execute(select(Theme.key, Theme.name)).all())


def activity_counts(week: PracticeWeek) -> dict[str, dict[str, int]]:
    """{kind: {done, planned, cancelled, total}} for every kind, in one grouped query."""
    rows = db.session.execute(
        select(Activity.kind, Activity.status, func.count())
        .where(Activity.week_id == week.id)
        .group_by(Activity.kind, Activity.status)
    ).all()
    out = {kind: dict.fromkeys([*STATES, "total"], 0) for kind in KINDS}
    for kind, status, n in rows:
        counts = out.setdefault(kind, dict.fromkeys([*STATES, "total"], 0))
        counts[status] = counts.get(status, 0) + n
        counts["total"] += n
    return out


def _audit_theme_counts(week: PracticeWeek) -> dict[tuple[str, str], int]:
    if week.cycle_id is None:
        return {}
    frame = queries.theme_groups(Filters(cycle_id=week.cycle_id), by_team=False)
    counts: Counter = Counter()
    for key, mark, n in zip(frame["theme_key"], frame["mark"], frame["n"], strict=True):
        counts[(key, mark)] += int(n)
    return dict(counts)


def _done_observations(week: PracticeWeek, area_id: int | None = None) -> list[Activity]:
    stmt = select(Activity).where(
        Activity.week_id == week.id,
        Activity.status == ActivityStatus.DONE,
        Activity.kind.in_(OBSERVED_KINDS),
    )
    if area_id is not None:
        stmt = stmt.where(Activity.focus_area_id == area_id)
    return list(db.session.scalars(stmt.order_by(Activity.scheduled_on, Activity.id)))


def _observation_theme_counts(activities: list[Activity]) -> dict[tuple[str, str], int]:
    counts: Counter = Counter()
    for activity in activities:
        for key, mark in (activity.theme_marks or {}).items():
            if mark in MARKS:
                counts[(key, mark)] += 1
    return dict(counts)


def week_themes(week: PracticeWeek) -> list[dict]:
    """The week's themes, by name: strength / development / not_seen / n, and where the
    marks came from (audits_n, observations_n)."""
    audits = _audit_theme_counts(week)
    observed = _observation_theme_counts(_done_observations(week))
    names = theme_names()
    keys = {k for k, _ in audits} | {k for k, _ in observed}
    rows = []
    for key in keys:
        row = {m: audits.get((key, m), 0) + observed.get((key, m), 0) for m in MARKS}
        rows.append(
            {
                "key": key,
                "name": names.get(key, key),
                **row,
                "n": sum(row.values()),
                "audits_n": sum(audits.get((key, m), 0) for m in MARKS),
                "observations_n": sum(observed.get((key, m), 0) for m in MARKS),
            }
        )
    return sorted(rows, key=lambda r: r["name"])


def completed_audits(week: PracticeWeek) -> int:
    if week.cycle_id is None:
        return 0
    return db.session.scalar(
        select(func.count(Audit.id)).where(
            Audit.cycle_id == week.cycle_id, Audit.status.in_(queries.COMPLETED)
        )
    )


def _share(row: dict, mark: str = "strength") -> int | None:
    return present.percent_value(row.get(mark), row.get("n"))


def live_figures(week: PracticeWeek, *, now: datetime | None = None, compare=True) -> dict:
    """The week's figures from the data as it is now (what publishing freezes)."""
    now = now or utcnow()
    activities = activity_counts(week)
    themes = week_themes(week)
    done_by_area = dict(
        db.session.execute(
            select(Activity.focus_area_id, func.count())
            .where(Activity.week_id == week.id, Activity.status == ActivityStatus.DONE)
            .group_by(Activity.focus_area_id)
        ).all()
    )
    figures = {
        "schema": SCHEMA,
        "generated_at": now.isoformat(timespec="seconds"),
        "week": {
            "name": week.name,
            "starts_on": week.starts_on.isoformat(),
            "ends_on": week.ends_on.isoformat(),
        },
        "managers": len(week.managers),
        "audits_completed": completed_audits(week),
        "activities": activities,
        "activities_done": sum(c["done"] for c in activities.values()),
        "focus_areas": [
            {
                "focus_area_id": a.id,
                "title": a.title,
                "activities_done": done_by_area.get(a.id, 0),
            }
            for a in week.focus_areas
        ],
        "themes": themes,
    }
    figures["comparison"] = comparison(week, themes) if compare else None
    return figures


def figures_for(week: PracticeWeek) -> dict:
    """The frozen figures once published, otherwise the live ones."""
    if is_published(week) and week.figures:
        return week.figures
    return live_figures(week)


# ---- the previous week --------------------------------------------------------------------


def previous_week(week: PracticeWeek) -> tuple[PracticeWeek, str] | None:
    """(week, "published" | "live"): see the module docstring."""
    earlier = (
        select(PracticeWeek)
        .where(PracticeWeek.starts_on < week.starts_on, PracticeWeek.id != week.id)
        .order_by(PracticeWeek.starts_on.desc(), PracticeWeek.id.desc())
    )
    published = db.session.scalar(
        earlier.where(
            PracticeWeek.findings_status == FindingsStatus.PUBLISHED,
            PracticeWeek.figures.is_not(None),
        ).limit(1)
    )
    if published is not None:
        return published, "published"
    latest = db.session.scalar(earlier.limit(1))
    return (latest, "live") if latest is not None else None


def comparison(week: PracticeWeek, themes: list[dict], threshold: int | None = None) -> dict | None:
    """Per theme, the strength share this week and in the previous week, which moved (by
    MOVED_BY points or more) and where n is too small to tell (under the small-number
    threshold in either week). None when there is no earlier week."""
    found = previous_week(week)
    if found is None:
        return None
    before_week, source = found
    threshold = threshold or get_settings().small_number_threshold
    if source == "published":
        before = before_week.figures.get("themes", [])
    else:
        before = week_themes(before_week)
    then = {r["key"]: r for r in before}
    rows = []
    for row in themes:
        old = then.get(row["key"])
        if old is None:
            continue
        now_share, then_share = _share(row), _share(old)
        item = {
            "key": row["key"],
            "name": row["name"],
            "now": now_share,
            "then": then_share,
            "now_n": row["n"],
            "then_n": old["n"],
            "change": None,
            "direction": "too_few",
        }
        if row["n"] >= threshold and old["n"] >= threshold and None not in (now_share, then_share):
            item["change"] = now_share - then_share
            if item["change"] >= MOVED_BY:
                item["direction"] = "up"
            elif item["change"] <= -MOVED_BY:
                item["direction"] = "down"
            else:
                item["direction"] = "same"
        rows.append(item)
    return {
        "week": before_week.name,
        "week_id": before_week.id,
        "source": source,
        "threshold": threshold,
        "themes": rows,
        "moved": [r["key"] for r in rows if r["direction"] in ("up", "down")],
    }


def comparison_sentence(item: dict) -> str:
    """One theme's comparison in words."""
    if item["direction"] == "too_few":
        return (
            f"{item['name']}: too few marks to tell (n={_n(item['then_n'])} then, "
            f"n={_n(item['now_n'])} now)"
        )
    word = {"up": "up", "down": "down", "same": "about the same"}[item["direction"]]
    return (
        f"{item['name']}: a strength in {item['now']}% (n={_n(item['now_n'])}), "
        f"{word} from {item['then']}% (n={_n(item['then_n'])})"
    )


def _n(value) -> str:
    return "hidden" if value is None else str(value)


# ---- drafting -----------------------------------------------------------------------------


def _scrub(text: str) -> str:
    """One line of free text, with anything shaped like a case reference taken out."""
    pattern = get_settings().case_reference_pattern
    line = " ".join(clean_text(text or "").split())
    try:
        line = re.sub(rf"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])", "[case]", line)
    except re.error:
        pass
    return line[:LINE_MAX].rstrip()


def _better_answers(activity: Activity) -> list[str]:
    answers = activity.answers or {}
    keys: list[str] = []
    if activity.template_version is not None:
        for key, placed in placed_questions(activity.template_version.content).items():
            q = placed.question
            if q.get("type") in TEXT_TYPES and (BETTER.search(key) or BETTER.search(q["text"])):
                keys.append(key)
    else:
        keys = [k for k in answers if BETTER.search(k)]
    out = []
    for key in keys:
        value = answers.get(key)
        if isinstance(value, str) and value.strip():
            out.append(_scrub(value))
    return out


def _kind_phrase(counts: Counter) -> str:
    parts = []
    for kind in KINDS:
        n = counts.get(kind, 0)
        if n:
            one, many = KIND_PLURALS[kind]
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def draft_headlines(week: PracticeWeek, area: FocusArea) -> list[str]:
    """Editable lines for one focus area, from its activities: how much was done, the themes
    most often marked a strength and an area for development, and what observers said could
    be better. No case references and no names."""
    done = list(
        db.session.scalars(
            select(Activity).where(
                Activity.week_id == week.id,
                Activity.focus_area_id == area.id,
                Activity.status == ActivityStatus.DONE,
            )
        )
    )
    if not done:
        return []
    by_kind = Counter(a.kind for a in done)
    total = len(done)
    lines = [f"{total} {'activity' if total == 1 else 'activities'} done: {_kind_phrase(by_kind)}"]
    names = theme_names()
    marks = _observation_theme_counts([a for a in done if a.kind in OBSERVED_KINDS])
    for mark in ("strength", "development"):
        ranked = sorted(
            ((n, names.get(k, k)) for (k, m), n in marks.items() if m == mark),
            key=lambda x: (-x[0], x[1]),
        )
        if ranked:
            n, name = ranked[0]
            lines.append(
                f"{name} was most often seen as {MARK_WORDS[mark]} "
                f"({n} {'activity' if n == 1 else 'activities'})"
            )
    for activity in done:
        if activity.kind in OBSERVED_KINDS:
            lines += [f"Could be better: {text}" for text in _better_answers(activity)]
    return lines


def draft_summary(themes: list[dict], top: int = 3, min_n: int = 5) -> list[str]:
    """Key findings for the themes: the strongest and the weakest themes with their figures.
    Themes marked at least `min_n` times rank first, so "2 of 2 (100%)" does not lead."""
    lines = []
    for mark in ("strength", "development"):
        ranked = sorted(
            (r for r in themes if r[mark] and r["n"]),
            key=lambda r: (r["n"] < min_n, -r[mark] / r["n"], -r[mark], r["name"]),
        )
        for r in ranked[:top]:
            lines.append(
                f"{r['name']}: {MARK_WORDS[mark]} in {r[mark]} of {r['n']} "
                f"({_share(r, mark)}%) audits and observations"
            )
    return lines


def _refuse_if_published(week: PracticeWeek) -> None:
    if is_published(week):
        raise FindingsError(
            "The findings are published and cannot be changed. Redraft them first.", "week"
        )


def fill_drafts(week: PracticeWeek, *, based_on: int, actor, overwrite: bool = False) -> list[str]:
    """Fill the headline findings of each focus area and the key findings from the data: only
    where they are empty, unless `overwrite`. Returns what was filled; commits."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    _refuse_if_published(week)
    filled = []
    changes: dict = {}
    for area in week.focus_areas:
        if area.headlines.strip() and not overwrite:
            continue
        lines = draft_headlines(week, area)
        if lines and "\n".join(lines) != area.headlines:
            changes[f"area_{area.number}"] = [area.headlines, "\n".join(lines)]
            area.headlines = "\n".join(lines)
            filled.append(area.title)
    if overwrite or not week.themes_summary.strip():
        lines = draft_summary(week_themes(week), min_n=get_settings().small_number_threshold)
        if lines and "\n".join(lines) != week.themes_summary:
            changes["themes_summary"] = [week.themes_summary, "\n".join(lines)]
            week.themes_summary = "\n".join(lines)
            filled.append("Key findings")
    if changes:
        week.lock_version += 1
        changelog.record(actor, "practice_week", week.id, "findings_drafted", changes)
    db.session.commit()
    return filled


def _clean_block(value, field: str, what: str) -> str:
    if not isinstance(value, str):
        raise FindingsError(f"Enter {what} as text", field)
    lines = [" ".join(line.split()) for line in clean_text(value).splitlines()]
    text = "\n".join(line for line in lines if line)
    if len(text) > TEXT_MAX:
        raise FindingsError(f"{what.capitalize()} must be {TEXT_MAX} characters or fewer", field)
    return text


def save_findings(
    week: PracticeWeek,
    *,
    headlines: dict[int, str],
    themes_summary: str,
    based_on: int,
    actor,
) -> PracticeWeek:
    """Save the edited headline findings (by focus area id) and key findings; commits.
    A stale save is refused (StaleFindings) without changing anything."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    _refuse_if_published(week)
    areas = {a.id: a for a in week.focus_areas}
    clean = {
        area_id: _clean_block(text, f"area_{area_id}", "the headline findings")
        for area_id, text in headlines.items()
        if area_id in areas
    }
    summary = _clean_block(themes_summary, "themes_summary", "the key findings")
    changes: dict = {}
    for area_id, text in clean.items():
        area = areas[area_id]
        if text != area.headlines:
            changes[f"area_{area.number}"] = [area.headlines, text]
            area.headlines = text
    if summary != week.themes_summary:
        changes["themes_summary"] = [week.themes_summary, summary]
        week.themes_summary = summary
    if changes:
        week.lock_version += 1
        changelog.record(actor, "practice_week", week.id, "findings_saved", changes)
    db.session.commit()
    return week


# ---- quick wins ---------------------------------------------------------------------------


def _clean_quick_win(week: PracticeWeek, description, owner, due_date, focus_area) -> dict:
    text = _clean_block(description or "", "description", "the quick win").replace("\n", " ")
    if not text:
        raise FindingsError("Enter the quick win", "description")
    if owner is not None and (not isinstance(owner, User) or not owner.active):
        raise FindingsError("Choose an owner from the list of active accounts", "owner")
    if due_date is not None and not EARLIEST <= due_date <= LATEST:
        raise FindingsError("Enter a date between 1900 and 2999", "due_date")
    if focus_area is not None and focus_area.week_id != week.id:
        raise FindingsError("Choose one of this week's focus areas", "focus_area")
    return {
        "description": text,
        "owner_id": owner.id if owner is not None else None,
        "due_date": due_date,
        "focus_area_id": focus_area.id if focus_area is not None else None,
    }


def _quick_win_snapshot(quick_win: QuickWin) -> dict:
    return {
        "number": quick_win.number,
        "description": quick_win.description,
        "owner_id": quick_win.owner_id,
        "due_date": quick_win.due_date.isoformat() if quick_win.due_date else None,
        "focus_area_id": quick_win.focus_area_id,
    }


def add_quick_win(
    week: PracticeWeek,
    *,
    description: str,
    owner: User | None,
    due_date: date | None,
    focus_area: FocusArea | None = None,
    actor,
) -> QuickWin:
    """A quick win numbered next; commits."""
    _refuse_if_published(week)
    clean = _clean_quick_win(week, description, owner, due_date, focus_area)
    number = (
        db.session.scalar(select(func.max(QuickWin.number)).where(QuickWin.week_id == week.id)) or 0
    ) + 1
    quick_win = QuickWin(week_id=week.id, number=number, **clean)
    db.session.add(quick_win)
    db.session.flush()
    changelog.record(
        actor, "practice_week", week.id, "quick_win_added", _quick_win_snapshot(quick_win)
    )
    db.session.commit()
    return quick_win


def update_quick_win(
    quick_win: QuickWin,
    *,
    description: str,
    owner: User | None,
    due_date: date | None,
    focus_area: FocusArea | None = None,
    based_on: str,
    actor,
) -> QuickWin:
    week = quick_win.week
    if based_on != quick_win_version(quick_win):
        raise StaleQuickWin(quick_win)
    _refuse_if_published(week)
    clean = _clean_quick_win(week, description, owner, due_date, focus_area)
    before = _quick_win_snapshot(quick_win)
    for name, value in clean.items():
        setattr(quick_win, name, value)
    changes = changelog.diff(before, _quick_win_snapshot(quick_win))
    if changes:
        changelog.record(
            actor,
            "practice_week",
            week.id,
            "quick_win_updated",
            {"quick_win": quick_win.number, **changes},
        )
    db.session.commit()
    return quick_win


def delete_quick_win(quick_win: QuickWin, *, based_on: str, actor) -> None:
    """Delete a quick win before publishing (not one already in the plan); the ones after it
    move up a number, so the list stays 1, 2, 3…; commits."""
    week = quick_win.week
    if based_on != quick_win_version(quick_win):
        raise StaleQuickWin(quick_win)
    _refuse_if_published(week)
    if quick_win.action_id is not None:
        raise FindingsError(
            "This quick win is already an action in the improvement plan: it cannot be deleted",
            "quick_win",
        )
    number = quick_win.number
    snapshot = _quick_win_snapshot(quick_win)
    db.session.delete(quick_win)
    db.session.flush()
    later = db.session.scalars(
        select(QuickWin)
        .where(QuickWin.week_id == week.id, QuickWin.number > number)
        .order_by(QuickWin.number)
    )
    for other in later:
        other.number -= 1
        db.session.flush()
    changelog.record(actor, "practice_week", week.id, "quick_win_deleted", snapshot)
    db.session.commit()
    db.session.expire(week, ["quick_wins"])


def quick_win_to_action(
    quick_win: QuickWin,
    plan: ImprovementPlan | None,
    *,
    actor,
    today: date,
    themes: list[str] | None = None,
) -> ImprovementAction:
    """Make the quick win an action in `plan` (source: this practice week; its owner, due date
    and description) and link it; refused if it already is one. One commit for both."""
    week = quick_win.week
    if quick_win.action_id is not None:
        existing = db.session.get(ImprovementAction, quick_win.action_id)
        where = f"action {existing.number} of {existing.plan.title}" if existing else "an action"
        raise FindingsError(f"Quick win {quick_win.number} is already {where}", "plan")
    if plan is None:
        raise FindingsError("Choose an improvement plan", "plan")
    action = create_action(
        plan,
        actor=actor,
        today=today,
        commit=False,
        description=quick_win.description,
        owner=quick_win.owner,
        due_date=quick_win.due_date,
        source_kind="practice_week",
        source_week=week,
        source_note=f"{week.name}: quick win {quick_win.number}"[:300],
        themes=list(themes or []),
    )
    quick_win.action_id = action.id
    changelog.record(
        actor,
        "practice_week",
        week.id,
        "quick_win_to_action",
        {"quick_win": quick_win.number, "plan": plan.id, "action": action.number},
    )
    db.session.commit()
    return action


def active_plans() -> list[ImprovementPlan]:
    return list(
        db.session.scalars(
            select(ImprovementPlan)
            .where(ImprovementPlan.status == "active")
            .order_by(ImprovementPlan.title)
        )
    )


def owner_choices() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active).order_by(User.display_name)))


# ---- publishing ---------------------------------------------------------------------------


def publish(week: PracticeWeek, *, based_on: int, actor, now: datetime | None = None) -> None:
    """Freeze the figures and publish the findings; commits."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    _refuse_if_published(week)
    now = now or utcnow()
    week.figures = live_figures(week, now=now)
    week.findings_status = FindingsStatus.PUBLISHED.value
    week.published_at = now
    week.published_by_id = getattr(actor, "id", None)
    week.lock_version += 1
    changelog.record(
        actor,
        "practice_week",
        week.id,
        "findings_published",
        {"activities_done": week.figures["activities_done"], "themes": len(week.figures["themes"])},
    )
    db.session.commit()


def redraft(week: PracticeWeek, *, based_on: int, actor) -> None:
    """Take published findings back to a draft (the frozen figures are dropped: the draft reads
    the live data again, and publishing freezes them anew); commits."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    if not is_published(week):
        raise FindingsError("The findings are already a draft", "week")
    week.findings_status = FindingsStatus.DRAFT.value
    week.figures = None
    week.published_at = None
    week.published_by_id = None
    week.lock_version += 1
    changelog.record(actor, "practice_week", week.id, "findings_redrafted", {})
    db.session.commit()


# ---- the report ---------------------------------------------------------------------------


def publication_figures(figures: dict, threshold: int) -> dict:
    """The publication tier of the figures: counts from 1 to threshold - 1 hidden (None), and
    where one of a theme's three counts is hidden, the next smallest too."""
    import copy

    out = copy.deepcopy(figures)
    hide = lambda v: hide_count(v, threshold)  # noqa: E731
    out["managers"] = hide(out["managers"])
    out["audits_completed"] = hide(out["audits_completed"])
    out["activities_done"] = hide(out["activities_done"])
    for counts in out["activities"].values():
        for key in counts:
            counts[key] = hide(counts[key])
    for area in out["focus_areas"]:
        area["activities_done"] = hide(area["activities_done"])
    for row in out["themes"]:
        marks = {m: hide(row[m]) for m in MARKS}
        hidden = [m for m, v in marks.items() if v is None]
        if len(hidden) == 1:
            shown = sorted((v, m) for m, v in marks.items() if v)
            if shown:
                marks[shown[0][1]] = None
        row.update(marks)
        for key in ("n", "audits_n", "observations_n"):
            row[key] = hide(row[key])
    comp = out.get("comparison")
    if comp:
        for item in comp["themes"]:
            item["now_n"], item["then_n"] = hide(item["now_n"]), hide(item["then_n"])
            if item["direction"] == "too_few":
                item["now"] = item["then"] = None
    out["suppression"] = {"threshold": threshold}
    return out


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
