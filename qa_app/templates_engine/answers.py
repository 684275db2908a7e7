"""Answers to a template version's questions, without a database: parsing what a person typed
(keeping it even when it is not yet valid), checking it on submit, showing it, suggesting theme
marks from it, and the limiting rule for the overall grade.

The same functions serve the web form, the API and imports, so all three agree."""

import datetime as dt
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qa_app.rules.control_characters import without_control_characters
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.content import iter_questions

BLOCK_MARKER = "__block__"  # the answer row that records a repeat block exists, and its label
YES_PARTLY_NO_LABELS = {
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "not_applicable": "Not applicable",
}
POSITIVE = {"yes"}
NEGATIVE = {"no", "partly"}


@dataclass
class Value:
    """One stored answer: what was typed (text) and, where it parsed, its typed form."""

    text: str | None = None
    number: float | None = None
    date: dt.date | None = None
    choices: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.text or "").strip() and not self.choices


@dataclass(frozen=True)
class Placed:
    """A question with where it sits: its section and, inside a repeat, the group's key."""

    section_key: str
    group_key: str
    question: dict[str, Any]


def field_name(question_key: str, group_key: str = "", block_index: int = 0) -> str:
    if group_key:
        return f"r__{group_key}__{block_index}__{question_key}"
    return f"q__{question_key}"


_FIELD = re.compile(
    r"^(?:q__(?P<q>[a-z][a-z0-9_]*)|r__(?P<g>[a-z][a-z0-9_]*)__(?P<i>\d+)__"
    r"(?P<rq>[a-z][a-z0-9_]*))$"
)


def parse_field_name(name: str) -> tuple[str, str, int] | None:
    """(question_key, group_key, block_index) for a field name, or None."""
    m = _FIELD.match(name)
    if not m:
        return None
    if m["q"]:
        return m["q"], "", 0
    return m["rq"], m["g"], int(m["i"])


def placed_questions(content: dict[str, Any]) -> dict[str, Placed]:
    """Every question of the version by key (keys are unique across the template)."""
    out = {}
    for section in content["template"]["sections"]:
        for q in section["questions"]:
            out[q["key"]] = Placed(section["key"], "", q)
            if q["type"] == "repeat":
                for inner in iter_questions(q["questions"]):
                    out[inner["key"]] = Placed(section["key"], q["key"], inner)
    return out


def scale_levels(content: dict[str, Any], scale_key: str) -> list[str]:
    return [lvl["key"] for lvl in content["scales"][scale_key]["levels"]]


def scale_label(content: dict[str, Any], scale_key: str, level_key: str | None) -> str:
    for lvl in content["scales"][scale_key]["levels"]:
        if lvl["key"] == level_key:
            label: str = lvl["label"]
            return label
    return level_key or ""


def parse(question: dict[str, Any], raw: object) -> Value:
    """Turn raw input (a string, a list for multiple choice, a (day, month, year) tuple for a
    date) into a Value. Never raises: what cannot be parsed is kept as text for the person."""
    kind = question["type"]
    if kind == "multiple_choice":
        items = raw if isinstance(raw, list | tuple) else ([raw] if raw else [])
        choices = [clean_text(str(c)) for c in items if clean_text(str(c)).strip()]
        return Value(text=",".join(choices) or None, choices=choices)
    if kind == "date":
        if isinstance(raw, date):
            return Value(text=raw.isoformat(), date=raw)
        if isinstance(raw, list | tuple):
            parts = [clean_text(str(p)).strip() for p in raw]
            text = "-".join(parts) if any(parts) else None
            parsed = _date_from_parts(parts)
        else:
            text = (clean_text(str(raw)).strip() or None) if raw is not None else None
            parsed = _date_from_text(text)
        return Value(text=parsed.isoformat() if parsed else text, date=parsed)
    text = None if raw is None else clean_text(str(raw)).strip() or None
    if kind == "number":
        return Value(text=text, number=_number(text))
    return Value(text=text)


