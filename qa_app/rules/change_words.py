"""The change log as people read it: the one place that turns what the change log stores (field
keys such as `owner_id`, values such as `at_risk` or `2027-01-16`) into the labels the pages use
("Owner", "At risk", "16 January 2027"). Every history page (an audit's, an improvement
action's) writes its changes through `change_lines`; names that live in the database (owners,
themes) come in as `lookups`, keyed by field."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qa_app.models.improvement import ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS
from qa_app.rules.uk_time import uk_date, uk_datetime

FIELD_LABELS = {
    "status": "Status",
    "owner_id": "Owner",
    "due_date": "Due date",
    "started_on": "Started",
    "completed_on": "Completed",
    "priority_id": "Priority",
    "description": "Description",
    "expected_outcome": "Expected outcome",
    "themes": "Themes",
    "source_kind": "Source",
    "source_note": "Source note",
    "source_cycle_id": "Source cycle",
    "source_week_id": "Source practice week",
    "title": "Title",
    "starts_on": "Starts",
    "ends_on": "Ends",
    "note": "Progress note",
    "auditor": "Auditor",
}
VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "status": {str(k): v for k, v in ACTION_STATUS_LABELS.items()},
    "source_kind": {str(k): v for k, v in ACTION_SOURCE_LABELS.items()},
}
ACTION_WORDS = {
    "created": "Created",
    "updated": "Changed",
    "progress": "Progress update",
    "priority_added": "Priority added",
    "priority_updated": "Priority changed",
}
BLANK = "none"
HIDDEN_FIELDS = frozenset({"update", "plan", "lock_version"})  # ids the page shows otherwise


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str


def field_label(key: str) -> str:
    """ "owner_id" -> "Owner"; a field no one named, in words: "review_date" -> "Review date"."""
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    return key.removesuffix("_id").replace("_", " ").strip().capitalize()


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def value_text(key: str, value: Any, lookups: Mapping[str, Mapping[Any, Any]] | None = None) -> str:
    """A stored value as the page shows it: a label for a key, a date in words, a name for an
    id (from `lookups[key]`), "none" for nothing."""
    if value is None or value == "" or value == []:
        return BLANK
    if isinstance(value, list | tuple):
        return ", ".join(value_text(key, v, lookups) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    table = (lookups or {}).get(key) or VALUE_LABELS.get(key)
    if table is not None and value in table:
        return str(table[value])
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, str):
        return _date_words(value)
    return str(value)


def _date_words(text: str) -> str:
    """ISO dates and times written as the pages write dates; any other text unchanged."""
    try:
        if len(text) == 10:
            return uk_date(date.fromisoformat(text))
        if len(text) > 10 and text[10] == "T":
            return uk_datetime(datetime.fromisoformat(text))
    except ValueError:
        return text
    return text


def change_lines(
    changes: Mapping[str, Any] | None, lookups: Mapping[str, Mapping[Any, Any]] | None = None
) -> list[ChangeLine]:
    """The changes of one entry that went from one value to another ([old, new] pairs), as
    label, old and new text."""
    lines = []
    for key, change in (changes or {}).items():
        if key in HIDDEN_FIELDS or not isinstance(change, list | tuple) or len(change) != 2:
            continue
        old, new = change
        old_text, new_text = value_text(key, old, lookups), value_text(key, new, lookups)
        lines.append(ChangeLine(field_label(key), old_text, new_text))
    return lines
