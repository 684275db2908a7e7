"""Synthetic audit history for the demo and for benchmarks: months of submitted, moderated and
in-progress case audits with answers, grades, theme marks, actions and concerns, written with
bulk Core INSERTs a chunk of audits at a time (100,000 audits in minutes; memory bounded by
the chunk), in one transaction, on SQLite and PostgreSQL alike.

Everything is made up: case references from 90000000 up (the demo uses 3001xxxx), accounts
called synthetic.auditorNN ("Auditor NN") whose password nobody knows, and free text that names
nobody. The same seed and end date give the same history. Each call writes one change-log
entry (entity "synthetic_history") with what it added. The teams, accounts and monthly cycles
the audits belong to are made (once) by qa_app.demo.synthetic_organisation."""

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text

from qa_app.data import changelog
from qa_app.data.cycles import active_templates
from qa_app.demo.synthetic_answers import (
    AuditAnswers,
    Extras,
    Spec,
    at,
    compile_version,
    draw_grades,
)
from qa_app.demo.synthetic_organisation import ensure_cycles, ensure_organisation
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    Case,
    CaseAction,
    ChangeLogEntry,
    Concern,
    CycleCase,
    Moderation,
    ModerationGrade,
    SectionGrade,
    ThemeMark,
)
from qa_app.rules.uk_time import uk_today

ENTITY = "synthetic_history"
REFERENCE_BASE = 90_000_000  # 8-digit references 90000000..99999999
TEMPLATE_WEIGHTS = {"single_assessment": 35, "cp_plan_visits": 25, "cin_plan": 25}
LEGAL_STATUS = {
    "single_assessment": "Assessment",
    "cp_plan_visits": "Child protection plan",
    "cin_plan": "Child in need plan",
    "icpc_reports": "Section 47 enquiry",
}
AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")
TABLES = (  # insert order (foreign keys) and the counts' names
    ("cases", Case),
    ("cycle_cases", CycleCase),
    ("audits", Audit),
    ("answers", Answer),
    ("section_grades", SectionGrade),
    ("theme_marks", ThemeMark),
    ("moderations", Moderation),
    ("moderation_grades", ModerationGrade),
    ("case_actions", CaseAction),
    ("concerns", Concern),
)
CREATED = ("localities_created", "teams_created", "users_created", "cycles_created")
STATUSES = ("audits_submitted", "audits_moderated", "audits_in_progress")


class SyntheticError(RuntimeError):
    """Synthetic history cannot be generated (e.g. no templates are stored)."""