def clean_text(text: str) -> str:
    """Text without control characters (other than tab and line breaks): they cannot be
    stored on PostgreSQL (NUL) or written to a spreadsheet."""
    return without_control_characters(text)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _date_from_parts(parts: list[str]) -> date | None:
    if len(parts) != 3:
        return None
    if any(len(p) > 4 for p in parts):
        return None
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day) if year >= 1900 else None
    except (ValueError, OverflowError):
        return None


def _date_from_text(text: str | None) -> date | None:
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return _date_from_parts([m[3], m[2], m[1]])
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        return _date_from_parts([m[1], m[2], m[3]])
    return None


def problem(content: dict[str, Any], question: dict[str, Any], value: Value | None) -> str | None:
    """Why this answer cannot be submitted, or None."""
    value = value or Value()
    kind = question["type"]
    if value.empty:
        if not question["required"]:
            return None
        return {
            "grade": "Choose a grade",
            "yes_partly_no": "Choose yes, partly or no",
            "single_choice": "Choose an option",
            "multiple_choice": "Choose at least one option",
            "date": "Enter a date",
        }.get(kind, "Answer this question")
    if kind == "grade" and value.text not in scale_levels(content, question["scale"]):
        return "Choose a grade from the scale"
    if kind == "yes_partly_no":
        allowed = ["yes", "partly", "no"] + (
            ["not_applicable"] if question["not_applicable"] else []
        )
        if value.text not in allowed:
            return "Choose yes, partly or no"
    if kind == "single_choice" and value.text not in {o["key"] for o in question["options"]}:
        return "Choose one of the options"
    if kind == "multiple_choice":
        unknown = set(value.choices) - {o["key"] for o in question["options"]}
        if unknown:
            return f"Unknown option: {', '.join(sorted(unknown))}"
    if kind == "number":
        if value.number is None:
            return "Enter a number, like 12"
        if question["integer"] and value.number != int(value.number):
            return "Enter a whole number"
        if question["min"] is not None and value.number < question["min"]:
            return f"Enter a number of at least {question['min']:g}"
        if question["max"] is not None and value.number > question["max"]:
            return f"Enter a number no more than {question['max']:g}"
    if kind == "date":
        if value.date is None:
            return "Enter a real date, like 27 3 2026"
        if value.date > uk_today():
            return "The date must be today or in the past"
    if kind == "text" and question["max_length"] and len(value.text or "") > question["max_length"]:
        return f"Use {question['max_length']} characters or fewer"
    return None


def display(content: dict[str, Any], question: dict[str, Any], value: Value | None) -> str:
    """An answer as a person reads it."""
    if value is None or value.empty:
        return ""
    kind = question["type"]
    text = value.text or ""
    if kind == "grade":
        return scale_label(content, question["scale"], value.text)
    if kind == "yes_partly_no":
        return YES_PARTLY_NO_LABELS.get(text, text)
    if kind in ("single_choice", "multiple_choice"):
        labels: dict[str, str] = {o["key"]: o["label"] for o in question["options"]}
        keys = value.choices if kind == "multiple_choice" else [text]
        return ", ".join(labels.get(k, k) for k in keys)
    if kind == "number":
        if value.number is None:
            return text
        unit = question.get("unit") or ""
        if value.number == 1 and unit.endswith("s"):  # units are plural: "1 month", "1 working day"
            unit = unit[:-1]
        return f"{value.number:g} {unit}".rstrip()
    if kind == "date":
        return value.date.strftime("%-d %B %Y") if value.date else text
    return text


def limiting_cap(
    content: dict[str, Any], section_grades: dict[str, str | None]
) -> tuple[str, list[str]] | None:
    """(best allowed overall level, titles of the sections that cap it), when the template's
    limiting rule applies and a limiting section has been graded; otherwise None."""
    template = content["template"]
    if not template["overall_grade"]["limiting_rule"]:
        return None
    levels = scale_levels(content, template["scale"])
    worst, titles = -1, []
    for section in template["sections"]:
        grade = section_grades.get(section["key"])
        if not section["limiting"] or grade not in levels:
            continue
        index = levels.index(grade)
        if index > worst:
            worst, titles = index, [section["title"]]
        elif index == worst:
            titles.append(section["title"])
    if worst <= 0:
        return None  # graded at the top of the scale: nothing is capped
    return levels[worst], titles


