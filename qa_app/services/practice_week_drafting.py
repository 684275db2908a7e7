"""Drafting a practice week's findings from its figures and publishing them: the headline
findings of each focus area and the key findings drafted from the data, and publishing, which
freezes the week's figures (`PracticeWeek.figures`, from practice_week_figures.live_figures) so
the published report never changes when later audits arrive. The findings' text and state
(saving the QA lead's edits, taking them back to a draft) are qa_app.data.practice_week_findings.

The findings are published to one audience (qa_app.findings.audiences): internal (the service
only), partnership (board viewers read the partnership tier too) or public (as well, a public
tier for the council's website). It is kept with the frozen figures (`figures["audience"]`).
Beyond the service, publishing is refused while the written findings or quick wins hold a case
reference; to the public, also while they state a count the public tier hides."""

import re
from datetime import datetime

from sqlalchemy import select

from qa_app.data import changelog, notification_events
from qa_app.data.organisation import get_settings
from qa_app.data.practice_week_findings import (
    FindingsError,
    StaleFindings,
    refuse_if_published,
)
from qa_app.extensions import db
from qa_app.findings.audiences import Audience, rules_for
from qa_app.models import (
    Activity,
    ActivityStatus,
    FindingsStatus,
    FocusArea,
    PracticeWeek,
    utcnow,
)
from qa_app.services.practice_week_figures import (
    OBSERVED_KINDS,
    live_figures,
    observation_theme_counts,
    theme_names,
    week_themes,
)
from qa_app.services.practice_week_tiers import suppressed_figures
from qa_app.services.publication_check import week_problems

MARK_WORDS = {"strength": "a strength", "development": "an area for development"}


class FindingsRefused(FindingsError):
    """The findings' text holds what looks like an identifier: `problems` lists the places
    (qa_app.services.publication_check.Problem); nothing was published."""

    def __init__(self, problems: list):
        super().__init__(
            "The findings cannot be published until the text is fixed: each place listed holds "
            "what looks like a case reference or another identifier",
            "week",
        )
        self.problems = problems


# ---- drafting -----------------------------------------------------------------------------


def draft_headlines(week: PracticeWeek, area: FocusArea) -> list[str]:
    """Editable lines for one focus area, from its completed observations: the themes most
    often marked a strength and an area for development. No counts (the report states the
    area's figures itself, from the figures of each audience's tier, so text and tables always
    agree), no case references, no names and no case free text (what observers wrote is shown
    to the QA lead beside the box, to write the findings from in their own words)."""
    done = list(
        db.session.scalars(
            select(Activity).where(
                Activity.week_id == week.id,
                Activity.focus_area_id == area.id,
                Activity.status == ActivityStatus.DONE,
                Activity.kind.in_(OBSERVED_KINDS),
            )
        )
    )
    names = theme_names()
    marks = observation_theme_counts(done)
    lines = []
    for mark in ("strength", "development"):
        ranked = sorted(
            ((n, names.get(k, k)) for (k, m), n in marks.items() if m == mark),
            key=lambda x: (-x[0], x[1]),
        )
        if ranked and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            lines.append(f"{ranked[0][1]} was most often seen as {MARK_WORDS[mark]}")
    return lines


def _leads(row: dict, mark: str, other: str) -> bool:
    if mark == "strength":
        return row["strength"] * 2 > row["n"]
    return row["development"] > row["strength"] and row["development"] >= row["not_seen"]


def draft_summary(themes: list[dict], top: int = 3, min_n: int = 5) -> list[str]:
    """Key findings for the themes, in words without counts (the report gives each theme's
    figures beside them, from the audience's tier): the themes most often a strength and most
    often an area for development. Themes marked fewer than `min_n` times are left out (2 of 2
    says little); a theme as often one as the other is neither."""
    lines = []
    for mark, other, words in (
        ("strength", "development", "is a strength in most audits and observations"),
        ("development", "strength", "is most often an area for development"),
    ):
        ranked = sorted(
            (r for r in themes if r["n"] >= min_n and _leads(r, mark, other)),
            key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
        )
        lines += [f"{r['name']} {words}" for r in ranked[:top]]
    return lines


