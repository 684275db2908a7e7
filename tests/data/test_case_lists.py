"""Checking a case list (CSV or XLSX) row by row, and storing a good one on a cycle."""

import io
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import event, func, select

from qa_app.data.case_lists import store_case_list
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.imports.case_lists import MAX_CASE_LIST_ROWS, check_case_list, parse_date
from qa_app.models import Case, ChangeLogEntry, CycleCase
from tests.cycles.cycle_factory import make_cycle, make_team

TODAY = date(2026, 6, 15)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def problems(result) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


def test_a_good_csv(app):
    make_team("MASH")
    make_team("Safeguarding North")
    result = check_case_list(
        "may.csv",
        csv_bytes(
            "Case Reference,Team,Worker,Legal status,Age band,Date opened",
            "1234567,mash,SW 12,CIN,5-9,2026-01-31",
            "7654321, Safeguarding North ,,CP,0-4,31/12/2025",
        ),
        today=TODAY,
    )
    assert result.problems == []
    first, second = result.rows
    assert (first.row, first.case_reference, first.team.name, first.worker) == (
        2,
        "1234567",
        "MASH",
        "SW 12",
    )
    assert first.facts == {"legal_status": "CIN", "age_band": "5-9", "date_opened": "2026-01-31"}
    assert (second.team.name, second.worker, second.facts["date_opened"]) == (
        "Safeguarding North",
        None,
        "2025-12-31",
    )


def test_a_good_xlsx_with_real_dates(app):
    make_team("Children in Care")
    data = xlsx_bytes(
        [
            ["case_reference", "team", "date_opened"],
            [1234567, "Children in Care", datetime(2024, 3, 1)],
            ["2345678", "CHILDREN IN CARE", "01/02/2024"],
        ]
    )
    result = check_case_list("list.xlsx", data, today=TODAY)
    assert result.problems == []
    assert [(r.case_reference, r.facts["date_opened"]) for r in result.rows] == [
        ("1234567", "2024-03-01"),
        ("2345678", "2024-02-01"),
    ]


def test_every_problem_is_reported_by_row_and_column(app):
    make_team("MASH")
    result = check_case_list(
        "bad.csv",
        csv_bytes(
            "case_reference,team,date_opened,postcode",
            "1234567,MASH,2026-02-30,",
            "Jane Smith,MASH,,",
            "7654321,Nowhere Team,,",
            "1234567,MASH,01/01/2026,",
            "2222222,MASH,2027-01-01,",
            "3333333,,yesterday,",
        ),
        today=TODAY,
    )
    found = problems(result)
    assert (1, "postcode", found[0][2]) == found[0] and "unknown column" in found[0][2]
    messages = {(row, column): message for row, column, message in found}
    assert "not a date" in messages[(2, "date_opened")]
    assert "never a child's name" in messages[(3, "case_reference")]
    assert "no team has this name" in messages[(4, "team")]
    assert "also row 2" in messages[(5, "case_reference")]
    assert "in the future" in messages[(6, "date_opened")]
    assert "Enter the case's team" in messages[(7, "team")]
    assert "not a date" in messages[(7, "date_opened")]
    assert len(found) == 8
    assert str(result.problems[1]).startswith("bad, row 2, column 'date_opened'")


def test_missing_columns_and_empty_files(app):
    result = check_case_list("x.csv", csv_bytes("reference,worker", "1234567,SW"), today=TODAY)
    found = problems(result)
    assert (1, "case_reference", "required column is missing") in found
    assert (1, "team", "required column is missing") in found
    assert any(c == "reference" and "unknown column" in m for _, c, m in found)
    assert result.rows == []
    empty = check_case_list("x.csv", csv_bytes("case_reference,team"), today=TODAY)
    assert problems(empty) == [(0, "", "the file has no cases in it")]


def test_unreadable_files(app):
    result = check_case_list("cases.pdf", b"%PDF", today=TODAY)
    assert "choose a CSV or XLSX file" in result.problems[0].message
    result = check_case_list("cases.xlsx", b"not a workbook", today=TODAY)
    assert "not a readable XLSX workbook" in result.problems[0].message


def test_parse_date():
    assert parse_date("2026-01-31") == date(2026, 1, 31)
    assert parse_date("1/2/2026") == date(2026, 2, 1)
    for bad in ("2026-13-01", "31/02/2026", "2026/01/31", "tomorrow", ""):
        assert parse_date(bad) is None


