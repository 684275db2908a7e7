"""Checking the rows of a historic-audit file against a template version, cell by cell: the
first sheet here, the repeat sheets in repeat_rows."""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from qa_app.data.case_lists import reference_problem
from qa_app.imports.tabular import (
    ImportProblem,
    Sheet,
    header_problems,
    normalise_header,
    parse_date,
)
from qa_app.models import OrgSettings
from qa_app.templates_engine.answer_checks import check_failures
from qa_app.templates_engine.answers import (
    YES_PARTLY_NO_LABELS,
    Value,
    overall_problem,
    parse,
    problem,
)

CASE_COLUMNS = ("case_reference", "team", "auditor", "audit_date", "submitted")
OVERALL_COLUMNS = ("overall_grade", "overall_rationale")
TEXT_COLUMNS = ("evidence", "practitioner_comments")
LINK_COLUMNS = ("row", "case_reference", "group", "block")
RATIONALE_LIMIT = 4_000  # as the web form: overall_rationale and rationale__<section>
TEXT_LIMIT = 20_000  # as the web form: evidence and practitioner_comments
THEME_WORDS = {
    "strength": "strength",
    "strengths": "strength",
    "area for development": "development",
    "development": "development",
    "not seen": "not_seen",
    "not assessed": "not_assessed",
}
NOT_APPLICABLE_WORDS = ("n/a", "na")


@dataclass(frozen=True)
class Column:
    name: str  # as documented, e.g. grade__analysis (headers are matched after normalising)
    kind: str  # case | overall | text | question | inner | repeat | grade | rationale | theme
    key: str  # the column itself, a question, section or theme key
    question: dict | None = None
    group: str = ""  # for inner questions: the repeat question's key


@dataclass
class Block:
    group_key: str
    label: str  # the repeat option's key
    answers: dict[str, Value] = field(default_factory=dict)


@dataclass
class AuditRow:
    """One audit as read from the first sheet (and its blocks from repeat sheets)."""

    row: int
    case_reference: str = ""
    team_id: int | None = None
    auditor_id: int | None = None
    audit_date: date | None = None
    answers: dict[str, Value] = field(default_factory=dict)
    grades: dict[str, str | None] = field(default_factory=dict)
    rationales: dict[str, str] = field(default_factory=dict)
    overall_grade: str | None = None
    overall_rationale: str = ""
    evidence: str = ""
    practitioner_comments: str = ""
    # only the marks given in the file (None: a mark not understood, reported as a problem)
    themes: dict[str, str | None] = field(default_factory=dict)
    blocks: dict[str, list[Block]] = field(default_factory=lambda: defaultdict(list))


Where = tuple[str, int, str]  # (sheet, row, column) of a cell


