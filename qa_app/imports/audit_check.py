"""Checking a file of historic case audits, cell by cell, before anything is stored."""

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy import func, select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.imports.audit_rows import (
    AuditRow,
    Context,
    check_between_answers,
    check_main_header,
    check_main_row,
    main_columns,
)
from qa_app.imports.historic_scale import scale_problem, version_on_scale
from qa_app.imports.limits import HISTORIC, Limits
from qa_app.imports.repeat_rows import check_block_counts, check_repeat_sheet, repeat_group_of
from qa_app.imports.tabular import (
    MAX_COLUMNS,
    ImportProblem,
    UnreadableFile,
    read_file,
    without_cell_text,
)
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditTemplate,
    Case,
    Team,
    TemplateVersion,
    User,
)
from qa_app.rules.uk_time import to_uk, uk_today

T = TypeVar("T")


class Progress(Protocol):
    """(items, label) -> a context manager of the items (the command line shows a bar)."""

    def __call__(
        self, items: Sequence[T], label: str, /
    ) -> AbstractContextManager[Iterable[T]]: ...


CHUNK = 1_000  # references or ids per IN (...) query


def no_progress(items: Sequence[T], label: str) -> AbstractContextManager[Iterable[T]]:
    return nullcontext(items)


@dataclass
class CheckedImport:
    filename: str
    template: AuditTemplate | None = None
    version: TemplateVersion | None = None
    cycle: AuditCycle | None = None
    latest_number: int | None = None  # the template's newest version (version may be historic)
    rows: list[AuditRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    missing: int = 0  # problems --allow-incomplete would accept


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


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_cases(references: list[str]) -> dict[str, Case]:
    out = {}
    for chunk in chunks(references):
        for case in db.session.scalars(select(Case).where(Case.case_reference.in_(chunk))):
            out[case.case_reference] = case
    return out


def check_audit_file(
    filename: str,
    data: bytes,
    template_key: str,
    *,
    cycle_name: str | None = None,
    scale_key: str | None = None,
    allow_incomplete: bool = False,
    today: date | None = None,
    progress: Progress = no_progress,
    limits: Limits = HISTORIC,
) -> CheckedImport:
    """Read and check a file of historic audits against the template's latest version (with
    scale_key, graded on that scale: see historic_scale). Nothing is written; a result with
    any problem must not be stored. `limits`: how much of the file is read (HISTORIC: the
    command's, for years of audits; a web page would pass limits.UPLOAD)."""
    result = CheckedImport(Path(filename).name)
    result.template, result.version = _latest_version(template_key)
    if result.version is not None:
        result.latest_number = result.version.number
    if scale_key is not None:
        if message := scale_problem(scale_key):
            result.problems.append(ImportProblem("--scale", 0, "", message))
            result.version = None
        elif result.version is not None:
            result.version = version_on_scale(result.version, scale_key)
    if result.template is None:
        known = ", ".join(db.session.scalars(select(AuditTemplate.key).order_by(AuditTemplate.key)))
        result.problems.append(
            ImportProblem("--template", 0, "", f"no template {template_key!r} (known: {known})")
        )
    elif result.template.kind != "case_audit":
        result.problems.append(
            ImportProblem("--template", 0, "", f"{template_key!r} is not a case audit template")
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
    # room for every column the template has, and some to spare for notes columns
    wide = len(main_columns(result.version.content)) + 50 if result.version else 0
    try:
        sheets = read_file(filename, data, max_columns=max(MAX_COLUMNS, wide), limits=limits)
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
        today=today or uk_today(),
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
        check_between_answers(ctx, main.name, audit)
    _check_duplicates(ctx, main.name, list(audits.values()), result.template)
    order = {s.name: i for i, s in enumerate(sheets)}
    result.problems = sorted(
        without_cell_text(ctx.problems, sheets), key=lambda p: (order.get(p.sheet, -1), p.row)
    )
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
    cases = existing_cases(sorted({reference for reference, _ in seen}))
    by_id = {case.id: case.case_reference for case in cases.values()}
    stored = {}
    for chunk in chunks(list(by_id)):
        query = (
            select(Audit.id, Audit.case_id, Audit.submitted_at)
            .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
            .where(TemplateVersion.template_id == template.id, Audit.case_id.in_(chunk))
        )
        for audit_id, case_id, submitted_at in db.session.execute(query):
            if submitted_at is not None:
                stored[(by_id[case_id], to_uk(submitted_at).date())] = audit_id
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
