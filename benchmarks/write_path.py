"""The write path at scale (issue 20: the findings' summaries must not slow the writes), run
by benchmarks.findings on each 100k database, always on a COPY of it (SQLite: the backup API
into a temporary file; PostgreSQL: CREATE DATABASE ... TEMPLATE, dropped after):

- an audit save: one section's answers (qa_app.data.audits.save_section, its transaction and
  commit), the four free-text questions of cin_plan's last section as benchmarks.writers saves;
- a submit (qa_app.data.audit_submission.submit: the checks, moderation sampling, the
  practitioner-response notification, the commit) of an in-progress audit whose answers are
  those of a submitted synthetic audit (copied through the ORM while it is in progress).

Median of 20 after one warm-up each, through the data layer (no HTTP, no page rendering)."""

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, make_url, select, text

from benchmarks.writers import SECTION, TEMPLATE, answers_for, text_questions
from qa_app import create_app
from qa_app.extensions import db
from qa_app.models import Answer, SectionGrade, ThemeMark

RUNS = 20
COPIED = {
    Answer: (
        "group_key",
        "block_index",
        "block_label",
        "question_key",
        "value_text",
        "value_number",
        "value_date",
        "value_choices",
    ),
    SectionGrade: ("section_key", "grade", "rationale"),
    ThemeMark: ("theme_key", "mark", "suggested"),
}


def copy_database(url: str, tmp: str) -> tuple[str, str | None]:
    """(url of a copy, name of the PostgreSQL database to drop after, or None)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = Path(tmp) / "write-path.sqlite"
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}", None
    name = f"{parsed.database}_write_path"
    engine = create_engine(maintenance(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False), name


def maintenance(url: str) -> str:
    """The same server's `postgres` database (to create and drop others from)."""
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def drop_copy(url: str, name: str) -> None:
    engine = create_engine(maintenance(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    engine.dispose()


def in_progress_copies(count: int) -> list:
    """`count` new in-progress audits of cin_plan, each holding every answer, grade and theme
    mark of a submitted synthetic audit (and its overall grade and texts), ready to submit."""
    from qa_app.data.audits import create_audit
    from qa_app.data.cycles import active_templates
    from qa_app.models import Audit, AuditStatus, Case, User

    version = next(t for t in active_templates() if t.key == TEMPLATE).versions[-1]
    sources = db.session.scalars(
        select(Audit)
        .where(Audit.template_version_id == version.id, Audit.status == AuditStatus.SUBMITTED)
        .order_by(Audit.id.desc())
        .limit(count)
    ).all()
    made = []
    first = int(db.session.scalar(select(func.count()).select_from(Case)) or 0)
    for n, source in enumerate(sources):
        case = Case(case_reference=f"W{first + n:09d}", team_id=source.case.team_id, facts={})
        db.session.add(case)
        auditor = db.session.get(User, source.auditor_id)
        audit = create_audit(case=case, template_version=version, auditor=auditor)
        db.session.flush()
        audit.status = AuditStatus.IN_PROGRESS
        audit.started_at = source.started_at
        for field in ("overall_grade", "overall_rationale", "evidence", "practitioner_comments"):
            setattr(audit, field, getattr(source, field))
        db.session.flush()
        for model, columns in COPIED.items():  # through the ORM: every write is seen
            for row in db.session.scalars(select(model).where(model.audit_id == source.id)):
                db.session.add(model(audit_id=audit.id, **{c: getattr(row, c) for c in columns}))
        made.append((audit.id, auditor.id))
    db.session.commit()
    return made


def median_ms(samples: list[float]) -> str:
    median, most = statistics.median(samples) * 1000, max(samples) * 1000
    return f"median {median:7.1f} ms (n={len(samples)}, max {most:.0f} ms)"


def write_path(label: str, url: str) -> None:
    from qa_app.data.audit_submission import submit, submit_problems
    from qa_app.models import Audit, User

    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        copy_url, drop = copy_database(url, tmp)
        print(f"  write path on a copy of {label} (copied in {time.perf_counter() - began:.0f} s)")
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": copy_url})
            with app.app_context():
                made = in_progress_copies(RUNS + 1)
                if len(made) < RUNS + 1:
                    print(f"  write path: only {len(made)} submitted {TEMPLATE} audits to copy")
                    return
                audit_id, actor_id = made[0]
                audit = db.session.get(Audit, audit_id)
                questions = text_questions(audit.template_version.content, SECTION)
                saves = []
                for i in range(RUNS + 1):
                    audit = db.session.get(Audit, audit_id)
                    actor = db.session.get(User, actor_id)
                    start = time.perf_counter()
                    save_section(audit, questions, i, actor)
                    saves.append(time.perf_counter() - start)
                print(f"  audit save (one section, 4 answers)        {median_ms(saves[1:])}")
                submits, refused = [], []
                for audit_id, actor_id in made:
                    audit = db.session.get(Audit, audit_id)
                    actor = db.session.get(User, actor_id)
                    problems = submit_problems(audit)
                    if problems:
                        refused.append(problems[0].message)
                        continue
                    start = time.perf_counter()
                    assert not submit(audit, based_on=audit.lock_version, actor=actor)
                    submits.append(time.perf_counter() - start)
                if len(submits) > 1:
                    print(f"  submit (checks, sampling, notification)    {median_ms(submits[1:])}")
                if refused:
                    print(f"  {len(refused)} copies could not be submitted: {refused[0]}")
                db.session.rollback()
                db.engine.dispose()
        finally:
            if drop:
                drop_copy(url, drop)


def save_section(audit, questions: list[str], i: int, actor) -> None:
    from qa_app.data.audits import save_section as save

    save(
        audit,
        SECTION,
        answers_for(questions, f"Benchmark save {i}"),
        based_on=audit.lock_version,
        actor=actor,
    )
