"""Importing historic case audits from CSV or XLSX: check every cell, then store all or nothing."""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from qa_app.data import changelog
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.imports.audit_rows import (
    AuditRow,
    Context,
    check_block_counts,
    check_main_header,
    check_main_row,
    check_repeat_sheet,
    main_columns,
    repeat_group_of,
)
from qa_app.imports.tabular import ImportProblem, UnreadableFile, read_file
from qa_app.models import (
    Answer,
    Audit,
    AuditCycle,
    AuditStatus,
    AuditTemplate,
    Case,
    SectionGrade,
    Team,
    TemplateVersion,
    ThemeMark,
    User,
)
from qa_app.templates_engine.answers import (
    BLOCK_MARKER,
    Value,
    placed_questions,
    suggest_theme_marks,
)

Progress = Callable[[Iterable, str], object]  # (items, label) -> a context manager of items
CHUNK = 10_000  # references per IN (...) query


def _no_progress(items, label):
    return nullcontext(items)


@dataclass
class CheckedImport:
    filename: str
    template: AuditTemplate | None = None
    version: TemplateVersion | None = None
    cycle: AuditCycle | None = None
    rows: list[AuditRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    missing: int = 0  # problems --allow-incomplete would accept


@dataclass
class ImportResult:
    audits: int
    new_cases: int
    existing_cases: int
    answers: int


def _latest_version(template_key: str) -> tuple[AuditTemplate | None, TemplateVersion | None]:
    template = db.session.scalar(select(AuditTemplate).where(AuditTemplate.key == template_key))
    if template is None:
        return None, None
    version = db.session.scalar(
        select(TemplateVersion)
        .where(TemplateVersion.template_id == template.id)
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )
    return template, version


def _cycle(name: str) -> AuditCycle | None:
    cycle = db.session.scalar(select(AuditCycle).where(AuditCycle.name == name.strip()))
    return cycle or db.session.scalar(
        select(AuditCycle).where(func.lower(AuditCycle.name) == name.strip().lower())
    )


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_cases(references: list[str]) -> dict[str, Case]:
    out = {}
    for chunk in _chunks(references):
        for case in db.session.scalars(select(Case).where(Case.case_reference.in_(chunk))):
            out[case.case_reference] = case
    return out


def check_audit_file(
    filename: str,
    data: bytes,
    template_key: str,
    *,
    cycle_name: str | None = None,
    allow_incomplete: bool = False,
    today: date | None = None,
    progress: Progress = _no_progress,
) -> CheckedImport:
    """Read and check a file of historic audits against the template's latest version.
    Nothing is written; a result with any problem must not be stored."""
    result = CheckedImport(Path(filename).name)
    result.template, result.version = _latest_version(template_key)
    if result.version is None:
        known = ", ".join(db.session.scalars(select(AuditTemplate.key).order_by(AuditTemplate.key)))
        result.problems.append(
            ImportProblem("--template", 0, "", f"no template {template_key!r} (known: {known})")
        )
    if cycle_name is not None:
        result.cycle = _cycle(cycle_name)
        if result.cycle is None:
            result.problems.append(
                ImportProblem("--cycle", 0, "", f"no audit cycle called {cycle_name!r}")
            )
        elif result.template and result.cycle.templates:
            if result.template not in result.cycle.templates:
                result.problems.append(
                    ImportProblem(
                        "--cycle",
                        0,
                        "",
                        f"the cycle {result.cycle.name!r} does not use the template "
                        f"{result.template.key!r}",
                    )
                )
    try:
        sheets = read_file(filename, data)
    except UnreadableFile as exc:
        message = str(exc).removeprefix(f"{result.filename}: ")
        result.problems.append(ImportProblem(result.filename, 0, "", message))
        return result
    if not sheets:
        result.problems.append(ImportProblem(result.filename, 0, "", "the file has no sheets"))
    if result.version is None or not sheets:
        return result

    ctx = Context(
        content=result.version.content,
        teams={n.strip().lower(): i for i, n in db.session.execute(select(Team.id, Team.name))},
        users={n.strip().lower(): i for i, n in db.session.execute(select(User.id, User.username))},
        settings=get_settings(),
        today=today or date.today(),
        allow_incomplete=allow_incomplete,
        problems=result.problems,
    )
    main, extra = sheets[0], sheets[1:]
    columns = main_columns(ctx.content)
    check_main_header(ctx, main, columns)
    if not main.rows:
        ctx.add(main.name, 0, "", "the sheet has no audits in it")
    audits: dict[int, AuditRow] = {}
    with progress(main.rows, "Checking audits") as rows:
        for number, cells in rows:
            audits[number] = check_main_row(ctx, main, columns, number, cells)
    for sheet in extra:
        group = repeat_group_of(ctx, sheet)
        if group is None:
            if sheet.columns or sheet.rows:
                ctx.add(
                    sheet.name,
                    0,
                    "",
                    "unknown sheet: name it 'repeat' or after a repeat group "
                    f"({', '.join(ctx.repeats) or 'this template has none'}), or remove it",
                )
        elif not ctx.repeats:
            ctx.add(sheet.name, 0, "", "this template has no repeat groups")
        else:
            check_repeat_sheet(ctx, sheet, group, audits)
    csv = Path(filename).suffix.lower() == ".csv"
    for audit in audits.values():
        check_block_counts(ctx, main.name, audit, csv)
    _check_duplicates(ctx, main.name, list(audits.values()), result.template)
    order = {s.name: i for i, s in enumerate(sheets)}
    result.problems = sorted(ctx.problems, key=lambda p: (order.get(p.sheet, -1), p.row))
    result.missing = ctx.missing
    result.rows = list(audits.values())
    return result


def _check_duplicates(ctx: Context, sheet: str, audits: list[AuditRow], template) -> None:
    """The same case audited with the same template on the same day twice, in the file or
    already stored: almost always a file imported twice."""
    seen: dict[tuple[str, date], int] = {}
    for audit in audits:
        if not audit.case_reference or audit.audit_date is None:
            continue
        key = (audit.case_reference, audit.audit_date)
        if key in seen:
            ctx.add(
                sheet,
                audit.row,
                "case_reference",
                f"row {seen[key]} is an audit of the same case on the same date",
            )
        else:
            seen.setdefault(key, audit.row)
    cases = _existing_cases(sorted({reference for reference, _ in seen}))
    by_id = {case.id: case.case_reference for case in cases.values()}
    stored = {}
    for chunk in _chunks(list(by_id)):
        query = (
            select(Audit.id, Audit.case_id, Audit.submitted_at)
            .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
            .where(TemplateVersion.template_id == template.id, Audit.case_id.in_(chunk))
        )
        for audit_id, case_id, submitted_at in db.session.execute(query):
            if submitted_at is not None:
                stored[(by_id[case_id], submitted_at.date())] = audit_id
    for (reference, day), row in seen.items():
        if (reference, day) in stored:
            ctx.add(
                sheet,
                row,
                "case_reference",
                f"case {reference} already has a {template.name} audit submitted on "
                f"{day:%d/%m/%Y} (audit {stored[(reference, day)]}): "
                "was this file imported before?",
            )


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _answer_row(audit_id: int, key: str, value, group="", index=0, label="") -> dict:
    return {
        "audit_id": audit_id,
        "group_key": group,
        "block_index": index,
        "block_label": label,
        "question_key": key,
        "value_text": value.text,
        "value_number": value.number,
        "value_date": value.date,
        "value_choices": value.choices or None,
    }


def store_audits(
    checked: CheckedImport,
    *,
    actor=None,
    loaded_by: str | None = None,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Store a checked, problem-free import in one transaction; commits."""
    if checked.problems or checked.version is None:
        raise ValueError("an import with problems cannot be stored")
    source = {"loaded_by": loaded_by} if loaded_by and actor is None else {}
    try:
        result = _write(checked, actor, source, progress)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def _write(checked: CheckedImport, actor, source: dict, progress: Progress) -> ImportResult:
    version, content = checked.version, checked.version.content
    placed = placed_questions(content)
    references = list(dict.fromkeys(a.case_reference for a in checked.rows))
    cases = _existing_cases(references)
    existing = len(cases)
    teams = {t.id: t.name for t in db.session.scalars(select(Team))}
    latest_team: dict[str, int] = {}  # the case's team from its most recent audit naming one
    for audit in sorted(checked.rows, key=lambda a: a.audit_date):
        if audit.team_id:
            latest_team[audit.case_reference] = audit.team_id
    new_cases = [
        Case(case_reference=r, team_id=latest_team.get(r), facts={})
        for r in references
        if r not in cases
    ]
    db.session.add_all(new_cases)
    for case in cases.values():
        if case.team_id is None and latest_team.get(case.case_reference):
            case.team_id = latest_team[case.case_reference]
            changelog.record(
                actor,
                "case",
                case.id,
                "updated",
                {"team": [None, teams[case.team_id]], "source": checked.filename, **source},
            )
    db.session.flush()
    for case in new_cases:
        cases[case.case_reference] = case
        changelog.record(
            actor,
            "case",
            case.id,
            "created",
            {
                "case": case.case_reference,
                "team": teams.get(case.team_id),
                "source": checked.filename,
                **source,
            },
        )
    audits = []
    for row in checked.rows:
        when = _noon(row.audit_date)
        audits.append(
            Audit(
                case_id=cases[row.case_reference].id,
                template_version_id=version.id,
                cycle_id=checked.cycle.id if checked.cycle else None,
                auditor_id=row.auditor_id,
                status=AuditStatus.SUBMITTED,
                started_at=when,
                submitted_at=when,
                overall_grade=row.overall_grade,
                overall_rationale=row.overall_rationale,
                evidence=row.evidence,
                practitioner_comments=row.practitioner_comments,
                lock_version=1,
            )
        )
    db.session.add_all(audits)
    db.session.flush()
    answers, grades, marks = [], [], []
    with progress(list(zip(checked.rows, audits, strict=True)), "Storing audits") as pairs:
        for row, audit in pairs:
            pairs_for_themes = []
            for key, value in row.answers.items():
                answers.append(_answer_row(audit.id, key, value))
                pairs_for_themes.append((placed[key].question, value))
            for group, blocks in row.blocks.items():
                for index, block in enumerate(blocks):
                    marker = Value(text=block.label)
                    answers.append(
                        _answer_row(audit.id, BLOCK_MARKER, marker, group, index, block.label)
                    )
                    for key, value in block.answers.items():
                        answers.append(_answer_row(audit.id, key, value, group, index, block.label))
                        pairs_for_themes.append((placed[key].question, value))
            for section_key, grade in row.grades.items():
                rationale = row.rationales.get(section_key, "")
                if grade or rationale:
                    grades.append(
                        {
                            "audit_id": audit.id,
                            "section_key": section_key,
                            "grade": grade,
                            "rationale": rationale,
                        }
                    )
            for section_key, rationale in row.rationales.items():
                if section_key not in row.grades and rationale:
                    grades.append(
                        {
                            "audit_id": audit.id,
                            "section_key": section_key,
                            "grade": None,
                            "rationale": rationale,
                        }
                    )
            suggested = suggest_theme_marks(content, pairs_for_themes)
            for key in content["themes"]:
                mark = row.themes.get(key) or suggested.get(key, "not_seen")
                marks.append(
                    {
                        "audit_id": audit.id,
                        "theme_key": key,
                        "mark": mark,
                        "suggested": mark == suggested.get(key),
                    }
                )
            changelog.record(
                actor,
                "audit",
                audit.id,
                "imported",
                {"version": 1, "file": checked.filename, "row": row.row, **source},
            )
    for model, rows in ((Answer, answers), (SectionGrade, grades), (ThemeMark, marks)):
        if rows:
            # a Core INSERT with every column in every row: one executemany per table
            db.session.execute(insert(model.__table__), rows)
    return ImportResult(len(audits), len(new_cases), existing, len(answers))
