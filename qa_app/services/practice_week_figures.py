"""A practice week's figures: the activities done (by kind and by focus area), the audit
themes, the comparison with the previous week, and what the observers and the families and
staff said.

The week's themes add up two sources, theme by theme: the theme marks of the completed audits
in the week's cycle (read through the findings engine's grouped query) and the theme marks of
the observation and shadowing activities recorded as done. Each row says how many marks came
from each.

Publishing the findings freezes these figures (`PracticeWeek.figures`, see
practice_week_drafting.publish) so the published report never changes when later audits
arrive. The previous week (to compare with) is the latest week that started before this one
and has published findings, read from its frozen figures; when no earlier week is published,
the latest earlier week's live figures are used, and the comparison says so.

Each audience's tier of these figures is practice_week_tiers.tier_figures."""

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from qa_app.data import practice_week_activities, practice_week_notes
from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_records import PARTICIPANTS
from qa_app.extensions import db
from qa_app.findings import present, queries
from qa_app.findings.filters import Filters
from qa_app.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Audit,
    FindingsStatus,
    PracticeWeek,
    Theme,
    utcnow,
)

SCHEMA = 2  # 2: focus areas by kind, conversations, notes, strength counts compared
MARKS = ("strength", "development", "not_seen")
MOVED_BY = 10  # percentage points: a strength share that changed this much "moved"
KINDS = [k.value for k in ActivityKind]
STATES = [s.value for s in ActivityStatus]
OBSERVED_KINDS = (ActivityKind.OBSERVE_MEETING.value, ActivityKind.SHADOW.value)


# ---- the week's figures -------------------------------------------------------------------


def theme_names() -> dict[str, str]:
    """Every theme's name by key, retired themes too (a week's marks may name one)."""
    return dict(db.session.execute(select(Theme.key, Theme.name)).all())


def activity_counts(week: PracticeWeek) -> dict[str, dict[str, int]]:
    """{kind: {done, planned, cancelled, total}} for every kind, in one grouped query."""
    out = {}
    for kind, by_status in practice_week_activities.activity_counts(week.id).items():
        counts = dict.fromkeys([*STATES, "total"], 0)
        for status, n in by_status.items():
            counts[status] = counts.get(status, 0) + n
            counts["total"] += n
        out[kind] = counts
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


def observation_theme_counts(activities: list[Activity]) -> dict[tuple[str, str], int]:
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
    observed = observation_theme_counts(_done_observations(week))
    names = theme_names()
    # a theme only ever marked "not assessed" is not a theme of the week
    keys = {k for k, m in audits if m in MARKS} | {k for k, _ in observed}
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
    return db.session.execute(
        select(func.count(Audit.id)).where(
            Audit.cycle_id == week.cycle_id, Audit.status.in_(queries.COMPLETED)
        )
    ).scalar_one()


def share(row: dict, mark: str = "strength") -> int | None:
    """The share of a theme row's marks that are `mark`, as a whole percentage."""
    return present.percent_value(row.get(mark), row.get("n"))


def _done_by_area(week: PracticeWeek) -> dict[int | None, dict[str, int]]:
    """{focus area id or None: {kind: activities done}} in one grouped query."""
    out: dict[int | None, dict[str, int]] = {}
    rows = db.session.execute(
        select(Activity.focus_area_id, Activity.kind, func.count())
        .where(Activity.week_id == week.id, Activity.status == ActivityStatus.DONE)
        .group_by(Activity.focus_area_id, Activity.kind)
    )
    for area_id, kind, n in rows:
        out.setdefault(area_id, dict.fromkeys(KINDS, 0))[kind] = int(n)
    return out


def _conversations(week: PracticeWeek) -> list[Activity]:
    return list(
        db.session.scalars(
            select(Activity)
            .where(
                Activity.week_id == week.id,
                Activity.status == ActivityStatus.DONE,
                Activity.kind == ActivityKind.CONVERSATION.value,
            )
            .order_by(Activity.scheduled_on, Activity.id)
        )
    )


def live_figures(week: PracticeWeek, *, now: datetime | None = None, compare=True) -> dict:
    """The week's figures from the data as it is now (what publishing freezes)."""
    now = now or utcnow()
    activities = activity_counts(week)
    themes = week_themes(week)
    by_area = _done_by_area(week)
    empty = dict.fromkeys(KINDS, 0)
    known = {a.id for a in week.focus_areas}
    participants = Counter(a.participant or "other" for a in _conversations(week))
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
                "activities_done": sum(by_area.get(a.id, empty).values()),
                "done_by_kind": dict(by_area.get(a.id, empty)),
            }
            for a in week.focus_areas
        ],
        # Activities done with no focus area: the areas' counts and this add up to the total.
        "no_area_done": sum(sum(k.values()) for i, k in by_area.items() if i not in known),
        "conversations": {k: participants.get(k, 0) for k in (*PARTICIPANTS, "other")},
        "themes": themes,
        "notes": practice_week_notes.notes(week),
    }
    figures["comparison"] = comparison(week, themes) if compare else None
    return figures


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
        assert before_week.figures is not None  # previous_week publishes only frozen figures
        before = before_week.figures.get("themes", [])
    else:
        before = week_themes(before_week)
    then = {r["key"]: r for r in before}
    rows = []
    for row in themes:
        old = then.get(row["key"])
        if old is None:
            continue
        now_share, then_share = share(row), share(old)
        item = {
            "key": row["key"],
            "name": row["name"],
            "now": now_share,
            "then": then_share,
            "now_n": row["n"],
            "then_n": old["n"],
            "now_strength": row["strength"],
            "then_strength": old.get("strength"),
            "change": None,
            "direction": "too_few",
        }
        if (
            row["n"] >= threshold
            and old["n"] >= threshold
            and now_share is not None
            and then_share is not None
        ):
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
    care = (
        "; read with care, the weeks' samples differ a lot in size"
        if present.uneven(item["now_n"], item["then_n"], small_sample=0)
        else ""
    )
    return (
        f"{item['name']}: a strength in {item['now']}% (n={_n(item['now_n'])}), "
        f"{word} from {item['then']}% (n={_n(item['then_n'])}){care}"
    )


def _n(value) -> str:
    return "hidden" if value is None else str(value)