def generate(
    n_audits: int,
    *,
    seed: int = 1,
    end: date | None = None,
    months: int = 24,
    actor=None,
    chunk: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Add `n_audits` synthetic audits spread over `months` months ending at `end` (default
    and at most today), in the current app context; commits once at the end (rolls back on
    error). `progress(done, total)` is called after each chunk. Returns row counts by table
    plus the accounts, teams and cycles it created."""
    if n_audits < 0 or months < 1 or chunk < 1:
        raise ValueError("n_audits must be >= 0, months and chunk >= 1")
    specs = latest_specs()
    end = min(end or uk_today(), uk_today())
    starts = _month_starts(end, months)
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    try:
        counts = Counter({name: 0 for name, _ in TABLES} | dict.fromkeys(CREATED, 0))
        teams, auditors, moderators = ensure_organisation(counts, starts[0])
        cycles = ensure_cycles(starts, specs, actor, counts)
        world = _World(rng, specs, teams, auditors, moderators, cycles, end, n_audits)
        next_reference = _next_reference()
        if next_reference + n_audits > 10**8:
            raise SyntheticError("No synthetic case references (90000000-99999999) are left")
        conn = db.session.connection()
        for start in range(0, n_audits, chunk):
            size = min(chunk, n_audits - start)
            case_ids, audit_ids = _reserve(conn, Case, size), _reserve(conn, Audit, size)
            rows: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in TABLES}
            for k in range(size):
                world.audit(start + k, next_reference + start + k, case_ids[k], audit_ids[k], rows)
            for moderation, moderation_id in zip(
                rows["moderations"],
                _reserve(conn, Moderation, len(rows["moderations"])),
                strict=True,
            ):
                moderation["id"] = moderation_id
            for grade in rows["moderation_grades"]:
                grade["moderation_id"] = rows["moderations"][grade["moderation_id"]]["id"]
            for name, model in TABLES:
                if rows[name]:
                    conn.execute(insert(cast(Table, model.__table__)), rows[name])
                counts[name] += len(rows[name])
            if progress:
                progress(start + size, n_audits)
        counts.update(world.statuses)
        result = dict(counts)
        period = {"seed": seed, "from": starts[0].isoformat(), "to": end.isoformat()}
        changelog.record(actor, ENTITY, f"seed-{seed}", "generated", {**result, **period})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def latest_specs() -> list[Spec]:
    """The latest version of every active template, by template key."""
    templates = [t for t in active_templates() if t.versions]
    if not templates:
        raise SyntheticError(
            "No audit templates are stored: load them first (flask --app qa_app qa templates load)"
        )
    return [compile_version(t.versions[-1]) for t in sorted(templates, key=lambda t: t.key)]


def has_history() -> bool:
    stmt = select(ChangeLogEntry.id).where(ChangeLogEntry.entity_type == ENTITY).limit(1)
    return db.session.scalar(stmt) is not None


# ---- one audit's rows ------------------------------------------------------------------


class _World:
    """What every audit draws from; `audit()` appends one audit's rows."""

    def __init__(self, rng, specs, teams, auditors, moderators, cycles, end, total):
        self.rng, self.specs, self.cycles, self.end, self.total = rng, specs, cycles, end, total
        self.weights = [TEMPLATE_WEIGHTS.get(s.key, 15) for s in specs]
        self.teams, self.moderators = teams, [m.id for m in moderators]
        self.team_bias = {t.id: rng.uniform(-0.6, 0.6) for t in teams}
        self.eligible = {  # auditors are not given cases from their own team
            t.id: [a.id for a in auditors if t.id not in {x.id for x in a.teams}] for t in teams
        }
        self.extras = Extras(rng, datetime.now(UTC), end, self.moderators)
        self.statuses = Counter(dict.fromkeys(STATUSES, 0))

    def audit(self, i: int, number: int, case_id: int, audit_id: int, rows: dict) -> None:
        rng, months, extras = self.rng, len(self.cycles), self.extras
        m = i * months // max(1, self.total)
        cycle = self.cycles[m]
        first, last = cycle.period_start, min(cycle.period_end, self.end)
        spec = rng.choices(self.specs, self.weights)[0]
        team = rng.choice(self.teams)
        auditor = rng.choice(self.eligible[team.id])
        day = first + timedelta(days=rng.randint(0, (last - first).days))
        opened = min(at(first, 8, 0), extras.now)  # when the cycle's cases were listed
        done_at = min(at(day, rng.randint(9, 16), rng.randint(0, 59)), extras.now)
        started_at = min(max(opened, done_at - timedelta(hours=rng.randint(1, 120))), done_at)
        latest = m == months - 1
        status = "in_progress" if rng.random() < (0.25 if latest else 0.01) else "submitted"
        complete = status != "in_progress"
        requested = complete and rng.random() < 0.03  # the auditor asked for moderation
        # ~10% moderated; of the latest month's, some still wait in the moderation queue
        if complete and (rng.random() < 0.09 or (requested and not latest)):
            status = "moderated"
        self.statuses[f"audits_{status}"] += 1
        trend = 0.8 * m / max(1, months - 1) - 0.3  # practice improves over the period
        overall, grades = draw_grades(rng, spec, trend + self.team_bias[team.id])
        answers = AuditAnswers(rng, spec, audit_id, first, day)
        sections = len(spec.sections)
        upto = rng.randint(1, max(1, sections - 1)) if status == "in_progress" else None
        answers.answer_sections(grades, overall, upto)
        rows["answers"].extend(answers.rows)
        done = {s["key"] for s in spec.sections[:upto]}
        rows["section_grades"].extend(
            {
                "audit_id": audit_id,
                "section_key": key,
                "grade": spec.levels[level],
                "rationale": "Synthetic rationale: the record shows this.",
            }
            for key, level in grades.items()
            if key in done
        )
        last_level = max(1, len(spec.levels) - 1)
        if complete:
            rows["theme_marks"].extend(answers.theme_marks(overall / last_level))
        rows["cases"].append(
            {
                "id": case_id,
                "case_reference": str(number),
                "team_id": team.id,
                "worker": None,
                "facts": {
                    "legal_status": LEGAL_STATUS.get(spec.key, "Open case"),
                    "age_band": rng.choice(AGE_BANDS),
                    "date_opened": (day - timedelta(days=rng.randint(30, 900))).isoformat(),
                },
                "created_at": opened,
                "updated_at": opened,
            }
        )
        rows["cycle_cases"].append(
            {
                "cycle_id": cycle.id,
                "case_id": case_id,
                "sample_id": None,
                "added_at": opened,
            }
        )
        rows["audits"].append(
            {
                "id": audit_id,
                "cycle_id": cycle.id,
                "case_id": case_id,
                "template_version_id": spec.version_id,
                "auditor_id": auditor,
                "status": status,
                "due_date": cycle.due_date,
                "started_at": started_at,
                "submitted_at": done_at if complete else None,
                "overall_grade": spec.levels[overall] if complete and spec.overall_graded else None,
                "overall_rationale": "Synthetic rationale: in line with the section grades."
                if complete
                else "",
                "evidence": "Synthetic evidence text." if complete else "",
                "practitioner_comments": "Synthetic comment: discussed with the worker."
                if complete
                else "",
                "moderation_requested": requested,
                "own_team_override": False,
                "lock_version": (upto if upto else sections + 3) + 1,
                "created_at": opened,
                "updated_at": done_at,
            }
        )
        if not complete:
            return
        r = overall / last_level
        if status == "moderated" or (latest and (requested or rng.random() < 0.1)):
            extras.moderation(audit_id, spec, status, requested, overall, grades, done_at, rows)
        extras.actions(audit_id, day, done_at, r, rows)
        if rng.random() < 0.015 + 0.03 * r:
            extras.concern(audit_id, auditor, started_at, done_at, rows)


# ---- helpers ----------------------------------------------------------------------------


def _reserve(conn, model, n: int) -> list[int]:
    """`n` primary keys for `model`'s table that nothing else will use."""
    if n == 0:
        return []
    table = model.__table__
    if conn.dialect.name == "postgresql":
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        stmt = text("SELECT nextval(:s) FROM generate_series(1, :n)")
        return list(conn.execute(stmt, {"s": seq.scalar_one(), "n": n}).scalars())
    start = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1  # under the write lock
    return list(range(start, start + n))


def _next_reference() -> int:
    """The first synthetic case reference after any already used."""
    stmt = select(func.max(Case.case_reference)).where(
        Case.case_reference >= str(REFERENCE_BASE),
        Case.case_reference <= "99999999",
        func.length(Case.case_reference) == 8,
    )
    highest = db.session.scalar(stmt)
    return int(highest) + 1 if highest else REFERENCE_BASE


def _month_starts(end: date, months: int) -> list[date]:
    out, year, month = [], end.year, end.month
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


__all__ = ["SyntheticError", "generate", "has_history", "latest_specs"]