def test_storing_creates_updates_and_lists_cases(loaded_templates):
    mash, north = make_team("MASH"), make_team("Safeguarding North")
    cycle = make_cycle()
    existing = Case(
        case_reference="1234567", team=mash, worker="SW 1", facts={"legal_status": "CIN"}
    )
    db.session.add(existing)
    db.session.commit()
    june = csv_bytes(
        "case_reference,team,worker,age_band",
        "1234567,Safeguarding North,SW 2,10-15",
        "7654321,MASH,,",
    )
    checked = check_case_list("june.csv", june, today=TODAY)
    result = store_case_list(cycle, checked, actor=None)
    assert (result.created, result.updated, result.added, result.already_on_list) == (1, 1, 2, 0)
    db.session.refresh(existing)
    assert (existing.team_id, existing.worker) == (north.id, "SW 2")
    assert existing.facts == {"legal_status": "CIN", "age_band": "10-15"}
    new = db.session.scalar(select(Case).where(Case.case_reference == "7654321"))
    assert new.facts == {} and new.worker is None
    assert len(db.session.scalars(select(CycleCase)).all()) == 2
    log = db.session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id)).all()
    assert [(e.entity_type, e.action) for e in log if e.entity_type in ("case", "cycle")][-3:] == [
        ("case", "updated"),
        ("case", "created"),
        ("cycle", "case_list_uploaded"),
    ]
    updated = next(e for e in log if e.action == "updated" and e.entity_type == "case")
    assert updated.changes["team"] == ["MASH", "Safeguarding North"]
    # the same list again changes nothing and adds nothing
    again = store_case_list(cycle, check_case_list("june.csv", june, today=TODAY), actor=None)
    assert (again.created, again.updated, again.added, again.already_on_list) == (0, 0, 0, 2)


def test_a_list_longer_than_the_web_limit_is_refused(app):
    make_team("MASH")
    lines = ["case_reference,team"] + [f"{1000000 + n},MASH" for n in range(MAX_CASE_LIST_ROWS + 1)]
    result = check_case_list("big.csv", csv_bytes(*lines), today=TODAY)
    assert problems(result) == [
        (
            0,
            "",
            f"the list has more than {MAX_CASE_LIST_ROWS:,} cases: upload at most "
            f"{MAX_CASE_LIST_ROWS:,} at a time (split the list into smaller files)",
        )
    ]
    assert result.rows == []


def test_a_case_reference_longer_than_60_characters_is_refused(app):
    make_team("MASH")
    settings = get_settings()
    settings.case_reference_pattern = "[0-9]+"
    db.session.commit()
    result = check_case_list(
        "long.csv", csv_bytes("case_reference,team", "1234567,MASH", "1" * 61 + ",MASH")
    )
    assert problems(result) == [(3, "case_reference", "use 60 characters or fewer (found 61)")]


def test_missing_required_columns_stop_before_the_rows_are_read(app):
    result = check_case_list(
        "x.csv", csv_bytes("reference,team", "Jane Smith,Nowhere"), today=TODAY
    )
    assert [(p.row, p.column) for p in result.problems] == [
        (1, "case_reference"),
        (1, "reference"),
    ]


def test_storing_a_long_list_uses_chunked_lookups_and_bulk_inserts(loaded_templates):
    make_team("MASH")
    cycle = make_cycle()
    existing = [f"{2000000 + n}" for n in range(1200)]
    db.session.add_all(Case(case_reference=r, facts={}) for r in existing)
    db.session.commit()
    lines = ["case_reference,team"] + [f"{2000000 + n},MASH" for n in range(2500)]
    checked = check_case_list("long.csv", csv_bytes(*lines), today=TODAY)
    assert checked.problems == []
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters, executemany))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = store_case_list(cycle, checked, actor=None)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert (result.created, result.updated, result.added) == (1300, 1200, 2500)
    assert db.session.scalar(select(func.count(CycleCase.id))) == 2500
    selects = [(s, p) for s, p, _ in statements if s.lstrip().upper().startswith("SELECT")]
    assert all(len(p) <= 1001 for _, p in selects)  # 1,000 in an IN list, and the cycle
    assert len(statements) < 20, [s[:40] for s, _, _ in statements]
