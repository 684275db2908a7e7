"""The answer pool of the fast benchmark generator (benchmarks/generate.py): for each template
version and each level of its scale, a few hundred whole audits (section grades, every answer,
theme marks) drawn exactly as the demo's synthetic history draws one audit
(qa_app.demo.synthetic_answers), rendered ONCE as PostgreSQL COPY text and as SQLite rows with
the audit id left blank. Each generated audit then takes one entry of its template and drawn
level, so writing a million audits' 48 million answers is a string join per audit, not 48
Python dicts.

What is shared between audits drawn from the same entry: the answers themselves (the
grades, the themes, the month, the team and everything else are drawn per audit), and the
dates answered to date questions (drawn within the pool's month, not the audit's)."""

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qa_app.demo.synthetic_answers import AuditAnswers, Spec

ANSWER_COLUMNS = (
    "audit_id",
    "group_key",
    "block_index",
    "block_label",
    "question_key",
    "value_text",
    "value_number",
    "value_date",
    "value_choices",
)
GRADE_COLUMNS = ("audit_id", "section_key", "grade", "rationale")
MARK_COLUMNS = ("audit_id", "theme_key", "mark", "suggested")
# On PostgreSQL the big tables' rows get their ids from their audit's, id * 1000 + k for its
# k-th row, written in the COPY text (drawing a sequence's next value for each of 48 million
# rows took a third of the database's time); the sequences are moved past them after.
ROWS_PER_AUDIT = 1000
HOT = {"answers": ANSWER_COLUMNS, "section_grades": GRADE_COLUMNS, "theme_marks": MARK_COLUMNS}
RATIONALE = "Synthetic rationale: the record shows this."
NULL = "\\N"
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format (datetimes must be UTC)."""
    if value is None:
        return NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, dict | list):
        return json.dumps(value).translate(ESCAPES)
    if hasattr(value, "tzinfo"):  # a datetime: stored as naive UTC (qa_app.models.base)
        return value.replace(tzinfo=None).isoformat(" ")
    return value.isoformat()  # a date


def sqlite_value(value: Any, json_column: bool = False) -> Any:
    """One value as SQLAlchemy would bind it on SQLite (JSON None is the JSON 'null')."""
    if json_column:
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass
class Entry:
    """One pooled audit: its grades and its rows, the audit id left out."""

    overall: int
    grades: dict[str, int]
    upto: int | None
    copy_parts: dict[str, list[str]] = field(default_factory=dict)  # joined with the audit id
    sqlite_rows: dict[str, list[tuple]] = field(default_factory=dict)  # prefixed with the id

    def copy_block(self, table: str, audit_id: str) -> str:
        return audit_id.join(self.copy_parts[table])

    def rows(self, table: str, audit_id: int) -> list[tuple]:
        return [(audit_id, *row) for row in self.sqlite_rows[table]]


def grades_at(rng: random.Random, spec: Spec, quality: int) -> tuple[int, dict[str, int]]:
    """qa_app.demo.synthetic_answers.draw_grades after its draw of the audit's quality (the
    level the template's skew and the audit's bias chose): the sections a step either side,
    the overall grade no better than the worst limiting section."""
    last = len(spec.levels) - 1
    sections = {}
    for section in spec.sections:
        if section["graded"]:
            deltas = (25, 65, 10) if section["limiting"] else (15, 65, 20)
            step = rng.choices((-1, 0, 1), deltas)[0]
            sections[section["key"]] = min(last, max(0, quality + step))
    overall = quality
    if spec.limiting_rule:
        limiting = [sections[s["key"]] for s in spec.sections if s["graded"] and s["limiting"]]
        overall = max([quality, *limiting])
    return overall, sections


def _entry(rng: random.Random, spec: Spec, quality: int, first: date, upto: int | None) -> Entry:
    overall, grades = grades_at(rng, spec, quality)
    day = first + timedelta(days=rng.randint(0, 27))
    answers = AuditAnswers(rng, spec, 0, first, day)
    answers.answer_sections(grades, overall, upto)
    done = {s["key"] for s in spec.sections[:upto]}
    rows: dict[str, list[dict[str, Any]]] = {
        "answers": answers.rows,
        "section_grades": [
            {"section_key": key, "grade": spec.levels[level], "rationale": RATIONALE}
            for key, level in grades.items()
            if key in done
        ],
        "theme_marks": [] if upto else answers.theme_marks(overall / max(1, len(spec.levels) - 1)),
    }
    entry = Entry(overall, grades, upto)
    for table, columns in HOT.items():
        values = [tuple(row[c] for c in columns[1:]) for row in rows[table]]
        lines = ["\t".join(copy_text(v) for v in row) for row in values]
        json_at = columns.index("value_choices") - 1 if "value_choices" in columns else -1
        if len(lines) >= ROWS_PER_AUDIT:
            raise ValueError(f"an audit of {spec.key} has {len(lines)} {table} rows")
        parts = [""]
        for k, line in enumerate(lines):  # joined with the audit id: "<id>kkk\t<id>\t..."
            parts += [f"{k:03d}\t", f"\t{line}\n"]
        entry.copy_parts[table] = parts
        entry.sqlite_rows[table] = [
            tuple(sqlite_value(v, i == json_at) for i, v in enumerate(row)) for row in values
        ]
    return entry


class Pool:
    """`size` complete audits per (template version, quality level), and `size // 4`
    part-answered (in progress) ones per template version."""

    def __init__(self, rng: random.Random, specs: list[Spec], size: int, first: date):
        self.complete: dict[tuple[int, int], list[Entry]] = {}
        self.partial: dict[int, list[Entry]] = {}
        for s, spec in enumerate(specs):
            for quality in range(len(spec.levels)):
                self.complete[s, quality] = [
                    _entry(rng, spec, quality, first, None) for _ in range(size)
                ]
            sections = len(spec.sections)
            self.partial[s] = [
                _entry(
                    rng,
                    spec,
                    rng.randrange(len(spec.levels)),
                    first,
                    rng.randint(1, max(1, sections - 1)),
                )
                for _ in range(max(1, size // 4))
            ]

    def entries(self) -> int:
        return sum(len(v) for v in self.complete.values()) + sum(
            len(v) for v in self.partial.values()
        )
