"""A practice week's findings as the QA lead writes them: saving the headline findings of each
focus area and the key findings, whether they are published and to whom, and taking published
findings back to a draft. Drafting them from the data and publishing them are
qa_app.services.practice_week_drafting.

After publishing, the text and the quick wins are read-only until the QA lead redrafts the
findings (which clears the frozen figures); turning a quick win into an action stays open,
because the improvement plan lives on after the week."""

from typing import Any

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import FindingsStatus, PracticeWeek, ReportAudience, User
from qa_app.templates_engine.answers import clean_text

TEXT_MAX = 4000
LINE_MAX = 300


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


# ---- reading ------------------------------------------------------------------------------


def is_published(week: PracticeWeek) -> bool:
    return week.findings_status == FindingsStatus.PUBLISHED


def refuse_if_published(week: PracticeWeek) -> None:
    """Raise FindingsError if the findings are published (text and quick wins are then
    read-only)."""
    if is_published(week):
        raise FindingsError(
            "The findings are published and cannot be changed. Redraft them first.", "week"
        )


def clean_block(value: object, field: str, what: str) -> str:
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
    actor: User | None,
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
    changes: dict[str, Any] = {}
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


# ---- published, or a draft again ----------------------------------------------------------


def published_audience(week: PracticeWeek) -> ReportAudience | None:
    """Who the findings are published to, or None while they are a draft. Findings published
    before audiences were chosen went to the readers of findings, board viewers among them:
    the partnership."""
    if not is_published(week):
        return None
    return ReportAudience((week.figures or {}).get("audience") or ReportAudience.PARTNERSHIP)


def redraft(week: PracticeWeek, *, based_on: int, actor: User | None) -> None:
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
