"""A practice week's findings: drafting the headline findings of each focus area and the key
findings from the data, saving the QA lead's edits, and publishing them (or taking them back
to a draft).

Publishing freezes the week's figures (`PracticeWeek.figures`, from
practice_week_figures.live_figures) so the published report never changes when later audits
arrive. After publishing, the text and the quick wins are read-only until the QA lead redrafts
the findings (which clears the frozen figures); turning a quick win into an action stays open,
because the improvement plan lives on after the week."""

import re
from collections import Counter
from datetime import datetime

from sqlalchemy import select

from qa_app.data import changelog
from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_figures import (
    KINDS,
    OBSERVED_KINDS,
    live_figures,
    observation_theme_counts,
    share,
    theme_names,
    week_themes,
)
from qa_app.data.publication_check import week_problems
from qa_app.extensions import db
from qa_app.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    FindingsStatus,
    FocusArea,
    PracticeWeek,
    utcnow,
)
from qa_app.templates_engine.answers import clean_text, placed_questions

MARK_WORDS = {"strength": "a strength", "development": "an area for development"}
TEXT_MAX = 4000
LINE_MAX = 300
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


class FindingsRefused(FindingsError):
    """The findings' text holds what looks like an identifier: `problems` lists the places
    (qa_app.data.publication_check.Problem); nothing was published."""

    def __init__(self, problems: list):
        super().__init__(
            "The findings cannot be published until the text is fixed: each place listed holds "
            "what looks like a case reference or another identifier",
            "week",
        )
        self.problems = problems


class StaleFindings(Exception):
    """The week's findings changed since the page was read."""

    def __init__(self, week: PracticeWeek):
        super().__init__(
            "Someone else changed these findings since you opened the page. Your text is "
            "kept below: compare it with the saved version (reload the page in another tab), "
            "then save again."
        )
        self.week = week


# ---- reading ------------------------------------------------------------------------------


def is_published(week: PracticeWeek) -> bool:
    return week.findings_status == FindingsStatus.PUBLISHED


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
    marks = observation_theme_counts([a for a in done if a.kind in OBSERVED_KINDS])
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
                f"({share(r, mark)}%) audits and observations"
            )
    return lines


def refuse_if_published(week: PracticeWeek) -> None:
    """Raise FindingsError if the findings are published (text and quick wins are then
    read-only)."""
    if is_published(week):
        raise FindingsError(
            "The findings are published and cannot be changed. Redraft them first.", "week"
        )


def fill_drafts(week: PracticeWeek, *, based_on: int, actor, overwrite: bool = False) -> list[str]:
    """Fill the headline findings of each focus area and the key findings from the data: only
    where they are empty, unless `overwrite`. Returns what was filled; commits."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    refuse_if_published(week)
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


def clean_block(value, field: str, what: str) -> str:
    """Typed text as clean, non-empty lines of single-spaced words, at most TEXT_MAX long."""
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
    refuse_if_published(week)
    areas = {a.id: a for a in week.focus_areas}
    clean = {
        area_id: clean_block(text, f"area_{area_id}", "the headline findings")
        for area_id, text in headlines.items()
        if area_id in areas
    }
    summary = clean_block(themes_summary, "themes_summary", "the key findings")
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


# ---- publishing ---------------------------------------------------------------------------


def publish(week: PracticeWeek, *, based_on: int, actor, now: datetime | None = None) -> None:
    """Freeze the figures and publish the findings; commits. Refused (FindingsRefused) while
    any text the report shows holds what looks like an identifier: readers of findings, board
    viewers among them, read it once published."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    refuse_if_published(week)
    if problems := week_problems(week):
        raise FindingsRefused(problems)
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
