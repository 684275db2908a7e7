"""Demo answers that keep the template's checks between answers: no more visits in timescale
than were due, no assessment completed before it started (the demo must not show an auditor
a contradiction the form itself would refuse), and the answer a `required_if` check demands is
there (a text question: the only kind the shipped templates require so; another kind is left)."""

from datetime import date
from typing import Any

from qa_app.templates_engine.answers import field_name, parse_field_name

REQUIRED_TEXT = "Recorded in the case notes; see the latest entry for the reasons."
SYNTHETIC_TEXT = "Synthetic evidence text: the reasons are in the latest case note."


def _texts(section: dict[str, Any]) -> set[str]:
    """The keys of a section's text questions (in repeat groups too)."""
    out = set()
    for q in section["questions"]:
        inner = q["questions"] if q["type"] == "repeat" else [q]
        out |= {i["key"] for i in inner if i["type"] == "text"}
    return out


def _chosen(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v for v in str(value or "").split(",") if v]


def _indices(keys, group: str) -> set[int]:
    return {i for g, i, _ in keys if g == group} if group else {0}


def consistent_rows(sections: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Answer rows (as the synthetic history inserts them) changed in place to pass every
    at_most, dates_in_order and required_if check; a later date is never after the earlier
    one's audit."""
    by_key = {(r["group_key"], r["block_index"], r["question_key"]): r for r in rows}
    for section in sections:
        for check in section.get("checks", []):
            group = check.get("group", "")
            for index in _indices(by_key, group):

                def row(key: str, index: int = index, group: str = group) -> dict | None:
                    return by_key.get((group, index, key))

                if check["kind"] == "at_most":
                    a, b = row(check["question"]), row(check["limit"])
                    if a and b and a["value_number"] > b["value_number"]:
                        a["value_number"], a["value_text"] = b["value_number"], b["value_text"]
                elif check["kind"] == "dates_in_order":
                    a, b = row(check["first"]), row(check["then"])
                    if a and b and b["value_date"] < a["value_date"]:
                        for name in ("value_date", "value_text"):
                            a[name], b[name] = b[name], a[name]
                elif check["kind"] == "required_if" and check["question"] in _texts(section):
                    when, needed = row(check["when"]["question"]), row(check["question"])
                    if when and check["when"]["is"] in _chosen(when["value_text"]):
                        if needed is None:
                            needed = dict(when, question_key=check["question"], value_choices=None)
                            needed.update(value_text=None, value_number=None, value_date=None)
                            rows.append(needed)
                            by_key[(group, index, check["question"])] = needed
                        needed["value_text"] = needed["value_text"] or SYNTHETIC_TEXT


def consistent_raw(sections: list[dict[str, Any]], raw: dict[str, Any]) -> None:
    """What the demo types into a section's form (numbers as text, dates as [day, month,
    year]) changed in place to pass every at_most, dates_in_order and required_if check."""
    by_key = {}
    for field in raw:
        parsed = parse_field_name(field)
        if parsed:
            by_key[(parsed[1], parsed[2], parsed[0])] = field
    for section in sections:
        for check in section.get("checks", []):
            group = check.get("group", "")
            for index in _indices(by_key, group):

                def name(key: str, index: int = index, group: str = group) -> str | None:
                    return by_key.get((group, index, key))

                if check["kind"] == "at_most":
                    a, b = name(check["question"]), name(check["limit"])
                    if a and b and int(raw[a]) > int(raw[b]):
                        raw[a] = raw[b]
                elif check["kind"] == "dates_in_order":
                    a, b = name(check["first"]), name(check["then"])
                    if a and b and _day(raw[b]) < _day(raw[a]):
                        raw[a], raw[b] = raw[b], raw[a]
                elif check["kind"] == "required_if" and check["question"] in _texts(section):
                    when = name(check["when"]["question"])
                    if when and check["when"]["is"] in _chosen(raw[when]):
                        needed = field_name(check["question"], group, index if group else 0)
                        if not str(raw.get(needed) or "").strip():
                            raw[needed] = REQUIRED_TEXT


def _day(parts: list[str]) -> date:
    day, month, year = (int(p) for p in parts)
    return date(year, month, day)