@dataclass
class Context:
    """What checking a file needs: the version's content and lookups loaded up front."""

    content: dict
    teams: dict  # lower-case name -> id
    users: dict  # lower-case username -> id
    settings: OrgSettings  # for the case-reference rule
    today: date
    allow_incomplete: bool = False
    problems: list[ImportProblem] = field(default_factory=list)
    missing: int = 0  # problems that --allow-incomplete would accept

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(sheet, row, column, message))

    def add_missing(self, sheet: str, row: int, column: str, message: str) -> None:
        if not self.allow_incomplete:
            self.missing += 1
            self.add(sheet, row, column, message)

    @cached_property
    def repeats(self) -> dict[str, dict]:
        return {
            q["key"]: q
            for s in self.content["template"]["sections"]
            for q in s["questions"]
            if q["type"] == "repeat"
        }


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Lower case, single spaces, underscores as spaces: for matching labels and keys."""
    text = re.sub(r"\s*([,;/])\s*", r"\1", str(text).strip().lower())
    return re.sub(r"[\s_]+", " ", text)


def main_columns(content: dict) -> dict[str, Column]:
    template = content["template"]
    columns = [Column(c, "case", c) for c in CASE_COLUMNS]
    if template["overall_grade"]["graded"]:
        columns += [Column(c, "overall", c) for c in OVERALL_COLUMNS]
    columns += [Column(c, "text", c) for c in TEXT_COLUMNS]
    for section in template["sections"]:
        for q in section["questions"]:
            if q["type"] == "repeat":
                columns.append(Column(q["key"], "repeat", q["key"], q))
                columns += [
                    Column(i["key"], "inner", i["key"], i, q["key"]) for i in q["questions"]
                ]
            else:
                columns.append(Column(q["key"], "question", q["key"], q))
        if section["graded"]:
            columns.append(Column(f"grade__{section['key']}", "grade", section["key"]))
            columns.append(Column(f"rationale__{section['key']}", "rationale", section["key"]))
    columns += [Column(f"theme__{key}", "theme", key) for key in content["themes"]]
    out: dict[str, Column] = {}
    for column in columns:
        out.setdefault(normalise_header(column.name), column)
    return out


# ---- one cell ----------------------------------------------------------------------------


def choice_lookup(content: dict, question: dict) -> dict[str, str]:
    """{normalised key or label: key} for a grade, yes/partly/no or choice question."""
    kind = question["type"]
    if kind == "grade":
        pairs = [
            (lvl["key"], lvl["label"]) for lvl in content["scales"][question["scale"]]["levels"]
        ]
    elif kind == "yes_partly_no":
        pairs = list(YES_PARTLY_NO_LABELS.items()) + [
            ("not_applicable", w) for w in NOT_APPLICABLE_WORDS
        ]
    else:
        pairs = [(o["key"], o["label"]) for o in question["options"]]
    return _lookup(tuple(pairs))


@lru_cache(maxsize=512)
def _lookup(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, label in pairs:
        out.setdefault(norm(key), key)
        out.setdefault(norm(label), key)
    return out


def _splitchoice_lookup(text: str, lookup: dict[str, str]) -> list[str]:
    """A ';' or ',' separated list of option keys or labels; labels may contain commas."""
    separator = ";" if ";" in text else ","
    parts = [p.strip() for p in text.split(separator)]
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            candidate = norm(separator.join(parts[i:j]))
            if candidate in lookup:
                out.append(lookup[candidate])
                i = j
                break
        else:
            if parts[i]:
                out.append(parts[i])
            i += 1
    return out


def allowed_text(content: dict, question: dict) -> str:
    kind = question["type"]
    if kind == "grade":
        levels = content["scales"][question["scale"]]["levels"]
        return ", ".join(lvl["label"] for lvl in levels)
    if kind == "yes_partly_no":
        words = ["Yes", "Partly", "No"] + (["Not applicable"] if question["not_applicable"] else [])
        return ", ".join(words)
    return ", ".join(o["key"] for o in question["options"])


def cell_value(content: dict, question: dict, text: str) -> tuple[Value, str | None]:
    """The value of one cell and, when it is not empty, why it cannot be stored (or None)."""
    kind = question["type"]
    raw: str | list[str]
    if kind in ("grade", "yes_partly_no", "single_choice") and text:
        raw = choice_lookup(content, question).get(norm(text), text)
    elif kind == "multiple_choice":
        raw = _splitchoice_lookup(text, choice_lookup(content, question)) if text else []
    else:
        raw = text
    value = parse(question, raw)
    if value.empty:
        return value, None
    message = problem(content, question, value)
    if message is None:
        return value, None
    if kind == "date" and value.date is None:
        return value, f"{text!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY"
    if kind in ("grade", "yes_partly_no", "single_choice", "multiple_choice"):
        return value, f"{message} (found {text!r}; use {allowed_text(content, question)})"
    return value, f"{message} (found {text!r})"


def missing_text(message: str) -> str:
    return f"required answer missing: {message[0].lower()}{message[1:]}"


def check_answer(ctx: Context, sheet: str, row: int, column: str, question: dict, text: str):
    """The cell's value; a bad or missing required answer is recorded as a problem."""
    value, message = cell_value(ctx.content, question, text)
    if message:
        ctx.add(sheet, row, column, message)
    elif value.empty and question["required"]:
        why = problem(ctx.content, question, value)
        assert why is not None  # an empty required answer always has one
        ctx.add_missing(sheet, row, column, missing_text(why))
    return value


# ---- the first sheet ---------------------------------------------------------------------


def did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_main_header(ctx: Context, sheet: Sheet, columns: dict[str, Column]) -> None:
    ctx.problems += header_problems(sheet, ["case_reference"], [], allow_other=True)
    present = set(sheet.columns)
    for name in sheet.columns:
        column = columns.get(name)
        if not name:
            continue
        if column is None:
            known = {c.name for c in columns.values() if c.kind not in ("repeat", "inner")}
            ctx.add(sheet.name, 1, name, f"unknown column{did_you_mean(name, known)}")
        elif column.kind in ("repeat", "inner"):
            group = column.group or column.key
            where = "put it on a sheet named 'repeat' (XLSX only)"
            ctx.add(sheet.name, 1, name, f"this question is in the repeat group {group!r}: {where}")
    if {"audit_date", "submitted"} <= present:
        ctx.add(sheet.name, 1, "submitted", "give the date in audit_date or submitted, not both")
    for key, column in columns.items():
        if key in present:
            continue
        required = column.kind in ("grade", "rationale", "overall") or (
            column.kind == "question"
            and column.question is not None
            and column.question["required"]
        )
        if required:
            ctx.add_missing(sheet.name, 1, column.name, "required column is missing")


