"""Making teams, cycles and case lists for the audit cycle tests."""

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, func, select

from qa_app.data import cycles
from qa_app.data.organisation import save_team
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, Case, ChangeLogEntry, CycleCase
from qa_app.rules.uk_time import uk_today


def make_team(name: str):
    return save_team(name, None, True, actor=None)


def make_cycle(name: str = "CIN plans, Q3", *, templates=("single_assessment",), due=None):
    return cycles.save_cycle(
        name=name,
        kind="themed",
        description="",
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        due_date=due or uk_today() + timedelta(days=30),
        templates=[get_template(k) for k in templates],
        theme_focus=None,
        moderation_share=10,
        actor=None,
    )


def put_on_list(cycle, cases_by_team: dict) -> list[Case]:
    """Put cases on the cycle's list: {team: [reference, ...]}."""
    out = []
    for team, references in cases_by_team.items():
        for reference in references:
            case = db.session.scalar(select(Case).where(Case.case_reference == reference))
            if case is None:
                case = Case(case_reference=reference, team=team, facts={})
                db.session.add(case)
                db.session.flush()
            db.session.add(CycleCase(cycle_id=cycle.id, case_id=case.id))
            out.append(case)
    db.session.commit()
    return out


def row_counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Case, CycleCase, Audit, ChangeLogEntry)
    }


def log_actions(entity_type: str) -> list[str]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry.action)
            .where(ChangeLogEntry.entity_type == entity_type)
            .order_by(ChangeLogEntry.id)
        )
    )


@contextmanager
def count_queries():
    """The SQL statements run on the app's engine inside the block."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
