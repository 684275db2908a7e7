"""An audit's history as people read it: each change-log entry with who, what, and every answer
that changed, named by its question and written as the audit page writes it (option labels,
grades on the template's scale, theme marks, dates in words), never the stored keys."""

from qa_app.audits.view_model import STATUS_LABELS, label_for
from qa_app.data.bulk_assignment import people_named
from qa_app.data.users import get_user
from qa_app.rules.change_words import value_text
from qa_app.templates_engine.answers import (
    THEME_MARK_LABELS,
    display,
    parse,
    parse_field_name,
    placed_questions,
    scale_label,
)

ACTION_WORDS = {
    "created": "Audit created",
    "section_saved": "Section saved",
    "block_added": "Block added",
    "block_removed": "Block removed",
    "themes_saved": "Theme marks saved",
    "overall_saved": "Overall judgement saved",
    "submitted": "Submitted",
    "assigned": "Assigned",
    "unassigned": "Unassigned",
    "moderated": "Moderated",
}
BLANK = "(blank)"


def _auditor_words(action: str, old: str | None, new: str | None, known: dict[str, str]) -> str:
    """An assignment as people say it: "Assigned to Demo Auditor (was nobody)"."""
    was = known.get(old, old) if old else "nobody"
    if action == "unassigned" or not new:
        return f"Unassigned (was {was})"
    return f"Assigned to {known.get(new, new)} (was {was})"


def history_rows(content: dict, entries) -> list[dict]:
    names = {}
    rows = []
    entries = list(entries)
    usernames = {
        who
        for entry in entries
        for who in (entry.changes or {}).get("auditor") or ()
        if isinstance(who, str)
    }
    known = people_named(usernames) if usernames else {}
    for entry in entries:
        if entry.user_id and entry.user_id not in names:
            user = get_user(entry.user_id)
            names[entry.user_id] = user.display_name if user else f"account {entry.user_id}"
        fields = (entry.changes or {}).get("fields") or {}
        what = ACTION_WORDS.get(entry.action, entry.action.replace("_", " ").capitalize())
        auditor = (entry.changes or {}).get("auditor")
        if isinstance(auditor, list) and len(auditor) == 2:
            what = _auditor_words(entry.action, auditor[0], auditor[1], known)
        rows.append(
            {
                "at": entry.at,
                "who": names.get(entry.user_id, "System"),
                "what": what,
                "version": (entry.changes or {}).get("version"),
                # one of many changed at once (cycles' bulk pages): the page links to it
                "batch": (entry.changes or {}).get("batch"),
                "changes": [
                    (
                        label_for(content, name),
                        answer_text(content, name, old),
                        answer_text(content, name, new),
                    )
                    for name, (old, new) in fields.items()
                ],
            }
        )
    return rows


def answer_text(content: dict, name: str, raw) -> str:
    """A stored answer (or grade, theme mark, status) of field `name` as the audit page shows
    it: "Requires improvement to be good", not "requires_improvement"."""
    if raw is None or raw == "":
        return BLANK
    parsed = parse_field_name(name)
    placed = placed_questions(content)
    if parsed and parsed[0] in placed:
        question = placed[parsed[0]].question
        if question["type"] == "multiple_choice" and isinstance(raw, str):
            raw = raw.split(",")
        return display(content, question, parse(question, raw)) or str(raw)
    scale = content["template"]["scale"]
    if name.startswith("grade:") or name in ("overall_grade", "section_grade"):
        return scale_label(content, scale, str(raw))
    if name.startswith("theme__") or name in content["themes"]:
        return THEME_MARK_LABELS.get(str(raw), str(raw))
    if name == "status":
        return STATUS_LABELS.get(raw, str(raw))
    return value_text(name, raw)
