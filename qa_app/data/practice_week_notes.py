"""The case free text of a practice week: what observers and shadowers said could be better,
and what families and staff said (only where they consented). It is case-level, so only the
internal tier of the week's report shows it (practice_week_tiers.tier_figures drops it
below); the QA lead writes the headline findings from it in their own words. Anything shaped
like a case reference is taken out."""

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Activity, ActivityKind, ActivityStatus, PracticeWeek
from qa_app.templates_engine.answers import clean_text, placed_questions

LINE_MAX = 300
OBSERVED_KINDS = (ActivityKind.OBSERVE_MEETING.value, ActivityKind.SHADOW.value)
# Questions of an observation template whose answers say what could be better.
BETTER = re.compile(r"better|improv", re.IGNORECASE)
TEXT_TYPES = {"text", "long_text", "textarea", "short_text"}


def _done(week: PracticeWeek, kinds: Iterable[str]) -> list[Activity]:
    return list(
        db.session.scalars(
            select(Activity)
            .where(
                Activity.week_id == week.id,
                Activity.status == ActivityStatus.DONE,
                Activity.kind.in_(kinds),
            )
            .order_by(Activity.scheduled_on, Activity.id)
        )
    )


def scrub(text: str) -> str:
    """One line of free text, with anything shaped like a case reference taken out."""
    pattern = get_settings().case_reference_pattern
    line = " ".join(clean_text(text or "").split())
    try:
        line = re.sub(rf"(?<![0-9A-Za-z]){pattern}(?![0-9A-Za-z])", "[case]", line)
    except re.error:
        pass
    return line[:LINE_MAX].rstrip()


def better_answers(activity: Activity) -> list[str]:
    """What an observer or shadower said could be better (the template's free-text questions
    about improving), each scrubbed of case references."""
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
            out.append(scrub(value))
    return out


def notes(week: PracticeWeek) -> dict[str, list[dict[str, Any]]]:
    """The case free text of the week, for the internal tier only: what observers said could be
    better (by focus area) and what families and staff said, where they consented."""
    better = [
        {"focus_area_id": a.focus_area_id, "text": text}
        for a in _done(week, OBSERVED_KINDS)
        for text in better_answers(a)
    ]
    heard = [
        {
            "focus_area_id": a.focus_area_id,
            "participant": a.participant or "",
            "text": scrub(a.summary),
        }
        for a in _done(week, (ActivityKind.CONVERSATION.value,))
        if a.consent_given and (a.summary or "").strip()
    ]
    return {"better": better, "heard": heard}