def overall_problem(
    content: dict[str, Any], overall: str | None, section_grades: dict[str, Any]
) -> str | None:
    levels = scale_levels(content, content["template"]["scale"])
    if overall not in levels:
        return "Choose an overall grade"
    cap = limiting_cap(content, section_grades)
    if cap and levels.index(overall) < levels.index(cap[0]):
        label = scale_label(content, content["template"]["scale"], cap[0])
        return (
            f"The overall grade can be no better than {label}, because "
            f"{' and '.join(cap[1])} {'was' if len(cap[1]) == 1 else 'were'} graded {label}"
        )
    return None


# The marks an audit gives a theme. "not_seen": the audit looked for it and did not find it;
# "not_assessed": the audit did not look at it (too few of its questions were answered), so
# it is left out of every count of the theme.
THEME_MARKS = ("strength", "development", "not_seen", "not_assessed")
THEME_MARK_LABELS = {
    "strength": "Strength",
    "development": "Area for development",
    "not_seen": "Not seen",
    "not_assessed": "Not assessed",
}
NOT_ASSESSED = "not_assessed"
SIGNAL_TYPES = ("yes_partly_no", "grade")  # the question types whose answer is good or weak


def theme_questions(content: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every question linked to each of the version's themes (inside repeat groups too)."""
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in content["themes"]}
    for section in content["template"]["sections"]:
        for q in iter_questions(section["questions"]):
            for theme in q.get("themes", []):
                out.setdefault(theme, []).append(q)
    return out


def _signal(content: dict[str, Any], question: dict[str, Any], value: Value) -> str | None:
    if question["type"] == "yes_partly_no":
        if value.text in POSITIVE:
            return "strength"
        if value.text in NEGATIVE:
            return "development"
    elif question["type"] == "grade" and value.text in scale_levels(content, question["scale"]):
        levels = scale_levels(content, question["scale"])
        return "strength" if value.text in levels[: max(1, len(levels) // 2)] else "development"
    return None


def suggest_theme_marks(
    content: dict[str, Any], answers: list[tuple[dict[str, Any], Value]]
) -> dict[str, str]:
    """Suggested mark per theme, only from the answers to the questions linked to it.

    A theme is assessed when a question mainly about it (one that names it first among its
    themes) was answered, or at least half of the yes/partly/no and grade questions linked to
    it were; otherwise it is "not assessed", however the audit's other questions were
    answered. So an answer about agency checks, which names fathers second, does not make
    "fathers included" a strength of an audit that asked nothing about fathers. An assessed
    theme is an area for development when any of its answers is weak (no, partly, the worse
    half of a grade scale), otherwise a strength when any is strong, otherwise not seen.
    On a grade question, the better half of the scale (e.g. outstanding, good) is strong."""
    answered: dict[str, set[str]] = {}  # theme -> keys of its questions answered
    mainly: set[str] = set()  # themes a question mainly about them was answered for
    signals: dict[str, set[str]] = {}
    for question, value in answers:
        if value is None or value.empty:
            continue
        signal = _signal(content, question, value)
        for i, theme in enumerate(question.get("themes", [])):
            answered.setdefault(theme, set()).add(question["key"])
            if i == 0:
                mainly.add(theme)
            if signal:
                signals.setdefault(theme, set()).add(signal)
    marks = {}
    for theme, questions in theme_questions(content).items():
        keys = {q["key"] for q in questions if q["type"] in SIGNAL_TYPES}
        done = answered.get(theme, set())
        assessed = theme in mainly or (bool(keys) and 2 * len(keys & done) >= len(keys))
        if not assessed:
            marks[theme] = NOT_ASSESSED
        elif "development" in signals.get(theme, ()):
            marks[theme] = "development"
        elif "strength" in signals.get(theme, ()):
            marks[theme] = "strength"
        else:
            marks[theme] = "not_seen"
    return marks