def _text_places(week: PracticeWeek) -> list[tuple[str, str]]:
    """(where, line) for every line of the week's written findings and quick wins."""
    places = []
    for area in week.focus_areas:
        for n, line in enumerate(area.headlines.splitlines(), start=1):
            places.append((f"headline findings of area {area.number}, line {n}", line))
    for n, line in enumerate(week.themes_summary.splitlines(), start=1):
        places.append((f"key findings, line {n}", line))
    for q in week.quick_wins:
        places.append((f"quick win {q.number}", q.description))
    return places


def hidden_values(figures: dict, threshold: int) -> set[int]:
    """The counts the public tier hides (small ones and those hidden with them)."""
    hidden: set[int] = set()

    def walk(full, shown):
        if isinstance(full, dict):
            for key, value in full.items():
                walk(value, shown.get(key) if isinstance(shown, dict) else None)
        elif isinstance(full, list):
            for i, value in enumerate(full):
                walk(value, shown[i] if isinstance(shown, list) and i < len(shown) else None)
        elif isinstance(full, int) and not isinstance(full, bool) and full and shown is None:
            hidden.add(full)

    walk({k: v for k, v in figures.items() if k != "notes"}, suppressed_figures(figures, threshold))
    return hidden


def text_problems(week: PracticeWeek, figures: dict, audience: Audience) -> list[str]:
    """Why the written findings cannot go to `audience`, naming each place: for the public, a
    number the public tier hides. (Case references and other identifiers are refused before
    this, below the internal tier: qa_app.services.publication_check.)"""
    if audience == Audience.INTERNAL:
        return []
    rules = rules_for(audience, get_settings())
    hidden = hidden_values(figures, rules.threshold) if rules.suppresses else set()
    problems = []
    for where, line in _text_places(week):
        stated = {int(n) for n in re.findall(r"(?<![\d.,:/])\d{1,6}(?!\d|[.,]\d|[:/%])", line)}
        if stated & hidden:
            numbers = ", ".join(str(n) for n in sorted(stated & hidden))
            problems.append(
                f"The {where} states {numbers}, which the public report hides (counts under "
                f"{rules.threshold}, and any that would give one away): reword it without the "
                "count, or publish to the partnership."
            )
    return problems


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


# ---- publishing -----------------------------------------------------------------------------


def publish(
    week: PracticeWeek,
    *,
    based_on: int,
    actor,
    audience: str = Audience.PARTNERSHIP,
    now: datetime | None = None,
) -> None:
    """Freeze the figures and publish the findings to `audience` (internal: the service only;
    partnership: the board and scrutiny too; public: also for the council's website); commits.
    Publishing beyond the service is refused while the text names a case (a case reference);
    to the public, also while it states a count the public tier hides."""
    if based_on != week.lock_version:
        raise StaleFindings(week)
    refuse_if_published(week)
    try:
        audience = Audience(audience)
    except ValueError:
        raise FindingsError("Choose who to publish the findings to", "audience") from None
    if audience != Audience.INTERNAL and (problems := week_problems(week)):
        raise FindingsRefused(problems)
    now = now or utcnow()
    figures = live_figures(week, now=now)
    wording = text_problems(week, figures, audience)
    if wording:
        raise FindingsError("Not published. " + " ".join(wording), "audience")
    figures["audience"] = audience.value
    week.figures = figures
    week.findings_status = FindingsStatus.PUBLISHED.value
    week.published_at = now
    week.published_by_id = getattr(actor, "id", None)
    week.lock_version += 1
    changelog.record(
        actor,
        "practice_week",
        week.id,
        "findings_published",
        {
            "audience": audience.value,
            "activities_done": week.figures["activities_done"],
            "themes": len(week.figures["themes"]),
        },
    )
    notification_events.findings_published(week, audience=audience.value, actor=actor)
    db.session.commit()