def check_main_row(
    ctx: Context, sheet: Sheet, columns: dict[str, Column], number: int, cells: dict
) -> AuditRow:
    audit = AuditRow(number, audit_date=ctx.today)
    for name in dict.fromkeys(sheet.columns):  # a blank cell is absent from `cells`
        text = cells.get(name, "")
        column = columns.get(name)
        if column is None or column.kind in ("repeat", "inner"):
            continue
        where = (sheet.name, number, column.name)
        if column.kind == "question":
            assert column.question is not None  # a question column has its question
            value = check_answer(ctx, *where, column.question, text)
            if not value.empty:
                audit.answers[column.key] = value
        elif column.kind == "case":
            _case_cell(ctx, audit, column.key, text, where)
        elif column.kind == "grade":
            audit.grades[column.key] = _grade_cell(ctx, text, where)
        elif column.key == "overall_grade":
            audit.overall_grade = _grade_cell(ctx, text, where)
        elif column.kind in ("rationale", "overall"):
            if not text:
                ctx.add_missing(*where, missing_text("Give a short reason for the grade"))
            _check_length(ctx, text, RATIONALE_LIMIT, where)
            if column.kind == "rationale":
                audit.rationales[column.key] = text
            else:
                audit.overall_rationale = text
        elif column.kind == "text":
            _check_length(ctx, text, TEXT_LIMIT, where)
            setattr(audit, column.key, text)
        elif column.kind == "theme" and text:
            audit.themes[column.key] = THEME_WORDS.get(norm(text))
            if audit.themes[column.key] is None:
                marks = "strength, area for development, not seen or not assessed"
                ctx.add(*where, f"{text!r} is not a theme mark (use {marks})")
    if audit.overall_grade:
        graded = {k: v for k, v in audit.grades.items() if v}
        if message := overall_problem(ctx.content, audit.overall_grade, graded):
            ctx.add(sheet.name, number, "overall_grade", message)
    return audit


def _check_length(ctx: Context, text: str, limit: int, where: Where) -> None:
    if len(text) > limit:
        ctx.add(*where, f"use {limit:,} characters or fewer (found {len(text):,})")


def _grade_cell(ctx: Context, text: str, where: Where) -> str | None:
    """A level of the template's scale, given by label or key."""
    if not text:
        ctx.add_missing(*where, missing_text("Choose a grade"))
        return None
    scale = ctx.content["template"]["scale"]
    level = choice_lookup(ctx.content, {"type": "grade", "scale": scale}).get(norm(text))
    if level is None:
        labels = ", ".join(lvl["label"] for lvl in ctx.content["scales"][scale]["levels"])
        ctx.add(
            *where,
            f"{text!r} is not a grade on the template's scale (use {labels}; "
            "for a review graded on another scale, name its scale with --scale)",
        )
    return level


def _case_cell(ctx: Context, audit: AuditRow, key: str, text: str, where: Where) -> None:
    if key == "case_reference":
        if message := reference_problem(text.strip(), ctx.settings):
            ctx.add(*where, message)
        audit.case_reference = text.strip()
    elif key == "team" and text:
        audit.team_id = ctx.teams.get(text.strip().lower())
        if audit.team_id is None:
            ctx.add(*where, f"unknown team {text!r} (teams are set up under Administration)")
    elif key == "auditor" and text:
        audit.auditor_id = ctx.users.get(text.strip().lower())
        if audit.auditor_id is None:
            ctx.add(*where, f"no account with the username {text!r}")
    elif key in ("audit_date", "submitted") and text:  # blank: today
        audit.audit_date = parse_date(text)
        if audit.audit_date is None or audit.audit_date.year < 1900:
            ctx.add(*where, f"{text!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY")
        elif audit.audit_date > ctx.today:
            ctx.add(*where, f"{audit.audit_date:%d/%m/%Y} is in the future")


def check_between_answers(ctx: Context, sheet: str, audit: AuditRow) -> None:
    """The template's checks between answers (held at most due, dates in order), in the same
    words as the web form and the API; a block's problem names its block, on the audit's row."""
    values: dict[tuple[str, int, str], Value | None] = {
        ("", 0, key): value for key, value in audit.answers.items()
    }
    for group, blocks in audit.blocks.items():
        for index, block in enumerate(blocks):
            values.update({(group, index, k): v for k, v in block.answers.items()})
    for failure in check_failures(ctx.content, values, today=ctx.today):
        ctx.add(sheet, audit.row, failure.question_key, failure.message)
