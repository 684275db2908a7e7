"""Writing historic-audit files for the import tests."""

import csv

from openpyxl import Workbook
from sqlalchemy import func, select

from qa_app.data import audits as audit_data
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    Case,
    ChangeLogEntry,
    Role,
    SectionGrade,
    Team,
    ThemeMark,
)
from qa_app.templates_engine.answers import scale_levels

TEAM = "Assessment Team East"


def content_of(key: str) -> dict:
    return get_template(key).versions[-1].content


def answer_text(content: dict, q: dict) -> str:
    """A valid answer to any question, written as a person would (labels, dd/mm/yyyy)."""
    kind = q["type"]
    if kind == "grade":
        return content["scales"][q["scale"]]["levels"][1]["label"]
    if kind == "yes_partly_no":
        return "Yes"
    if kind == "single_choice":
        return q["options"][0]["label"]
    if kind == "multiple_choice":
        return "; ".join(o["label"] for o in q["options"][:2])
    if kind == "number":
        return str(int(q["min"]) if q["min"] is not None else 3)
    if kind == "date":
        return "01/02/2024"
    return f"Evidence for {q['key']}."


def complete_row(key: str, reference: str, **overrides) -> dict:
    """Every column of a complete audit of the template `key`, overridden by `overrides`."""
    content = content_of(key)
    template = content["template"]
    second = scale_levels(content, template["scale"])[1]
    row = {"case_reference": reference, "team": TEAM, "auditor": "a.auditor"}
    row["audit_date"] = "2024-03-14"
    for section in template["sections"]:
        for q in section["questions"]:
            if q["type"] != "repeat":
                row[q["key"]] = answer_text(content, q)
        if section["graded"]:
            row[f"grade__{section['key']}"] = second
            row[f"rationale__{section['key']}"] = f"Why {section['key']} is {second}."
    row["overall_grade"] = second
    row["overall_rationale"] = "Taken together, the record shows this."
    row["evidence"] = "Read the conference minutes and every report."
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def write_csv(path, rows: list[dict]):
    columns = list(dict.fromkeys(c for r in rows for c in r))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path, sheets: dict[str, list[dict]]):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = list(dict.fromkeys(c for r in rows for c in r))
        sheet.append(columns)
        for r in rows:
            sheet.append([r.get(c) for c in columns])
    workbook.save(path)
    return path


def agency_block(row: int, block: str, **overrides) -> dict:
    content = content_of("icpc_reports")
    repeat = next(
        q for s in content["template"]["sections"] for q in s["questions"] if q["type"] == "repeat"
    )
    out = {"row": row, "block": block}
    out.update({q["key"]: answer_text(content, q) for q in repeat["questions"]})
    out.update(overrides)
    return out


def counts() -> dict:
    return {
        m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Case, Audit, Answer, SectionGrade, ThemeMark, ChangeLogEntry)
    }


def only_audit() -> Audit:
    return db.session.scalars(select(Audit)).one()


def stored(audit: Audit) -> dict:
    return {
        (a.group_key, a.block_index, a.question_key): a
        for a in audit_data.stored_answers(audit).values()
    }


def cli_runner(app):
    """run("import-audits", ...) -> the result of `flask qa ...`."""
    runner = app.test_cli_runner()

    def _run(*args: str):
        return runner.invoke(args=["qa", *args])

    return _run


def team_and_auditor(make_user):
    """The team TEAM and an auditor a.auditor for the files to name."""
    db.session.add(Team(name=TEAM))
    db.session.commit()
    return make_user(Role.AUDITOR, username="a.auditor")
